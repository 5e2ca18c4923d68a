/**
 * Training of the two perception networks on rendered frames: the cell network on random crops
 * (it is fully convolutional, so crops train it for whole frames at a fraction of the cost) and
 * the object classifier on jittered object boxes; both with photometric augmentation on top of
 * the simulator's own lighting and camera jitter.
 */
import { tf, seededRandom } from '../runtime';
import type { PerceptionModels } from './attention-stage';
import { CELL_CLASSES } from './labels';
import { cellLabels, entityLabels, objectExamples, type CellLabels, type ObjectExample } from './perception-data';
import {
  CELL_SLICES,
  createCellModel,
  createObjectClassifier,
  DEFAULT_PERCEPTION_OPTIONS,
  OBJECT_CROP,
  OBJECT_SLICES,
  PERCEPTION_STRIDE,
} from './perception-model';
import { sampleTrainingFrame, type SceneSource } from './training-scenes';

export interface LabelledFrame {
  readonly source: SceneSource;
  readonly width: number;
  readonly height: number;
  readonly rgb: Uint8Array;
  readonly cells: CellLabels;
  readonly objects: ObjectExample[];
}

/** Frames for seeds first..first+count-1 (train and held-out sets use disjoint seed ranges). */
export function labelledFrames(first: number, count: number, onFrame?: (done: number) => void): LabelledFrame[] {
  const frames: LabelledFrame[] = [];
  for (let i = 0; i < count; i++) {
    const seed = first + i;
    const sample = sampleTrainingFrame(seed);
    const labels = entityLabels(sample.frame, sample.scene, sample.state);
    frames.push({
      source: sample.source,
      width: sample.frame.width,
      height: sample.frame.height,
      rgb: sample.frame.rgb,
      cells: cellLabels(sample.frame, sample.scene, sample.state, labels),
      objects: objectExamples(sample.frame, labels, seededRandom(seed)),
    });
    onFrame?.(i + 1);
  }
  return frames;
}

export interface PerceptionTrainOptions {
  readonly cellSteps: number;
  readonly objectSteps: number;
  readonly batchSize: number;
  /** Crop side in pixels for the cell network; a multiple of 8. */
  readonly crop: number;
  readonly learningRate: number;
  readonly seed: number;
  readonly onStep?: (step: number, total: number, loss: number) => void;
}

/** Per-channel gain, a brightness offset and pixel noise, so lighting is never learnt by heart. */
function augmenter(random: () => number): (value: number, channel: number) => number {
  const gain = [0, 1, 2].map(() => 0.85 + 0.3 * random());
  const offset = (random() - 0.5) * 0.12;
  return (value, channel) => Math.min(1, Math.max(0, (value / 255) * gain[channel] + offset + (random() - 0.5) * 0.04));
}

interface CellBatch {
  readonly images: tf.Tensor4D;
  readonly cellClass: tf.Tensor1D;
  readonly colour: tf.Tensor1D;
  readonly boundary: tf.Tensor1D;
  /** 1 where the cell shows an attendable thing: colour is judged there mostly. */
  readonly object: tf.Tensor1D;
}

function cellBatch(frames: readonly LabelledFrame[], options: PerceptionTrainOptions, random: () => number): CellBatch {
  const { batchSize, crop } = options;
  const cells = crop / PERCEPTION_STRIDE;
  const pixels = new Float32Array(batchSize * crop * crop * 3);
  const cellClass = new Int32Array(batchSize * cells * cells);
  const colour = new Int32Array(cellClass.length);
  const boundary = new Float32Array(cellClass.length);
  const object = new Float32Array(cellClass.length);
  const attendable = new Set([CELL_CLASSES.indexOf('person'), CELL_CLASSES.indexOf('object')]);
  for (let b = 0; b < batchSize; b++) {
    const frame = frames[Math.floor(random() * frames.length)];
    const x0 = 8 * Math.floor((random() * (frame.width - crop)) / 8);
    const y0 = 8 * Math.floor((random() * (frame.height - crop)) / 8);
    const augment = augmenter(random);
    for (let y = 0; y < crop; y++) {
      for (let x = 0; x < crop; x++) {
        const src = ((y0 + y) * frame.width + x0 + x) * 3;
        const dst = ((b * crop + y) * crop + x) * 3;
        for (let k = 0; k < 3; k++) pixels[dst + k] = augment(frame.rgb[src + k], k);
      }
    }
    const labels = frame.cells;
    const r0 = y0 / PERCEPTION_STRIDE;
    const c0 = x0 / PERCEPTION_STRIDE;
    for (let r = 0; r < cells; r++) {
      for (let c = 0; c < cells; c++) {
        const src = (r0 + r) * labels.cols + c0 + c;
        const dst = (b * cells + r) * cells + c;
        cellClass[dst] = labels.cellClass[src];
        colour[dst] = labels.colour[src];
        boundary[dst] = labels.boundary[src];
        object[dst] = attendable.has(labels.cellClass[src]) ? 1 : 0;
      }
    }
  }
  return {
    images: tf.tensor4d(pixels, [batchSize, crop, crop, 3]),
    cellClass: tf.tensor1d(cellClass, 'int32'),
    colour: tf.tensor1d(colour, 'int32'),
    boundary: tf.tensor1d(boundary),
    object: tf.tensor1d(object),
  };
}

function headLoss(flat: tf.Tensor2D, slice: { start: number; size: number }, labels: tf.Tensor1D, weights?: tf.Tensor1D): tf.Tensor {
  return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, slice.size), flat.slice([0, slice.start], [-1, slice.size]), weights);
}

/** Summed losses of the cell network's three heads; logits [n, rows, cols, channels]. */
export function cellLoss(logits: tf.Tensor4D, batch: CellBatch): tf.Scalar {
  return tf.tidy(() => {
    const flat = logits.reshape([-1, logits.shape[3]]) as tf.Tensor2D;
    const classLoss = headLoss(flat, CELL_SLICES.cellClass, batch.cellClass);
    const colourLoss = headLoss(flat, CELL_SLICES.colour, batch.colour, batch.object.mul(4).add(0.25) as tf.Tensor1D);
    const boundaryLogit = flat.slice([0, CELL_SLICES.boundary.start], [-1, 1]).reshape([-1]);
    const boundaryLoss = tf.losses.sigmoidCrossEntropy(batch.boundary, boundaryLogit, batch.boundary.mul(4).add(1) as tf.Tensor1D);
    return classLoss.add(colourLoss).add(boundaryLoss.mul(0.5)) as tf.Scalar;
  });
}

interface ObjectBatch {
  readonly crops: tf.Tensor4D;
  readonly kind: tf.Tensor1D;
  readonly state: tf.Tensor1D;
}

/**
 * Bilinear crop of box (image pixels) to OBJECT_CROP x OBJECT_CROP, sampled exactly as
 * tf.image.cropAndResize samples at run time (black outside the frame), into `out` at `offset`.
 */
export function cropInto(
  frame: { width: number; height: number; rgb: Uint8Array },
  box: ObjectExample['box'],
  out: Float32Array,
  offset: number,
  pixel: (value: number, channel: number) => number,
): void {
  const { width, height, rgb } = frame;
  const y1 = box.v0 / height;
  const x1 = box.u0 / width;
  const y2 = box.v1 / height;
  const x2 = box.u1 / width;
  const n = OBJECT_CROP;
  for (let i = 0; i < n; i++) {
    const y = y1 * (height - 1) + (i * (y2 - y1) * (height - 1)) / (n - 1);
    for (let j = 0; j < n; j++) {
      const x = x1 * (width - 1) + (j * (x2 - x1) * (width - 1)) / (n - 1);
      const dst = offset + (i * n + j) * 3;
      if (y < 0 || y > height - 1 || x < 0 || x > width - 1) {
        out[dst] = out[dst + 1] = out[dst + 2] = 0;
        continue;
      }
      const yt = Math.floor(y);
      const yb = Math.min(height - 1, yt + 1);
      const xl = Math.floor(x);
      const xr = Math.min(width - 1, xl + 1);
      const fy = y - yt;
      const fx = x - xl;
      for (let k = 0; k < 3; k++) {
        const top = rgb[(yt * width + xl) * 3 + k] * (1 - fx) + rgb[(yt * width + xr) * 3 + k] * fx;
        const bottom = rgb[(yb * width + xl) * 3 + k] * (1 - fx) + rgb[(yb * width + xr) * 3 + k] * fx;
        out[dst + k] = pixel(top * (1 - fy) + bottom * fy, k);
      }
    }
  }
}

function objectBatch(frames: readonly LabelledFrame[], batchSize: number, random: () => number): ObjectBatch {
  const size = OBJECT_CROP * OBJECT_CROP * 3;
  const crops = new Float32Array(batchSize * size);
  const kind: number[] = [];
  const state: number[] = [];
  while (kind.length < batchSize) {
    const frame = frames[Math.floor(random() * frames.length)];
    if (frame.objects.length === 0) continue;
    const example = frame.objects[Math.floor(random() * frame.objects.length)];
    cropInto(frame, example.box, crops, kind.length * size, augmenter(random));
    kind.push(example.kind);
    state.push(example.state);
  }
  return {
    crops: tf.tensor4d(crops, [batchSize, OBJECT_CROP, OBJECT_CROP, 3]),
    kind: tf.tensor1d(kind, 'int32'),
    state: tf.tensor1d(state, 'int32'),
  };
}

export function objectLoss(logits: tf.Tensor2D, batch: ObjectBatch): tf.Scalar {
  return tf.tidy(() => headLoss(logits, OBJECT_SLICES.kind, batch.kind).add(headLoss(logits, OBJECT_SLICES.state, batch.state)) as tf.Scalar);
}

/** Adam with a tenth of the rate for the last third of the steps (a fresh Adam then). */
async function fit(
  steps: number,
  learningRate: number,
  step: (optimizer: tf.Optimizer) => tf.Scalar,
  onStep: (step: number, loss: number) => void,
): Promise<void> {
  let optimizer = tf.train.adam(learningRate);
  for (let i = 1; i <= steps; i++) {
    if (i === Math.floor((2 * steps) / 3)) {
      optimizer.dispose();
      optimizer = tf.train.adam(learningRate / 10);
    }
    const loss = step(optimizer);
    const value = (await loss.data())[0];
    loss.dispose();
    onStep(i, value);
  }
  optimizer.dispose();
}

export async function trainPerception(frames: readonly LabelledFrame[], options: PerceptionTrainOptions): Promise<PerceptionModels> {
  const random = seededRandom(options.seed);
  const total = options.cellSteps + options.objectSteps;
  const cells = createCellModel(tf, { ...DEFAULT_PERCEPTION_OPTIONS, seed: options.seed });
  await fit(options.cellSteps, options.learningRate, (optimizer) => {
    const batch = cellBatch(frames, options, random);
    const loss = optimizer.minimize(() => cellLoss(cells.apply(batch.images, { training: true }) as tf.Tensor4D, batch), true) as tf.Scalar;
    tf.dispose([batch.images, batch.cellClass, batch.colour, batch.boundary, batch.object]);
    return loss;
  }, (i, loss) => options.onStep?.(i, total, loss));
  const objects = createObjectClassifier(tf, options.seed + 100);
  await fit(options.objectSteps, options.learningRate, (optimizer) => {
    const batch = objectBatch(frames, 4 * options.batchSize, random);
    const loss = optimizer.minimize(() => objectLoss(objects.apply(batch.crops, { training: true }) as tf.Tensor2D, batch), true) as tf.Scalar;
    tf.dispose([batch.crops, batch.kind, batch.state]);
    return loss;
  }, (i, loss) => options.onStep?.(options.cellSteps + i, total, loss));
  return { cells, objects };
}

