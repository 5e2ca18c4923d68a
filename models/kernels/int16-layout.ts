/**
 * The cell network's data movement as kernels, which in TypeScript cost a quarter of a frame's
 * convolution time: the rgb8 image cut into int16 patches (space-to-depth), and the context
 * logits upsampled 2x (nearest) and added onto the fine ones.
 */
import { FunctionBody, I32, Op, Simd, V128 } from './wasm-encoding';

/**
 * (rgb8 image origin, patches origin): the image's 4x4-pixel patches as [rows][cols][4 x 4 x 3]
 * int16 (pixel rows of a patch in order), bytes unchanged. Reads up to 4 bytes past the image's
 * last pixel, so the image buffer needs that much slack.
 */
export function spaceToDepthBody(width: number, rows: number, cols: number, stride = 4): FunctionBody {
  if (stride !== 4) throw new Error('space-to-depth kernel: patches are 4 pixels wide (12 bytes of one patch row in a 16-byte load)');
  const f = new FunctionBody([I32, I32]);
  const [image, patches] = [0, 1];
  const [source, target, rowsLeft, columnsLeft, patchRow, rowSource, rowTarget] = Array.from({ length: 7 }, () => f.local(I32));
  const bytes = f.local(V128);
  const patchBytes = stride * stride * 3 * 2;
  f.get(image).set(rowSource).get(patches).set(rowTarget).i32(rows).set(rowsLeft);
  f.doWhile(
    () => {
      f.i32(0).set(patchRow);
      for (let dy = 0; dy < stride; dy++) {
        f.get(rowSource).i32(dy * width * 3).emit(Op.i32Add).set(source);
        f.get(rowTarget).i32(dy * stride * 3 * 2).emit(Op.i32Add).set(target);
        f.i32(cols).set(columnsLeft);
        f.doWhile(
          () => {
            f.get(source).simdMemory(Simd.load, 0).set(bytes);
            f.get(target).get(bytes).simd(Simd.i16x8ExtendLowI8x16U).simdMemory(Simd.store, 0);
            f.get(target).get(bytes).simd(Simd.i16x8ExtendHighI8x16U).simdLane(Simd.store64Lane, 16, 0);
            f.addTo(source, stride * 3).addTo(target, patchBytes);
          },
          () => f.countDown(columnsLeft),
        );
      }
      f.addTo(rowSource, stride * width * 3).addTo(rowTarget, cols * patchBytes);
    },
    () => f.countDown(rowsLeft),
  );
  return f;
}

/**
 * (fine origin, context origin): fine[r][c] += context[r / 2][c / 2] over float32 pixels of
 * `channels` (a multiple of 4) channels; fine is rows x cols, context half that each way.
 */
export function addUpsampledBody(rows: number, cols: number, channels: number): FunctionBody {
  if (channels % 4 !== 0 || rows % 2 !== 0 || cols % 2 !== 0) throw new Error('upsample-add kernel: channels in fours, even sides');
  const f = new FunctionBody([I32, I32]);
  const [fine, context] = [0, 1];
  const [fineAt, contextRow, contextAt, rowsLeft, columnsLeft] = Array.from({ length: 5 }, () => f.local(I32));
  const value = f.local(V128);
  const pixelBytes = channels * 4;
  f.get(fine).set(fineAt).get(context).set(contextRow).i32(rows / 2).set(rowsLeft);
  f.doWhile(
    () => {
      for (let half = 0; half < 2; half++) {
        f.get(contextRow).set(contextAt).i32(cols / 2).set(columnsLeft);
        f.doWhile(
          () => {
            for (let v = 0; v < channels / 4; v++) {
              f.get(contextAt).simdMemory(Simd.load, v * 16).set(value);
              for (let pixel = 0; pixel < 2; pixel++) {
                const at = pixel * pixelBytes + v * 16;
                f.get(fineAt).get(fineAt).simdMemory(Simd.load, at).get(value).simd(Simd.f32x4Add).simdMemory(Simd.store, at);
              }
            }
            f.addTo(fineAt, 2 * pixelBytes).addTo(contextAt, pixelBytes);
          },
          () => f.countDown(columnsLeft),
        );
      }
      f.addTo(contextRow, (cols / 2) * pixelBytes);
    },
    () => f.countDown(rowsLeft),
  );
  return f;
}
