import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EmbeddedGraph } from '../graph/embedded';
import { captureLogs } from '../graph/logging';
import type { LanguageAttention, Reminder } from '../graph/messages';
import { reminderParser } from '../nodes/reminder_parser';

function reminder(text: string, sec: number): Reminder {
  return { header: { stamp: { sec, nanosec: 250 }, frame_id: '' }, text, source: 'typed', speaker: '', word_confidences: [] };
}

async function until(graph: EmbeddedGraph, done: () => boolean, what: string, timeoutMs = 30000): Promise<void> {
  const start = Date.now();
  while (!done()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await graph.spinUntilIdle();
  }
}

async function startParser(parameters: readonly string[] = []) {
  const logs = captureLogs();
  const graph = new EmbeddedGraph({ clock: 'manual', logSink: logs.sink });
  const received: LanguageAttention[] = [];
  graph.createNode('listener').createSubscription('h2r_interfaces/msg/LanguageAttention', 'attention/language', (m) => received.push(m));
  const publisher = graph.createNode('person').createPublisher('h2r_interfaces/msg/Reminder', 'reminder');
  const node = graph.createNode('reminder_parser', { arguments: ['--ros-args', ...parameters] });
  const running = await reminderParser.start(node, { print: () => undefined });
  return { graph, logs, received, publisher, running };
}

describe('reminder_parser node', () => {
  it('publishes the language attention of a reminder with the reminder\'s stamp', async () => {
    const { graph, received, publisher, running } = await startParser();
    publisher.publish(reminder('no, the blue cup on your left', 7));
    await until(graph, () => received.length === 1, 'the attention message');
    const [attention] = received;
    assert.deepStrictEqual(attention.header.stamp, { sec: 7, nanosec: 250 });
    assert.strictEqual(attention.mistake_type, 'wrong_object');
    assert.deepStrictEqual([attention.target.colour, attention.target.kind], ['blue', 'cup']);
    assert.deepStrictEqual([attention.location, attention.location_viewpoint], [['left'], ['robot']]);
    assert.strictEqual(attention.tags.length, attention.tokens.length);
    assert.ok(Math.abs(Array.from(attention.token_attention).reduce((a, b) => a + b, 0) - 1) < 1e-5);
    await running.stop();
    await graph.shutdown();
  });

  it('answers "stop!" from the lexicon before the model has loaded', async () => {
    const { graph, received, publisher, running } = await startParser();
    publisher.publish(reminder('Stop!', 3));
    await graph.spinUntilIdle();
    assert.strictEqual(received.length, 1, 'published within the same spin, without waiting for the model');
    assert.strictEqual(received[0].stop, true);
    assert.strictEqual(received[0].urgency, 1);
    await running.stop();
    await graph.shutdown();
  });

  it('logs why it rejects an empty, absurd or enormous reminder and keeps serving', async () => {
    const { graph, logs, received, publisher, running } = await startParser(['-p', 'max_length:=40']);
    publisher.publish(reminder('   ', 1));
    publisher.publish(reminder('?!?!', 1));
    publisher.publish(reminder('x'.repeat(41), 1));
    publisher.publish(reminder('zorblax quux', 1));
    publisher.publish(reminder('pour it into the white bowl', 2));
    await until(graph, () => received.length === 1, 'the valid reminder after the rejected ones');
    assert.strictEqual(received[0].reminder_text, 'pour it into the white bowl');
    const warnings = logs.lines.filter((l) => l.includes('[WARN]')).join('\n');
    assert.match(warnings, /reminder rejected: empty reminder/);
    assert.match(warnings, /reminder rejected: reminder has no letters/);
    assert.match(warnings, /reminder rejected: reminder of 41 characters exceeds max_length 40/);
    assert.match(warnings, /"zorblax quux" rejected: only unknown words: zorblax quux/);
    await running.stop();
    await graph.shutdown();
  });

  it('serves only stop commands, and says so, when the model cannot be loaded', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'h2r-nomodel-'));
    try {
      const { graph, logs, received, publisher, running } = await startParser(['-p', `model_path:=${empty}`]);
      await until(graph, () => logs.lines.some((l) => l.includes('language model not loaded')), 'the load error');
      assert.match(logs.lines.join('\n'), /language model not loaded from .*h2r-nomodel-.*cannot read .*vocab\.json.*only stop commands are served/);
      publisher.publish(reminder('wait wait', 1));
      await graph.spinUntilIdle();
      assert.deepStrictEqual(received.map((m) => m.stop), [true]);
      await running.stop();
      await graph.shutdown();
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
