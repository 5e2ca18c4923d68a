import { strict as assert } from 'assert';
import { initRuntime, seededRandom, tf } from '../models/runtime';

type Convolution = (x: tf.Tensor4D, w: tf.Tensor4D, stride: number, pad: 'same' | 'valid') => tf.Tensor4D;
const conv2d: Convolution = (x, w, stride, pad) => tf.conv2d(x, w, stride, pad);
const depthwiseConv2d: Convolution = (x, w, stride, pad) => tf.depthwiseConv2d(x, w, stride, pad);

/** Gradients of a convolution with respect to its input and filter, as plain arrays, on one backend. */
async function convGradients(
  backend: string,
  convolution: Convolution,
  x: Float32Array,
  xShape: [number, number, number, number],
  w: Float32Array,
  wShape: [number, number, number, number],
  stride: number,
  pad: 'same' | 'valid',
): Promise<{ dx: Float32Array; dw: Float32Array }> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const xt = tf.tensor4d(x, xShape);
    const wt = tf.tensor4d(w, wShape);
    const y = convolution(xt, wt, stride, pad);
    const weights = tf.tensor(Float32Array.from({ length: y.size }, (_, i) => Math.sin(i * 0.37)), y.shape);
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => convolution(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad).mul(weights).sum())([xt, wt]);
    return { dx: grads[0].dataSync() as Float32Array, dw: grads[1].dataSync() as Float32Array };
  });
}

function maxRelativeError(a: Float32Array, b: Float32Array): number {
  let scale = 1e-6;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / scale);
  return worst;
}

describe('wasm convolution gradient kernels', function () {
  this.timeout(60000);
  before(async () => {
    await initRuntime('wasm');
  });
  after(async () => {
    await tf.setBackend('wasm');
  });

  // Depthwise filters are [height, width, channels, multiplier]: the wasm backend has no gradient for them at all.
  const cases: [string, Convolution, [number, number, number, number], [number, number, number, number], number, 'same' | 'valid'][] = [
    ['3x3 stride 1 same', conv2d, [2, 9, 7, 3], [3, 3, 3, 4], 1, 'same'],
    ['3x3 stride 2 same, odd size', conv2d, [2, 9, 11, 4], [3, 3, 4, 5], 2, 'same'],
    ['2x2 stride 2 same (patchify)', conv2d, [3, 8, 8, 3], [2, 2, 3, 6], 2, 'same'],
    ['3x3 stride 2 valid', conv2d, [1, 10, 9, 2], [3, 3, 2, 3], 2, 'valid'],
    ['1x1 stride 1', conv2d, [2, 5, 6, 7], [1, 1, 7, 3], 1, 'same'],
    ['1x5 conv1d-like', conv2d, [4, 1, 12, 6], [1, 5, 6, 8], 1, 'same'],
    ['3x3 stride 1 same depthwise', depthwiseConv2d, [2, 9, 7, 5], [3, 3, 5, 1], 1, 'same'],
    ['3x3 stride 2 same depthwise, odd size', depthwiseConv2d, [2, 9, 11, 4], [3, 3, 4, 1], 2, 'same'],
    ['3x3 stride 2 valid depthwise', depthwiseConv2d, [1, 10, 9, 3], [3, 3, 3, 1], 2, 'valid'],
    ['3x3 depthwise with channel multiplier 2', depthwiseConv2d, [2, 6, 7, 3], [3, 3, 3, 2], 1, 'same'],
    ['5x1 stride 1 same depthwise', depthwiseConv2d, [1, 8, 4, 6], [5, 1, 6, 1], 1, 'same'],
  ];
  for (const [name, convolution, xShape, wShape, stride, pad] of cases) {
    it(`match the cpu reference for a ${name} convolution`, async () => {
      const random = seededRandom(xShape.reduce((a, b) => a * 31 + b, 7));
      const x = Float32Array.from({ length: xShape.reduce((a, b) => a * b, 1) }, () => random() * 2 - 1);
      const w = Float32Array.from({ length: wShape.reduce((a, b) => a * b, 1) }, () => random() * 2 - 1);
      const reference = await convGradients('cpu', convolution, x, xShape, w, wShape, stride, pad);
      const ours = await convGradients('wasm', convolution, x, xShape, w, wShape, stride, pad);
      assert.equal(ours.dx.length, reference.dx.length);
      assert.equal(ours.dw.length, reference.dw.length);
      assert.ok(maxRelativeError(ours.dx, reference.dx) < 1e-5, `input gradient differs by ${maxRelativeError(ours.dx, reference.dx)}`);
      assert.ok(maxRelativeError(ours.dw, reference.dw) < 1e-5, `filter gradient differs by ${maxRelativeError(ours.dw, reference.dw)}`);
    });
  }
});
