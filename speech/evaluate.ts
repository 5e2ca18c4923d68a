/**
 * The held-out speech evaluation shared by test/speech-recognition.test.ts and bench/speech.ts:
 * reminders of the corpus generator's TEST template families (the language model was built from
 * other families), spoken by several espeak-ng voices at several speeds (none of them a voice the
 * acoustic model was adapted to), streamed through the endpointer in 20 ms chunks and decoded
 * while they arrive, as the speech node does.
 */
import { spokenCorpus, type SpokenReminder } from './lm/domain-corpus';
import type { Recogniser, Transcript } from './recogniser';
import { synthesiseAll, TEST_SPEEDS, TEST_VOICES, type SpeechClip } from './synthesis';
import { addErrors, NO_ERRORS, wordErrorRate, wordErrors, type WordErrors } from './text';
import { Endpointer, SAMPLE_RATE, type EndpointerEvent, type VadSettings } from './vad';

export interface TestUtterance {
  readonly reminder: SpokenReminder;
  readonly clip: SpeechClip;
}

/**
 * `count` held-out reminders, voice i mod 6 and speed (i div 6) mod 3, synthesised now. Test
 * families for figures; dev families for choosing settings.
 */
export async function heldOutSpeech(count: number, seed: number, split: 'dev' | 'test' = 'test', concurrency = 2): Promise<TestUtterance[]> {
  const corpus = spokenCorpus({ count: Math.max(2000, count * 30), seed, familySplits: [split], exampleSplits: [split] });
  if (corpus.reminders.length < count) throw new Error(`only ${corpus.reminders.length} held-out reminders from seed ${seed}; need ${count}`);
  const reminders = corpus.reminders.slice(0, count);
  const clips = await synthesiseAll(
    reminders.map((r, i) => ({ text: r.text, voice: TEST_VOICES[i % TEST_VOICES.length], speed: TEST_SPEEDS[Math.floor(i / TEST_VOICES.length) % TEST_SPEEDS.length] })),
    concurrency,
  );
  return reminders.map((reminder, i) => ({ reminder, clip: clips[i] }));
}

/** Where the voice really stops: the last sample well above the noise floor. */
export function speechEndSample(samples: Int16Array, threshold = 300): number {
  for (let i = samples.length - 1; i >= 0; i--) if (Math.abs(samples[i]) > threshold) return i + 1;
  return 0;
}

export interface UtteranceResult {
  readonly utterance: TestUtterance;
  readonly hypothesis: string[];
  readonly transcripts: Transcript[];
  readonly errors: WordErrors;
  /** Segments the endpointer cut the clip into (1 when it kept the reminder whole). */
  readonly segments: number;
  /** ms from the true end of speech to the transcript: endpoint hangover plus the end of decoding. */
  readonly latencyMs: number | null;
  readonly decodeMs: number;
  readonly decodedSeconds: number;
}

/**
 * Streams a clip through the endpointer in 20 ms chunks, decoding each utterance while it is
 * heard. The decoder keeps up with the audio (real-time factor well under one), so what the
 * latency counts from the decoder is only the end: the work left once the endpoint is decided.
 */
export function recogniseClip(utterance: TestUtterance, recogniser: Recogniser, vad: Partial<VadSettings> = {}): UtteranceResult {
  const { samples } = utterance.clip;
  const endpointer = new Endpointer(vad);
  const transcripts: Transcript[] = [];
  let decodeMs = 0;
  let decodedSeconds = 0;
  let latencyMs: number | null = null;
  let segments = 0;
  const trueEnd = speechEndSample(samples);
  let current: ReturnType<Recogniser['startUtterance']> | null = null;
  const handle = (event: EndpointerEvent): void => {
    if (event.type === 'start') {
      current = recogniser.startUtterance();
      current.feed(event.samples);
      return;
    }
    if (!current) return;
    if (event.type === 'audio') {
      current.feed(event.samples);
      return;
    }
    const { segment } = event;
    current.feed(segment.lastSamples);
    const transcript = current.finish();
    current = null;
    if (segment.rejection) return;
    segments++;
    decodeMs += transcript.decodeMs;
    decodedSeconds += segment.samples.length / SAMPLE_RATE;
    if (!transcript.rejection) transcripts.push(transcript);
    latencyMs = ((segment.decidedAtSample - trueEnd) / SAMPLE_RATE) * 1000 + transcript.endMs;
  };
  for (let i = 0; i < samples.length; i += 320) endpointer.pushEvents(samples.subarray(i, i + 320)).forEach(handle);
  endpointer.flushEvents().forEach(handle);
  const hypothesis = transcripts.flatMap((t) => t.words.map((w) => w.word));
  return { utterance, hypothesis, transcripts, errors: wordErrors(utterance.reminder.words, hypothesis), segments, latencyMs, decodeMs, decodedSeconds };
}

export interface Summary {
  readonly utterances: number;
  readonly wer: number;
  readonly errors: WordErrors;
  readonly byVoice: Record<string, number>;
  readonly bySpeed: Record<string, number>;
  readonly realTimeFactor: number;
  readonly latencyMs: { readonly median: number; readonly p90: number; readonly max: number };
  /** Reminders the endpointer split into more than one utterance. */
  readonly split: number;
  /** Reminders with no accepted transcript at all. */
  readonly lost: number;
}

const quantile = (sorted: number[], q: number): number => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);

export function summarise(results: readonly UtteranceResult[]): Summary {
  const group = (key: (r: UtteranceResult) => string): Record<string, number> => {
    const errors = new Map<string, WordErrors>();
    for (const r of results) errors.set(key(r), addErrors(errors.get(key(r)) ?? NO_ERRORS, r.errors));
    return Object.fromEntries([...errors].map(([k, e]) => [k, wordErrorRate(e)]));
  };
  const total = results.reduce((e, r) => addErrors(e, r.errors), NO_ERRORS);
  const latencies = results.map((r) => r.latencyMs).filter((l): l is number => l !== null).sort((a, b) => a - b);
  const seconds = results.reduce((s, r) => s + r.decodedSeconds, 0);
  return {
    utterances: results.length,
    wer: wordErrorRate(total),
    errors: total,
    byVoice: group((r) => r.utterance.clip.voice),
    bySpeed: group((r) => String(r.utterance.clip.speed)),
    realTimeFactor: seconds > 0 ? results.reduce((s, r) => s + r.decodeMs, 0) / 1000 / seconds : NaN,
    latencyMs: { median: quantile(latencies, 0.5), p90: quantile(latencies, 0.9), max: latencies[latencies.length - 1] ?? NaN },
    split: results.filter((r) => r.segments > 1).length,
    lost: results.filter((r) => r.transcripts.length === 0).length,
  };
}

export function describeSummary(summary: Summary): string[] {
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
  return [
    `utterances ${summary.utterances}  WER ${pct(summary.wer)} (sub ${summary.errors.substitutions}, del ${summary.errors.deletions}, ins ${summary.errors.insertions} of ${summary.errors.referenceWords} words)`,
    `  by voice: ${Object.entries(summary.byVoice).map(([v, w]) => `${v} ${pct(w)}`).join(', ')}`,
    `  by speed (wpm): ${Object.entries(summary.bySpeed).map(([s, w]) => `${s} ${pct(w)}`).join(', ')}`,
    `  real-time factor ${summary.realTimeFactor.toFixed(3)}; speech end -> text latency median ${summary.latencyMs.median.toFixed(0)} ms, p90 ${summary.latencyMs.p90.toFixed(0)} ms, max ${summary.latencyMs.max.toFixed(0)} ms`,
    `  split by the endpointer: ${summary.split}; no transcript: ${summary.lost}`,
  ];
}
