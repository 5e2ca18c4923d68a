/**
 * A fixed sequence of int16 kernels over buffers in one WebAssembly memory: what a trained
 * network becomes for inference (int16-cells.ts, int16-objects.ts). The builder lays out the
 * buffers and the quantised constants, generates one kernel per layer shape, and compiles them
 * into one module; `run` then calls them in order with no allocation.
 *
 * Quantisation of one convolution: its input is in steps of `inputStep` (largest `maxInput`),
 * its weights in per-output-channel steps (weightSteps), and its ReLU output in steps of
 * `outputStep` up to ACTIVATION_STEPS, clamped; or float32 when no output step is given.
 */
import { convolutionBody, packConvWeights, weightSteps, type ConvKernelShape } from './int16-conv';
import { maxPoolBody } from './int16-pool';
import { encodeModule, type FunctionBody } from './wasm-encoding';

export const ACTIVATION_STEPS = 4095;

/** A convolution's trained weights, as tfjs holds them. */
export interface ConvWeights {
  readonly name: string;
  readonly size: number;
  readonly stride: number;
  readonly inChannels: number;
  readonly outChannels: number;
  /** [size, size, inChannels, outChannels] */
  readonly kernel: Float32Array;
  readonly bias: Float32Array;
}

/** The same layer reading only input channels start..start+count-1 (zero bias unless start is 0). */
export function sliceInputs(layer: ConvWeights, start: number, count: number): ConvWeights {
  return remapInputs(layer, count, (c) => (c < count ? start + c : -1), start === 0);
}

/** The same layer reading `channels` input channels, the ones past its own with zero weights. */
export function padInputs(layer: ConvWeights, channels: number): ConvWeights {
  return remapInputs(layer, channels, (c) => (c < layer.inChannels ? c : -1), true);
}

function remapInputs(layer: ConvWeights, channels: number, source: (c: number) => number, keepBias: boolean): ConvWeights {
  const { size, outChannels } = layer;
  const kernel = new Float32Array(size * size * channels * outChannels);
  for (let tap = 0; tap < size * size; tap++) {
    for (let c = 0; c < channels; c++) {
      const from = source(c);
      if (from < 0) continue;
      const at = (tap * layer.inChannels + from) * outChannels;
      kernel.set(layer.kernel.subarray(at, at + outChannels), (tap * channels + c) * outChannels);
    }
  }
  return { ...layer, inChannels: channels, kernel, bias: keepBias ? layer.bias : new Float32Array(outChannels) };
}

/** NHWC activations in the module's memory with `border` pixels of zeros around: int16, or float32 logits. */
export interface ActivationBuffer {
  readonly offset: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly border: number;
  readonly bytes: 2 | 4;
}

export const rowBytes = (b: ActivationBuffer) => (b.width + 2 * b.border) * b.channels * b.bytes;
/** Byte address of pixel (y, x) of the buffer's interior (negative reaches into the border). */
export const pixelAddress = (b: ActivationBuffer, y: number, x: number) => b.offset + ((y + b.border) * (b.width + 2 * b.border) + x + b.border) * b.channels * b.bytes;

/** Output channels rounded up to the kernels' blocks of eight. */
export const inEights = (channels: number) => Math.ceil(channels / 8) * 8;

interface Step {
  readonly name: string;
  readonly args: readonly number[];
}

export class Int16ProgramBuilder {
  private end = 0;
  private readonly functions: { name: string; body: FunctionBody }[] = [];
  private readonly steps: Step[] = [];
  private readonly constants: { at: number; data: Int16Array | Float32Array }[] = [];

  /** Reserves `bytes` of memory (16-byte aligned) and returns their address. */
  allocate(bytes: number): number {
    const at = this.end;
    this.end += Math.ceil(bytes / 16) * 16;
    return at;
  }

  buffer(height: number, width: number, channels: number, border: number, bytes: 2 | 4 = 2): ActivationBuffer {
    return { offset: this.allocate((height + 2 * border) * (width + 2 * border) * channels * bytes), height, width, channels, border, bytes };
  }

  private constant(data: Int16Array | Float32Array): number {
    const at = this.allocate(data.byteLength);
    this.constants.push({ at, data });
    return at;
  }

  /**
   * `to` = layer(`from`) with tfjs's 'same' padding, `from` holding at least the padding as its
   * border. Returns the output's step (1 for float32 output).
   */
  conv(layer: ConvWeights, from: ActivationBuffer, to: ActivationBuffer, input: { step: number; max: number }, outputStep?: number): number {
    const float = to.bytes === 4;
    if (float !== (outputStep === undefined)) throw new Error(`layer '${layer.name}': an int16 output needs a step, a float32 output none`);
    if (from.channels < layer.inChannels) throw new Error(`layer '${layer.name}' reads ${layer.inChannels} channels, its input buffer holds ${from.channels}`);
    // The buffer's channels past the layer's own are padding: read with zero weights.
    if (from.channels > layer.inChannels) layer = padInputs(layer, from.channels);
    const padded = inEights(layer.outChannels);
    if (to.channels !== padded) throw new Error(`layer '${layer.name}' writes ${padded} channels, its output buffer holds ${to.channels}`);
    const { packed, step } = packConvWeights(layer.kernel, layer.size, layer.inChannels, layer.outChannels, weightSteps(layer.size, layer.inChannels, input.max));
    const out = outputStep ?? 1;
    const scales = new Float32Array(padded);
    const biases = new Float32Array(padded);
    for (let o = 0; o < layer.outChannels; o++) {
      scales[o] = (input.step * step[o]) / out;
      biases[o] = layer.bias[o] / out;
    }
    const shape: ConvKernelShape = {
      kernel: layer.size, stride: layer.stride, inChannels: layer.inChannels, outChannels: padded, outHeight: to.height, outWidth: to.width,
      inRowBytes: rowBytes(from), outRowBytes: rowBytes(to), outPixelBytes: to.channels * to.bytes, output: float ? 'float32' : 'int16-relu', pixels: to.width % 2 === 0 ? 2 : 1,
    };
    // tfjs's 'same' padding puts the odd row and column of padding after the image.
    const padding = (outSide: number, inSide: number) => {
      const total = Math.max((outSide - 1) * layer.stride + layer.size - inSide, 0);
      if (total - Math.floor(total / 2) > from.border) throw new Error(`layer '${layer.name}': its input buffer's border of ${from.border} is narrower than the padding`);
      return Math.floor(total / 2);
    };
    const [top, left] = [padding(to.height, from.height), padding(to.width, from.width)];
    const name = `f${this.functions.length}_${layer.name}`;
    this.functions.push({ name, body: convolutionBody(shape) });
    const args = [pixelAddress(from, -top, -left), this.constant(packed), this.constant(scales), this.constant(biases), pixelAddress(to, 0, 0), ACTIVATION_STEPS];
    this.steps.push({ name, args });
    return out;
  }

  /** `to` = 2x2 max pooling of `from` (int16, same channels). */
  maxPool(from: ActivationBuffer, to: ActivationBuffer): void {
    if (from.channels !== to.channels || to.height * 2 !== from.height || to.width * 2 !== from.width) throw new Error('max pooling halves the sides and keeps the channels');
    const name = `f${this.functions.length}_pool`;
    this.functions.push({ name, body: maxPoolBody({ outHeight: to.height, outWidth: to.width, channels: from.channels, inRowBytes: rowBytes(from), outRowBytes: rowBytes(to) }) });
    this.steps.push({ name, args: [pixelAddress(from, 0, 0), pixelAddress(to, 0, 0)] });
  }

  /** A step of another kernel: `body` called with `args`. */
  kernel(name: string, body: FunctionBody, args: readonly number[]): void {
    const unique = `f${this.functions.length}_${name}`;
    this.functions.push({ name: unique, body });
    this.steps.push({ name: unique, args });
  }

  build(): Int16Program {
    const module = new WebAssembly.Module(encodeModule(this.functions, Math.max(1, Math.ceil(this.end / 65536))));
    const instance = new WebAssembly.Instance(module, {});
    const memory = (instance.exports.memory as WebAssembly.Memory).buffer;
    for (const { at, data } of this.constants) new Uint8Array(memory, at, data.byteLength).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    const calls = this.steps.map((step) => ({ call: instance.exports[step.name] as (...args: number[]) => void, args: step.args }));
    return new Int16Program(memory, calls);
  }
}

export class Int16Program {
  constructor(
    readonly memory: ArrayBuffer,
    private readonly calls: readonly { call: (...args: number[]) => void; args: readonly number[] }[],
  ) {}

  run(): void {
    for (const { call, args } of this.calls) call(...args);
  }

  /** The buffer's whole storage, border included. */
  int16(buffer: ActivationBuffer): Int16Array {
    return new Int16Array(this.memory, buffer.offset, (buffer.height + 2 * buffer.border) * (buffer.width + 2 * buffer.border) * buffer.channels);
  }

  float32(buffer: ActivationBuffer): Float32Array {
    return new Float32Array(this.memory, buffer.offset, (buffer.height + 2 * buffer.border) * (buffer.width + 2 * buffer.border) * buffer.channels);
  }
}

/** Whether this engine runs WebAssembly's fixed-width SIMD (all the kernels need it). */
export function simdAvailable(): boolean {
  // (module (func (result v128) v128.const 0))
  const probe = Uint8Array.from([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, ...new Array(16).fill(0), 11]);
  return WebAssembly.validate(probe);
}
