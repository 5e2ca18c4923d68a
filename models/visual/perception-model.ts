/**
 * The perception networks, two of them:
 *
 * 1. The cell network: camera pixels in, per-cell class (surface, robot, person, object),
 *    colour and boundary out, on a grid PERCEPTION_STRIDE pixels apart. Its input is the image
 *    cut into PERCEPTION_STRIDE x PERCEPTION_STRIDE patches stacked as channels (space-to-depth,
 *    done while the image is copied in: a strided convolution over the full image costs wasm
 *    several milliseconds more). Fully convolutional, so it trains on crops and runs on whole
 *    frames of any size divisible by 8.
 *    Input  [batch, height/4, width/4, 48], pixels 0..1 (see spaceToDepth).
 *    Output [batch, height/4, width/4, CELL_CHANNELS]: class, colour, boundary logits (CELL_SLICES).
 *
 * 2. The object classifier: one square crop per perceived object, resized to
 *    OBJECT_CROP x OBJECT_CROP, in; its kind and state out. It sees the object whole and at full
 *    resolution, which is what telling a mug from a cup or a cracked gear from a good one takes;
 *    and, since resizing loses how big the object is (a 5 cm block and a 9 cm cup fill their crops
 *    alike), how many metres the crop spans where it stands.
 *    Inputs [objects, OBJECT_CROP, OBJECT_CROP, 3], pixels 0..1; [objects, 1], cropScale().
 *    Output [objects, OBJECT_CHANNELS]: kind logits then state logits (OBJECT_SLICES).
 */
import type * as tfType from '@tensorflow/tfjs';
import { CELL_CLASSES, PIXEL_COLOURS, PIXEL_KINDS, PIXEL_STATES } from './labels';
import { cropMetresPerPixel, type TableCamera } from './instances';

export const PERCEPTION_STRIDE = 4;

export const CELL_SLICES = {
  cellClass: { start: 0, size: CELL_CLASSES.length },
  colour: { start: CELL_CLASSES.length, size: PIXEL_COLOURS.length },
  boundary: { start: CELL_CLASSES.length + PIXEL_COLOURS.length, size: 1 },
} as const;
export const CELL_CHANNELS = CELL_SLICES.boundary.start + 1;

export const OBJECT_CROP = 24;
export const DEFAULT_OBJECT_WIDTH = 24;
export const OBJECT_SLICES = {
  kind: { start: 0, size: PIXEL_KINDS.length },
  state: { start: PIXEL_KINDS.length, size: PIXEL_STATES.length },
} as const;
export const OBJECT_CHANNELS = PIXEL_KINDS.length + PIXEL_STATES.length;

export interface PerceptionModelOptions {
  /** Width of the cell-resolution trunk. */
  readonly fineChannels: number;
  /** Width of the half-cell-resolution context branch. */
  readonly coarseChannels: number;
  /** A 3x3 convolution at cell resolution after the patch layer (neighbouring cells' pixels). */
  readonly fineContext: boolean;
  /** Extra 3x3 convolutions in the context branch (a wider view of the scene). */
  readonly extraContext: number;
  /**
   * Every 3x3 convolution as a separable one (a 3x3 filter per channel, then a 1x1 mixing the
   * channels): about a seventh of the multiply-adds, which is what wasm spends its time on.
   */
  readonly separable: boolean;
  readonly seed: number;
}

export const DEFAULT_PERCEPTION_OPTIONS: PerceptionModelOptions = { fineChannels: 24, coarseChannels: 32, fineContext: true, extraContext: 1, separable: false, seed: 1 };

/** Channels of the cell network's input: one patch of PERCEPTION_STRIDE x PERCEPTION_STRIDE rgb pixels. */
export const PATCH_CHANNELS = PERCEPTION_STRIDE * PERCEPTION_STRIDE * 3;

/** v / 255 for every byte value, as float32: the image is scaled by a table lookup, not a division. */
const UNIT_PIXEL = Float32Array.from({ length: 256 }, (_, v) => v / 255);

/**
 * Space-to-depth of an rgb8 image region into `out` (cell-major, patch pixels row-major, rgb),
 * scaled to 0..1 by `pixel` (v / 255 when not given). The region starts at (x0, y0) and spans
 * rows x cols cells.
 */
export function spaceToDepth(
  rgb: Uint8Array,
  width: number,
  x0: number,
  y0: number,
  rows: number,
  cols: number,
  out: Float32Array,
  offset: number,
  pixel?: (value: number, channel: number) => number,
): void {
  const s = PERCEPTION_STRIDE;
  const rowOfPatch = s * 3;
  for (let cy = 0; cy < rows; cy++) {
    for (let dy = 0; dy < s; dy++) {
      let src = ((y0 + cy * s + dy) * width + x0) * 3;
      let dst = offset + cy * cols * PATCH_CHANNELS + dy * rowOfPatch;
      for (let cx = 0; cx < cols; cx++, dst += PATCH_CHANNELS) {
        // One patch row: s pixels, contiguous in the image and in the patch.
        if (pixel) {
          for (let k = 0; k < rowOfPatch; k++) out[dst + k] = pixel(rgb[src + k], k % 3);
        } else {
          for (let k = 0; k < rowOfPatch; k++) out[dst + k] = UNIT_PIXEL[rgb[src + k]];
        }
        src += rowOfPatch;
      }
    }
  }
}

type Conv = (filters: number, kernelSize: number, strides: number, name: string, activation?: 'relu' | 'linear') => tfType.layers.Layer;

/** Convolutions with seeded initialisers; `separable`: those wider than 1x1 are separable. */
function convFactory(tf: typeof tfType, seed: number, separable = false): Conv {
  let next = seed;
  return (filters, kernelSize, strides, name, activation = 'relu') => {
    if (separable && kernelSize > 1) {
      const depthwiseInitializer = tf.initializers.heNormal({ seed: next++ });
      const pointwiseInitializer = tf.initializers.heNormal({ seed: next++ });
      return tf.layers.separableConv2d({ filters, kernelSize, strides, padding: 'same', activation, depthwiseInitializer, pointwiseInitializer, name });
    }
    return tf.layers.conv2d({ filters, kernelSize, strides, padding: 'same', activation, kernelInitializer: tf.initializers.heNormal({ seed: next++ }), name });
  };
}

/** Builds (does not compile) the cell network. */
export function createCellModel(tf: typeof tfType, options: PerceptionModelOptions = DEFAULT_PERCEPTION_OPTIONS): tfType.LayersModel {
  const conv = convFactory(tf, options.seed, options.separable);
  const input = tf.input({ shape: [null, null, PATCH_CHANNELS], name: 'patches' });
  let patches = conv(options.fineChannels, 1, 1, 'patch').apply(input) as tfType.SymbolicTensor;
  if (options.fineContext) patches = conv(options.fineChannels, 3, 1, 'fine_context').apply(patches) as tfType.SymbolicTensor;
  let coarse = conv(options.coarseChannels, 3, 2, 'coarse_down').apply(patches) as tfType.SymbolicTensor;
  coarse = conv(options.coarseChannels, 3, 1, 'coarse_context').apply(coarse) as tfType.SymbolicTensor;
  for (let i = 0; i < options.extraContext; i++) coarse = conv(options.coarseChannels, 3, 1, `coarse_context_${i + 2}`).apply(coarse) as tfType.SymbolicTensor;
  const upsampled = tf.layers.upSampling2d({ size: [2, 2], name: 'coarse_up' }).apply(coarse) as tfType.SymbolicTensor;
  const merged = tf.layers.concatenate({ name: 'merge' }).apply([upsampled, patches]) as tfType.SymbolicTensor;
  const logits = conv(CELL_CHANNELS, 1, 1, 'logits', 'linear').apply(merged) as tfType.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits, name: 'cells' });
}

/**
 * The trained cell network rearranged for inference, with the same layers and outputs. Its last
 * layer, a 1x1 convolution over [upsampled context, fine trunk], becomes one 1x1 convolution per
 * half, the context half before the upsampling (at a quarter of the cells), summed after it.
 * Nearest-neighbour upsampling commutes with a 1x1 convolution, so only float rounding differs;
 * the concatenation it saves cost wasm about 2 ms of a 12 ms frame.
 */
export function foldedCellModel(tf: typeof tfType, trained: tfType.LayersModel): tfType.LayersModel {
  const has = (name: string) => trained.layers.some((layer) => layer.name === name);
  const apply = (name: string, x: tfType.SymbolicTensor) => trained.getLayer(name).apply(x) as tfType.SymbolicTensor;
  const input = tf.input({ shape: [null, null, PATCH_CHANNELS], name: 'patches' });
  let fine = apply('patch', input);
  if (has('fine_context')) fine = apply('fine_context', fine);
  let coarse = apply('coarse_context', apply('coarse_down', fine));
  for (let i = 2; has(`coarse_context_${i}`); i++) coarse = apply(`coarse_context_${i}`, coarse);
  const [kernel, bias] = trained.getLayer('logits').getWeights();
  const [, , inputs, outputs] = kernel.shape;
  const coarseChannels = coarse.shape[3] as number;
  if (inputs !== coarseChannels + (fine.shape[3] as number)) throw new Error(`cell network 'logits' reads ${inputs} channels, not the ${coarseChannels} + ${fine.shape[3]} it was built on`);
  const contextKernel = kernel.slice([0, 0, 0, 0], [1, 1, coarseChannels, outputs]);
  const fineKernel = kernel.slice([0, 0, coarseChannels, 0], [1, 1, inputs - coarseChannels, outputs]);
  const fromContext = tf.layers.conv2d({ filters: outputs, kernelSize: 1, name: 'logits_context', weights: [contextKernel, bias] });
  const fromFine = tf.layers.conv2d({ filters: outputs, kernelSize: 1, useBias: false, name: 'logits_fine', weights: [fineKernel] });
  const upsampled = tf.layers.upSampling2d({ size: [2, 2], name: 'logits_up' }).apply(fromContext.apply(coarse)) as tfType.SymbolicTensor;
  const logits = tf.layers.add({ name: 'logits' }).apply([upsampled, fromFine.apply(fine) as tfType.SymbolicTensor]) as tfType.SymbolicTensor;
  const folded = tf.model({ inputs: input, outputs: logits, name: 'cells_folded' });
  // The new layers copied the slices into their own variables when they were built.
  tf.dispose([contextKernel, fineKernel]);
  return folded;
}

/**
 * Builds (does not compile) the object classifier; `separable`: its convolutions after the first
 * (which sees only three colour channels) are separable.
 */
export function createObjectClassifier(tf: typeof tfType, seed = 11, width = DEFAULT_OBJECT_WIDTH, separable = false): tfType.LayersModel {
  const first = convFactory(tf, seed);
  const conv = convFactory(tf, seed + 1, separable);
  const input = tf.input({ shape: [OBJECT_CROP, OBJECT_CROP, 3], name: 'crop' });
  const scale = tf.input({ shape: [1], name: 'scale' });
  let x = first(width, 3, 1, 'c1').apply(input) as tfType.SymbolicTensor;
  x = tf.layers.maxPooling2d({ poolSize: 2, name: 'p1' }).apply(x) as tfType.SymbolicTensor;
  x = conv(Math.round(1.5 * width), 3, 1, 'c2').apply(x) as tfType.SymbolicTensor;
  x = tf.layers.maxPooling2d({ poolSize: 2, name: 'p2' }).apply(x) as tfType.SymbolicTensor;
  x = conv(2 * width, 3, 1, 'c3').apply(x) as tfType.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(x) as tfType.SymbolicTensor;
  x = tf.layers.concatenate({ name: 'with_scale' }).apply([x, scale]) as tfType.SymbolicTensor;
  x = tf.layers.dense({ units: 2 * width, activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: seed + 10 }), name: 'hidden' }).apply(x) as tfType.SymbolicTensor;
  const logits = tf.layers.dense({ units: OBJECT_CHANNELS, kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 11 }), name: 'logits' }).apply(x) as tfType.SymbolicTensor;
  return tf.model({ inputs: [input, scale], outputs: logits, name: 'objects' });
}

/**
 * The classifier's scale input: the side of a square crop in metres where its centre stands,
 * divided by 0.1 (so a cup is near 1).
 */
export function cropScale(camera: TableCamera, box: { u0: number; v0: number; u1: number; v1: number }): number {
  const u = (box.u0 + box.u1) / 2;
  const v = (box.v0 + box.v1) / 2;
  return (Math.max(box.u1 - box.u0, box.v1 - box.v0) * cropMetresPerPixel(camera, u, v)) / 0.1;
}
