/**
 * RIFF/WAVE files: a parser for PCM audio that says exactly what is wrong with a file the
 * recogniser cannot take, and a writer for 16-bit PCM (test audio, recordings).
 */

export const RECOGNISER_SAMPLE_RATE = 16000;

export interface WavAudio {
  readonly sampleRate: number;
  readonly channels: number;
  readonly bitsPerSample: number;
  /** Interleaved samples, 16-bit signed. */
  readonly samples: Int16Array;
}

/** A file that is not usable audio; the message names the file and the problem. */
export class WavError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WavError';
  }
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** Data sizes written by tools streaming to a pipe (sox writes 0x7ffff000). */
const STREAMED_DATA_SIZES: ReadonlySet<number> = new Set([0, 0xffffffff, 0x7ffff000, 0x7fffffff]);

/** Parses a RIFF/WAVE buffer holding 16-bit PCM; `name` is used in error messages. */
export function parseWav(buffer: Uint8Array, name: string): WavAudio {
  if (buffer.length === 0) throw new WavError(`${name} is empty`);
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const tag = (offset: number): string => String.fromCharCode(...buffer.subarray(offset, offset + 4));
  if (buffer.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') {
    throw new WavError(`${name} is not a WAV file (no RIFF/WAVE header)`);
  }
  let format: { tag: number; channels: number; sampleRate: number; bitsPerSample: number; blockAlign: number } | null = null;
  let offset = 12;
  while (offset + 8 <= buffer.length) {
    const id = tag(offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > buffer.length) throw new WavError(`${name}: the fmt chunk is truncated`);
      let formatTag = view.getUint16(body, true);
      if (formatTag === WAVE_FORMAT_EXTENSIBLE && size >= 40 && body + 26 <= buffer.length) formatTag = view.getUint16(body + 24, true);
      format = {
        tag: formatTag,
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        blockAlign: view.getUint16(body + 12, true),
        bitsPerSample: view.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      if (!format) throw new WavError(`${name}: the data chunk comes before the fmt chunk`);
      checkFormat(format, name);
      // A WAV written to a pipe cannot know its length: take what the file holds.
      const available = buffer.length - body;
      const declared = STREAMED_DATA_SIZES.has(size) ? available : size;
      if (declared > available + 1) throw new WavError(`${name} is truncated: the data chunk declares ${declared} bytes, ${available} are there`);
      const bytes = Math.min(declared, available) - (Math.min(declared, available) % format.blockAlign);
      if (bytes === 0) throw new WavError(`${name} holds no audio samples`);
      const samples = new Int16Array(bytes / 2);
      for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(body + 2 * i, true);
      return { sampleRate: format.sampleRate, channels: format.channels, bitsPerSample: format.bitsPerSample, samples };
    }
    offset = body + size + (size % 2); // chunks are padded to even sizes
  }
  throw new WavError(format ? `${name} has no data chunk` : `${name} has no fmt chunk`);
}

function checkFormat(format: { tag: number; channels: number; sampleRate: number; bitsPerSample: number; blockAlign: number }, name: string): void {
  if (format.tag !== WAVE_FORMAT_PCM) throw new WavError(`${name} is not PCM (format tag ${format.tag}); convert it: sox ${name} -e signed-integer -b 16 out.wav`);
  if (format.bitsPerSample !== 16) throw new WavError(`${name} has ${format.bitsPerSample}-bit samples; the recogniser needs 16-bit: sox ${name} -b 16 out.wav`);
  if (format.channels < 1) throw new WavError(`${name} declares ${format.channels} channels`);
  if (format.sampleRate < 1) throw new WavError(`${name} declares a sample rate of ${format.sampleRate} Hz`);
  if (format.blockAlign !== 2 * format.channels) throw new WavError(`${name} declares block align ${format.blockAlign} for ${format.channels} 16-bit channels`);
}

/** Throws unless the audio is what the recogniser takes: 16 kHz mono (16-bit was checked on parse). */
export function requireRecogniserFormat(audio: WavAudio, name: string): Int16Array {
  const fix = `sox ${name} -r ${RECOGNISER_SAMPLE_RATE} -c 1 out.wav`;
  if (audio.sampleRate !== RECOGNISER_SAMPLE_RATE) {
    throw new WavError(`${name} is ${audio.sampleRate} Hz${audio.channels === 1 ? '' : `, ${audio.channels} channels`}; the recogniser needs ${RECOGNISER_SAMPLE_RATE} Hz mono: ${fix}`);
  }
  if (audio.channels !== 1) throw new WavError(`${name} has ${audio.channels} channels; the recogniser needs ${RECOGNISER_SAMPLE_RATE} Hz mono: ${fix}`);
  return audio.samples;
}

/** A 16-bit PCM WAV file. */
export function encodeWav(samples: Int16Array, sampleRate: number, channels = 1): Buffer {
  const data = samples.length * 2;
  const out = Buffer.alloc(44 + data);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + data, 4);
  out.write('WAVE', 8, 'ascii');
  out.write('fmt ', 12, 'ascii');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(WAVE_FORMAT_PCM, 20);
  out.writeUInt16LE(channels, 22);
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * channels * 2, 28);
  out.writeUInt16LE(channels * 2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(data, 40);
  for (let i = 0; i < samples.length; i++) out.writeInt16LE(samples[i], 44 + 2 * i);
  return out;
}
