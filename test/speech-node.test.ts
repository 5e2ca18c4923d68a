import { strict as assert } from 'node:assert';
import { EmbeddedGraph } from '../graph/embedded';
import { captureLogs } from '../graph/logging';
import type { AudioChunk, Reminder } from '../graph/messages';
import type { RunningNode } from '../graph/node-definition';
import { isStopCommand } from '../language/parser';
import { speechNode } from '../nodes/speech';
import { speechEndSample } from '../speech/evaluate';
import { addNoiseFloor, synthesise } from '../speech/synthesis';

const RATE = 16000;

function chunk(samples: Int16Array, startSample: number, overrides: Partial<AudioChunk> = {}): AudioChunk {
  const bytes = new Uint8Array(samples.length * 2);
  const view = new DataView(bytes.buffer);
  samples.forEach((s, i) => view.setInt16(2 * i, s, true));
  const ms = (startSample / RATE) * 1000;
  return { header: { stamp: { sec: Math.floor(ms / 1000), nanosec: Math.round((ms % 1000) * 1e6) }, frame_id: 'mic' }, sample_rate: RATE, channels: 1, format: 'S16LE', data: bytes, ...overrides };
}

async function runSpeechNode(audio: Int16Array, extraChunks: AudioChunk[] = []): Promise<{ reminders: Reminder[]; logs: string[]; heard: string[] }> {
  const logs = captureLogs();
  const graph = new EmbeddedGraph({ clock: 'manual', logSink: logs.sink });
  const reminders: Reminder[] = [];
  /** Voice activity and reminders in the order they were published. */
  const heard: string[] = [];
  const stub = graph.createNode('monitor_stub');
  stub.createSubscription('h2r_interfaces/msg/Reminder', 'reminder', (m) => {
    reminders.push(m);
    heard.push('reminder');
  });
  stub.createSubscription('std_msgs/msg/Bool', 'voice_activity', (m) => heard.push(m.data ? 'voice on' : 'voice off'));
  const node = graph.createNode('speech');
  const running: RunningNode = await speechNode.start(node, { print: () => undefined });
  const microphone = graph.createNode('microphone').createPublisher('h2r_interfaces/msg/AudioChunk', 'audio');
  try {
    for (const extra of extraChunks) microphone.publish(extra);
    for (let i = 0; i < audio.length; i += 320) {
      microphone.publish(chunk(audio.subarray(i, i + 320), i));
      await graph.spinUntilIdle();
    }
    await running.stop();
    await graph.spinUntilIdle();
  } finally {
    await graph.shutdown();
  }
  return { reminders, logs: logs.lines, heard };
}

describe('speech node', function () {
  this.timeout(60000);

  it('publishes a spoken "stop" as a speech reminder the stop fast path reads as a halt, stamped at the end of speech', async () => {
    const clip = await synthesise('Stop!', 'en-us+klatt', 160, 0.5, 0.8);
    const { reminders, heard } = await runSpeechNode(clip.samples);
    assert.deepEqual(heard, ['voice on', 'voice off', 'reminder'], 'voice activity brackets the speech, before its words are published');
    assert.equal(reminders.length, 1);
    const [reminder] = reminders;
    assert.match(reminder.text, /^stop\b/);
    assert.equal(reminder.source, 'speech');
    assert.equal(reminder.word_confidences.length, reminder.text.split(' ').length);
    assert.ok(reminder.word_confidences[0] > 0.5, `confidence ${reminder.word_confidences[0]}`);
    assert.ok(isStopCommand(reminder.text), 'the language stage reads it as a stop command');
    const stampS = reminder.header.stamp.sec + reminder.header.stamp.nanosec / 1e9;
    const speechEnd = speechEndSample(clip.samples) / RATE;
    assert.ok(Math.abs(stampS - speechEnd) < 0.15, `stamp ${stampS.toFixed(3)} s, speech ended near ${speechEnd.toFixed(3)} s`);
  });

  const garbage: [string, () => Int16Array][] = [
    ['white noise', () => {
      const x = new Int16Array(3 * RATE);
      addNoiseFloor(x, 6000, 5);
      return x;
    }],
    ['silence', () => new Int16Array(3 * RATE)],
    ['a pure tone', () => Int16Array.from({ length: 3 * RATE }, (_, i) => Math.round(6000 * Math.sin((2 * Math.PI * 440 * i) / RATE)))],
  ];
  for (const [name, make] of garbage) {
    it(`publishes no reminder for ${name} and keeps running`, async () => {
      const quiet = new Int16Array(RATE / 2);
      addNoiseFloor(quiet, 20, 3);
      const signal = make();
      const audio = new Int16Array(quiet.length * 2 + signal.length);
      audio.set(quiet);
      audio.set(signal, quiet.length);
      audio.set(quiet, quiet.length + signal.length);
      const { reminders, logs } = await runSpeechNode(audio);
      assert.deepEqual(reminders, []);
      assert.ok(!logs.some((l) => /ERROR|FATAL/.test(l)), logs.join('\n'));
    });
  }

  it('logs and drops audio of the wrong rate, channel count or format, once per kind', async () => {
    const tone = new Int16Array(320);
    const bad = [
      chunk(tone, 0, { sample_rate: 44100 }),
      chunk(tone, 0, { sample_rate: 44100 }),
      chunk(tone, 0, { channels: 2 }),
      chunk(tone, 0, { format: 'F32LE' }),
      chunk(tone, 0, { data: new Uint8Array(3) }),
    ];
    const { reminders, logs } = await runSpeechNode(new Int16Array(RATE / 2), bad);
    assert.deepEqual(reminders, []);
    const warnings = logs.filter((l) => l.includes('dropping such chunks'));
    assert.equal(warnings.length, 4);
    assert.ok(warnings.some((l) => l.includes('audio chunk has sample_rate 44100; the speech node needs 16000 Hz')));
    assert.ok(warnings.some((l) => l.includes('audio chunk has 2 channels; the speech node needs mono (channels 1)')));
    assert.ok(warnings.some((l) => l.includes('audio chunk has format "F32LE"; the speech node needs S16LE')));
    assert.ok(warnings.some((l) => l.includes('audio chunk data has 3 bytes, not a whole number of 16-bit samples')));
  });
});
