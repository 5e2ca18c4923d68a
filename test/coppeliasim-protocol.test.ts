import { strict as assert } from 'node:assert';
import {
  decodeReply,
  decodeRequest,
  encodeReply,
  encodeRequest,
  ProtocolError,
  type Encoding,
  type Frame,
  type RemoteApiReply,
  type RemoteApiRequest,
} from '../coppeliasim/ws-protocol';

const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const toHex = (frame: Frame): string => Buffer.from(frame as Uint8Array).toString('hex');
/** A CBOR text string spelled by hand: major type 3 header, then the UTF-8 bytes. */
function text(s: string): string {
  const bytes = Buffer.from(s, 'utf8');
  const n = bytes.length;
  const header = n < 24 ? (0x60 + n).toString(16) : n < 256 ? `78${n.toString(16).padStart(2, '0')}` : `79${n.toString(16).padStart(4, '0')}`;
  return header + bytes.toString('hex');
}
const bytesOf = (frame: Frame): Uint8Array => (typeof frame === 'string' ? new Uint8Array(Buffer.from(frame, 'utf8')) : frame);
const ENCODINGS: readonly Encoding[] = ['json', 'cbor'];

describe('CoppeliaSim WS protocol: requests', () => {
  it('spells a CBOR call request byte by byte: a map of text keys, args as an array', () => {
    const frame = encodeRequest({ func: 'sim.getObject', args: ['/Floor'], id: '1' }, 'cbor');
    assert.equal(toHex(frame), `a3 ${text('func')} ${text('sim.getObject')} ${text('args')} 81 ${text('/Floor')} ${text('id')} ${text('1')}`.replace(/\s+/g, ''));
  });

  it('sends bytes as a CBOR byte string (no typed-array tag) and options as a map', () => {
    const frame = encodeRequest({ func: 'f', args: [new Uint8Array([1, 2, 3]), { noError: true }] }, 'cbor');
    assert.equal(toHex(frame), `a2 ${text('func')} ${text('f')} ${text('args')} 82 43010203 a1 ${text('noError')} f5`.replace(/\s+/g, ''));
  });

  it('spells JSON call and eval requests as the add-on expects them', () => {
    assert.equal(encodeRequest({ func: 'sim.getObject', args: ['/Floor'], id: '1' }, 'json'), '{"func":"sim.getObject","args":["/Floor"],"id":"1"}');
    assert.equal(encodeRequest({ eval: 'sim.handle_scene', id: '2' }, 'json'), '{"eval":"sim.handle_scene","id":"2"}');
    assert.equal(toHex(encodeRequest({ eval: 'x' }, 'cbor')), `a1${text('eval')}${text('x')}`);
  });

  for (const encoding of ENCODINGS) {
    it(`round-trips call and eval requests through ${encoding}, choosing the decoder by the first byte`, () => {
      const requests: RemoteApiRequest[] = [
        { func: 'sim.setObjectPosition', args: [17, [0.1, -2.5, 3], -1], id: '7' },
        { func: 'step', args: [] },
        { func: 'sim.setObjectAlias', args: [17, 'tasse_bleue_é_杯'], id: 'ü' },
        { eval: 'sim.primitiveshape_cuboid', id: '9' },
      ];
      for (const request of requests) {
        const decoded = decodeRequest(bytesOf(encodeRequest(request, encoding)));
        assert.equal(decoded.encoding, encoding);
        assert.deepEqual(decoded.request, request);
      }
    });
  }

  it('refuses to put bytes or non-finite numbers into JSON, naming where they are', () => {
    assert.throws(() => encodeRequest({ func: 'sim.setBufferSignal', args: ['s', new Uint8Array(2)] }, 'json'), {
      name: 'ProtocolError',
      message: 'request sim.setBufferSignal.args[1] is a byte string; JSON cannot carry bytes, send it as CBOR',
    });
    assert.throws(() => encodeRequest({ func: 'f', args: [[1, NaN]] }, 'json'), { message: 'request f.args[0][1] is NaN; JSON cannot carry it, send it as CBOR' });
  });

  it('falls back to CBOR when a message starting with { is not JSON, and rejects what is neither', () => {
    // 0x7b is also a CBOR text string with an 8-byte length: this one is truncated.
    assert.throws(() => decodeRequest(hex('7b 22 66')), (err: Error) => err instanceof ProtocolError && /^request is not valid CBOR \(3 bytes\): /.test(err.message));
    assert.throws(() => decodeRequest(new Uint8Array(0)), { message: 'request is empty' });
  });

  it('takes an empty CBOR map as empty args and reads a request naming neither func nor eval as no request', () => {
    const decoded = decodeRequest(hex(`a2 ${text('func')} ${text('step')} ${text('args')} a0`));
    assert.deepEqual(decoded.request, { func: 'step', args: [] });
    const bare = decodeRequest(hex(`a1 ${text('id')} 05`));
    assert.equal(bare.request, null);
    assert.equal(bare.id, 5);
  });
});

describe('CoppeliaSim WS protocol: replies', () => {
  it('reads a CBOR success reply with keys in any order and a number return value', () => {
    const reply = decodeReply(hex(`a3 ${text('success')} f5 ${text('ret')} 81 1825 ${text('id')} ${text('1')}`));
    assert.deepEqual(reply, { id: '1', success: true, ret: [37] });
  });

  it('reads the empty CBOR map (a0) and the empty JSON list as "no return values"', () => {
    assert.deepEqual(decodeReply(hex(`a3 ${text('id')} ${text('4')} ${text('ret')} a0 ${text('success')} f5`)), { id: '4', success: true, ret: [] });
    assert.deepEqual(decodeReply('{"success":true,"ret":[],"id":"4"}'), { id: '4', success: true, ret: [] });
  });

  it('encodes "no return values" as the server does: a0 in CBOR, [] in JSON', () => {
    const reply: RemoteApiReply = { id: '4', success: true, ret: [] };
    assert.equal(toHex(encodeReply(reply, 'cbor')), `a3${text('id')}${text('4')}${text('ret')}a0${text('success')}f5`);
    assert.equal(encodeReply(reply, 'json'), '{"id":"4","ret":[],"success":true}');
  });

  it('reads error replies in both encodings, with non-ASCII text intact', () => {
    const message = "Object does not exist. (in function 'sim.getObject')";
    assert.deepEqual(decodeReply(hex(`a3 ${text('id')} ${text('2')} ${text('success')} f4 ${text('error')} ${text(message)}`)), { id: '2', success: false, error: message });
    assert.deepEqual(decodeReply('{"error":"No such function: sim.café_杯","success":false,"id":"3"}'), { id: '3', success: false, error: 'No such function: sim.café_杯' });
  });

  for (const encoding of ENCODINGS) {
    it(`round-trips success and error replies through ${encoding}, echoing text and number ids unchanged`, () => {
      const replies: RemoteApiReply[] = [
        { id: '12', success: true, ret: [[0.25, -1, 3.5], 'Würfel_é', true, null] },
        { id: 99, success: true, ret: [{ nested: [1, { deep: 'ok' }] }] },
        { id: null, success: false, error: 'No such function: sim.gätObject' },
      ];
      for (const reply of replies) assert.deepEqual(decodeReply(encodeReply(reply, encoding)), reply);
    });
  }

  it('carries a byte string through CBOR unchanged', () => {
    const pixels = new Uint8Array([0, 255, 128, 7]);
    const decoded = decodeReply(encodeReply({ id: '1', success: true, ret: [pixels, [2, 2]] }, 'cbor'));
    assert.ok(decoded.success);
    assert.deepEqual([...(decoded.ret[0] as Uint8Array)], [0, 255, 128, 7]);
  });

  it('reads half, single and double precision floats', () => {
    const reply = decodeReply(hex(`a2 ${text('success')} f5 ${text('ret')} 83 f93e00 fa3fc00000 fb3ff8000000000000`));
    assert.deepEqual(reply, { id: null, success: true, ret: [1.5, 1.5, 1.5] });
  });

  it('reads a Lua return list with a nil in the middle (a map of positions) as a list with null', () => {
    const reply = decodeReply(hex(`a2 ${text('success')} f5 ${text('ret')} a2 01 ${text('a')} 03 f5`));
    assert.deepEqual(reply, { id: null, success: true, ret: ['a', null, true] });
  });

  it('rejects every truncation of a valid reply, in both encodings, with a ProtocolError', () => {
    for (const encoding of ENCODINGS) {
      const whole = bytesOf(encodeReply({ id: '8', success: true, ret: [[1.25, 2], 'é'] }, encoding));
      for (let n = 0; n < whole.length; n++) {
        const cut = encoding === 'json' ? Buffer.from(whole.subarray(0, n)).toString('utf8') : whole.subarray(0, n);
        assert.throws(() => decodeReply(cut), ProtocolError, `${encoding} cut at ${n} of ${whole.length}`);
      }
    }
  });

  const garbage: readonly [string, Frame, RegExp][] = [
    ['an empty binary frame', new Uint8Array(0), /^reply \(binary frame\) is empty$/],
    ['a break code', hex('ff'), /^reply \(binary frame\) is not valid CBOR \(1 bytes\): /],
    ['a reserved CBOR token', hex('1c'), /not valid CBOR/],
    ['a length beyond the frame', hex('9bffffffffffffffff'), /not valid CBOR/],
    ['bytes after a complete value', hex('a0 00'), /not valid CBOR/],
    ['a packed-value tag cbor-x would interpret', hex('d8ff01'), /not valid CBOR/],
    ['text that is not JSON', 'hello', /^reply \(text frame\) is not valid JSON: /],
    ['an empty text frame', '', /not valid JSON/],
    ['arrays nested ten thousand deep', hex(`a2 ${text('success')} f5 ${text('ret')} ${'81'.repeat(10_000)}00`), /nests deeper than 64 levels|not valid CBOR/],
  ];
  for (const [what, frame, message] of garbage) {
    it(`rejects ${what} with a clear ProtocolError`, () => {
      assert.throws(() => decodeReply(frame), (err: Error) => err instanceof ProtocolError && message.test(err.message));
    });
  }

  const shapes: readonly [string, Frame, string][] = [
    ['a list instead of a map', '[1,2]', "reply is a list, expected a map with 'success'"],
    ['no success field', '{"id":"1","ret":[1]}', "reply 'success' is missing, expected true or false (keys: id, ret)"],
    ['a text success field', '{"success":"yes"}', "reply 'success' is text, expected true or false (keys: success)"],
    ['ret that is a number', '{"success":true,"ret":5}', 'reply ret is a number, expected a list'],
    ['ret that is a map with names', '{"success":true,"ret":{"a":1}}', 'reply ret is a map with keys ["a"], expected a list'],
    ['an error reply without text', '{"success":false}', "error reply 'error' is missing, expected text"],
    ['an error that is a number', '{"success":false,"error":7}', "error reply 'error' is a number, expected text"],
    ['an id that is a list', '{"id":[1],"success":true,"ret":[]}', "reply 'id' is a list, expected text or a number"],
    ['a date in the return values', hex(`a2 ${text('success')} f5 ${text('ret')} 81 c11a5f000000`), 'reply ret[0] is a date (CBOR tag 0/1), which the remote API never carries'],
  ];
  for (const [what, frame, message] of shapes) {
    it(`rejects a reply with ${what}, saying what is wrong`, () => {
      assert.throws(() => decodeReply(frame), { name: 'ProtocolError', message });
    });
  }
});
