import * as assert from 'assert';
import { blocksAmongBlocks, extractRegions, toInstances, withPersonWhereTheySit, cropBox, wholeObjectCropBox, FRAGMENT_CROP_METRES, WHOLE_OBJECT_CROP_METRES, type CellPredictions, type TableCamera } from '../models/visual/instances';
import { CELL_CLASSES, PIXEL_COLOURS, PIXEL_KINDS, PIXEL_STATES } from '../models/visual/labels';
import { cropInto } from '../models/visual/crops';
import { DEFAULT_PERCEPTION_OPTIONS, OBJECT_CHANNELS, OBJECT_CROP, OBJECT_SLICES, PATCH_CHANNELS, createCellModel, cropScale, foldedCellModel, spaceToDepth } from '../models/visual/perception-model';
import { classifyRegions } from '../models/visual/object-classes';
import { regionExamples, type CellLabels, type EntityLabel } from '../models/visual/perception-data';
import { initRuntime, tf } from '../models/runtime';
import { thing } from './support/perceived-fixtures';

/** Cell predictions drawn from a character map: '.' table, 'P' person, a letter an object of that colour, '|' a boundary cell. */
function cells(rows: readonly string[]): CellPredictions {
  const colours: Record<string, string> = { b: 'blue', r: 'red', g: 'green' };
  const n = rows.length * rows[0].length;
  const cellClass = new Float32Array(n * CELL_CLASSES.length);
  const colour = new Float32Array(n * PIXEL_COLOURS.length);
  const boundary = new Float32Array(n);
  rows.forEach((row, r) => [...row].forEach((ch, c) => {
    const cell = r * row.length + c;
    const cls = ch === '.' ? 'surface' : ch === 'P' ? 'person' : 'object';
    cellClass[cell * CELL_CLASSES.length + CELL_CLASSES.indexOf(cls)] = 1;
    colour[cell * PIXEL_COLOURS.length + PIXEL_COLOURS.indexOf((colours[ch] ?? 'none') as (typeof PIXEL_COLOURS)[number])] = 1;
    if (ch === '|') boundary[cell] = 1;
  }));
  return { rows: rows.length, cols: rows[0].length, stride: 4, cellClass, colour, boundary };
}

/** A 64x32 camera looking straight down, `pixelsPerMetre` on the table. */
function downwardCamera(pixelsPerMetre: number): TableCamera {
  return {
    width: 64,
    height: 32,
    unprojectToTable: (u, v, height) => ({ x: v / pixelsPerMetre, y: -u / pixelsPerMetre, z: height }),
    project: (x, y) => ({ u: -y * pixelsPerMetre, v: x * pixelsPerMetre }),
  };
}

const flatCamera = downwardCamera(100);

describe('perceived regions and instances', () => {
  it('splits touching same-coloured objects at a predicted boundary and keeps colours apart', () => {
    const regions = extractRegions(cells([
      '..bbb|bbb...rrr.',
      '..bbb|bbb...rrr.',
      '..bbb|bbb...rrr.',
      '................',
    ]));
    assert.strictEqual(regions.length, 3);
    assert.deepStrictEqual(regions.map((r) => r.cells.length).sort(), [9, 9, 9]);
  });

  it('folds a fragment of another colour into the object around it, and drops a lone speck', () => {
    const regions = extractRegions(cells([
      '.bbbb......g....',
      '.bgbb...........',
      '.bbbb...........',
      '................',
    ]));
    assert.strictEqual(regions.length, 1);
    assert.strictEqual(regions[0].cells.length, 12);
  });

  it('marks a person region, which needs no classifier', () => {
    const regions = extractRegions(cells(['PPPP....', 'PPPP..bb', '......bb']));
    assert.deepStrictEqual(regions.map((r) => r.person), [true, false]);
  });

  it('places an instance on the table from its centre and sizes it from its area', () => {
    const regions = extractRegions(cells(['....', '.bb.', '.bb.', '....']));
    const kindProbs = new Float32Array(PIXEL_KINDS.length);
    kindProbs[PIXEL_KINDS.indexOf('plate')] = 1;
    const [instance] = toInstances(regions, [{ kindProbs, stateProbs: new Float32Array(PIXEL_STATES.length) }], flatCamera, 4);
    assert.strictEqual(instance.kind, 'plate');
    assert.deepStrictEqual([instance.u, instance.v], [8, 8]);
    assert.ok(Math.abs(instance.extent - 0.08) < 1e-9);
    const box = cropBox(regions[0], 1);
    assert.deepStrictEqual([box.u0, box.v0, box.u1, box.v1], [4, 4, 12, 12]);
  });
});

describe('the person where they sit', () => {
  const mixed = (x: number, y: number) => ({ ...thing(0, 'person', 'none', x, y), kindProbs: Float32Array.from(PIXEL_KINDS, (k) => (k === 'person' ? 0.6 : k === 'bin' ? 0.3 : k === 'surface' ? 0.1 : 0)) });

  it('reads a region taken for the person far from their seat as what else it may be', () => {
    const [far] = withPersonWhereTheySit([mixed(-0.2, 0.3)], { x: 0.65, y: 0 });
    assert.strictEqual(far.kind, 'bin');
    assert.strictEqual(far.kindProbs[PIXEL_KINDS.indexOf('person')], 0);
    assert.ok(Math.abs(far.kindProbs[PIXEL_KINDS.indexOf('bin')] - 0.75) < 1e-6);
    const [near] = withPersonWhereTheySit([mixed(0.5, 0.05)], { x: 0.65, y: 0 });
    assert.strictEqual(near.kind, 'person', 'within reach of their seat');
    const [only] = withPersonWhereTheySit([thing(0, 'person', 'none', -0.2, 0.3)], { x: 0.65, y: 0 });
    assert.strictEqual(only.kind, 'surface', 'nothing else it could be');
  });
});

describe('a frame of blocks', () => {
  const blocks = [0, 1, 2, 3].map((i) => thing(i, 'block', 'red', 0.1 * i, 0));
  const readAs = (kind: string, probs: Record<string, number>) => ({ ...thing(4, kind, 'black', 0.2, 0.2), kindProbs: Float32Array.from(PIXEL_KINDS, (k) => probs[k] ?? 0) });
  const blackBlockAsBottle = readAs('bottle', { bottle: 0.7, mug: 0.2, block: 0.05, surface: 0.05 });

  it('reads a region taken for something else among four sure blocks again, as a block unless its crop is sure', () => {
    const out = blocksAmongBlocks([...blocks, blackBlockAsBottle]);
    assert.strictEqual(out[4].kind, 'block');
    assert.ok(Math.abs(out[4].kindProbs.reduce((a, b) => a + b, 0) - 1) < 1e-6, 'still a distribution');
    const sureCup = readAs('cup', { cup: 0.999, block: 0.0001 });
    assert.strictEqual(blocksAmongBlocks([...blocks, sureCup])[4].kind, 'cup');
    const person = readAs('person', { person: 0.6, block: 0.4 });
    assert.strictEqual(blocksAmongBlocks([...blocks, person])[4].kind, 'person');
    const faintBlock = readAs('block', { block: 0.34, surface: 0.33, robot: 0.33 });
    assert.ok(blocksAmongBlocks([...blocks, faintBlock])[4].kindProbs[PIXEL_KINDS.indexOf('block')] > 0.95, 'a block read faintly counts in full');
  });

  it('leaves frames that are not of blocks alone: three blocks, or other objects among them', () => {
    assert.strictEqual(blocksAmongBlocks([...blocks.slice(1), blackBlockAsBottle])[3].kind, 'bottle');
    const cups = [5, 6].map((i) => thing(i, 'cup', 'blue', -0.2, 0.05 * i));
    assert.strictEqual(blocksAmongBlocks([...blocks, blackBlockAsBottle, ...cups])[4].kind, 'bottle');
  });
});

describe('whole-object crops', () => {
  /** Half a centimetre per pixel: a 2x2-cell region's crop (10.4 px) spans 5.2 cm, a 4x4 one's 10.4 cm. */
  const fineCamera = downwardCamera(200);

  it('widens the crop of a region too small for an object to an object\'s size, centred on it', () => {
    const [region] = extractRegions(cells(['....', '.bb.', '.bb.', '....']));
    assert.ok(FRAGMENT_CROP_METRES > 0.052);
    const box = wholeObjectCropBox(region, fineCamera);
    assert.ok(box);
    assert.ok(Math.abs(box.u1 - box.u0 - WHOLE_OBJECT_CROP_METRES * 200) < 1e-9);
    assert.ok(Math.abs(box.v1 - box.v0 - WHOLE_OBJECT_CROP_METRES * 200) < 1e-9);
    assert.deepStrictEqual([(box.u0 + box.u1) / 2, (box.v0 + box.v1) / 2], [8, 8]);
  });

  it('classifies a small region by the mean of the answers on its own crop and on its whole-object crop', async () => {
    await initRuntime('wasm');
    const crop = tf.input({ shape: [OBJECT_CROP, OBJECT_CROP, 3] });
    const scale = tf.input({ shape: [1] });
    const pooled = tf.layers.globalAveragePooling2d({}).apply(crop) as tf.SymbolicTensor;
    const joined = tf.layers.concatenate().apply([pooled, scale]) as tf.SymbolicTensor;
    const logits = tf.layers.dense({ units: OBJECT_CHANNELS, kernelInitializer: tf.initializers.glorotNormal({ seed: 3 }), biasInitializer: 'zeros' }).apply(joined) as tf.SymbolicTensor;
    const classifier = tf.model({ inputs: [crop, scale], outputs: logits });
    const frame = { width: 64, height: 32, rgb: Uint8Array.from({ length: 64 * 32 * 3 }, (_, i) => (i * 53) % 256) };
    const regions = extractRegions(cells(['................', '.bb.............', '.bb.......gggg..', '..........gggg..', '..........gggg..', '..........gggg..', '................', '................']));
    const [small, large] = classifyRegions(tf, classifier, frame, regions, fineCamera);
    const answer = (box: { u0: number; v0: number; u1: number; v1: number }) => {
      const pixels = new Float32Array(OBJECT_CROP * OBJECT_CROP * 3);
      cropInto(frame, box, pixels, 0, (v) => v / 255);
      const out = tf.tidy(() => (classifier.predict([tf.tensor4d(pixels, [1, OBJECT_CROP, OBJECT_CROP, 3]), tf.tensor2d([cropScale(fineCamera, box)], [1, 1])]) as tf.Tensor).dataSync());
      const kinds = Array.from(out.slice(OBJECT_SLICES.kind.start, OBJECT_SLICES.kind.start + OBJECT_SLICES.kind.size));
      const top = Math.max(...kinds);
      const sum = kinds.reduce((a, k) => a + Math.exp(k - top), 0);
      return kinds.map((k) => Math.exp(k - top) / sum);
    };
    const whole = wholeObjectCropBox(regions[0], fineCamera);
    assert.ok(whole && wholeObjectCropBox(regions[1], fineCamera) === null);
    const own = answer(cropBox(regions[0]));
    const mean = own.map((p, k) => (p + answer(whole)[k]) / 2);
    assert.ok(mean.some((p, k) => Math.abs(p - own[k]) > 1e-3), 'the two crops answer differently');
    mean.forEach((p, k) => assert.ok(Math.abs(small.kindProbs[k] - p) < 1e-5));
    answer(cropBox(regions[1])).forEach((p, k) => assert.ok(Math.abs(large.kindProbs[k] - p) < 1e-5));
    classifier.dispose();
  });

  it('gives none for a region of an object\'s size', () => {
    const [region] = extractRegions(cells(['bbbb', 'bbbb', 'bbbb', 'bbbb']));
    assert.ok(FRAGMENT_CROP_METRES < 0.104);
    assert.strictEqual(wholeObjectCropBox(region, fineCamera), null);
  });
});

describe('perception inputs', () => {
  it('gives the classifier the crop side in tenths of a metre, so a block and a cup differ however they fill the crop', () => {
    // flatCamera: 1 cm per pixel
    assert.ok(Math.abs(cropScale(flatCamera, { u0: 10, v0: 5, u1: 15, v1: 10 }) - 0.5) < 1e-9);
    assert.ok(Math.abs(cropScale(flatCamera, { u0: 10, v0: 5, u1: 19, v1: 12 }) - 0.9) < 1e-9);
  });

  it('labels a region by the entity most of its cells show, and a region of bare table as surface', () => {
    const map = cells(['......', '.bb.r.', '.bb.r.', '......']);
    // entity per cell: 1 = a block, 2 = a cup seen under part of the "b" region, 0 = table
    const entity = Int32Array.from([0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const labels: EntityLabel[] = [
      { cellClass: CELL_CLASSES.indexOf('surface'), kind: PIXEL_KINDS.indexOf('surface'), colour: 0, state: 0, attendable: false },
      { cellClass: CELL_CLASSES.indexOf('object'), kind: PIXEL_KINDS.indexOf('block'), colour: 0, state: 0, attendable: true },
      { cellClass: CELL_CLASSES.indexOf('object'), kind: PIXEL_KINDS.indexOf('cup'), colour: 0, state: PIXEL_STATES.indexOf('full'), attendable: true },
    ];
    const truth: CellLabels = { rows: 4, cols: 6, cellClass: new Int32Array(24), colour: new Int32Array(24), boundary: new Float32Array(24), entity };
    const examples = regionExamples(extractRegions(map, { minCells: 2, boundaryThreshold: 0.5 }), truth, labels);
    assert.deepEqual(examples.map((e) => PIXEL_KINDS[e.kind]).sort(), ['block', 'surface']);
  });

  before(async () => {
    await initRuntime('wasm');
  });

  it('cuts an object crop exactly as tf.image.cropAndResize does', () => {
    const width = 40;
    const height = 30;
    const rgb = Uint8Array.from({ length: width * height * 3 }, (_, i) => (i * 37) % 256);
    const box = { u0: 5.5, v0: -3, u1: 30.25, v1: 21.75 };
    const ours = new Float32Array(24 * 24 * 3);
    cropInto({ width, height, rgb }, box, ours, 0, (v) => v);
    const reference = tf.tidy(() =>
      tf.image.cropAndResize(tf.tensor4d(rgb, [1, height, width, 3], 'float32'), tf.tensor2d([[box.v0 / height, box.u0 / width, box.v1 / height, box.u1 / width]]), tf.tensor1d([0], 'int32'), [24, 24]).dataSync(),
    );
    let worst = 0;
    for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i] - reference[i]));
    assert.ok(worst < 1e-3, `crops differ by ${worst}`);
  });

  it('stacks each 4x4 patch of pixels as the channels of one cell, row by row', () => {
    const width = 8;
    const rgb = Uint8Array.from({ length: 8 * 8 * 3 }, (_, i) => i % 251);
    const out = new Float32Array(2 * 2 * PATCH_CHANNELS);
    spaceToDepth(rgb, width, 0, 0, 2, 2, out, 0, (v) => v);
    // cell (row 1, col 0), patch pixel (dy 2, dx 3), green: image pixel (x 3, y 6)
    const cell = 1 * 2 + 0;
    assert.strictEqual(out[(cell * 16 + 2 * 4 + 3) * 3 + 1], rgb[(6 * width + 3) * 3 + 1]);
  });

  it('runs the cell network folded for inference with the outputs of the network as trained', () => {
    const variants = [
      DEFAULT_PERCEPTION_OPTIONS,
      { ...DEFAULT_PERCEPTION_OPTIONS, fineContext: false, extraContext: 2, seed: 3 },
      { ...DEFAULT_PERCEPTION_OPTIONS, separable: true, seed: 4 },
    ];
    for (const options of variants) {
      const trained = createCellModel(tf, options);
      const folded = foldedCellModel(tf, trained);
      const [worst, scale] = tf.tidy(() => {
        const patches = tf.randomUniform([1, 12, 16, PATCH_CHANNELS], 0, 1, 'float32', 5);
        const expected = trained.predict(patches) as tf.Tensor;
        const got = folded.predict(patches) as tf.Tensor;
        assert.deepStrictEqual(got.shape, expected.shape);
        return [tf.max(tf.abs(tf.sub(got, expected))).dataSync()[0], tf.max(tf.abs(expected)).dataSync()[0]];
      });
      assert.ok(scale > 0.1 && worst < 1e-4 * scale, `folded outputs differ by ${worst} (outputs up to ${scale})`);
      trained.dispose();
      folded.getLayer('logits_context').dispose();
      folded.getLayer('logits_fine').dispose();
    }
  });
});
