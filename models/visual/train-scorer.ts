/**
 * Training of the grounding scorer: softmax cross-entropy over each example's perceived
 * instances, padded into batches (padding is masked out in the loss).
 */
import { seededPermutation, seededRandom, tf } from '../runtime';
import { FEATURE_COUNT } from './grounding-features';
import type { GroundingExample } from './grounding-data';
import { applyConstraints, createScorerModel, maskedSoftmaxLoss, DEFAULT_SCORER_OPTIONS } from './scorer-model';

export interface ScorerTrainOptions {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly seed: number;
  readonly onEpoch?: (epoch: number, loss: number) => void;
}

/** Pads a batch: features [b, n, F], mask [b, n], target [b]. */
function batchTensors(examples: readonly GroundingExample[]): { features: tf.Tensor3D; mask: tf.Tensor2D; target: tf.Tensor1D } {
  const n = Math.max(1, ...examples.map((e) => e.features.length));
  const features = new Float32Array(examples.length * n * FEATURE_COUNT);
  const mask = new Float32Array(examples.length * n);
  examples.forEach((example, b) => {
    example.features.forEach((row, i) => {
      features.set(row, (b * n + i) * FEATURE_COUNT);
      mask[b * n + i] = 1;
    });
  });
  return {
    features: tf.tensor3d(features, [examples.length, n, FEATURE_COUNT]),
    mask: tf.tensor2d(mask, [examples.length, n]),
    target: tf.tensor1d(examples.map((e) => e.target), 'int32'),
  };
}

export async function trainScorer(examples: readonly GroundingExample[], options: ScorerTrainOptions): Promise<tf.LayersModel> {
  const usable = examples.filter((e) => e.target >= 0 && e.features.length > 0);
  const model = createScorerModel(tf, { ...DEFAULT_SCORER_OPTIONS, seed: options.seed });
  const optimizer = tf.train.adam(options.learningRate);
  const random = seededRandom(options.seed);
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    const order = seededPermutation(usable.length, random);
    let total = 0;
    let batches = 0;
    for (let start = 0; start < order.length; start += options.batchSize) {
      const batch = batchTensors(order.slice(start, start + options.batchSize).map((i) => usable[i]));
      const loss = optimizer.minimize(() => maskedSoftmaxLoss(tf, model.apply(batch.features, { training: true }) as tf.Tensor, batch.mask, batch.target), true) as tf.Scalar;
      applyConstraints(tf, model);
      total += (await loss.data())[0];
      batches++;
      tf.dispose([loss, batch.features, batch.mask, batch.target]);
    }
    options.onEpoch?.(epoch, total / Math.max(1, batches));
  }
  optimizer.dispose();
  return model;
}

/** Index of the highest-scoring instance of each example (-1 for an example with none). */
export function predictTargets(model: tf.LayersModel, examples: readonly GroundingExample[]): number[] {
  return examples.map((example) => {
    if (example.features.length === 0) return -1;
    return tf.tidy(() => {
      const input = tf.tensor3d(example.features.flat(), [1, example.features.length, FEATURE_COUNT]);
      return (model.predict(input) as tf.Tensor).reshape([-1]).argMax().dataSync()[0];
    });
  });
}
