/**
 * The perception network: camera pixels in, per-cell kind, colour, state and boundary
 * probabilities out, on a grid at half the image resolution. Fully convolutional, so it trains
 * on crops and runs on whole frames of any size divisible by 4.
 *
 * Input  [batch, height, width, 3], pixels scaled to 0..1.
 * Output [batch, height/2, width/2, PERCEPTION_CHANNELS]: kind logits, colour logits, state
 *        logits, boundary logit, in that order (see PERCEPTION_SLICES).
 */
import type * as tfType from '@tensorflow/tfjs';
import { PIXEL_COLOURS, PIXEL_KINDS, PIXEL_STATES } from './labels';

export const PERCEPTION_STRIDE = 2;

export const PERCEPTION_SLICES = {
  kind: { start: 0, size: PIXEL_KINDS.length },
  colour: { start: PIXEL_KINDS.length, size: PIXEL_COLOURS.length },
  state: { start: PIXEL_KINDS.length + PIXEL_COLOURS.length, size: PIXEL_STATES.length },
  boundary: { start: PIXEL_KINDS.length + PIXEL_COLOURS.length + PIXEL_STATES.length, size: 1 },
} as const;

export const PERCEPTION_CHANNELS = PERCEPTION_SLICES.boundary.start + 1;

export interface PerceptionModelOptions {
  /** Width of the half-resolution trunk. */
  readonly fineChannels: number;
  /** Width of the quarter-resolution context branch. */
  readonly coarseChannels: number;
  readonly seed: number;
}

export const DEFAULT_PERCEPTION_OPTIONS: PerceptionModelOptions = { fineChannels: 16, coarseChannels: 32, seed: 1 };

/** Builds (does not compile) the perception network for input of `height` x `width`; null dims allowed. */
export function createPerceptionModel(
  tf: typeof tfType,
  options: PerceptionModelOptions = DEFAULT_PERCEPTION_OPTIONS,
): tfType.LayersModel {
  let seed = options.seed;
  const init = () => tf.initializers.heNormal({ seed: seed++ });
  const conv = (filters: number, kernelSize: number, strides: number, name: string, activation: 'relu' | 'linear' = 'relu') =>
    tf.layers.conv2d({ filters, kernelSize, strides, padding: 'same', activation, kernelInitializer: init(), name });
  const input = tf.input({ shape: [null, null, 3], name: 'image' });
  const patches = conv(options.fineChannels, 2, 2, 'patchify').apply(input) as tfType.SymbolicTensor;
  const fine = conv(options.fineChannels, 3, 1, 'fine').apply(patches) as tfType.SymbolicTensor;
  let coarse = conv(options.coarseChannels, 3, 2, 'coarse_down').apply(fine) as tfType.SymbolicTensor;
  coarse = conv(options.coarseChannels, 3, 1, 'coarse_context').apply(coarse) as tfType.SymbolicTensor;
  const upsampled = tf.layers.upSampling2d({ size: [2, 2], name: 'coarse_up' }).apply(coarse) as tfType.SymbolicTensor;
  const merged = tf.layers.concatenate({ name: 'merge' }).apply([upsampled, fine]) as tfType.SymbolicTensor;
  const mixed = conv(24, 1, 1, 'mix').apply(merged) as tfType.SymbolicTensor;
  const logits = conv(PERCEPTION_CHANNELS, 1, 1, 'logits', 'linear').apply(mixed) as tfType.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits, name: 'perception' });
}
