import { strict as assert } from 'assert';
import { initRuntime, seededRandom, tf } from '../models/runtime';

/** Gradients of a conv2d with respect to its input and filter, as plain arrays, on one backend. */
async function convGradients(
  backend: string,
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
    const y = tf.conv2d(xt, wt, stride, pad);
    const weights = tf.tensor(Float32Array.from({ length: y.size }, (_, i) => Math.sin(i * 0.37)), y.shape);
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad).mul(weights).sum())([xt, wt]);
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

  const cases: [string, [number, number, number, number], [number, number, number, number], number, 'same' | 'valid'][] = [
    ['3x3 stride 1 same', [2, 9, 7, 3], [3, 3, 3, 4], 1, 'same'],
    ['3x3 stride 2 same, odd size', [2, 9, 11, 4], [3, 3, 4, 5], 2, 'same'],
    ['2x2 stride 2 same (patchify)', [3, 8, 8, 3], [2, 2, 3, 6], 2, 'same'],
    ['3x3 stride 2 valid', [1, 10, 9, 2], [3, 3, 2, 3], 2, 'valid'],
    ['1x1 stride 1', [2, 5, 6, 7], [1, 1, 7, 3], 1, 'same'],
    ['1x5 conv1d-like', [4, 1, 12, 6], [1, 5, 6, 8], 1, 'same'],
  ];
  for (const [name, xShape, wShape, stride, pad] of cases) {
    it(`match the cpu reference for a ${name} convolution`, async () => {
      const random = seededRandom(xShape.reduce((a, b) => a * 31 + b, 7));
      const x = Float32Array.from({ length: xShape.reduce((a, b) => a * b, 1) }, () => random() * 2 - 1);
      const w = Float32Array.from({ length: wShape.reduce((a, b) => a * b, 1) }, () => random() * 2 - 1);
      const reference = await convGradients('cpu', x, xShape, w, wShape, stride, pad);
      const ours = await convGradients('wasm', x, xShape, w, wShape, stride, pad);
      assert.ok(maxRelativeError(ours.dx, reference.dx) < 1e-5, `input gradient differs by ${maxRelativeError(ours.dx, reference.dx)}`);
      assert.ok(maxRelativeError(ours.dw, reference.dw) < 1e-5, `filter gradient differs by ${maxRelativeError(ours.dw, reference.dw)}`);
    });
  }
});

/** Gradients of a depthwise conv2d with respect to its input and filter, on one backend. */
async function depthwiseGradients(
  backend: string,
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
    const y = tf.depthwiseConv2d(xt, wt, stride, pad);
    const weights = tf.tensor(Float32Array.from({ length: y.size }, (_, i) => Math.cos(i * 0.29)), y.shape);
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad).mul(weights).sum())([xt, wt]);
    return { dx: grads[0].dataSync() as Float32Array, dw: grads[1].dataSync() as Float32Array };
  });
}

describe('wasm depthwise convolution gradient kernels', function () {
  this.timeout(60000);
  before(async () => {
    await initRuntime('wasm');
  });
  after(async () => {
    await tf.setBackend('wasm');
  });

  const cases: [string, [number, number, number, number], [number, number, number, number], number, 'same' | 'valid'][] = [
    ['3x3 stride 1 same', [2, 9, 7, 5], [3, 3, 5, 1], 1, 'same'],
    ['3x3 stride 2 same, odd size', [2, 9, 11, 4], [3, 3, 4, 1], 2, 'same'],
    ['3x3 stride 2 valid', [1, 10, 9, 3], [3, 3, 3, 1], 2, 'valid'],
    ['3x3 channel multiplier 2', [2, 6, 7, 3], [3, 3, 3, 2], 1, 'same'],
    ['5x1 stride 1 same', [1, 8, 4, 6], [5, 1, 6, 1], 1, 'same'],
  ];
  for (const [name, xShape, wShape, stride, pad] of cases) {
    it(`match the cpu reference for a ${name} depthwise convolution`, async () => {
      const random = seededRandom(xShape.reduce((a, b) => a * 17 + b, 3));
      const x = Float32Array.from({ length: xShape.reduce((a, b) => a * b, 1) }, () => random() * 2 - 1);
      const w = Float32Array.from({ length: wShape.reduce((a, b) => a * b, 1) }, () => random() * 2 - 1);
      const reference = await depthwiseGradients('cpu', x, xShape, w, wShape, stride, pad);
      const ours = await depthwiseGradients('wasm', x, xShape, w, wShape, stride, pad);
      assert.equal(ours.dx.length, reference.dx.length);
      assert.equal(ours.dw.length, reference.dw.length);
      assert.ok(maxRelativeError(ours.dx, reference.dx) < 1e-5, `input gradient differs by ${maxRelativeError(ours.dx, reference.dx)}`);
      assert.ok(maxRelativeError(ours.dw, reference.dw) < 1e-5, `filter gradient differs by ${maxRelativeError(ours.dw, reference.dw)}`);
    });
  }
});
