/**
 * The trained object classifier run on int16 WebAssembly kernels (models/kernels/), crop by crop:
 * its three convolutions and two max poolings in int16, the global average and the two dense
 * layers in TypeScript (a few thousand multiply-adds a crop).
 *
 * The crop's pixels are kept in steps of 1/CROP_STEPS (the bilinear crop has fractions of a byte);
 * each convolution's ReLU output in ACTIVATION_STEPS steps of its calibrated range, as for the
 * cell network (int16-cells.ts).
 */
import type * as tfType from '@tensorflow/tfjs';
import { ACTIVATION_STEPS, Int16ProgramBuilder, inEights, simdAvailable, type ActivationBuffer, type Int16Program } from '../kernels/int16-program';
import { convWeights, RANGE_HEADROOM, type ActivationRanges } from './int16-cells';
import { OBJECT_CROP } from './perception-model';

const CROP_STEPS = 4080;
/** The classifier's convolutions, each followed by 2x2 max pooling but the last. */
export const OBJECT_CONVOLUTIONS = ['c1', 'c2', 'c3'] as const;

interface Dense {
  readonly inputs: number;
  readonly units: number;
  /** [inputs, units] */
  readonly kernel: Float32Array;
  readonly bias: Float32Array;
}

function denseWeights(model: tfType.LayersModel, name: string, activation: 'relu' | 'linear'): Dense | null {
  const layer = model.layers.find((l) => l.name === name);
  if (!layer || layer.getClassName() !== 'Dense' || (layer.getConfig() as { activation?: string }).activation !== activation) return null;
  const [kernel, bias] = layer.getWeights();
  const [inputs, units] = kernel.shape as [number, number];
  return { inputs, units, kernel: kernel.dataSync() as Float32Array, bias: bias.dataSync() as Float32Array };
}

function applyDense(layer: Dense, input: Float32Array, out: Float32Array, relu: boolean): void {
  for (let o = 0; o < layer.units; o++) {
    let sum = layer.bias[o];
    for (let i = 0; i < layer.inputs; i++) sum += input[i] * layer.kernel[i * layer.units + o];
    out[o] = relu && sum < 0 ? 0 : sum;
  }
}

export class Int16ObjectClassifier {
  private readonly features: Float32Array;
  private readonly hiddenOut: Float32Array;

  private constructor(
    private readonly program: Int16Program,
    private readonly input: ActivationBuffer,
    private readonly last: ActivationBuffer,
    private readonly lastStep: number,
    private readonly lastChannels: number,
    private readonly hidden: Dense,
    private readonly logitsLayer: Dense,
  ) {
    this.features = new Float32Array(hidden.inputs);
    this.hiddenOut = new Float32Array(hidden.units);
  }

  /** Null when the classifier is not the plain convolutional one (separable, say) or WebAssembly SIMD is missing. */
  static from(objects: tfType.LayersModel, ranges: ActivationRanges): Int16ObjectClassifier | null {
    const convolutions = OBJECT_CONVOLUTIONS.map((name) => convWeights(objects, name, 'relu'));
    const hidden = denseWeights(objects, 'hidden', 'relu');
    const logits = denseWeights(objects, 'logits', 'linear');
    if (convolutions.includes(null) || !hidden || !logits || !simdAvailable()) return null;
    const builder = new Int16ProgramBuilder();
    const input = builder.buffer(OBJECT_CROP, OBJECT_CROP, 4, 1);
    let from = input;
    let quantum = { step: 1 / CROP_STEPS, max: CROP_STEPS };
    let side = OBJECT_CROP;
    convolutions.forEach((layer, i) => {
      if (!layer) return;
      const range = ranges[layer.name];
      if (!(range > 0)) throw new Error(`no calibrated activation range for object classifier layer '${layer.name}'`);
      const out = builder.buffer(side, side, inEights(layer.outChannels), 0);
      quantum = { step: builder.conv(layer, from, out, quantum, (range * RANGE_HEADROOM) / ACTIVATION_STEPS), max: ACTIVATION_STEPS };
      from = out;
      if (i < convolutions.length - 1) {
        side /= 2;
        from = builder.buffer(side, side, out.channels, 1);
        builder.maxPool(out, from);
      }
    });
    const lastChannels = convolutions[convolutions.length - 1]?.outChannels ?? 0;
    if (hidden.inputs !== lastChannels + 1) throw new Error(`object classifier 'hidden' reads ${hidden.inputs} features, not ${lastChannels} + scale`);
    return new Int16ObjectClassifier(builder.build(), input, from, quantum.step, lastChannels, hidden, logits);
  }

  /** Logits [count, channels] of `count` crops ([count, OBJECT_CROP, OBJECT_CROP, 3] in 0..1) and their scales. */
  logits(crops: Float32Array, scales: Float32Array, count: number): Float32Array {
    const { program, lastChannels, features } = this;
    const units = this.logitsLayer.units;
    const out = new Float32Array(count * units);
    const pixels = program.int16(this.input);
    const last = program.int16(this.last);
    const padded = OBJECT_CROP + 2;
    const positions = this.last.height * this.last.width;
    const stored = this.last.channels;
    const average = this.lastStep / positions;
    for (let crop = 0; crop < count; crop++) {
      const base = crop * OBJECT_CROP * OBJECT_CROP * 3;
      for (let y = 0; y < OBJECT_CROP; y++) {
        let from = base + y * OBJECT_CROP * 3;
        let to = ((y + 1) * padded + 1) * 4;
        for (let x = 0; x < OBJECT_CROP; x++, from += 3, to += 4) {
          // Pixels are non-negative: adding a half and truncating rounds them.
          pixels[to] = crops[from] * CROP_STEPS + 0.5;
          pixels[to + 1] = crops[from + 1] * CROP_STEPS + 0.5;
          pixels[to + 2] = crops[from + 2] * CROP_STEPS + 0.5;
        }
      }
      program.run();
      features.fill(0);
      for (let p = 0; p < positions; p++) {
        const at = p * stored;
        for (let c = 0; c < lastChannels; c++) features[c] += last[at + c];
      }
      for (let c = 0; c < lastChannels; c++) features[c] *= average;
      features[lastChannels] = scales[crop];
      applyDense(this.hidden, features, this.hiddenOut, true);
      applyDense(this.logitsLayer, this.hiddenOut, out.subarray(crop * units, (crop + 1) * units), false);
    }
    return out;
  }
}
