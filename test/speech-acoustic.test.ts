import { strict as assert } from 'node:assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ADAPTATION_VOICES, adaptAcousticModel } from '../speech/acoustic/adapt';
import { adaptedModelFlags, ADAPTED_FILES } from '../speech/acoustic/adapted-model';
import { readSendump, writeMixtureWeights } from '../speech/acoustic/sphinx-files';
import { DICT_FILE } from '../speech/lm/build';
import { DEFAULT_ACOUSTIC_MODEL } from '../speech/pocketsphinx';
import { DEFAULT_MODEL_DIRECTORY, Recogniser } from '../speech/recogniser';
import { TEST_VOICES } from '../speech/synthesis';

/** A sendump as mk_s2sendump -pocketsphinx writes it, for `bytes[stream][density][senone]`. */
function sendump(bytes: number[][][]): Buffer {
  const header = ['BEGIN FILE FORMAT DESCRIPTION', 'cluster_count 0', 'codebook_count 1', `feature_count ${bytes.length}`];
  const parts: Buffer[] = [];
  const int32 = (n: number): Buffer => Buffer.from(Int32Array.from([n]).buffer);
  for (const h of header) parts.push(int32(h.length + 1), Buffer.from(h + '\0', 'latin1'));
  parts.push(int32(0), int32(bytes[0].length), int32(bytes[0][0].length));
  for (const stream of bytes) for (const density of stream) parts.push(Buffer.from(density));
  return Buffer.concat(parts);
}

describe('speech: acoustic model files and adaptation', function () {
  this.timeout(300000);

  it('reads sendump bytes as weights 1.0001^-(b << 10), transposed to [senone][stream][density], each mixture summing to 1', () => {
    // 2 streams, 2 densities, 3 senones; byte 0 is weight 1, byte 7 is 1.0001^-7168 (about 0.49).
    const mixture = readSendump(sendump([[[0, 0, 7], [7, 0, 0]], [[0, 7, 0], [0, 0, 0]]]));
    assert.deepEqual([mixture.senones, mixture.streams, mixture.densities], [3, 2, 2]);
    const at = (senone: number, stream: number, density: number): number => mixture.weights[(senone * 2 + stream) * 2 + density];
    const small = Math.pow(1.0001, -7 << 10);
    assert.ok(Math.abs(at(0, 0, 0) - 1 / (1 + small)) < 1e-6);
    assert.ok(Math.abs(at(0, 0, 1) - small / (1 + small)) < 1e-6);
    assert.ok(Math.abs(at(1, 1, 0) - small / (1 + small)) < 1e-6);
    assert.ok(Math.abs(at(2, 1, 1) - 0.5) < 1e-6);
    for (let m = 0; m < 6; m++) assert.ok(Math.abs(mixture.weights[2 * m] + mixture.weights[2 * m + 1] - 1) < 1e-6);
  });

  it('refuses a truncated or clustered sendump with the reason', () => {
    const good = sendump([[[0, 1, 2], [3, 4, 5]]]);
    assert.throws(() => readSendump(good.subarray(0, good.length - 1), 'cut'), /^Error: cut: 5 bytes of weights for 1 x 2 x 3$/);
    const clustered = Buffer.from(good.toString('latin1').replace('cluster_count 0', 'cluster_count 1'), 'latin1');
    assert.throws(() => readSendump(clustered), /clustered sendump/);
  });

  it('writes a SphinxTrain mixture_weights file: padded s3 header, byte-order word, dimensions, data, checksum', () => {
    const weights = Float32Array.from([0.25, 0.75, 1, 0]);
    const file = writeMixtureWeights({ senones: 2, streams: 1, densities: 2, weights });
    const headerEnd = file.indexOf('endhdr\n') + 'endhdr\n'.length;
    assert.equal(headerEnd % 8, 0, 'data starts 8-byte aligned');
    assert.match(file.toString('latin1', 0, headerEnd), /^s3\nversion 1\.0\nchksum0 yes\n *endhdr\n$/);
    const words = new Uint32Array(file.buffer.slice(file.byteOffset + headerEnd, file.byteOffset + file.length));
    assert.deepEqual([...words.slice(0, 5)], [0x11223344, 2, 1, 2, 4]);
    assert.deepEqual([...new Float32Array(words.slice(5, 9).buffer)], [...weights]);
    let sum = 0;
    for (const w of words.slice(1, 9)) sum = (((sum << 20) | (sum >>> 12)) + w) >>> 0;
    assert.equal(words[9], sum);
    assert.equal(words.length, 10);
  });

  it('reads the Debian sendump whole: 5126 senones, 3 streams, 128 densities', () => {
    const mixture = readSendump(fs.readFileSync(path.join(DEFAULT_ACOUSTIC_MODEL, 'sendump')));
    assert.deepEqual([mixture.senones, mixture.streams, mixture.densities], [5126, 3, 128]);
  });

  it('adapts to voices none of which is a test voice', () => {
    assert.deepEqual(ADAPTATION_VOICES.filter((v) => (TEST_VOICES as readonly string[]).includes(v)), []);
  });

  it('names the missing file of an incomplete adapted model', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'h2r-am-'));
    try {
      assert.throws(() => adaptedModelFlags(dir), new RegExp(`adapted acoustic model file ${dir}/means is missing; rebuild it with 'h2r speech adapt'`));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs the whole adaptation (espeak-ng, sphinx_fe, two rounds of bw and map_adapt, mk_s2sendump) on 20 reminders into a model pocketsphinx decodes with', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'h2r-am-'));
    try {
      const report = await adaptAcousticModel({ utterances: 20, seed: 5, rounds: 2, out, dictionary: path.join(DEFAULT_MODEL_DIRECTORY, DICT_FILE), baseModel: DEFAULT_ACOUSTIC_MODEL });
      assert.equal(report.utterances, 20);
      assert.equal(report.rounds, 2);
      assert.ok(report.notAligned < 20);
      for (const file of [...Object.values(ADAPTED_FILES), 'adaptation.json']) assert.ok(fs.statSync(path.join(out, file)).size > 0, file);
      const base = fs.readFileSync(path.join(DEFAULT_ACOUSTIC_MODEL, 'means'));
      assert.equal(fs.readFileSync(path.join(out, 'means')).length, base.length);
      assert.ok(!fs.readFileSync(path.join(out, 'means')).equals(base), 'the means moved');
      const recogniser = Recogniser.open({ adaptedAcousticModel: out });
      recogniser.close();
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
