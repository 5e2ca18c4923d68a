import { strict as assert } from 'node:assert';
import { EmbeddedGraph } from '../graph/embedded';
import { captureLogs, formatLogLine } from '../graph/logging';

describe('graph clock, timers and loggers', () => {
  it('fires due timers in time order when the manual clock advances, each at its own time', async () => {
    const graph = new EmbeddedGraph({ clock: 'manual', logSink: () => undefined });
    const node = graph.createNode('sim');
    const fired: string[] = [];
    node.createTimer(100, () => fired.push(`slow@${node.now().nanosec / 1e6}`));
    node.createTimer(40, () => fired.push(`fast@${node.now().nanosec / 1e6}`));
    await graph.advance(99);
    assert.deepEqual(fired, ['fast@40', 'fast@80']);
    await graph.advance(101);
    assert.deepEqual(fired, ['fast@40', 'fast@80', 'slow@100', 'fast@120', 'fast@160', 'slow@200', 'fast@200']);
    assert.deepEqual(node.now(), { sec: 0, nanosec: 200_000_000 });
  });

  it('runs the callbacks a timer causes before the next timer fires', async () => {
    const graph = new EmbeddedGraph({ clock: 'manual', logSink: () => undefined });
    const order: string[] = [];
    const talker = graph.createNode('talker');
    const publisher = talker.createPublisher('std_msgs/msg/String', 'tick');
    graph.createNode('listener').createSubscription('std_msgs/msg/String', 'tick', (m) => order.push(`heard ${m.data}`));
    let count = 0;
    talker.createTimer(10, () => {
      count++;
      order.push(`tick ${count}`);
      publisher.publish({ data: String(count) });
    });
    await graph.advance(30);
    assert.deepEqual(order, ['tick 1', 'heard 1', 'tick 2', 'heard 2', 'tick 3', 'heard 3']);
  });

  it('stops a cancelled timer and logs a throwing one without stopping the others', async () => {
    const logs = captureLogs();
    const graph = new EmbeddedGraph({ clock: 'manual', logSink: logs.sink });
    const node = graph.createNode('sim');
    let healthy = 0;
    const cancelled = node.createTimer(10, () => assert.fail('a cancelled timer fired'));
    cancelled.cancel();
    node.createTimer(10, () => {
      throw new Error('step failed');
    });
    node.createTimer(10, () => healthy++);
    await graph.advance(20);
    assert.equal(healthy, 2);
    assert.deepEqual(logs.lines, [
      '[ERROR] [0.010000000] [sim]: exception in timer callback: step failed',
      '[ERROR] [0.020000000] [sim]: exception in timer callback: step failed',
    ]);
  });

  it('fires system-clock timers from wall time', async () => {
    const graph = new EmbeddedGraph({ logSink: () => undefined });
    let fired = 0;
    const started = Date.now();
    graph.createNode('sim').createTimer(5, () => fired++);
    while (fired < 3 && Date.now() - started < 5000) await new Promise((resolve) => setTimeout(resolve, 1));
    await graph.shutdown();
    const stoppedAt = fired;
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(fired, 3);
    assert.equal(stoppedAt, 3);
  });

  it('refuses advance() on the system clock', async () => {
    const graph = new EmbeddedGraph({ logSink: () => undefined });
    await assert.rejects(graph.advance(10), /advance\(\) needs a graph created with clock: 'manual'/);
  });

  it('formats log lines like rcutils and filters them by global and per-logger levels', async () => {
    const logs = captureLogs();
    const graph = new EmbeddedGraph({
      clock: 'manual',
      startTimeMs: 1_700_000_000_123.5,
      logSink: logs.sink,
      arguments: ['--ros-args', '--log-level', 'warn', '--log-level', 'h2r.monitor:=debug'],
    });
    const monitor = graph.createNode('monitor', { namespace: 'h2r' });
    const speech = graph.createNode('speech', { namespace: 'h2r' });
    monitor.logger.debug('checking');
    speech.logger.info('hidden');
    speech.logger.warn('mic quiet');
    assert.deepEqual(logs.lines, [
      '[DEBUG] [1700000000.123500000] [h2r.monitor]: checking',
      '[WARN] [1700000000.123500000] [h2r.speech]: mic quiet',
    ]);
    assert.equal(formatLogLine({ level: 'fatal', time: { sec: 5, nanosec: 7 }, logger: 'x', message: 'm' }), '[FATAL] [5.000000007] [x]: m');
  });

  it('sets a node logger level from its own --log-level argument', () => {
    const logs = captureLogs();
    const graph = new EmbeddedGraph({ clock: 'manual', logSink: logs.sink });
    const node = graph.createNode('talker', { arguments: ['--ros-args', '--log-level', 'error'] });
    node.logger.warn('hidden');
    node.logger.error('shown');
    assert.deepEqual(logs.lines, ['[ERROR] [0.000000000] [talker]: shown']);
  });
});
