/**
 * Spoken reminders: recognising an upload's format by its magic bytes (not by what the page
 * claims), and turning PCM WAV of any rate and channel count into the 16 kHz mono 16-bit WAV the
 * speech recogniser takes. The page records PCM with WebAudio, so no converter program is needed;
 * WebM and Ogg uploads are kept as sent.
 */

export type AudioFormat = 'wav' | 'webm' | 'ogg';

export const TARGET_RATE = 16000;

/** Format by content: RIFF....WAVE, the EBML header of WebM, or OggS. */
export function sniffAudio(bytes: Uint8Array): AudioFormat | null {
  const ascii = (from: number, to: number): string => Buffer.from(bytes.subarray(from, to)).toString('latin1');
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') return 'wav';
  if (bytes.length >= 4 && bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) return 'webm';
  if (bytes.length >= 4 && ascii(0, 4) === 'OggS') return 'ogg';
  return null;
}

/** What a Content-Type may say for each format (the bytes decide; the header must not contradict). */
export const AUDIO_CONTENT_TYPES: Readonly<Record<AudioFormat, readonly string[]>> = {
  wav: ['audio/wav', 'audio/x-wav', 'audio/wave', 'audio/vnd.wave'],
  webm: ['audio/webm'],
  ogg: ['audio/ogg'],
};

export interface PcmAudio {
  readonly sampleRate: number;
  /** Mono samples in [-1, 1]. */
  readonly samples: Float32Array;
}

/**
 * Decodes a RIFF WAVE file of 16-bit integer or 32-bit float PCM to mono samples (channels
 * averaged). Errors say what is wrong with the file.
 */
export function decodeWav(bytes: Uint8Array): PcmAudio {
  if (sniffAudio(bytes) !== 'wav') throw new Error('not a WAV file (no RIFF/WAVE header)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let format: { code: number; channels: number; rate: number; bits: number } | null = null;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = Buffer.from(bytes.subarray(offset, offset + 4)).toString('latin1');
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) throw new Error('WAV fmt chunk is truncated');
      format = { code: view.getUint16(body, true), channels: view.getUint16(body + 2, true), rate: view.getUint32(body + 4, true), bits: view.getUint16(body + 14, true) };
    } else if (id === 'data') {
      if (!format) throw new Error('WAV data chunk comes before its fmt chunk');
      return { sampleRate: format.rate, samples: pcmToMono(view, body, Math.min(size, bytes.length - body), format) };
    }
    offset = body + size + (size % 2);
  }
  throw new Error(format ? 'WAV file has no data chunk' : 'WAV file has no fmt chunk');
}

function pcmToMono(view: DataView, start: number, length: number, f: { code: number; channels: number; rate: number; bits: number }): Float32Array {
  const integer = f.code === 1 && f.bits === 16;
  const float = f.code === 3 && f.bits === 32;
  if (!integer && !float) throw new Error(`WAV format ${f.code} with ${f.bits}-bit samples is not supported (16-bit PCM or 32-bit float)`);
  if (f.channels < 1 || f.channels > 8) throw new Error(`WAV file has ${f.channels} channels (1 to 8 supported)`);
  if (f.rate < 8000 || f.rate > 192000) throw new Error(`WAV sample rate ${f.rate} Hz is outside 8000..192000`);
  const bytesPerSample = f.bits / 8;
  const frames = Math.floor(length / (bytesPerSample * f.channels));
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < f.channels; c++) {
      const at = start + (i * f.channels + c) * bytesPerSample;
      sum += integer ? view.getInt16(at, true) / 32768 : view.getFloat32(at, true);
    }
    out[i] = sum / f.channels;
  }
  return out;
}

/** Linear-interpolation resampling; enough for speech going down to 16 kHz after the page's own filtering. */
export function resample(audio: PcmAudio, rate: number): PcmAudio {
  if (audio.sampleRate === rate) return audio;
  const length = Math.floor((audio.samples.length * rate) / audio.sampleRate);
  const out = new Float32Array(length);
  const step = audio.sampleRate / rate;
  for (let i = 0; i < length; i++) {
    const x = i * step;
    const j = Math.floor(x);
    const a = audio.samples[j] ?? 0;
    const b = audio.samples[j + 1] ?? a;
    out[i] = a + (b - a) * (x - j);
  }
  return { sampleRate: rate, samples: out };
}

/** 16-bit PCM mono WAV bytes. */
export function encodeWav(audio: PcmAudio): Buffer {
  const n = audio.samples.length;
  const out = Buffer.alloc(44 + n * 2);
  out.write('RIFF', 0, 'latin1');
  out.writeUInt32LE(36 + n * 2, 4);
  out.write('WAVEfmt ', 8, 'latin1');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20);
  out.writeUInt16LE(1, 22);
  out.writeUInt32LE(audio.sampleRate, 24);
  out.writeUInt32LE(audio.sampleRate * 2, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36, 'latin1');
  out.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++) out.writeInt16LE(Math.round(Math.max(-1, Math.min(1, audio.samples[i] as number)) * 32767), 44 + i * 2);
  return out;
}

/** Any supported WAV to 16 kHz mono 16-bit WAV, with its duration in seconds. */
export function toRecogniserWav(bytes: Uint8Array): { wav: Buffer; duration: number } {
  const mono = resample(decodeWav(bytes), TARGET_RATE);
  return { wav: encodeWav(mono), duration: mono.samples.length / TARGET_RATE };
}

/** The speech recogniser as the collector uses it (the speech module implements it). */
export interface Transcriber {
  transcribe(wav: Buffer): Promise<{ text: string; confidences: number[] }>;
}

/** What the page is told when no recogniser is wired in. */
export const NO_RECOGNISER = 'speech recognition not available: please type what you said';
