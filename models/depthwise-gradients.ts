/**
 * The gradients of a depthwise convolution, which the wasm backend does not have (it runs the
 * forward depthwise convolution only), so that separable convolutions train there. Plain loops:
 * a depthwise convolution has one filter tap per channel, a few million multiply-adds a batch.
 * NHWC, any stride, dilation, padding and channel multiplier.
 */
import * as tf from '@tensorflow/tfjs';

interface KernelArgs<A> {
  readonly inputs: Record<string, tf.TensorInfo>;
  readonly backend: tf.KernelBackend;
  readonly attrs: A;
}

interface DepthwiseGradientAttrs {
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
  dilations: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

type Shape4 = [number, number, number, number];

function geometry(inputShape: Shape4, filterShape: Shape4, attrs: DepthwiseGradientAttrs): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(inputShape, filterShape, attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, true);
}

/**
 * Calls `tap(inputOffset, outputOffset, filterOffset)` for every input pixel a filter tap reads
 * for every output pixel, offsets of channel 0; the caller loops over channels.
 */
function forEachTap(info: tf.backend_util.Conv2DInfo, tap: (input: number, output: number, filter: number) => void): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const output = ((b * outHeight + oy) * outWidth + ox) * outChannels;
        for (let ky = 0; ky < filterHeight; ky++) {
          const iy = oy * info.strideHeight + ky * info.dilationHeight - top;
          if (iy < 0 || iy >= inHeight) continue;
          for (let kx = 0; kx < filterWidth; kx++) {
            const ix = ox * info.strideWidth + kx * info.dilationWidth - left;
            if (ix < 0 || ix >= inWidth) continue;
            tap(((b * inHeight + iy) * inWidth + ix) * inChannels, output, (ky * filterWidth + kx) * outChannels);
          }
        }
      }
    }
  }
}

/** dW[ky, kx, c, q] = sum over batch and output pixels of x[.., c] * dy[.., c * multiplier + q]. */
export function depthwiseBackpropFilter({ inputs, backend, attrs }: KernelArgs<DepthwiseGradientAttrs & { filterShape: Shape4 }>): tf.TensorInfo {
  const x = backend.readSync(inputs.x.dataId) as Float32Array;
  const dy = backend.readSync(inputs.dy.dataId) as Float32Array;
  const info = geometry(inputs.x.shape as Shape4, attrs.filterShape, attrs);
  const multiplier = attrs.filterShape[3];
  const channels = info.inChannels;
  const dw = new Float32Array(attrs.filterShape.reduce((a, b) => a * b, 1));
  forEachTap(info, (input, output, filter) => {
    for (let c = 0; c < channels; c++) {
      const value = x[input + c];
      for (let q = 0; q < multiplier; q++) dw[filter + c * multiplier + q] += value * dy[output + c * multiplier + q];
    }
  });
  return { dataId: backend.write(dw, attrs.filterShape, 'float32'), shape: attrs.filterShape, dtype: 'float32' };
}

/** dx[.., c] = sum over the output pixels and taps that read it of dy[.., c * multiplier + q] * W[ky, kx, c, q]. */
export function depthwiseBackpropInput({ inputs, backend, attrs }: KernelArgs<DepthwiseGradientAttrs & { inputShape: Shape4 }>): tf.TensorInfo {
  const dy = backend.readSync(inputs.dy.dataId) as Float32Array;
  const w = backend.readSync(inputs.filter.dataId) as Float32Array;
  const filterShape = inputs.filter.shape as Shape4;
  const info = geometry(attrs.inputShape, filterShape, attrs);
  const multiplier = filterShape[3];
  const channels = info.inChannels;
  const dx = new Float32Array(attrs.inputShape.reduce((a, b) => a * b, 1));
  forEachTap(info, (input, output, filter) => {
    for (let c = 0; c < channels; c++) {
      let sum = 0;
      for (let q = 0; q < multiplier; q++) sum += dy[output + c * multiplier + q] * w[filter + c * multiplier + q];
      dx[input + c] += sum;
    }
  });
  return { dataId: backend.write(dx, attrs.inputShape, 'float32'), shape: attrs.inputShape, dtype: 'float32' };
}
