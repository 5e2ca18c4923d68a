/**
 * A square convolution over int16 NHWC activations with int16 weights, int32 sums, then one
 * multiply-add per output channel back to floats: either requantized (ReLU, clamped to
 * 0..maxQ, rounded to int16) for the next layer, or kept as float32 logits.
 *
 * Why int16: WebAssembly's i32x4.dot_i16x8_s does eight multiply-adds in one instruction where
 * float32 needs a multiply and an add for four, and the convolutions are nearly all of a frame.
 *
 * Layout. The input pixel pairs of channels (c, c+1) are broadcast to all four lanes and
 * dotted with [o0c o0c+1 o1c o1c+1 o2c o2c+1 o3c o3c+1], giving four output channels' partial sums.
 * For one kernel row the taps' input pixels are contiguous, so the inner loop walks one pointer
 * over kernel columns x channel pairs. A block is eight output channels (two accumulators) for
 * `pixels` neighbouring output pixels, which share the weight loads.
 *
 * Weights: [block][kernel row][kernel column][channel pair][2 x 4 outputs][2 inputs] int16
 * (packConvWeights). The input buffer must hold the padding as zeros: the kernel reads
 * (oy * stride + ky, ox * stride + kx) from the origin it is given, with no bounds checks.
 */
import { F32, FunctionBody, I32, Simd, V128, Op } from './wasm-encoding';

export interface ConvKernelShape {
  readonly kernel: number;
  readonly stride: number;
  /** Even. */
  readonly inChannels: number;
  /** A multiple of 8. */
  readonly outChannels: number;
  readonly outHeight: number;
  /** A multiple of `pixels`. */
  readonly outWidth: number;
  /** Bytes from one input row to the next (the buffer's padded width x channels x 2). */
  readonly inRowBytes: number;
  readonly outRowBytes: number;
  /** Bytes from one output pixel to the next (channels x 2 for int16, x 4 for float32). */
  readonly outPixelBytes: number;
  readonly output: 'int16-relu' | 'float32';
  /** Output pixels computed together (1, 2 or 4). */
  readonly pixels: number;
}

/** Parameters of a generated convolution: byte addresses in the module's memory, then maxQ. */
export const CONV_PARAMS = [I32, I32, I32, I32, I32, F32] as const;

/** The largest weight magnitude, in int16 steps, for which no int32 sum can overflow. */
export function weightSteps(kernel: number, inChannels: number, maxInput: number): number {
  return Math.min(32767, Math.floor(0x7fffffff / (kernel * kernel * inChannels * maxInput)));
}

export function checkShape(shape: ConvKernelShape): void {
  const { inChannels, outChannels, outWidth, pixels } = shape;
  if (inChannels % 2 !== 0) throw new Error(`int16 convolution needs an even number of input channels, got ${inChannels}`);
  if (outChannels % 8 !== 0) throw new Error(`int16 convolution needs output channels in eights, got ${outChannels}`);
  if (![1, 2, 4].includes(pixels) || outWidth % pixels !== 0) throw new Error(`int16 convolution: ${outWidth} output columns do not split into ${pixels}s`);
}

/** The function body of a convolution of `shape`: (input origin, weights, scales, biases, output, maxQ). */
export function convolutionBody(shape: ConvKernelShape): FunctionBody {
  checkShape(shape);
  const { kernel, stride, inChannels, outChannels, outHeight, outWidth, inRowBytes, outRowBytes, outPixelBytes, pixels } = shape;
  const int16Out = shape.output === 'int16-relu';
  const f = new FunctionBody(CONV_PARAMS);
  const [inOrigin, weights, scales, biases, out, maxQ] = [0, 1, 2, 3, 4, 5];
  const [rowsLeft, inRow, outRow, columnsLeft, inPixel, outPixel, blocksLeft, weight, blockOffset, outBlock, kernelRowsLeft, tap, cursor, end] = Array.from({ length: 14 }, () => f.local(I32));
  const acc = Array.from({ length: pixels * 2 }, () => f.local(V128));
  const [w0, w1, splat, maxVector, scale0, scale1, bias0, bias1, low] = Array.from({ length: 9 }, () => f.local(V128));
  const pixelStep = stride * inChannels * 2;
  const run = kernel * (inChannels / 2);
  const unroll = run % 2 === 0 ? 2 : 1;

  f.get(maxQ).simd(Simd.f32x4Splat).set(maxVector);
  f.get(inOrigin).set(inRow).get(out).set(outRow).i32(outHeight).set(rowsLeft);
  f.doWhile(
    () => {
      f.get(inRow).set(inPixel).get(outRow).set(outPixel).i32(outWidth / pixels).set(columnsLeft);
      f.doWhile(
        () => {
          f.get(weights).set(weight).i32(0).set(blockOffset).get(outPixel).set(outBlock).i32(outChannels / 8).set(blocksLeft);
          f.doWhile(
            () => {
              for (const a of acc) f.zeroVector().set(a);
              f.get(inPixel).set(tap).i32(kernel).set(kernelRowsLeft);
              f.doWhile(
                () => {
                  f.get(tap).set(cursor).get(tap).i32(run * 4).emit(Op.i32Add).set(end);
                  f.doWhile(
                    () => {
                      for (let u = 0; u < unroll; u++) {
                        f.get(weight).simdMemory(Simd.load, u * 32).set(w0);
                        f.get(weight).simdMemory(Simd.load, u * 32 + 16).set(w1);
                        for (let j = 0; j < pixels; j++) {
                          f.get(cursor).simdMemory(Simd.load32Splat, j * pixelStep + u * 4).set(splat);
                          f.get(acc[2 * j]).get(splat).get(w0).simd(Simd.i32x4DotI16x8S).simd(Simd.i32x4Add).set(acc[2 * j]);
                          f.get(acc[2 * j + 1]).get(splat).get(w1).simd(Simd.i32x4DotI16x8S).simd(Simd.i32x4Add).set(acc[2 * j + 1]);
                        }
                      }
                      f.addTo(cursor, 4 * unroll).addTo(weight, 32 * unroll);
                    },
                    () => f.get(cursor).get(end).emit(Op.i32Ne),
                  );
                  f.addTo(tap, inRowBytes);
                },
                () => f.countDown(kernelRowsLeft),
              );
              f.get(scales).get(blockOffset).emit(Op.i32Add).simdMemory(Simd.load, 0).set(scale0);
              f.get(scales).get(blockOffset).emit(Op.i32Add).simdMemory(Simd.load, 16).set(scale1);
              f.get(biases).get(blockOffset).emit(Op.i32Add).simdMemory(Simd.load, 0).set(bias0);
              f.get(biases).get(blockOffset).emit(Op.i32Add).simdMemory(Simd.load, 16).set(bias1);
              for (let j = 0; j < pixels; j++) {
                for (let g = 0; g < 2; g++) {
                  f.get(acc[2 * j + g]).simd(Simd.f32x4ConvertI32x4S).get(g === 0 ? scale0 : scale1).simd(Simd.f32x4Mul).get(g === 0 ? bias0 : bias1).simd(Simd.f32x4Add);
                  if (int16Out) {
                    f.zeroVector().simd(Simd.f32x4Max).get(maxVector).simd(Simd.f32x4Min).simd(Simd.f32x4Nearest).simd(Simd.i32x4TruncSatF32x4S);
                    if (g === 0) f.set(low);
                    else f.set(acc[2 * j + g]).get(outBlock).get(low).get(acc[2 * j + g]).simd(Simd.i16x8NarrowI32x4S).simdMemory(Simd.store, j * outPixelBytes);
                  } else {
                    f.set(low).get(outBlock).get(low).simdMemory(Simd.store, j * outPixelBytes + g * 16);
                  }
                }
              }
              f.addTo(blockOffset, 32).addTo(outBlock, int16Out ? 16 : 32);
            },
            () => f.countDown(blocksLeft),
          );
          f.addTo(inPixel, pixels * pixelStep).addTo(outPixel, pixels * outPixelBytes);
        },
        () => f.countDown(columnsLeft),
      );
      f.addTo(inRow, stride * inRowBytes).addTo(outRow, outRowBytes);
    },
    () => f.countDown(rowsLeft),
  );
  return f;
}

/**
 * Packs a [kernel, kernel, inChannels, outChannels] float kernel (tfjs's layout) into the
 * kernel's int16 layout, each output channel scaled so that its largest magnitude is `steps`.
 * Returns the packed weights and each output channel's step (float value of one int16 unit).
 */
export function packConvWeights(
  kernel: Float32Array,
  size: number,
  inChannels: number,
  outChannels: number,
  steps: number,
): { packed: Int16Array; step: Float32Array } {
  const paddedOut = Math.ceil(outChannels / 8) * 8;
  const step = new Float32Array(paddedOut);
  for (let o = 0; o < outChannels; o++) {
    let largest = 0;
    for (let i = o; i < kernel.length; i += outChannels) largest = Math.max(largest, Math.abs(kernel[i]));
    step[o] = largest > 0 ? largest / steps : 1;
  }
  const pairs = inChannels / 2;
  const packed = new Int16Array((paddedOut / 8) * size * size * pairs * 16);
  let at = 0;
  for (let block = 0; block < paddedOut / 8; block++) {
    for (let ky = 0; ky < size; ky++) {
      for (let kx = 0; kx < size; kx++) {
        for (let pair = 0; pair < pairs; pair++) {
          for (let o = block * 8; o < block * 8 + 8; o++) {
            for (let c = 2 * pair; c < 2 * pair + 2; c++) {
              packed[at++] = o < outChannels ? Math.round(kernel[((ky * size + kx) * inChannels + c) * outChannels + o] / step[o]) : 0;
            }
          }
        }
      }
    }
  }
  return { packed, step };
}
