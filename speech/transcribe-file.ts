/**
 * A WAV file -> its utterances and transcripts, as `h2r transcribe` prints them: the file is cut
 * by the same endpointer the speech node uses, and each speech-like segment decoded.
 */
import * as fs from 'fs';
import type { Recogniser } from './recogniser';
import { Endpointer, SAMPLE_RATE, type VadSettings } from './vad';
import { parseWav, requireRecogniserFormat } from './wav';

export interface FileUtterance {
  /** Seconds from the start of the file. */
  readonly start: number;
  readonly speechEnd: number;
  readonly text: string;
  readonly confidence: number;
  readonly words: { word: string; start: number; end: number; confidence: number }[];
  readonly decodeMs: number;
  /** Why this would not be published as a reminder, or null. */
  readonly rejection: string | null;
}

export interface FileTranscript {
  readonly file: string;
  readonly seconds: number;
  readonly utterances: FileUtterance[];
}

/** Reads and checks a WAV file (errors name the file and say how to convert it). */
export function readRecogniserWav(file: string, shownAs: string = file): Int16Array {
  let buffer: Buffer;
  try {
    buffer = fs.readFileSync(file);
  } catch (error) {
    throw new Error(`cannot read ${shownAs}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return requireRecogniserFormat(parseWav(buffer, shownAs), shownAs);
}

export function transcribeSamples(file: string, samples: Int16Array, recogniser: Recogniser, vad: Partial<VadSettings> = {}): FileTranscript {
  const endpointer = new Endpointer(vad);
  const segments = [...endpointer.push(samples), ...endpointer.flush()];
  const utterances: FileUtterance[] = [];
  for (const segment of segments) {
    const start = segment.startSample / SAMPLE_RATE;
    const speechEnd = segment.speechEndSample / SAMPLE_RATE;
    if (segment.rejection) {
      utterances.push({ start, speechEnd, text: '', confidence: 0, words: [], decodeMs: 0, rejection: segment.rejection });
      continue;
    }
    const transcript = recogniser.recognise(segment.samples);
    utterances.push({
      start,
      speechEnd,
      text: transcript.text,
      confidence: transcript.confidence,
      words: transcript.words.map((w) => ({ word: w.word, start: start + w.start, end: start + w.end, confidence: w.confidence })),
      decodeMs: transcript.decodeMs,
      rejection: transcript.rejection,
    });
  }
  return { file, seconds: samples.length / SAMPLE_RATE, utterances };
}

/** Human-readable lines: one per utterance, words with confidences. */
export function describeTranscript(transcript: FileTranscript): string[] {
  const accepted = transcript.utterances.filter((u) => u.rejection === null);
  const lines = [`${transcript.file}: ${transcript.seconds.toFixed(2)} s, ${accepted.length} utterance${accepted.length === 1 ? '' : 's'}`];
  if (transcript.utterances.length === 0) lines.push('  no speech found');
  for (const u of transcript.utterances) {
    const span = `${u.start.toFixed(2)}-${u.speechEnd.toFixed(2)} s`;
    if (u.rejection) lines.push(`  ${span}  (dropped: ${u.rejection})${u.text ? ` "${u.text}"` : ''}`);
    else lines.push(`  ${span}  "${u.text}"  confidence ${u.confidence.toFixed(2)}`, `      ${u.words.map((w) => `${w.word}:${w.confidence.toFixed(2)}`).join(' ')}`);
  }
  return lines;
}
