import { strict as assert } from 'node:assert';
import { addNoiseFloor } from '../speech/synthesis';
import { Endpointer, joinSamples, type EndpointerEvent, type Segment } from '../speech/vad';

const RATE = 16000;
const seconds = (s: number): number => Math.round(s * RATE);

/** A voiced, syllable-modulated signal: 140 Hz with harmonics, loudness rising and falling 4 times a second. */
function speechLike(durationS: number, peak = 8000): Int16Array {
  const out = new Int16Array(seconds(durationS));
  for (let i = 0; i < out.length; i++) {
    const t = i / RATE;
    const syllable = 0.15 + 0.85 * Math.abs(Math.sin(Math.PI * 4 * t));
    const voice = Math.sin(2 * Math.PI * 140 * t) + 0.5 * Math.sin(2 * Math.PI * 280 * t) + 0.25 * Math.sin(2 * Math.PI * 420 * t);
    out[i] = Math.round((peak / 1.75) * syllable * voice);
  }
  return out;
}

const concat = (...parts: Int16Array[]): Int16Array => joinSamples(parts);

const silence = (s: number): Int16Array => {
  const out = new Int16Array(seconds(s));
  addNoiseFloor(out, 20, 7);
  return out;
};

/** Feeds a signal in 20 ms chunks, as a microphone driver would. */
function segmentsOf(signal: Int16Array, endpointer = new Endpointer()): Segment[] {
  const out: Segment[] = [];
  for (let i = 0; i < signal.length; i += 320) out.push(...endpointer.push(signal.subarray(i, i + 320)));
  return [...out, ...endpointer.flush()];
}

describe('speech: voice activity detection and endpointing', () => {
  it('cuts one utterance out of silence, with its pre-roll, ending where the voice ends', () => {
    const segments = segmentsOf(concat(silence(1), speechLike(1.5), silence(1)));
    assert.equal(segments.length, 1);
    const [segment] = segments;
    assert.equal(segment.rejection, null);
    assert.ok(Math.abs(segment.speechEndSample / RATE - 2.5) < 0.1, `speech end at ${segment.speechEndSample / RATE} s`);
    assert.ok(segment.startSample / RATE <= 1.0 && segment.startSample / RATE >= 0.7, `start at ${segment.startSample / RATE} s`);
    assert.ok(segment.decidedAtSample - segment.speechEndSample >= seconds(0.25) - 160, 'the end is decided after the hangover');
  });

  it('keeps a pause shorter than the hangover inside the utterance and splits at a longer one', () => {
    assert.equal(segmentsOf(concat(silence(0.5), speechLike(0.8), silence(0.15), speechLike(0.8), silence(1))).length, 1);
    const split = segmentsOf(concat(silence(0.5), speechLike(0.8), silence(0.6), speechLike(0.8), silence(1)));
    assert.equal(split.length, 2);
    assert.ok(split.every((s) => s.rejection === null));
  });

  it('cuts speech longer than max_utterance_ms', () => {
    const segments = segmentsOf(concat(silence(0.5), speechLike(3.5), silence(1)), new Endpointer({ maxUtteranceMs: 1500 }));
    assert.ok(segments.length >= 2, `${segments.length} segments`);
    assert.ok(segments.every((s) => s.samples.length <= seconds(1.5) + 320));
  });

  it('finds nothing in silence', () => {
    assert.deepEqual(segmentsOf(silence(3)), []);
    assert.deepEqual(segmentsOf(new Int16Array(seconds(3))), []);
  });

  it('rejects loud white noise as not voiced', () => {
    const noise = new Int16Array(seconds(3));
    addNoiseFloor(noise, 8000, 11);
    const segments = segmentsOf(concat(silence(0.5), noise, silence(1)));
    assert.ok(segments.length >= 1);
    for (const s of segments) assert.match(s.rejection ?? '', /^not voiced: \d+% of active frames have a low zero-crossing rate \(noise-like\)$/);
  });

  it('rejects a pure 440 Hz tone as steady energy', () => {
    const tone = Int16Array.from({ length: seconds(2) }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / RATE)));
    const segments = segmentsOf(concat(silence(0.5), tone, silence(1)));
    assert.equal(segments.length, 1);
    assert.match(segments[0].rejection ?? '', /^steady energy \(spread \d+\.\d dB\): a tone or hum, not syllables$/);
  });

  it('rejects a click shorter than min_speech_ms', () => {
    const segments = segmentsOf(concat(silence(0.5), speechLike(0.08), silence(1)));
    assert.equal(segments.length, 1);
    assert.match(segments[0].rejection ?? '', /^only \d+ ms of activity \(min_speech_ms 150\)$/);
  });

  it('reports an utterance as it arrives: start with the pre-roll, audio, end; together exactly the segment', () => {
    const endpointer = new Endpointer();
    const signal = concat(silence(0.5), speechLike(0.8), silence(0.15), speechLike(0.6), silence(1), speechLike(0.5), silence(0.2));
    const events: EndpointerEvent[] = [];
    for (let i = 0; i < signal.length; i += 320) events.push(...endpointer.pushEvents(signal.subarray(i, i + 320)));
    events.push(...endpointer.flushEvents());
    const heard: Int16Array[][] = [];
    const segments: Segment[] = [];
    for (const event of events) {
      if (event.type === 'start') heard.push([event.samples]);
      else if (event.type === 'audio') heard[heard.length - 1].push(event.samples);
      else {
        heard[heard.length - 1].push(event.segment.lastSamples);
        segments.push(event.segment);
      }
    }
    assert.deepEqual(events.map((e) => e.type).filter((t, i, all) => t !== all[i - 1]), ['start', 'audio', 'end', 'start', 'audio', 'end']);
    assert.equal(segments.length, 2);
    segments.forEach((segment, i) => assert.deepEqual(concat(...heard[i]), segment.samples, `utterance ${i}`));
    const whole = new Endpointer();
    assert.deepEqual([...whole.push(signal), ...whole.flush()].map((s) => s.samples), segments.map((s) => s.samples), 'push() cuts the same segments');
  });

  it('refuses settings whose hangover is not shorter than the longest utterance', () => {
    assert.throws(() => new Endpointer({ hangoverMs: 5000, maxUtteranceMs: 4000 }), /^Error: inconsistent VAD settings/);
  });
});
