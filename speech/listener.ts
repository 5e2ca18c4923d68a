/**
 * The speech node's logic without the graph: audio chunks in (checked), utterances found by the
 * endpointer and decoded off the event loop WHILE they are spoken, so that when the endpointer
 * decides the person has stopped, only the end of the decode is left; heard reminders out with
 * the time the person stopped speaking.
 */
import { timeFromMs } from '../graph/clock';
import type { AudioChunk, Time } from '../graph/messages';
import type { Transcript } from './recogniser';
import { Endpointer, SAMPLE_RATE, type EndpointerEvent, type Segment, type VadSettings } from './vad';

export interface HeardReminder {
  readonly text: string;
  readonly wordConfidences: number[];
  /** When the speech ended (the stamp of the audio at that sample). */
  readonly stamp: Time;
  readonly transcript: Transcript;
  readonly segment: Segment;
}

export interface ListenerEvents {
  onReminder(reminder: HeardReminder): void;
  /** The endpointer heard speech begin (true) or end (false), at the stamp of that audio. */
  onVoiceActivity?(active: boolean, stamp: Time): void;
  /** A segment or transcript that does not become a reminder, and why. */
  onRejected(reason: string, segment: Segment, transcript: Transcript | null): void;
  onError(error: unknown): void;
}

export interface UtteranceRecogniser {
  startUtteranceAsync(): { feed(samples: Int16Array): void; finish(): Promise<Transcript> };
}

/** The samples of a chunk, or why the chunk cannot be used (the node logs it and drops it). */
export function checkAudioChunk(chunk: AudioChunk): Int16Array | string {
  if (chunk.sample_rate !== SAMPLE_RATE) return `audio chunk has sample_rate ${chunk.sample_rate}; the speech node needs ${SAMPLE_RATE} Hz`;
  if (chunk.channels !== 1) return `audio chunk has ${chunk.channels} channels; the speech node needs mono (channels 1)`;
  if (chunk.format !== 'S16LE') return `audio chunk has format "${chunk.format}"; the speech node needs S16LE`;
  const bytes = chunk.data instanceof Uint8Array ? chunk.data : Uint8Array.from(chunk.data);
  if (bytes.length % 2 !== 0) return `audio chunk data has ${bytes.length} bytes, not a whole number of 16-bit samples`;
  const samples = new Int16Array(bytes.length / 2);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(2 * i, true);
  return samples;
}

const timeMs = (t: Time): number => t.sec * 1000 + t.nanosec / 1e6;

export class SpeechListener {
  readonly #recogniser: UtteranceRecogniser;
  readonly #events: ListenerEvents;
  readonly #endpointer: Endpointer;
  /** Stream position and stamp of recent chunks' first samples, to stamp the speech end. */
  readonly #anchors: { sample: number; ms: number }[] = [];
  #received = 0;
  #pending: Promise<void> = Promise.resolve();
  #utterance: ReturnType<UtteranceRecogniser['startUtteranceAsync']> | null = null;

  constructor(recogniser: UtteranceRecogniser, vad: Partial<VadSettings>, events: ListenerEvents) {
    this.#recogniser = recogniser;
    this.#endpointer = new Endpointer(vad);
    this.#events = events;
  }

  /** Feeds one chunk whose first sample was captured at `stamp`. */
  push(samples: Int16Array, stamp: Time): void {
    this.#anchors.push({ sample: this.#received, ms: timeMs(stamp) });
    if (this.#anchors.length > 2000) this.#anchors.splice(0, 1000);
    this.#received += samples.length;
    for (const event of this.#endpointer.pushEvents(samples)) this.#handle(event);
  }

  /** Ends the stream (an utterance in progress is cut) and waits for every decode. */
  async flush(): Promise<void> {
    for (const event of this.#endpointer.flushEvents()) this.#handle(event);
    await this.idle();
  }

  /** Resolves when every utterance cut so far has been decoded and reported. */
  idle(): Promise<void> {
    return this.#pending;
  }

  #stampOf(sample: number): Time {
    let anchor = this.#anchors[0] ?? { sample: 0, ms: 0 };
    for (const a of this.#anchors) if (a.sample <= sample) anchor = a;
    return timeFromMs(anchor.ms + ((sample - anchor.sample) / SAMPLE_RATE) * 1000);
  }

  #handle(event: EndpointerEvent): void {
    if (event.type === 'start') {
      this.#utterance = this.#recogniser.startUtteranceAsync();
      this.#utterance.feed(event.samples);
      this.#events.onVoiceActivity?.(true, this.#stampOf(this.#received));
      return;
    }
    const utterance = this.#utterance;
    if (!utterance) return;
    if (event.type === 'audio') {
      utterance.feed(event.samples);
      return;
    }
    this.#utterance = null;
    const segment = event.segment;
    this.#events.onVoiceActivity?.(false, this.#stampOf(segment.speechEndSample));
    if (segment.lastSamples.length > 0) utterance.feed(segment.lastSamples);
    // Noise, tones and clicks were decoded too; their words are not read.
    const decoded = utterance.finish();
    if (segment.rejection) {
      decoded.catch(() => undefined);
      this.#events.onRejected(segment.rejection, segment, null);
      return;
    }
    const stamp = this.#stampOf(segment.speechEndSample);
    this.#pending = this.#pending.then(async () => {
      try {
        const transcript = await decoded;
        if (transcript.rejection) this.#events.onRejected(transcript.rejection, segment, transcript);
        else {
          this.#events.onReminder({ text: transcript.text, wordConfidences: transcript.words.map((w) => w.confidence), stamp, transcript, segment });
        }
      } catch (error) {
        this.#events.onError(error);
      }
    });
  }
}
