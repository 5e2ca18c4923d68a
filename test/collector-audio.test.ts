import { strict as assert } from 'node:assert';
import { decodeWav, encodeWav, sniffAudio, toRecogniserWav } from '../collector/audio';
import { toneWav } from './support/collector-fixtures';

describe('collector audio', () => {
  it('recognises WAV, WebM and Ogg by their first bytes and nothing else', () => {
    assert.equal(sniffAudio(toneWav(16000, 1, 0.01)), 'wav');
    assert.equal(sniffAudio(Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42])), 'webm');
    assert.equal(sniffAudio(Buffer.from('OggS\u0000\u0002', 'latin1')), 'ogg');
    assert.equal(sniffAudio(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), null);
    assert.equal(sniffAudio(Buffer.from('RIFF\u0000\u0000\u0000\u0000AVI ', 'latin1')), null);
  });

  it('turns 44.1 kHz stereo into 16 kHz mono of the same duration and tone', () => {
    const { wav, duration } = toRecogniserWav(toneWav(44100, 2, 0.5));
    assert.ok(Math.abs(duration - 0.5) < 1e-3, `duration ${duration}`);
    const decoded = decodeWav(wav);
    assert.equal(decoded.sampleRate, 16000);
    assert.equal(decoded.samples.length, 8000);
    // 440 Hz: a quarter period after a zero crossing the tone is at its peak (16000/32768).
    const quarter = Math.round(16000 / 440 / 4);
    assert.ok(Math.abs((decoded.samples[quarter] as number) - 16000 / 32768) < 0.03);
    assert.equal(wav.readUInt16LE(22), 1);
    assert.equal(wav.readUInt32LE(24), 16000);
  });

  it('keeps 16 kHz mono sample for sample', () => {
    const original = toneWav(16000, 1, 0.1);
    assert.deepEqual(toRecogniserWav(original).wav, original);
    assert.deepEqual(encodeWav(decodeWav(original)), original);
  });

  it('says what is wrong with a WAV it cannot read', () => {
    const wav = toneWav(16000, 1, 0.01);
    const eightBit = Buffer.from(wav);
    eightBit.writeUInt16LE(8, 34);
    assert.throws(() => decodeWav(eightBit), /WAV format 1 with 8-bit samples is not supported/);
    assert.throws(() => decodeWav(wav.subarray(0, 30)), /WAV fmt chunk is truncated/);
    const noData = Buffer.from(wav.subarray(0, 36));
    assert.throws(() => decodeWav(noData), /WAV file has no data chunk/);
    assert.throws(() => decodeWav(Buffer.from('hello world!')), /not a WAV file/);
  });
});
