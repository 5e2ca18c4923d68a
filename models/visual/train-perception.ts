/**
 * Training of the perception network on rendered frames with per-cell labels, on random crops
 * (the network is fully convolutional, so crops train it for whole frames at a fraction of the
 * cost), with photometric augmentation on top of the simulator's own lighting and camera jitter.
 */
import { tf, seededRandom } from '../runtime';
import { PIXEL_COLOURS, PIXEL_KINDS, PIXEL_STATES } from './labels';
import { cellLabels, type CellLabels } from './perception-data';
import { createPerceptionModel, PERCEPTION_SLICES, PERCEPTION_STRIDE, DEFAULT_PERCEPTION_OPTIONS } from './perception-model';
import { sampleTrainingFrame, type SceneSource } from './training-scenes';

export interface LabelledFrame {
  readonly source: SceneSource;
  readonly width: number;
  readonly height: number;
  readonly rgb: Uint8Array;
  readonly labels: CellLabels;
}

/** Frames for seeds first..first+count-1 (train and held-out sets use disjoint seed ranges). */
export function labelledFrames(first: number, count: number, onFrame?: (done: number) => void): LabelledFrame[] {
  const frames: LabelledFrame[] = [];
  for (let i = 0; i < count; i++) {
    const sample = sampleTrainingFrame(first + i);
    frames.push({
      source: sample.source,
      width: sample.frame.width,
      height: sample.frame.height,
      rgb: sample.frame.rgb,
      labels: cellLabels(sample.frame, sample.scene, sample.state),
    });
    onFrame?.(i + 1);
  }
  return frames;
}

export interface PerceptionTrainOptions {
  readonly steps: number;
  readonly batchSize: number;
  /** Crop side in pixels; a multiple of 4. */
  readonly crop: number;
  readonly learningRate: number;
  readonly seed: number;
  readonly onStep?: (step: number, loss: number) => void;
}

interface Batch {
  readonly images: tf.Tensor4D;
  readonly kind: tf.Tensor1D;
  readonly colour: tf.Tensor1D;
  readonly state: tf.Tensor1D;
  readonly boundary: tf.Tensor1D;
  /** 1 where the cell shows an attendable object: colour and state are judged there. */
  readonly object: tf.Tensor1D;
}

function makeBatch(frames: readonly LabelledFrame[], options: PerceptionTrainOptions, random: () => number): Batch {
  const { batchSize, crop } = options;
  const cells = crop / PERCEPTION_STRIDE;
  const pixels = new Float32Array(batchSize * crop * crop * 3);
  const kind = new Int32Array(batchSize * cells * cells);
  const colour = new Int32Array(kind.length);
  const state = new Int32Array(kind.length);
  const boundary = new Float32Array(kind.length);
  const object = new Float32Array(kind.length);
  const surface = PIXEL_KINDS.indexOf('surface');
  const robot = PIXEL_KINDS.indexOf('robot');
  for (let b = 0; b < batchSize; b++) {
    const frame = frames[Math.floor(random() * frames.length)];
    const x0 = 4 * Math.floor((random() * (frame.width - crop)) / 4);
    const y0 = 4 * Math.floor((random() * (frame.height - crop)) / 4);
    const gain = [0, 1, 2].map(() => 0.85 + 0.3 * random());
    const offset = (random() - 0.5) * 0.12;
    for (let y = 0; y < crop; y++) {
      for (let x = 0; x < crop; x++) {
        const src = ((y0 + y) * frame.width + x0 + x) * 3;
        const dst = ((b * crop + y) * crop + x) * 3;
        for (let k = 0; k < 3; k++) {
          const noise = (random() - 0.5) * 0.04;
          pixels[dst + k] = Math.min(1, Math.max(0, (frame.rgb[src + k] / 255) * gain[k] + offset + noise));
        }
      }
    }
    const labels = frame.labels;
    const r0 = y0 / PERCEPTION_STRIDE;
    const c0 = x0 / PERCEPTION_STRIDE;
    for (let r = 0; r < cells; r++) {
      for (let c = 0; c < cells; c++) {
        const src = (r0 + r) * labels.cols + c0 + c;
        const dst = (b * cells + r) * cells + c;
        kind[dst] = labels.kind[src];
        colour[dst] = labels.colour[src];
        state[dst] = labels.state[src];
        boundary[dst] = labels.boundary[src];
        object[dst] = labels.kind[src] !== surface && labels.kind[src] !== robot ? 1 : 0;
      }
    }
  }
  return {
    images: tf.tensor4d(pixels, [batchSize, crop, crop, 3]),
    kind: tf.tensor1d(kind, 'int32'),
    colour: tf.tensor1d(colour, 'int32'),
    state: tf.tensor1d(state, 'int32'),
    boundary: tf.tensor1d(boundary),
    object: tf.tensor1d(object),
  };
}

/** Summed losses of the four heads; logits [n, cells, cells, channels] flattened to cells. */
export function perceptionLoss(logits: tf.Tensor4D, batch: Batch): tf.Scalar {
  return tf.tidy(() => {
    const flat = logits.reshape([-1, logits.shape[3]]) as tf.Tensor2D;
    const head = (slice: { start: number; size: number }) => flat.slice([0, slice.start], [-1, slice.size]);
    const ce = (slice: { start: number; size: number }, labels: tf.Tensor1D, classes: number, weights?: tf.Tensor1D) =>
      tf.losses.softmaxCrossEntropy(tf.oneHot(labels, classes), head(slice), weights);
    const kindLoss = ce(PERCEPTION_SLICES.kind, batch.kind, PIXEL_KINDS.length);
    const objectWeights = batch.object.mul(4).add(0.25) as tf.Tensor1D;
    const colourLoss = ce(PERCEPTION_SLICES.colour, batch.colour, PIXEL_COLOURS.length, objectWeights);
    const stateLoss = ce(PERCEPTION_SLICES.state, batch.state, PIXEL_STATES.length, objectWeights);
    const boundaryLogit = head(PERCEPTION_SLICES.boundary).reshape([-1]);
    const boundaryWeights = batch.boundary.mul(4).add(1) as tf.Tensor1D;
    const boundaryLoss = tf.losses.sigmoidCrossEntropy(batch.boundary, boundaryLogit, boundaryWeights);
    return kindLoss.add(colourLoss).add(stateLoss).add(boundaryLoss.mul(0.5)) as tf.Scalar;
  });
}

export async function trainPerception(frames: readonly LabelledFrame[], options: PerceptionTrainOptions): Promise<tf.LayersModel> {
  const model = createPerceptionModel(tf, { ...DEFAULT_PERCEPTION_OPTIONS, seed: options.seed });
  const random = seededRandom(options.seed);
  let optimizer = tf.train.adam(options.learningRate);
  for (let step = 1; step <= options.steps; step++) {
    const batch = makeBatch(frames, options, random);
    // Step decay: the last third of training at a tenth of the rate (a fresh Adam, so its moments restart small).
    if (step === Math.floor((2 * options.steps) / 3)) {
      optimizer.dispose();
      optimizer = tf.train.adam(options.learningRate / 10);
    }
    const loss = optimizer.minimize(() => perceptionLoss(model.apply(batch.images, { training: true }) as tf.Tensor4D, batch), true) as tf.Scalar;
    const value = (await loss.data())[0];
    tf.dispose([loss, batch.images, batch.kind, batch.colour, batch.state, batch.boundary, batch.object]);
    options.onStep?.(step, value);
  }
  optimizer.dispose();
  return model;
}
