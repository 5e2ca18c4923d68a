import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { forward, initRuntime, tf } from '../models/runtime';
import { cellInput } from '../models/visual/perception';
import { tableCamera } from '../models/visual/camera-preset';
import { Int16CellNetwork } from '../models/visual/int16-cells';
import { calibratePerception, INT16_RANGES_FILE, readRanges, writeRanges } from '../models/visual/int16-calibration';
import { Int16ObjectClassifier } from '../models/visual/int16-objects';
import { EVALUATION_SEED_BASE } from '../models/visual/pipeline';
import { DEFAULT_PERCEPTION_OPTIONS, OBJECT_CROP, createCellModel, createObjectClassifier, foldedCellModel } from '../models/visual/perception-model';
import { sampleSituation } from '../models/visual/situations';
import { DEFAULT_VISUAL_MODEL_DIR, VisualStage } from '../models/visual/visual-stage';

function argmax(values: Float32Array, start: number, size: number): number {
  let best = 0;
  for (let k = 1; k < size; k++) if (values[start + k] > values[start + best]) best = k;
  return best;
}

describe('int16 perception networks', function () {
  this.timeout(60000);
  before(async () => {
    await initRuntime();
  });

  const small = { ...DEFAULT_PERCEPTION_OPTIONS, fineChannels: 8, coarseChannels: 16, seed: 5 };

  it('calibrates both networks on training frames and runs the cell network to within quantisation of tfjs', () => {
    const cells = createCellModel(tf, small);
    const perception = { cells, objects: createObjectClassifier(tf, 11, 8), runCells: foldedCellModel(tf, cells) };
    const ranges = calibratePerception(tf, perception, 1, 3);
    assert.deepEqual(Object.keys(ranges.cells), ['patch', 'fine_context', 'coarse_down', 'coarse_context', 'coarse_context_2']);
    assert.deepEqual(Object.keys(ranges.objects), ['c1', 'c2', 'c3']);
    assert.ok(Object.values({ ...ranges.cells, ...ranges.objects }).every((v) => v > 0));
    assert.match(ranges.frames, /training frames 1000001\.\.1000003/);

    const network = Int16CellNetwork.from(cells, ranges.cells);
    assert.ok(network);
    const frame = sampleSituation(EVALUATION_SEED_BASE + 1).frame;
    const got = network.logits(frame);
    const expected = tf.tidy(() => forward(perception.runCells, cellInput(tf, frame)).dataSync() as Float32Array);
    const cellCount = (frame.width / 4) * (frame.height / 4);
    const channels = expected.length / cellCount;
    const padded = got.length / cellCount;
    assert.equal(padded, Math.ceil(channels / 8) * 8, 'channels padded to eights');
    let range = 0;
    let worst = 0;
    let agree = 0;
    for (let cell = 0; cell < cellCount; cell++) {
      for (let k = 0; k < padded; k++) {
        if (k >= channels) {
          assert.equal(got[cell * padded + k], 0, 'padding channels are zero');
          continue;
        }
        range = Math.max(range, Math.abs(expected[cell * channels + k]));
        worst = Math.max(worst, Math.abs(got[cell * padded + k] - expected[cell * channels + k]));
      }
      agree += Number(argmax(got, cell * padded, 4) === argmax(expected, cell * channels, 4));
    }
    assert.ok(worst < 0.01 * range, `largest difference ${worst} of logits up to ${range}`);
    assert.ok(agree / cellCount > 0.995, `${agree} cells of the same class`);
  });

  it('gives a layer silent on every calibration frame a positive range, so that the network still loads', () => {
    const cells = createCellModel(tf, small);
    const patch = cells.getLayer('patch');
    const [kernel, bias] = patch.getWeights();
    patch.setWeights([tf.zerosLike(kernel), tf.fill(bias.shape, -1)]);
    const ranges = calibratePerception(tf, { cells, objects: createObjectClassifier(tf, 11, 8) }, 1, 2);
    assert.ok(ranges.cells.patch > 0 && ranges.cells.patch < 1e-3, `${ranges.cells.patch}`);
    const network = Int16CellNetwork.from(cells, ranges.cells);
    assert.ok(network);
    assert.ok(network.logits(sampleSituation(EVALUATION_SEED_BASE + 2).frame).every(Number.isFinite));
  });

  it('runs the object classifier to within quantisation of tfjs', () => {
    const objects = createObjectClassifier(tf, 13, 8);
    const count = 5;
    const crops = Float32Array.from({ length: count * OBJECT_CROP * OBJECT_CROP * 3 }, (_, i) => 0.5 + 0.5 * Math.sin(i * 0.05) * Math.cos(i * 0.0031));
    const scales = Float32Array.from({ length: count }, (_, i) => 0.5 + 0.3 * i);
    const probe = tf.model({ inputs: objects.inputs, outputs: ['c1', 'c2', 'c3'].map((name) => objects.getLayer(name).output as tf.SymbolicTensor) });
    const ranges = tf.tidy(() => {
      const outputs = probe.predict([tf.tensor4d(crops, [count, OBJECT_CROP, OBJECT_CROP, 3]), tf.tensor2d(scales, [count, 1])]) as tf.Tensor[];
      return Object.fromEntries(['c1', 'c2', 'c3'].map((name, i) => [name, outputs[i].max().dataSync()[0]]));
    });
    const classifier = Int16ObjectClassifier.from(objects, ranges);
    assert.ok(classifier);
    const got = classifier.logits(crops, scales, count);
    const expected = tf.tidy(() => forward(objects, [tf.tensor4d(crops, [count, OBJECT_CROP, OBJECT_CROP, 3]), tf.tensor2d(scales, [count, 1])]).dataSync() as Float32Array);
    assert.equal(got.length, expected.length);
    const range = expected.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    for (let i = 0; i < got.length; i++) assert.ok(Math.abs(got[i] - expected[i]) < 0.01 * range, `${i}: ${got[i]} vs ${expected[i]}`);
  });

  it('leaves networks it cannot run to tfjs, and needs a range for every layer', () => {
    const separable = createCellModel(tf, { ...small, separable: true });
    assert.equal(Int16CellNetwork.from(separable, { patch: 1, fine_context: 1, coarse_down: 1, coarse_context: 1, coarse_context_2: 1 }), null);
    assert.equal(Int16ObjectClassifier.from(createObjectClassifier(tf, 11, 8, true), { c1: 1, c2: 1, c3: 1 }), null);
    assert.throws(() => Int16CellNetwork.from(createCellModel(tf, small), { patch: 1 }), /no calibrated activation range for cell layer 'fine_context'/);
    assert.throws(() => Int16ObjectClassifier.from(createObjectClassifier(tf, 11, 8), { c1: 1, c2: 1 }), /layer 'c3'/);
  });

  it('reads range files, and names the file when one is broken', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'h2r-ranges-'));
    assert.equal(readRanges(path.join(dir, 'cells')), null);
    writeRanges(dir, { cells: { patch: 2 }, objects: { c1: 3 }, frames: 'training frames 1..2' });
    assert.deepEqual(readRanges(path.join(dir, 'cells')), { patch: 2 });
    assert.deepEqual(readRanges(path.join(dir, 'objects')), { c1: 3 });
    const file = path.join(dir, 'cells', INT16_RANGES_FILE);
    fs.writeFileSync(file, '{"ranges": {"patch": -1}}');
    assert.throws(() => readRanges(path.join(dir, 'cells')), /range of 'patch' must be a positive number/);
    fs.writeFileSync(file, '{"ranges": ');
    assert.throws(() => readRanges(path.join(dir, 'cells')), new RegExp(`cannot read ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
    fs.rmSync(dir, { recursive: true });
  });

  it('refuses ranges measured on other weights, naming the command that measures them anew', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'h2r-ranges-'));
    fs.cpSync(path.join(DEFAULT_VISUAL_MODEL_DIR, 'cells'), path.join(dir, 'cells'), { recursive: true });
    assert.ok(readRanges(path.join(dir, 'cells')), 'the committed range file matches the committed weights');
    const weights = path.join(dir, 'cells', 'weights.bin');
    const bytes = fs.readFileSync(weights);
    bytes[100] ^= 1;
    fs.writeFileSync(weights, bytes);
    assert.throws(() => readRanges(path.join(dir, 'cells')), /measured on other weights .*h2r calibrate --visual-model/);
    fs.rmSync(dir, { recursive: true });
  });

  it('perceives with the committed networks on int16 kernels as with the float ones', async () => {
    const [int16, float] = await Promise.all([VisualStage.load(), VisualStage.load(undefined, { int16: false })]);
    assert.ok(int16.models.perception.int16Cells && int16.models.perception.int16Objects, 'the committed model directory has its range files');
    assert.ok(!float.models.perception.int16Cells && !float.models.perception.int16Objects);
    let instances = 0;
    let sameKind = 0;
    let sameCount = 0;
    const frames = 20;
    for (let i = 0; i < frames; i++) {
      const situation = sampleSituation(EVALUATION_SEED_BASE + 500_000 + i);
      const camera = tableCamera(situation.camera);
      const a = int16.perceive(situation.frame, { camera });
      const b = float.perceive(situation.frame, { camera });
      if (a.length !== b.length) continue;
      sameCount++;
      a.forEach((instance, j) => {
        instances++;
        sameKind += Number(instance.kind === b[j].kind);
      });
    }
    assert.ok(sameCount >= frames - 2, `${sameCount} of ${frames} frames with as many objects`);
    assert.ok(sameKind >= 0.98 * instances, `${sameKind} of ${instances} objects of the same kind`);
  });

  it('perceives a frame alike before and after others: the arrays reused from frame to frame carry nothing over', async () => {
    const [int16, float] = await Promise.all([VisualStage.load(), VisualStage.load(undefined, { int16: false })]);
    const situations = [0, 1, 2].map((i) => sampleSituation(EVALUATION_SEED_BASE + 500_000 + i));
    const seen = (stage: VisualStage, situation: (typeof situations)[number]) =>
      JSON.stringify(
        stage.perceive(situation.frame, { camera: tableCamera(situation.camera) }).map((instance) => ({
          ...instance,
          cells: [...instance.cells],
          kindProbs: [...instance.kindProbs],
          colourProbs: [...instance.colourProbs],
          stateProbs: [...instance.stateProbs],
        })),
      );
    for (const stage of [int16, float]) {
      const first = seen(stage, situations[0]);
      assert.ok(first.length > 2, 'the frame shows objects');
      seen(stage, situations[1]);
      seen(int16 === stage ? float : int16, situations[2]);
      assert.equal(seen(stage, situations[0]), first);
    }
  });
});
