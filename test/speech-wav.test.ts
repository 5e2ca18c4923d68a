import { strict as assert } from 'node:assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PassThrough } from 'stream';
import { runCli } from '../cli/main';
import { encodeWav, parseWav, requireRecogniserFormat, WavError } from '../speech/wav';
import { spokenWords, wordErrorRate, wordErrors } from '../speech/text';

function wavWithFormat(fields: { formatTag?: number; channels?: number; sampleRate?: number; bits?: number }, samples = new Int16Array([1, -2, 3, -4])): Buffer {
  const buffer = encodeWav(samples, fields.sampleRate ?? 16000, fields.channels ?? 1);
  if (fields.formatTag !== undefined) buffer.writeUInt16LE(fields.formatTag, 20);
  if (fields.bits !== undefined) buffer.writeUInt16LE(fields.bits, 34);
  return buffer;
}

function captureIo(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) }, stdin: new PassThrough(), env: {}, cwd },
  };
}

describe('speech: WAV files', () => {
  it('round-trips 16 kHz mono 16-bit samples through encodeWav and parseWav', () => {
    const samples = Int16Array.from([0, 32767, -32768, 1234, -1]);
    const audio = parseWav(encodeWav(samples, 16000), 'a.wav');
    assert.equal(audio.sampleRate, 16000);
    assert.equal(audio.channels, 1);
    assert.deepEqual([...requireRecogniserFormat(audio, 'a.wav')], [...samples]);
  });

  it('skips chunks before the data chunk and reads a streamed data size as "to the end"', () => {
    const plain = encodeWav(Int16Array.from([5, 6, 7]), 16000);
    const list = Buffer.from('LIST\x04\x00\x00\x00abcd', 'latin1');
    const withList = Buffer.concat([plain.subarray(0, 36), list, plain.subarray(36)]);
    withList.writeUInt32LE(0x7ffff000, 36 + list.length + 4);
    assert.deepEqual([...parseWav(withList, 'b.wav').samples], [5, 6, 7]);
  });

  const rejections: [string, Buffer, RegExp][] = [
    ['an empty file', Buffer.alloc(0), /^x\.wav is empty$/],
    ['a text file', Buffer.from('no, the blue cup on your left\n'), /^x\.wav is not a WAV file \(no RIFF\/WAVE header\)$/],
    ['a float WAV', wavWithFormat({ formatTag: 3 }), /^x\.wav is not PCM \(format tag 3\)/],
    ['8-bit samples', wavWithFormat({ bits: 8 }), /^x\.wav has 8-bit samples; the recogniser needs 16-bit/],
    ['a truncated data chunk', wavWithFormat({}).subarray(0, 46), /^x\.wav is truncated: the data chunk declares 8 bytes, 2 are there$/],
    ['a header without a data chunk', wavWithFormat({}).subarray(0, 36), /^x\.wav has no data chunk$/],
  ];
  for (const [what, buffer, message] of rejections) {
    it(`rejects ${what} with an error naming the file`, () => {
      assert.throws(() => parseWav(buffer, 'x.wav'), (error: unknown) => error instanceof WavError && message.test(error.message));
    });
  }

  it('says how to convert a 44.1 kHz file', () => {
    const audio = parseWav(wavWithFormat({ sampleRate: 44100 }), 'FILE.wav');
    assert.throws(() => requireRecogniserFormat(audio, 'FILE.wav'), {
      message: 'FILE.wav is 44100 Hz; the recogniser needs 16000 Hz mono: sox FILE.wav -r 16000 -c 1 out.wav',
    });
  });

  it('says how to convert a stereo file', () => {
    const audio = parseWav(wavWithFormat({ channels: 2 }), 'st.wav');
    assert.throws(() => requireRecogniserFormat(audio, 'st.wav'), { message: 'st.wav has 2 channels; the recogniser needs 16000 Hz mono: sox st.wav -r 16000 -c 1 out.wav' });
  });

  it('h2r transcribe exits 1 with the conversion hint for a 44.1 kHz file, and for a non-audio file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'h2r-wav-'));
    try {
      fs.writeFileSync(path.join(dir, 'loud.wav'), wavWithFormat({ sampleRate: 44100 }));
      fs.writeFileSync(path.join(dir, 'notes.wav'), 'hello');
      const first = captureIo(dir);
      assert.equal(await runCli(['transcribe', 'loud.wav'], first.io), 1);
      assert.equal(first.err.join(''), 'h2r transcribe: loud.wav is 44100 Hz; the recogniser needs 16000 Hz mono: sox loud.wav -r 16000 -c 1 out.wav\n');
      const second = captureIo(dir);
      assert.equal(await runCli(['transcribe', 'notes.wav'], second.io), 1);
      assert.equal(second.err.join(''), 'h2r transcribe: notes.wav is not a WAV file (no RIFF/WAVE header)\n');
      const third = captureIo(dir);
      assert.equal(await runCli(['transcribe', 'missing.wav'], third.io), 1);
      assert.match(third.err.join(''), /^h2r transcribe: cannot read missing\.wav: ENOENT/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('speech: spoken words and word error rate', () => {
  it('lower-cases, drops punctuation, spells out ordinals and keeps contractions', () => {
    assert.deepEqual(spokenWords("No, the 2nd cup -- that's it! Grey/gray, centre=center."), ['no', 'the', 'second', 'cup', "that's", 'it', 'grey', 'grey', 'centre', 'centre']);
  });

  it('counts substitutions, deletions and insertions of an alignment', () => {
    const errors = wordErrors(['no', 'the', 'blue', 'cup', 'left'], ['no', 'blue', 'cap', 'left', 'please']);
    assert.deepEqual(errors, { substitutions: 1, deletions: 1, insertions: 1, referenceWords: 5 });
    assert.equal(wordErrorRate(errors), 0.6);
    assert.equal(wordErrorRate(wordErrors([], [])), 0);
  });
});
