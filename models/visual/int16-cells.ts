/**
 * The trained cell network run on int16 WebAssembly kernels (models/kernels/) instead of tfjs:
 * same layers, same outputs to within quantisation, in under half the time.
 *
 * The input is the image's bytes as they are (one step = 1/255). Each hidden layer's ReLU output
 * is kept in ACTIVATION_STEPS steps of its calibrated range (the largest activation seen on
 * training frames, int16-calibration.ts, times RANGE_HEADROOM; larger values are clamped). The
 * logits stay float32. Without calibrated ranges the stage runs the float network on tfjs.
 */
import type * as tfType from '@tensorflow/tfjs';
import { ACTIVATION_STEPS, Int16ProgramBuilder, inEights, pixelAddress, simdAvailable, sliceInputs, type ActivationBuffer, type ConvWeights, type Int16Program } from '../kernels/int16-program';
import { addUpsampledBody, spaceToDepthBody } from '../kernels/int16-layout';
import { PATCH_CHANNELS, PERCEPTION_STRIDE } from './perception-model';
import type { CameraFrame } from './perception';

/** Calibrated ranges are widened by this much: frames brighter or busier than the calibration's still fit. */
export const RANGE_HEADROOM = 1.25;

/** The largest ReLU output of each hidden layer, by layer name. */
export type ActivationRanges = Readonly<Record<string, number>>;

/** A trained Conv2D layer's weights, or null when the int16 kernels cannot run it. */
export function convWeights(model: tfType.LayersModel, name: string, activation: 'relu' | 'linear'): ConvWeights | null {
  const layer = model.layers.find((l) => l.name === name);
  if (!layer || layer.getClassName() !== 'Conv2D') return null;
  const config = layer.getConfig() as { kernelSize: number[]; strides: number[]; padding: string; dilationRate: number[] | number; useBias: boolean; activation: string };
  const [size, sizeX] = config.kernelSize;
  const [stride, strideX] = config.strides;
  if (size !== sizeX || stride !== strideX || config.padding !== 'same' || [config.dilationRate].flat().some((d) => d !== 1) || config.activation !== activation) return null;
  const [kernel, bias] = layer.getWeights();
  const [, , inChannels, outChannels] = kernel.shape;
  return { name, size, stride, inChannels, outChannels, kernel: kernel.dataSync() as Float32Array, bias: config.useBias ? (bias.dataSync() as Float32Array) : new Float32Array(outChannels) };
}

interface CellLayers {
  readonly fine: readonly ConvWeights[];
  readonly coarse: readonly ConvWeights[];
  readonly logits: ConvWeights;
}

/** The cell network's layers in order; null when they are not all plain convolutions (separable ones, say). */
export function hiddenLayers(cells: tfType.LayersModel): CellLayers | null {
  const names = cells.layers.map((l) => l.name);
  const fine = ['patch', ...names.filter((n) => n === 'fine_context')].map((n) => convWeights(cells, n, 'relu'));
  const coarse = ['coarse_down', 'coarse_context', ...names.filter((n) => /^coarse_context_\d+$/.test(n))].map((n) => convWeights(cells, n, 'relu'));
  const logits = convWeights(cells, 'logits', 'linear');
  if (fine.includes(null) || coarse.includes(null) || !logits) return null;
  return { fine: fine as ConvWeights[], coarse: coarse as ConvWeights[], logits };
}

/** The int16 cell network for frames of one size. */
class Int16CellPlan {
  private constructor(
    private readonly program: Int16Program,
    private readonly image: { readonly at: number; readonly bytes: number },
    private readonly logits: ActivationBuffer,
  ) {}

  static build(network: CellLayers, ranges: ActivationRanges, rows: number, cols: number): Int16CellPlan {
    const builder = new Int16ProgramBuilder();
    const outputStep = (layer: ConvWeights) => {
      const range = ranges[layer.name];
      if (!(range > 0)) throw new Error(`no calibrated activation range for cell layer '${layer.name}'`);
      return (range * RANGE_HEADROOM) / ACTIVATION_STEPS;
    };
    const width = cols * PERCEPTION_STRIDE;
    const imageBytes = width * rows * PERCEPTION_STRIDE * 3;
    // The space-to-depth kernel reads 16 bytes for a patch row's 12.
    const image = { at: builder.allocate(imageBytes + 16), bytes: imageBytes };
    const input = builder.buffer(rows, cols, PATCH_CHANNELS, 0);
    builder.kernel('space_to_depth', spaceToDepthBody(width, rows, cols, PERCEPTION_STRIDE), [image.at, pixelAddress(input, 0, 0)]);
    let fine = input;
    let quantum = { step: 1 / 255, max: 255 };
    for (const layer of network.fine) {
      const next = builder.buffer(rows, cols, inEights(layer.outChannels), 1);
      quantum = { step: builder.conv(layer, fine, next, quantum, outputStep(layer)), max: ACTIVATION_STEPS };
      fine = next;
    }
    const fineQuantum = quantum;
    let coarse = fine;
    for (const layer of network.coarse) {
      const next = builder.buffer(rows / 2, cols / 2, inEights(layer.outChannels), 1);
      quantum = { step: builder.conv(layer, coarse, next, quantum, outputStep(layer)), max: ACTIVATION_STEPS };
      coarse = next;
    }
    // The logits' 1x1 convolution over [upsampled context, fine] as two, the context half at its own
    // resolution (as foldedCellModel does), then upsampled onto the fine half.
    const { logits } = network;
    const [coarseChannels, fineChannels] = [network.coarse[network.coarse.length - 1].outChannels, network.fine[network.fine.length - 1].outChannels];
    if (coarseChannels + fineChannels !== logits.inChannels) throw new Error(`cell network 'logits' reads ${logits.inChannels} channels, not ${coarseChannels} + ${fineChannels}`);
    const contextLogits = builder.buffer(rows / 2, cols / 2, inEights(logits.outChannels), 0, 4);
    const fineLogits = builder.buffer(rows, cols, inEights(logits.outChannels), 0, 4);
    builder.conv(sliceInputs(logits, 0, coarseChannels), coarse, contextLogits, quantum);
    builder.conv(sliceInputs(logits, coarseChannels, fineChannels), fine, fineLogits, fineQuantum);
    builder.kernel('add_upsampled', addUpsampledBody(rows, cols, fineLogits.channels), [fineLogits.offset, contextLogits.offset]);
    return new Int16CellPlan(builder.build(), image, fineLogits);
  }

  /** Logits [rows*cols*channels], channels padded to eights with zeros: a view, valid until the next run. */
  run(frame: CameraFrame): Float32Array {
    new Uint8Array(this.program.memory, this.image.at, this.image.bytes).set(frame.rgb.subarray(0, this.image.bytes));
    this.program.run();
    return this.program.float32(this.logits);
  }
}

/** The cell network on int16 kernels, planned once per frame size. */
export class Int16CellNetwork {
  private plan: { key: string; plan: Int16CellPlan } | null = null;

  private constructor(
    private readonly network: CellLayers,
    private readonly ranges: ActivationRanges,
  ) {}

  /** Null when the network's layers are not ones the kernels run or WebAssembly SIMD is missing. */
  static from(cells: tfType.LayersModel, ranges: ActivationRanges): Int16CellNetwork | null {
    const network = hiddenLayers(cells);
    if (!network || !simdAvailable()) return null;
    const built = new Int16CellNetwork(network, ranges);
    // Planned once now, so that a missing range is an error at load time, not at the first frame.
    built.planFor(2, 2);
    return built;
  }

  private planFor(rows: number, cols: number): Int16CellPlan {
    const key = `${rows}x${cols}`;
    if (this.plan?.key !== key) this.plan = { key, plan: Int16CellPlan.build(this.network, this.ranges, rows, cols) };
    return this.plan.plan;
  }

  /**
   * The cell logits of a frame whose sides divide by 8: [rows*cols*channels], cell-major, channels
   * padded to eights (zeros). A view of the kernels' memory, overwritten by the next call (a frame's
   * logits are a third of a megabyte; copying them made garbage for every frame).
   */
  logits(frame: CameraFrame): Float32Array {
    if (frame.width % 8 !== 0 || frame.height % 8 !== 0) {
      throw new Error(`the perception network needs an image whose sides divide by 8, got ${frame.width}x${frame.height}`);
    }
    return this.planFor(frame.height / PERCEPTION_STRIDE, frame.width / PERCEPTION_STRIDE).run(frame);
  }
}
