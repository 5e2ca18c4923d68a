/**
 * Voice activity detection and endpointing: a continuous 16 kHz stream in, utterances out.
 *
 * Each 10 ms frame has an energy (dBFS) and a zero-crossing rate. A frame is active when its
 * energy stands `onsetDb` above a tracked noise floor (which falls at once to quieter frames and
 * rises slowly, so a steady noise becomes the floor) and above `minEnergyDb`. An utterance starts
 * after `startFrames` active frames among the last five, taking `preRollMs` of audio before the
 * onset; it ends after `hangoverMs` without activity, or at `maxUtteranceMs`.
 *
 * A segment then has to look like speech: enough frames with the low zero-crossing rate of voicing
 * (white noise crosses zero about every other sample), and energy that rises and falls with
 * syllables (a pure tone or a hum is flat). Segments that fail are reported with the reason, so
 * noise, silence and tones never reach the recogniser.
 */

export const FRAME_SAMPLES = 160; // 10 ms at 16 kHz
export const SAMPLE_RATE = 16000;

/** Assumed until the first quieter frame: a quiet room. */
const INITIAL_NOISE_FLOOR_DB = -70;
const FLOOR_RISE_DB_PER_FRAME = 0.05;

export interface VadSettings {
  readonly onsetDb: number;
  readonly minEnergyDb: number;
  readonly startFrames: number;
  readonly hangoverMs: number;
  readonly preRollMs: number;
  readonly minSpeechMs: number;
  readonly maxUtteranceMs: number;
  /** Zero-crossing rate (crossings per sample) below which a frame counts as voiced. */
  readonly voicedZcr: number;
  /** Share of active frames that must be voiced. */
  readonly minVoicedShare: number;
  /** Standard deviation of active-frame energy (dB) a segment needs: syllables modulate it. */
  readonly minEnergySpreadDb: number;
}

export const DEFAULT_VAD_SETTINGS: VadSettings = {
  onsetDb: 12,
  minEnergyDb: -55,
  startFrames: 3,
  hangoverMs: 250,
  preRollMs: 200,
  minSpeechMs: 150,
  maxUtteranceMs: 10000,
  voicedZcr: 0.25,
  minVoicedShare: 0.3,
  minEnergySpreadDb: 3,
};

export interface FrameFeatures {
  readonly energyDb: number;
  readonly zcr: number;
}

export interface Segment {
  /** The audio, pre-roll included, up to the end of the hangover. */
  readonly samples: Int16Array;
  /** The end of `samples` that came with the endpoint decision (not in any earlier 'audio' event). */
  readonly lastSamples: Int16Array;
  /** Stream position (samples since the stream began) of the first sample of `samples`. */
  readonly startSample: number;
  /** Stream position just after the last active frame: where the speech ended. */
  readonly speechEndSample: number;
  /** Stream position at which the endpoint was decided (speech end + hangover, or a forced cut). */
  readonly decidedAtSample: number;
  readonly activeFrames: number;
  /** Why the segment is not speech, or null when it may be. */
  readonly rejection: string | null;
}

export function frameFeatures(frame: Int16Array): FrameFeatures {
  let sumSquares = 0;
  let crossings = 0;
  for (let i = 0; i < frame.length; i++) {
    const x = frame[i] / 32768;
    sumSquares += x * x;
    if (i > 0 && (frame[i - 1] < 0) !== (frame[i] < 0)) crossings++;
  }
  const rms = Math.sqrt(sumSquares / Math.max(1, frame.length));
  return { energyDb: 20 * Math.log10(Math.max(rms, 1e-6)), zcr: crossings / Math.max(1, frame.length - 1) };
}

/** Why a segment's active frames do not look like speech, or null. */
export function rejectionReason(active: readonly FrameFeatures[], settings: VadSettings): string | null {
  const ms = active.length * 10;
  if (ms < settings.minSpeechMs) return `only ${ms} ms of activity (min_speech_ms ${settings.minSpeechMs})`;
  const voiced = active.filter((f) => f.zcr < settings.voicedZcr).length / active.length;
  if (voiced < settings.minVoicedShare) return `not voiced: ${(100 * voiced).toFixed(0)}% of active frames have a low zero-crossing rate (noise-like)`;
  const mean = active.reduce((s, f) => s + f.energyDb, 0) / active.length;
  const spread = Math.sqrt(active.reduce((s, f) => s + (f.energyDb - mean) ** 2, 0) / active.length);
  if (spread < settings.minEnergySpreadDb) return `steady energy (spread ${spread.toFixed(1)} dB): a tone or hum, not syllables`;
  return null;
}

/**
 * What the endpointer saw in a chunk, in order, for a recogniser that decodes while the person
 * speaks: an utterance began (with its pre-roll), more of its audio, or it ended.
 */
export type EndpointerEvent =
  | { readonly type: 'start'; readonly samples: Int16Array; readonly startSample: number }
  | { readonly type: 'audio'; readonly samples: Int16Array }
  | { readonly type: 'end'; readonly segment: Segment };

/** Splits a stream of samples (any chunk sizes) into segments. */
export class Endpointer {
  readonly #settings: VadSettings;
  #pending = new Int16Array(0);
  #position = 0; // samples consumed into frames
  #noiseFloorDb: number | null = null;
  readonly #recent: boolean[] = [];
  /** Frames kept for the pre-roll while idle. */
  #history: Int16Array[] = [];
  #current: { frames: Int16Array[]; features: FrameFeatures[]; startSample: number; lastActiveEnd: number; silentFrames: number } | null = null;

  constructor(settings: Partial<VadSettings> = {}) {
    this.#settings = { ...DEFAULT_VAD_SETTINGS, ...settings };
    const s = this.#settings;
    if (!(s.hangoverMs >= 10 && s.maxUtteranceMs > s.hangoverMs && s.startFrames >= 1 && s.startFrames <= 5)) {
      throw new Error(`inconsistent VAD settings: ${JSON.stringify(s)}`);
    }
  }

  get settings(): VadSettings {
    return this.#settings;
  }

  /** Feeds samples; returns the segments that ended within them. */
  push(samples: Int16Array): Segment[] {
    return endedSegments(this.pushEvents(samples));
  }

  /** Feeds samples; returns what happened within them, audio of one utterance merged per chunk. */
  pushEvents(samples: Int16Array): EndpointerEvent[] {
    const joined = new Int16Array(this.#pending.length + samples.length);
    joined.set(this.#pending);
    joined.set(samples, this.#pending.length);
    const out: EndpointerEvent[] = [];
    let offset = 0;
    for (; offset + FRAME_SAMPLES <= joined.length; offset += FRAME_SAMPLES) {
      const event = this.#frame(joined.slice(offset, offset + FRAME_SAMPLES));
      if (event) appendEvent(out, event);
    }
    this.#pending = joined.slice(offset);
    return out;
  }

  /** Ends the stream: an utterance in progress is cut here. */
  flush(): Segment[] {
    return endedSegments(this.flushEvents());
  }

  flushEvents(): EndpointerEvent[] {
    const out: EndpointerEvent[] = this.#current ? [{ type: 'end', segment: this.#close(this.#position) }] : [];
    this.#pending = new Int16Array(0);
    return out;
  }

  #frame(frame: Int16Array): EndpointerEvent | null {
    const s = this.#settings;
    const features = frameFeatures(frame);
    const frameStart = this.#position;
    this.#position += FRAME_SAMPLES;
    const floor = this.#noiseFloorDb ?? INITIAL_NOISE_FLOOR_DB;
    const active = features.energyDb > Math.max(floor + s.onsetDb, s.minEnergyDb);
    // The floor follows quieter frames at once and louder ones slowly (5 dB a second).
    this.#noiseFloorDb = features.energyDb < floor ? features.energyDb : floor + FLOOR_RISE_DB_PER_FRAME;
    this.#recent.push(active);
    if (this.#recent.length > 5) this.#recent.shift();

    const current = this.#current;
    if (!current) {
      this.#history.push(frame);
      const preRollFrames = Math.round(s.preRollMs / 10) + 5;
      if (this.#history.length > preRollFrames) this.#history.shift();
      if (this.#recent.filter(Boolean).length >= s.startFrames) {
        const frames = [...this.#history];
        const startSample = this.#position - frames.length * FRAME_SAMPLES;
        this.#current = { frames, features: [features], startSample, lastActiveEnd: this.#position, silentFrames: 0 };
        this.#history = [];
        return { type: 'start', samples: joinSamples(frames), startSample };
      }
      return null;
    }
    current.frames.push(frame);
    if (active) {
      current.features.push(features);
      current.lastActiveEnd = frameStart + FRAME_SAMPLES;
      current.silentFrames = 0;
    } else current.silentFrames++;
    const ended = current.silentFrames * 10 >= s.hangoverMs || (this.#position - current.startSample) / (SAMPLE_RATE / 1000) >= s.maxUtteranceMs;
    return ended ? { type: 'end', segment: this.#close(this.#position, frame) } : { type: 'audio', samples: frame };
  }

  /** `lastFrame`: audio that arrived with the decision, which a streaming recogniser has not had. */
  #close(decidedAt: number, lastFrame: Int16Array = new Int16Array(0)): Segment {
    const current = this.#current!;
    this.#current = null;
    this.#recent.length = 0;
    return {
      samples: joinSamples(current.frames),
      lastSamples: lastFrame,
      startSample: current.startSample,
      speechEndSample: current.lastActiveEnd,
      decidedAtSample: decidedAt,
      activeFrames: current.features.length,
      rejection: rejectionReason(current.features, this.#settings),
    };
  }
}

/** The chunks one after another in one array. */
export function joinSamples(chunks: readonly Int16Array[]): Int16Array {
  const joined = new Int16Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    joined.set(chunk, at);
    at += chunk.length;
  }
  return joined;
}

/** Appends, merging consecutive audio so a chunk costs the recogniser one call. */
function appendEvent(events: EndpointerEvent[], event: EndpointerEvent): void {
  const last = events[events.length - 1];
  if (event.type === 'audio' && last?.type === 'audio') events[events.length - 1] = { type: 'audio', samples: joinSamples([last.samples, event.samples]) };
  else if (event.type === 'audio' && last?.type === 'start') events[events.length - 1] = { ...last, samples: joinSamples([last.samples, event.samples]) };
  else events.push(event);
}

function endedSegments(events: readonly EndpointerEvent[]): Segment[] {
  return events.flatMap((e) => (e.type === 'end' ? [e.segment] : []));
}
