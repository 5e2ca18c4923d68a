/**
 * The grounding scorer: one score per perceived instance from its grounding features; a softmax
 * over the instances of a frame gives the attention each one receives.
 *
 * Input  features [batch, instances, FEATURE_COUNT]
 * Output logits   [batch, instances, 1]
 * Padding is handled by the loss (maskedSoftmaxLoss), so the same model serves training batches
 * and single frames.
 *
 * Every feature is evidence for the instance (a log-probability that it fits), so the score never
 * falls as a feature rises: all weights are kept non-negative (tanh is increasing). Unconstrained,
 * the scorer learnt bumps: its score rose again as the evidence grew that an instance is the one
 * the robot wrongly aims at, and a recalled speck right there outscored the grey cup that "would
 * you pick up the grey teacup?" described.
 */
import type * as tfType from '@tensorflow/tfjs';
import { FEATURE_COUNT } from './grounding-features';

export interface ScorerOptions {
  readonly hidden: number;
  readonly seed: number;
}

export const DEFAULT_SCORER_OPTIONS: ScorerOptions = { hidden: 16, seed: 7 };

export function createScorerModel(tf: typeof tfType, options: ScorerOptions = DEFAULT_SCORER_OPTIONS): tfType.LayersModel {
  const features = tf.input({ shape: [null, FEATURE_COUNT], name: 'features' });
  const hidden = tf.layers
    .dense({
      units: options.hidden,
      activation: 'tanh',
      kernelInitializer: tf.initializers.randomUniform({ minval: 0, maxval: 0.2, seed: options.seed }),
      kernelConstraint: tf.constraints.nonNeg(),
      name: 'hidden',
    })
    .apply(features) as tfType.SymbolicTensor;
  const nonlinear = tf.layers
    .dense({ units: 1, kernelInitializer: tf.initializers.randomUniform({ minval: 0, maxval: 0.2, seed: options.seed + 1 }), kernelConstraint: tf.constraints.nonNeg(), name: 'nonlinear' })
    .apply(hidden) as tfType.SymbolicTensor;
  const linear = tf.layers
    // Features are log-probabilities: weighing each by 1 is the naive-Bayes starting point.
    .dense({ units: 1, useBias: false, kernelInitializer: tf.initializers.ones(), kernelConstraint: tf.constraints.nonNeg(), name: 'linear' })
    .apply(features) as tfType.SymbolicTensor;
  const score = tf.layers.add({ name: 'score' }).apply([nonlinear, linear]) as tfType.SymbolicTensor;
  return tf.model({ inputs: features, outputs: score, name: 'grounding_scorer' });
}

/**
 * Projects every constrained weight back into its set: tfjs applies constraints only inside
 * `fit`, and the scorer is trained by its own loop.
 */
export function applyConstraints(tf: typeof tfType, model: tfType.LayersModel): void {
  for (const layer of model.layers) {
    for (const weight of layer.trainableWeights) {
      const constraint = weight.constraint;
      if (!constraint) continue;
      const projected = tf.tidy(() => constraint.apply(weight.read()));
      weight.write(projected);
      projected.dispose();
    }
  }
}

/**
 * Mean cross-entropy of the softmax over each frame's real instances.
 * logits [batch, instances, 1]; mask [batch, instances] (1 real, 0 padding);
 * target [batch] index of the attended instance.
 */
export function maskedSoftmaxLoss(
  tf: typeof tfType,
  logits: tfType.Tensor,
  mask: tfType.Tensor2D,
  target: tfType.Tensor1D,
): tfType.Scalar {
  return tf.tidy(() => {
    const flat = logits.reshape([mask.shape[0], mask.shape[1]]);
    const masked = flat.add(tf.scalar(1).sub(mask).mul(-1e9));
    const oneHot = tf.oneHot(target, mask.shape[1]);
    return tf.losses.softmaxCrossEntropy(oneHot, masked) as tfType.Scalar;
  });
}

/**
 * The trained scorer evaluated in plain TypeScript, with a softmax over the instances: a frame has
 * a few dozen instances at most, and tfjs's per-operation overhead was most of the 0.3-0.6 ms a
 * reminder's scoring took on wasm. Null when the model is not the one createScorerModel builds.
 */
export class ScorerEvaluator {
  private constructor(
    private readonly hidden: { kernel: Float32Array; bias: Float32Array; units: number },
    private readonly nonlinear: { kernel: Float32Array; bias: number },
    private readonly linear: Float32Array,
  ) {}

  static from(model: tfType.LayersModel): ScorerEvaluator | null {
    const weights = (name: string) => model.layers.find((layer) => layer.name === name)?.getWeights().map((w) => w.dataSync() as Float32Array) ?? [];
    const config = (name: string) => model.layers.find((layer) => layer.name === name)?.getConfig() as { activation?: string; units?: number } | undefined;
    const [hiddenKernel, hiddenBias] = weights('hidden');
    const [nonlinearKernel, nonlinearBias] = weights('nonlinear');
    const [linearKernel] = weights('linear');
    const units = config('hidden')?.units ?? 0;
    if (config('hidden')?.activation !== 'tanh' || config('nonlinear')?.activation !== 'linear' || !hiddenBias || !nonlinearBias || !linearKernel) return null;
    if (hiddenKernel.length !== FEATURE_COUNT * units || nonlinearKernel.length !== units || linearKernel.length !== FEATURE_COUNT) return null;
    return new ScorerEvaluator({ kernel: hiddenKernel, bias: hiddenBias, units }, { kernel: nonlinearKernel, bias: nonlinearBias[0] }, linearKernel);
  }

  /** Each instance's logit. */
  logit(features: readonly number[]): number {
    const { kernel, bias, units } = this.hidden;
    let score = this.nonlinear.bias;
    for (let u = 0; u < units; u++) {
      let sum = bias[u];
      for (let f = 0; f < FEATURE_COUNT; f++) sum += features[f] * kernel[f * units + u];
      score += Math.tanh(sum) * this.nonlinear.kernel[u];
    }
    for (let f = 0; f < FEATURE_COUNT; f++) score += features[f] * this.linear[f];
    return score;
  }

  /** Softmax of the instances' logits: the attention each receives. */
  attention(features: readonly (readonly number[])[]): Float32Array {
    const logits = features.map((f) => this.logit(f));
    const max = Math.max(...logits);
    const out = new Float32Array(logits.length);
    let total = 0;
    logits.forEach((logit, i) => (total += out[i] = Math.exp(logit - max)));
    for (let i = 0; i < out.length; i++) out[i] /= total;
    return out;
  }
}
