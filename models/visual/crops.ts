/**
 * Object crops for the object classifier, cut in plain TypeScript from the rgb8 frame, so that
 * training and the running stage cut them the same way and no full-image tensor is needed.
 */
import { OBJECT_CROP } from './perception-model';

export interface CropBox {
  readonly u0: number;
  readonly v0: number;
  readonly u1: number;
  readonly v1: number;
}

/**
 * Bilinear crop of box (image pixels) to OBJECT_CROP x OBJECT_CROP, sampled exactly as
 * tf.image.cropAndResize samples at run time (black outside the frame), into `out` at `offset`.
 */
export function cropInto(
  frame: { width: number; height: number; rgb: Uint8Array },
  box: CropBox,
  out: Float32Array,
  offset: number,
  pixel: (value: number, channel: number) => number,
): void {
  const { width, height, rgb } = frame;
  const y1 = box.v0 / height;
  const x1 = box.u0 / width;
  const y2 = box.v1 / height;
  const x2 = box.u1 / width;
  const n = OBJECT_CROP;
  for (let i = 0; i < n; i++) {
    const y = y1 * (height - 1) + (i * (y2 - y1) * (height - 1)) / (n - 1);
    for (let j = 0; j < n; j++) {
      const x = x1 * (width - 1) + (j * (x2 - x1) * (width - 1)) / (n - 1);
      const dst = offset + (i * n + j) * 3;
      if (y < 0 || y > height - 1 || x < 0 || x > width - 1) {
        out[dst] = out[dst + 1] = out[dst + 2] = 0;
        continue;
      }
      const yt = Math.floor(y);
      const yb = Math.min(height - 1, yt + 1);
      const xl = Math.floor(x);
      const xr = Math.min(width - 1, xl + 1);
      const fy = y - yt;
      const fx = x - xl;
      for (let k = 0; k < 3; k++) {
        const top = rgb[(yt * width + xl) * 3 + k] * (1 - fx) + rgb[(yt * width + xr) * 3 + k] * fx;
        const bottom = rgb[(yb * width + xl) * 3 + k] * (1 - fx) + rgb[(yb * width + xr) * 3 + k] * fx;
        out[dst + k] = pixel(top * (1 - fy) + bottom * fy, k);
      }
    }
  }
}
