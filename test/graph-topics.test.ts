import { strict as assert } from 'node:assert';
import type { QosProfile } from '../graph/api';
import { QosProfiles } from '../graph/api';
import { EmbeddedGraph } from '../graph/embedded';
import { captureLogs } from '../graph/logging';

const keepLast = (depth: number, overrides: Partial<QosProfile> = {}): QosProfile => ({
  depth,
  reliability: 'reliable',
  durability: 'volatile',
  ...overrides,
});

function setup(): { graph: EmbeddedGraph; logs: ReturnType<typeof captureLogs> } {
  const logs = captureLogs();
  return { graph: new EmbeddedGraph({ clock: 'manual', logSink: logs.sink }), logs };
}

describe('embedded topics', () => {
  it('delivers from the executor, not inside publish', async () => {
    const { graph } = setup();
    const received: string[] = [];
    graph.createNode('listener').createSubscription('std_msgs/msg/String', 'chatter', (m) => received.push(m.data));
    const publisher = graph.createNode('talker').createPublisher('std_msgs/msg/String', 'chatter');
    publisher.publish({ data: 'hello' });
    assert.deepEqual(received, []);
    await graph.spinUntilIdle();
    assert.deepEqual(received, ['hello']);
  });

  it('drops the oldest message when a depth-2 queue overflows', async () => {
    const { graph } = setup();
    const received: string[] = [];
    graph.createNode('listener').createSubscription('std_msgs/msg/String', 'chatter', (m) => received.push(m.data), keepLast(2));
    const publisher = graph.createNode('talker').createPublisher('std_msgs/msg/String', 'chatter', keepLast(10));
    for (const data of ['1', '2', '3', '4', '5']) publisher.publish({ data });
    await graph.spinUntilIdle();
    assert.deepEqual(received, ['4', '5']);
  });

  it('hands a late transient-local subscription the last N latched messages, and a volatile one nothing old', async () => {
    const { graph } = setup();
    const latched = keepLast(2, { durability: 'transient_local' });
    const publisher = graph.createNode('talker').createPublisher('std_msgs/msg/String', 'state', latched);
    for (const data of ['a', 'b', 'c']) publisher.publish({ data });
    const late: string[] = [];
    const volatile: string[] = [];
    graph.createNode('late').createSubscription('std_msgs/msg/String', 'state', (m) => late.push(m.data), latched);
    graph.createNode('volatile').createSubscription('std_msgs/msg/String', 'state', (m) => volatile.push(m.data), keepLast(5));
    await graph.spinUntilIdle();
    assert.deepEqual(late, ['b', 'c']);
    assert.deepEqual(volatile, []);
    publisher.publish({ data: 'd' });
    await graph.spinUntilIdle();
    assert.deepEqual(late, ['b', 'c', 'd']);
    assert.deepEqual(volatile, ['d']);
  });

  it('does not connect a best-effort publisher to a reliable subscription, and warns on both nodes', async () => {
    const { graph, logs } = setup();
    const received: string[] = [];
    graph.createNode('listener').createSubscription('std_msgs/msg/String', 'scan', (m) => received.push(m.data), QosProfiles.standard);
    const publisher = graph.createNode('talker').createPublisher('std_msgs/msg/String', 'scan', QosProfiles.sensorData);
    publisher.publish({ data: 'x' });
    await graph.spinUntilIdle();
    assert.deepEqual(received, []);
    assert.equal(publisher.subscriptionCount(), 0);
    assert.ok(logs.lines.some((l) => l.startsWith('[WARN] [0.000000000] [listener]: New publisher discovered on topic \'/scan\', offering incompatible QoS') && l.endsWith('RELIABILITY')));
    assert.ok(logs.lines.some((l) => l.includes('[talker]: New subscription discovered on topic \'/scan\', requesting incompatible QoS')));
  });

  it('connects a reliable publisher to a best-effort subscription', async () => {
    const { graph } = setup();
    const received: string[] = [];
    graph.createNode('listener').createSubscription('std_msgs/msg/String', 'scan', (m) => received.push(m.data), QosProfiles.sensorData);
    graph.createNode('talker').createPublisher('std_msgs/msg/String', 'scan', QosProfiles.standard).publish({ data: 'x' });
    await graph.spinUntilIdle();
    assert.deepEqual(received, ['x']);
  });

  it('refuses a second type on one topic, naming both types', () => {
    const { graph } = setup();
    graph.createNode('talker').createPublisher('std_msgs/msg/String', 'chatter');
    assert.throws(() => graph.createNode('listener').createSubscription('std_msgs/msg/Bool', 'chatter', () => undefined), {
      message:
        "type mismatch on topic '/chatter': cannot create a subscription of std_msgs/msg/Bool for /listener; " +
        'the topic carries std_msgs/msg/String (publisher of /talker)',
    });
  });

  it('rejects an invalid message at publish, naming type and field, and delivers nothing', async () => {
    const { graph } = setup();
    const received: unknown[] = [];
    graph.createNode('listener').createSubscription('std_msgs/msg/String', 'chatter', (m) => received.push(m));
    const publisher = graph.createNode('talker').createPublisher('std_msgs/msg/String', 'chatter');
    assert.throws(() => publisher.publish({ data: 42 } as unknown as { data: string }), {
      message: 'std_msgs/msg/String.data: expected string but got number 42',
    });
    await graph.spinUntilIdle();
    assert.deepEqual(received, []);
  });

  it('logs a throwing callback with node and topic and keeps delivering', async () => {
    const { graph, logs } = setup();
    const received: string[] = [];
    graph.createNode('monitor', { namespace: 'h2r' }).createSubscription('std_msgs/msg/String', 'reminder', (m) => {
      if (m.data === 'bad') throw new Error('cannot parse reminder');
      received.push(m.data);
    });
    const asyncFailures = graph.createNode('async_monitor', { namespace: 'h2r' });
    asyncFailures.createSubscription('std_msgs/msg/String', 'reminder', async (m) => {
      if (m.data === 'bad') throw new Error('async failure');
    });
    const publisher = graph.createNode('bridge', { namespace: 'h2r' }).createPublisher('std_msgs/msg/String', 'reminder');
    for (const data of ['first', 'bad', 'second']) publisher.publish({ data });
    await graph.spinUntilIdle();
    assert.deepEqual(received, ['first', 'second']);
    assert.ok(logs.lines.includes("[ERROR] [0.000000000] [h2r.monitor]: exception in subscription callback on topic '/h2r/reminder' (std_msgs/msg/String): cannot parse reminder"));
    assert.ok(logs.lines.some((l) => l.includes('[h2r.async_monitor]: exception in subscription callback') && l.endsWith('async failure')));
  });

  it('stops delivering to a destroyed node and rejects publishing from one', async () => {
    const { graph } = setup();
    const received: string[] = [];
    const listener = graph.createNode('listener');
    listener.createSubscription('std_msgs/msg/String', 'chatter', (m) => received.push(m.data));
    const talker = graph.createNode('talker');
    const publisher = talker.createPublisher('std_msgs/msg/String', 'chatter');
    publisher.publish({ data: 'queued' });
    listener.destroy();
    await graph.spinUntilIdle();
    assert.deepEqual(received, []);
    assert.equal(publisher.subscriptionCount(), 0);
    talker.destroy();
    assert.throws(() => publisher.publish({ data: 'x' }), /the publisher of \/talker on '\/chatter' was destroyed/);
  });

  it('refuses a QoS depth below one', () => {
    const { graph } = setup();
    assert.throws(() => graph.createNode('talker').createPublisher('std_msgs/msg/String', 'chatter', keepLast(0)), /QoS depth must be a positive integer, got 0/);
  });
});
