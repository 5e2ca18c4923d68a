import { strict as assert } from 'node:assert';
import { backoffDelay, backoffPolicy } from '../coppeliasim/backoff';
import { CoppeliaSimError, isLinkFailure, RemoteApiClient } from '../coppeliasim/ws-client';
import { decodeRequest, encodeReply, type Frame } from '../coppeliasim/ws-protocol';
import type { FrameSocketFactory, FrameSocketHandlers } from '../coppeliasim/ws-transport';
import { captureLog, clientFor, recordStates, untilState, withStandIn } from './support/coppeliasim-fixtures';
import { CoppeliaSimStandIn } from './support/coppeliasim-standin';

const isError = (kind: CoppeliaSimError['kind'], message: RegExp | string) => (err: unknown): boolean => {
  assert.ok(err instanceof CoppeliaSimError, `expected a CoppeliaSimError, got ${String(err)}`);
  assert.equal(err.kind, kind);
  if (typeof message === 'string') assert.equal(err.message, message);
  else assert.match(err.message, message);
  return true;
};

/** A port nothing listens on: one a stand-in just gave up. */
async function closedPort(): Promise<number> {
  const standIn = await CoppeliaSimStandIn.start();
  const port = standIn.port;
  await standIn.close();
  return port;
}

describe('CoppeliaSim client: calls', () => {
  it('makes sim global with wsRemoteApi.require before anything else, then reports connected (4.10 behaviour)', async () => {
    await withStandIn({ requireNeeded: true }, async (standIn, cleanup) => {
      const client = clientFor(standIn.port, captureLog());
      cleanup(() => client.close());
      const states = recordStates(client);
      await client.connect(2000);
      assert.deepEqual(await client.call('sim.getObject', ['/Floor']), [15]);
      assert.deepEqual(standIn.received.map((r) => r.func), ['wsRemoteApi.require', 'sim.getObject']);
      assert.deepEqual(states, ['connecting', 'connected']);
    });
  });

  it('connects to a server without wsRemoteApi.require (before 4.10) and notes it at debug level', async () => {
    await withStandIn({ hasRequire: false }, async (standIn, cleanup) => {
      const log = captureLog();
      const client = clientFor(standIn.port, log);
      cleanup(() => client.close());
      await client.connect(2000);
      assert.deepEqual(await client.call('sim.getSimulationState'), [0]);
      assert.deepEqual(log.at('debug'), ["wsRemoteApi.require('sim') is not available (No such function: wsRemoteApi.require); assuming CoppeliaSim before 4.10"]);
    });
  });

  it('drops and retries a connection whose wsRemoteApi.require goes unanswered, saying why', async () => {
    await withStandIn({}, async (standIn, cleanup) => {
      const log = captureLog();
      const client = clientFor(standIn.port, log, { callTimeoutMs: 50 });
      cleanup(() => client.close());
      standIn.replaceNextReply('wsRemoteApi.require', null);
      await client.connect(2000);
      assert.deepEqual(log.at('warn'), [
        `cannot reach CoppeliaSim at ws://127.0.0.1:${standIn.port}/ (setup after connecting failed: CoppeliaSim at ws://127.0.0.1:${standIn.port}/ did not answer wsRemoteApi.require (request 1) within 50 ms); is CoppeliaSim running with the "WS remote API server" add-on enabled (port 23050, or 23050 + the process id from 4.8)?; retrying with backoff`,
      ]);
      assert.deepEqual(log.at('info'), [`connected to CoppeliaSim at ws://127.0.0.1:${standIn.port}/ after 1 failed attempt(s)`]);
    });
  });

  it("passes CoppeliaSim's error text on, naming the call, including non-ASCII names", async () => {
    await withStandIn({}, async (standIn, cleanup) => {
      const client = clientFor(standIn.port, captureLog());
      cleanup(() => client.close());
      await client.connect(2000);
      await assert.rejects(client.call('sim.getObject', ['/nothing']), isError('remote', "sim.getObject (request 2) failed in CoppeliaSim: Object does not exist. (in function 'sim.getObject')"));
      await assert.rejects(client.call('sim.café', []), (err: unknown) => {
        assert.ok(err instanceof CoppeliaSimError);
        assert.deepEqual([err.kind, err.func, err.remoteMessage], ['remote', 'sim.café', 'No such function: sim.café']);
        return true;
      });
      assert.ok(!isLinkFailure(new CoppeliaSimError('remote', 'x')));
    });
  });

  it('keeps non-ASCII aliases intact through CBOR and JSON', async () => {
    await withStandIn({}, async (standIn, cleanup) => {
      for (const encoding of ['cbor', 'json'] as const) {
        const client = clientFor(standIn.port, captureLog(), { encoding });
        cleanup(() => client.close());
        await client.connect(2000);
        const [handle] = await client.call('sim.createDummy', [0.01]);
        await client.call('sim.setObjectAlias', [handle, 'tasse_bleue_é_杯']);
        assert.deepEqual(await client.call('sim.getObjectAlias', [handle]), ['tasse_bleue_é_杯']);
      }
      assert.deepEqual(new Set(standIn.received.map((r) => r.encoding)), new Set(['cbor', 'json']));
    });
  });

  it('answers thirty concurrent calls each with its own result, matched by echoed id', async () => {
    await withStandIn({}, async (standIn, cleanup) => {
      const client = clientFor(standIn.port, captureLog());
      cleanup(() => client.close());
      await client.connect(2000);
      const handles = await Promise.all(Array.from({ length: 30 }, () => client.call('sim.createDummy', [0.01])));
      await Promise.all(handles.map(([h], i) => client.call('sim.setObjectAlias', [h, `d${i}`])));
      const aliases = await Promise.all(handles.map(([h]) => client.call('sim.getObjectAlias', [h])));
      assert.deepEqual(aliases.map(([a]) => a), handles.map((_, i) => `d${i}`));
      const ids = standIn.received.map((r) => r.id);
      assert.equal(new Set(ids).size, ids.length, 'every request carries its own id');
    });
  });

  it('charges an undecodable reply to the oldest waiting call and keeps the connection', async () => {
    await withStandIn({}, async (standIn, cleanup) => {
      const client = clientFor(standIn.port, captureLog());
      cleanup(() => client.close());
      await client.connect(2000);
      standIn.replaceNextReply('sim.getSimulationTime', new Uint8Array([0xff]));
      await assert.rejects(client.call('sim.getSimulationTime'), isError('protocol', /^bad reply to sim\.getSimulationTime \(request 2\): reply \(binary frame\) is not valid CBOR \(1 bytes\): /));
      assert.equal(client.state, 'connected');
      assert.deepEqual(await client.call('sim.getSimulationTime'), [0]);
    });
  });

  it('times out a call the server never answers, naming call, id and time', async () => {
    await withStandIn({}, async (standIn, cleanup) => {
      const client = clientFor(standIn.port, captureLog());
      cleanup(() => client.close());
      await client.connect(2000);
      standIn.replaceNextReply('sim.getSimulationTime', null);
      await assert.rejects(client.call('sim.getSimulationTime', [], { timeoutMs: 60 }), isError('timeout', `CoppeliaSim at ws://127.0.0.1:${standIn.port}/ did not answer sim.getSimulationTime (request 2) within 60 ms`));
    });
  });

  it('refuses calls while not connected, saying the state', async () => {
    const client = new RemoteApiClient({ port: 1, log: captureLog().log });
    await assert.rejects(client.call('sim.getObject', ['/Floor']), isError('not-connected', 'cannot call sim.getObject: not connected to CoppeliaSim at ws://127.0.0.1:1/ (idle)'));
    await client.close();
    await assert.rejects(client.waitUntilConnected(10), isError('not-connected', /^cannot wait for a connection: not connected .* \(closed\)$/));
  });
});

describe('CoppeliaSim client: link failures', () => {
  it('rejects a call in flight when the connection drops, reports disconnected, then reconnects', async () => {
    await withStandIn({}, async (standIn, cleanup) => {
      const log = captureLog();
      const client = clientFor(standIn.port, log);
      cleanup(() => client.close());
      const states = recordStates(client);
      await client.connect(2000);
      standIn.dropConnectionOn('sim.getSimulationTime');
      await assert.rejects(client.call('sim.getSimulationTime'), (err: unknown) => {
        isError('disconnected', /^connection to CoppeliaSim at ws:\/\/127\.0\.0\.1:\d+\/ was lost while sim\.getSimulationTime \(request 2\) waited for its reply \(closed with code 1006\)$/)(err);
        return isLinkFailure(err);
      });
      assert.equal(client.state, 'disconnected');
      await untilState(client, 'connected');
      assert.deepEqual(states, ['connecting', 'connected', 'disconnected', 'connecting', 'connected']);
      assert.deepEqual(log.at('warn'), [`lost the connection to CoppeliaSim at ws://127.0.0.1:${standIn.port}/ (closed with code 1006)`]);
      assert.deepEqual(await client.call('sim.getSimulationState'), [0]);
    });
  });

  it('reconnects with growing delays when the server restarts on the same port', async () => {
    await withStandIn({}, async (standIn, cleanup) => {
      const log = captureLog();
      const client = clientFor(standIn.port, log, { backoff: { initialDelayMs: 5, maxDelayMs: 40, factor: 2, jitter: 0 } });
      cleanup(() => client.close());
      await client.connect(2000);
      const started = Date.now();
      await standIn.stopListening();
      await untilState(client, 'disconnected');
      await new Promise((resolve) => setTimeout(resolve, 150));
      await standIn.listen();
      await untilState(client, 'connected');
      const failures = log.at('debug').filter((m) => /^attempt \d+ to reach/.test(m)).length + 1;
      // Delays 5, 10, 20, 40, 40, ... ms: about 6 failed attempts fit in 150 ms, not 30.
      assert.ok(failures >= 2 && failures <= 9, `${failures} failed attempts in ${Date.now() - started} ms`);
      assert.equal(log.at('warn').filter((m) => m.startsWith('cannot reach')).length, 1, 'one clear message per outage');
      assert.deepEqual(await client.call('sim.getObject', ['/Floor']), [15]);
    });
  });

  it('says once, with host and port, that CoppeliaSim is not running, and keeps retrying without unhandled rejections', async () => {
    const port = await closedPort();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const log = captureLog();
    const client = clientFor(port, log);
    try {
      await assert.rejects(client.connect(200), isError('not-connected', new RegExp(
        `^CoppeliaSim is not reachable at ws://127\\.0\\.0\\.1:${port}/ after \\d+ failed attempt\\(s\\) within 200 ms \\(connect ECONNREFUSED 127\\.0\\.0\\.1:${port}\\); is CoppeliaSim running with the "WS remote API server" add-on enabled`)));
      assert.deepEqual(log.at('warn'), [
        `cannot reach CoppeliaSim at ws://127.0.0.1:${port}/ (connect ECONNREFUSED 127.0.0.1:${port}); is CoppeliaSim running with the "WS remote API server" add-on enabled (port 23050, or 23050 + the process id from 4.8)?; retrying with backoff`,
      ]);
      assert.ok(log.at('debug').length >= 2, 'it went on retrying');
      assert.equal(client.state, 'connecting');
      assert.equal(client.lastError, `connect ECONNREFUSED 127.0.0.1:${port}`);
    } finally {
      await client.close();
      await new Promise((resolve) => setImmediate(resolve));
      process.off('unhandledRejection', onUnhandled);
    }
    assert.deepEqual(unhandled, []);
  });

  it('tries once per connect() when reconnecting is off, and connects once CoppeliaSim is there', async () => {
    const port = await closedPort();
    const log = captureLog();
    const client = clientFor(port, log, { reconnect: false });
    try {
      await assert.rejects(client.connect(100), isError('not-connected', /after 1 failed attempt\(s\) within 100 ms \(connect ECONNREFUSED/));
      assert.equal(client.state, 'disconnected');
      assert.equal(log.at('warn').length, 1);
      await withStandIn({ port }, async () => {
        await client.connect(2000);
        assert.equal(client.state, 'connected');
      });
    } finally {
      await client.close();
    }
  });

  it('closes the connection when a text frame is not UTF-8, which is why images travel as CBOR', async () => {
    await withStandIn({}, async (standIn, cleanup) => {
      const client = clientFor(standIn.port, captureLog(), { reconnect: false });
      cleanup(() => client.close());
      await client.connect(2000);
      const [sensor] = await client.call('sim.createVisionSensor', [3, [4, 2, 0, 0], [0.01, 5, 1, 0.02, 0.02, 0.02, 0, 0, 0, 0, 0]]);
      await client.call('sim.handleVisionSensor', [sensor]);
      await assert.rejects(client.call('sim.getVisionSensorImg', [sensor], { encoding: 'json' }), isError('disconnected', /waited for its reply \(Invalid WebSocket frame: invalid UTF-8 sequence\)$/));
      assert.equal(client.state, 'disconnected');
    });
  });

  it('cancels waiting calls and stops retrying on close', async () => {
    await withStandIn({}, async (standIn) => {
      const client = clientFor(standIn.port, captureLog());
      await client.connect(2000);
      standIn.replaceNextReply('sim.getSimulationTime', null);
      const cancelled = assert.rejects(client.call('sim.getSimulationTime'), isError('closed', 'sim.getSimulationTime (request 2) was cancelled: the client was closed'));
      await client.close();
      await cancelled;
      assert.equal(client.state, 'closed');
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(standIn.connectionCount, 0);
    });
  });
});

/** A scripted server behind an injected socket: it records frames and answers when told. */
function scriptedSocket(): { factory: FrameSocketFactory; sent: Frame[]; handlers: () => FrameSocketHandlers } {
  const sent: Frame[] = [];
  let current: FrameSocketHandlers | null = null;
  const factory: FrameSocketFactory = (_url, handlers) => {
    current = handlers;
    setImmediate(() => handlers.onOpen());
    return { send: (frame) => void sent.push(frame), close: () => setImmediate(() => handlers.onClose('closed by the test')) };
  };
  return { factory, sent, handlers: () => current! };
}

describe('CoppeliaSim client: over an injected socket', () => {
  it('matches replies that arrive out of order by their ids and ignores a reply to a timed-out call', async () => {
    const socket = scriptedSocket();
    const log = captureLog();
    const client = new RemoteApiClient({ socketFactory: socket.factory, log: log.log, requireModules: [] });
    try {
      await client.connect(1000);
      const a = client.call('sim.getObject', ['/a']);
      const b = client.call('sim.getObject', ['/b']);
      const late = client.call('sim.getObject', ['/late'], { timeoutMs: 20 });
      await assert.rejects(late, isError('timeout', /did not answer sim\.getObject \(request 3\) within 20 ms/));
      const ids = socket.sent.map((f) => decodeRequest(f as Uint8Array).id);
      assert.deepEqual(ids, ['1', '2', '3']);
      socket.handlers().onFrame(encodeReply({ id: '3', success: true, ret: [30] }, 'cbor'));
      socket.handlers().onFrame(encodeReply({ id: '2', success: true, ret: [20] }, 'json'));
      socket.handlers().onFrame(encodeReply({ id: '1', success: true, ret: [10] }, 'cbor'));
      socket.handlers().onFrame(encodeReply({ id: '77', success: true, ret: [] }, 'cbor'));
      assert.deepEqual([await a, await b], [[10], [20]]);
      assert.deepEqual(log.at('debug'), ['ignoring a reply for request 3: it timed out earlier']);
      assert.deepEqual(log.at('warn'), ['ignoring a reply for request 77: no call with that id is waiting']);
    } finally {
      await client.close();
    }
  });
});

describe('CoppeliaSim client: backoff', () => {
  it('doubles from the initial delay up to the cap', () => {
    const policy = backoffPolicy({ initialDelayMs: 100, maxDelayMs: 1000, factor: 2, jitter: 0.2 });
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, policy, () => 0.5)), [100, 200, 400, 800, 1000, 1000, 1000]);
  });

  it('spreads each delay within plus or minus the jitter', () => {
    const policy = backoffPolicy({ initialDelayMs: 1000, maxDelayMs: 1000, factor: 2, jitter: 0.25 });
    assert.deepEqual([0, 0.25, 0.999999].map((r) => backoffDelay(0, policy, () => r)), [750, 875, 1250]);
  });

  it('rejects a policy that makes no sense, naming the field', () => {
    assert.throws(() => backoffPolicy({ jitter: 1 }), { name: 'RangeError', message: 'backoff.jitter = 1 is invalid: it must be in [0, 1)' });
    assert.throws(() => backoffPolicy({ initialDelayMs: 500, maxDelayMs: 100 }), { message: 'backoff.maxDelayMs = 100 is invalid: it must be at least initialDelayMs' });
  });
});
