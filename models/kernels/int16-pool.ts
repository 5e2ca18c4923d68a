/**
 * 2x2 max pooling (stride 2) of int16 NHWC activations, eight channels at a time.
 */
import { FunctionBody, I32, Simd, V128 } from './wasm-encoding';

export interface PoolShape {
  readonly outHeight: number;
  readonly outWidth: number;
  /** A multiple of 8. */
  readonly channels: number;
  readonly inRowBytes: number;
  readonly outRowBytes: number;
}

/** The function body of a pooling of `shape`: (input origin, output origin). */
export function maxPoolBody(shape: PoolShape): FunctionBody {
  const { outHeight, outWidth, channels, inRowBytes, outRowBytes } = shape;
  if (channels % 8 !== 0) throw new Error(`int16 max pooling needs channels in eights, got ${channels}`);
  const f = new FunctionBody([I32, I32]);
  const [input, output] = [0, 1];
  const [rowsLeft, inRow, outRow, columnsLeft, inPixel, outPixel] = Array.from({ length: 6 }, () => f.local(I32));
  const best = f.local(V128);
  const pixelBytes = channels * 2;
  f.get(input).set(inRow).get(output).set(outRow).i32(outHeight).set(rowsLeft);
  f.doWhile(
    () => {
      f.get(inRow).set(inPixel).get(outRow).set(outPixel).i32(outWidth).set(columnsLeft);
      f.doWhile(
        () => {
          for (let block = 0; block < channels / 8; block++) {
            const at = block * 16;
            f.get(inPixel).simdMemory(Simd.load, at).get(inPixel).simdMemory(Simd.load, at + pixelBytes).simd(Simd.i16x8MaxS).set(best);
            f.get(inPixel).simdMemory(Simd.load, at + inRowBytes).get(best).simd(Simd.i16x8MaxS).set(best);
            f.get(outPixel).get(inPixel).simdMemory(Simd.load, at + inRowBytes + pixelBytes).get(best).simd(Simd.i16x8MaxS).simdMemory(Simd.store, at);
          }
          f.addTo(inPixel, 2 * pixelBytes).addTo(outPixel, pixelBytes);
        },
        () => f.countDown(columnsLeft),
      );
      f.addTo(inRow, 2 * inRowBytes).addTo(outRow, outRowBytes);
    },
    () => f.countDown(rowsLeft),
  );
  return f;
}
