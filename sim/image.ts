/** Writing frames to PNG and showing an instance mask in colours. */
import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';

function rgbToRgba(rgb: Uint8Array, width: number, height: number): Buffer {
  const n = width * height;
  if (rgb.length !== n * 3) throw new Error(`image: ${rgb.length} bytes is not ${width}x${height} rgb8`);
  const out = Buffer.alloc(n * 4);
  for (let i = 0; i < n; i++) {
    out[4 * i] = rgb[3 * i]!;
    out[4 * i + 1] = rgb[3 * i + 1]!;
    out[4 * i + 2] = rgb[3 * i + 2]!;
    out[4 * i + 3] = 255;
  }
  return out;
}

/** PNG bytes of an rgb8 image. */
export function encodePng(rgb: Uint8Array, width: number, height: number): Buffer {
  const png = new PNG({ width, height });
  rgbToRgba(rgb, width, height).copy(png.data);
  return PNG.sync.write(png);
}

export function writePng(path: string, rgb: Uint8Array, width: number, height: number): void {
  writeFileSync(path, encodePng(rgb, width, height));
}

/** A distinct colour per mask value (0 stays black), for looking at masks. */
export function maskToRgb(mask: Uint16Array | Int32Array): Uint8Array {
  const out = new Uint8Array(mask.length * 3);
  for (let i = 0; i < mask.length; i++) {
    const id = mask[i]!;
    if (id === 0) continue;
    // Golden-angle hues keep neighbouring ids apart.
    const h = (id * 137.508) % 360;
    const s = 0.75;
    const v = id % 2 === 0 ? 0.95 : 0.75;
    const c = v * s;
    const x = c * (1 - Math.abs(((h / 60) % 2) - 1));
    const [r, g, b] = h < 60 ? [c, x, 0] : h < 120 ? [x, c, 0] : h < 180 ? [0, c, x] : h < 240 ? [0, x, c] : h < 300 ? [x, 0, c] : [c, 0, x];
    out[3 * i] = Math.round((r + v - c) * 255);
    out[3 * i + 1] = Math.round((g + v - c) * 255);
    out[3 * i + 2] = Math.round((b + v - c) * 255);
  }
  return out;
}
