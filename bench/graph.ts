/**
 * Embedded graph benchmark: publish-to-callback latency (median, p99) and throughput for a small
 * message (std_msgs/String) and a 640x480 rgb8 sensor_msgs/Image.
 *
 *   node dist/bench/graph.js          a table
 *   node dist/bench/graph.js --json   one JSON object
 *
 * Latency: one message in flight; the clock starts before publish (which checks and copies the
 * message) and stops at the start of the subscription callback. Throughput: bursts of messages
 * (1000 strings, 10 images) published back to back, timed from the first publish to the last
 * callback. Every publish checks and copies its message (an image copy is ~0.15 ms of memcpy).
 */
import { cpus } from 'node:os';
import type { Publisher, QosProfile } from '../graph/api';
import { EmbeddedGraph } from '../graph/embedded';
import { createMessage } from '../graph/message-validation';
import type { MessageOf, MessageTypeName } from '../graph/messages';

interface Figures {
  readonly messages: number;
  readonly latencyMedianMs: number;
  readonly latencyP99Ms: number;
  readonly throughputPerSecond: number;
}


function percentile(sorted: Float64Array, fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

/** `burst` is also the queue depth, so nothing is dropped; images use small bursts to bound memory. */
async function measure<K extends MessageTypeName>(
  type: K,
  message: MessageOf<K>,
  latencyRounds: number,
  throughputMessages: number,
  burst: number,
): Promise<Figures> {
  const QOS: QosProfile = { depth: burst, reliability: 'reliable', durability: 'volatile' };
  const graph = new EmbeddedGraph({ logSink: () => undefined });
  let sentAt = 0;
  let received = 0;
  let expected = 0;
  let wake: () => void = () => undefined;
  const latencies = new Float64Array(latencyRounds);
  let recording = -1;
  graph.createNode('listener').createSubscription(type, 'bench', () => {
    if (recording >= 0) latencies[recording] = performance.now() - sentAt;
    if (++received === expected) wake();
  }, QOS);
  const publisher: Publisher<MessageOf<K>> = graph.createNode('talker').createPublisher(type, 'bench', QOS);
  const waitFor = (count: number): Promise<void> =>
    new Promise((resolve) => {
      expected = count;
      wake = resolve;
    });

  const warmup = Math.min(2000, latencyRounds);
  for (let i = -warmup; i < latencyRounds; i++) {
    recording = i;
    const arrived = waitFor(received + 1);
    sentAt = performance.now();
    publisher.publish(message);
    await arrived;
  }
  recording = -1;

  const started = performance.now();
  for (let sent = 0; sent < throughputMessages; sent += burst) {
    const arrived = waitFor(received + burst);
    for (let i = 0; i < burst; i++) publisher.publish(message);
    await arrived;
  }
  const elapsedMs = performance.now() - started;
  await graph.shutdown();
  const sorted = latencies.sort();
  return {
    messages: throughputMessages,
    latencyMedianMs: percentile(sorted, 0.5),
    latencyP99Ms: percentile(sorted, 0.99),
    throughputPerSecond: (throughputMessages / elapsedMs) * 1000,
  };
}

async function main(): Promise<void> {
  const small = createMessage('std_msgs/msg/String');
  small.data = 'no, the blue cup on your left';
  const image = createMessage('sensor_msgs/msg/Image');
  Object.assign(image, { height: 480, width: 640, encoding: 'rgb8', step: 640 * 3, data: new Uint8Array(640 * 480 * 3) });
  const results = {
    node: process.version,
    cpus: cpus().length,
    string: await measure('std_msgs/msg/String', small, 20_000, 300_000, 1000),
    image640x480rgb8: await measure('sensor_msgs/msg/Image', image, 1_000, 5_000, 10),
  };
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(results)}\n`);
    return;
  }
  const row = (name: string, f: Figures): string =>
    `${name.padEnd(28)} ${f.latencyMedianMs.toFixed(4).padStart(12)} ${f.latencyP99Ms.toFixed(4).padStart(12)} ${Math.round(f.throughputPerSecond).toLocaleString('en-US').padStart(14)}`;
  process.stdout.write(
    [
      `embedded graph, Node ${results.node}, ${results.cpus} CPUs`,
      `${'message'.padEnd(28)} ${'median (ms)'.padStart(12)} ${'p99 (ms)'.padStart(12)} ${'messages/s'.padStart(14)}`,
      row('std_msgs/String', results.string),
      row('sensor_msgs/Image 640x480', results.image640x480rgb8),
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
