/**
 * Training of the two perception networks on rendered frames: the cell network on random crops
 * (it is fully convolutional, so crops train it for whole frames at a fraction of the cost) and
 * the object classifier on jittered object boxes; both with photometric augmentation on top of
 * the simulator's own lighting and camera jitter.
 */
import { tf, seededRandom } from '../runtime';
import { perceiveCells, type PerceptionModels } from './perception';
import { CELL_CLASSES } from './labels';
import { cellLabels, entityLabels, objectExamples, regionExamples, type CellLabels, type EntityLabel, type ObjectExample } from './perception-data';
import { extractRegions, type TableCamera } from './instances';
import { tableCamera } from './camera-preset';
import {
  PATCH_CHANNELS,
  spaceToDepth,
  CELL_SLICES,
  cropScale,
  createCellModel,
  createObjectClassifier,
  DEFAULT_PERCEPTION_OPTIONS,
  type PerceptionModelOptions,
  OBJECT_CROP,
  OBJECT_SLICES,
  PERCEPTION_STRIDE,
} from './perception-model';
import { sampleTrainingFrame, type SceneSource } from './training-scenes';
import { cropInto } from './crops';

export interface LabelledFrame {
  readonly source: SceneSource;
  readonly width: number;
  readonly height: number;
  readonly rgb: Uint8Array;
  readonly cells: CellLabels;
  readonly entities: readonly EntityLabel[];
  readonly camera: TableCamera;
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
      entities: labels,
      camera: tableCamera(sample.camera),
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
  /** Overrides of the cell network's shape. */
  readonly cellModel?: Partial<PerceptionModelOptions>;
  /** Channels of the object classifier's first layer (the others scale with it). */
  readonly objectWidth?: number;
  /** The object classifier's convolutions after the first are separable (see createObjectClassifier). */
  readonly objectSeparable?: boolean;
  /**
   * A trained classifier whose answers the new one also learns (distillation): a narrower
   * classifier learns more from a wider one's probabilities than from the labels alone.
   */
  readonly objectTeacher?: tf.LayersModel;
  /** A trained classifier to go on training (on new frames, say) instead of a new one. */
  readonly objectStart?: tf.LayersModel;
  /** The object classifier's learning rate, when not learningRate (lower to go on training one). */
  readonly objectLearningRate?: number;
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
  const inputs = new Float32Array(batchSize * cells * cells * PATCH_CHANNELS);
  const cellClass = new Int32Array(batchSize * cells * cells);
  const colour = new Int32Array(cellClass.length);
  const boundary = new Float32Array(cellClass.length);
  const object = new Float32Array(cellClass.length);
  const attendable = new Set([CELL_CLASSES.indexOf('person'), CELL_CLASSES.indexOf('object')]);
  for (let b = 0; b < batchSize; b++) {
    const frame = frames[Math.floor(random() * frames.length)];
    const x0 = 8 * Math.floor((random() * (frame.width - crop)) / 8);
    const y0 = 8 * Math.floor((random() * (frame.height - crop)) / 8);
    spaceToDepth(frame.rgb, frame.width, x0, y0, cells, cells, inputs, b * cells * cells * PATCH_CHANNELS, augmenter(random));
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
    images: tf.tensor4d(inputs, [batchSize, cells, cells, PATCH_CHANNELS]),
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
    // Objects are a few percent of the cells: weighed up, or the network learns to see table everywhere.
    const classLoss = headLoss(flat, CELL_SLICES.cellClass, batch.cellClass, batch.object.mul(3).add(1) as tf.Tensor1D);
    const colourLoss = headLoss(flat, CELL_SLICES.colour, batch.colour, batch.object.mul(4).add(0.25) as tf.Tensor1D);
    const boundaryLogit = flat.slice([0, CELL_SLICES.boundary.start], [-1, 1]).reshape([-1]);
    const boundaryLoss = tf.losses.sigmoidCrossEntropy(batch.boundary, boundaryLogit, batch.boundary.mul(4).add(1) as tf.Tensor1D);
    return classLoss.add(colourLoss).add(boundaryLoss.mul(0.5)) as tf.Scalar;
  });
}

interface ObjectBatch {
  readonly crops: tf.Tensor4D;
  readonly scales: tf.Tensor2D;
  readonly kind: tf.Tensor1D;
  readonly state: tf.Tensor1D;
}

/** Examples grouped by (kind, state), so rare ones (a defective gear) are drawn as often as common ones. */
function objectBuckets(frames: readonly LabelledFrame[]): { frame: LabelledFrame; example: ObjectExample }[][] {
  const buckets = new Map<string, { frame: LabelledFrame; example: ObjectExample }[]>();
  for (const frame of frames) {
    for (const example of frame.objects) {
      const key = `${example.kind}/${example.state}`;
      let bucket = buckets.get(key);
      if (!bucket) buckets.set(key, (bucket = []));
      bucket.push({ frame, example });
    }
  }
  return [...buckets.keys()].sort().map((key) => buckets.get(key) as { frame: LabelledFrame; example: ObjectExample }[]);
}

function objectBatch(buckets: ReturnType<typeof objectBuckets>, batchSize: number, random: () => number): ObjectBatch {
  const size = OBJECT_CROP * OBJECT_CROP * 3;
  const crops = new Float32Array(batchSize * size);
  const scales = new Float32Array(batchSize);
  const kind: number[] = [];
  const state: number[] = [];
  while (kind.length < batchSize) {
    const bucket = buckets[Math.floor(random() * buckets.length)];
    const { frame, example } = bucket[Math.floor(random() * bucket.length)];
    scales[kind.length] = cropScale(frame.camera, example.box);
    cropInto(frame, example.box, crops, kind.length * size, augmenter(random));
    kind.push(example.kind);
    state.push(example.state);
  }
  return {
    crops: tf.tensor4d(crops, [batchSize, OBJECT_CROP, OBJECT_CROP, 3]),
    scales: tf.tensor2d(scales, [batchSize, 1]),
    kind: tf.tensor1d(kind, 'int32'),
    state: tf.tensor1d(state, 'int32'),
  };
}

export function objectLoss(logits: tf.Tensor2D, batch: ObjectBatch): tf.Scalar {
  return tf.tidy(() => headLoss(logits, OBJECT_SLICES.kind, batch.kind).add(headLoss(logits, OBJECT_SLICES.state, batch.state)) as tf.Scalar);
}

/** Cross-entropy of the student's kind and state answers against a teacher's probabilities. */
export function distillationLoss(logits: tf.Tensor2D, teacherLogits: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const slice = (x: tf.Tensor2D, s: { start: number; size: number }) => x.slice([0, s.start], [-1, s.size]);
    const head = (s: { start: number; size: number }) => tf.losses.softmaxCrossEntropy(tf.softmax(slice(teacherLogits, s)), slice(logits, s));
    return head(OBJECT_SLICES.kind).add(head(OBJECT_SLICES.state)) as tf.Scalar;
  });
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
  const cells = createCellModel(tf, { ...DEFAULT_PERCEPTION_OPTIONS, ...options.cellModel, seed: options.seed });
  await fit(options.cellSteps, options.learningRate, (optimizer) => {
    const batch = cellBatch(frames, options, random);
    const loss = optimizer.minimize(() => cellLoss(cells.apply(batch.images, { training: true }) as tf.Tensor4D, batch), true) as tf.Scalar;
    tf.dispose([batch.images, batch.cellClass, batch.colour, batch.boundary, batch.object]);
    return loss;
  }, (i, loss) => options.onStep?.(i, total, loss));
  const objects = await trainObjectClassifier(frames, cells, options, random, (i, loss) => options.onStep?.(options.cellSteps + i, total, loss));
  return { cells, objects };
}

/**
 * The object classifier, on the entities' own boxes and also on the regions the trained cell
 * network finds, boxed as they will be at run time (fragments, merged neighbours and loose boxes
 * included), each labelled by the entity most of its cells show.
 */
export async function trainObjectClassifier(
  frames: readonly LabelledFrame[],
  cells: tf.LayersModel,
  options: PerceptionTrainOptions,
  random: () => number,
  onStep: (step: number, loss: number) => void,
): Promise<tf.LayersModel> {
  const regionFrames = frames.map((frame) => ({
    ...frame,
    objects: [...frame.objects, ...regionExamples(extractRegions(perceiveCells(tf, cells, frame)), frame.cells, frame.entities)],
  }));
  const objects = options.objectStart ?? createObjectClassifier(tf, options.seed + 100, options.objectWidth, options.objectSeparable);
  const buckets = objectBuckets(regionFrames);
  await fit(options.objectSteps, options.objectLearningRate ?? options.learningRate, (optimizer) => {
    const batch = objectBatch(buckets, 4 * options.batchSize, random);
    const teacher = options.objectTeacher;
    const taught = teacher ? (tf.tidy(() => teacher.apply([batch.crops, batch.scales]) as tf.Tensor2D)) : null;
    const loss = optimizer.minimize(() => {
      const logits = objects.apply([batch.crops, batch.scales], { training: true }) as tf.Tensor2D;
      const labelled = objectLoss(logits, batch);
      return taught ? (labelled.add(distillationLoss(logits, taught)) as tf.Scalar) : labelled;
    }, true) as tf.Scalar;
    tf.dispose([batch.crops, batch.scales, batch.kind, batch.state]);
    taught?.dispose();
    return loss;
  }, onStep);
  return objects;
}
