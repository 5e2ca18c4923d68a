/**
 * A visual attention heatmap laid over the camera image it belongs to, with a caption: how a
 * person checks where the robot looks.
 */
import { BLACK, Canvas, WHITE } from './canvas';

/** Dark blue through red to yellow for heat 0..1. */
function heatColour(t: number): [number, number, number] {
  const x = Math.max(0, Math.min(1, t));
  return [Math.round(255 * Math.min(1, 2 * x)), Math.round(255 * Math.max(0, 2 * x - 1)), Math.round(160 * (1 - x))];
}

/**
 * rgb8 image (width x height) with `heat` (one value per pixel) blended in where it is warm,
 * scaled up by `scale`, and caption lines below.
 */
export function heatmapOverlay(rgb: Uint8Array, width: number, height: number, heat: Float32Array, caption: readonly string[], scale = 2): Canvas {
  let peak = 0;
  for (const h of heat) peak = Math.max(peak, h);
  const lineHeight = 14;
  const canvas = new Canvas(width * scale, height * scale + caption.length * lineHeight + 8, WHITE);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const t = peak > 0 ? heat[i] / peak : 0;
      const alpha = Math.min(0.75, t * 1.2);
      const [hr, hg, hb] = heatColour(t);
      const colour: [number, number, number] = [
        Math.round(rgb[i * 3] * (1 - alpha) + hr * alpha),
        Math.round(rgb[i * 3 + 1] * (1 - alpha) + hg * alpha),
        Math.round(rgb[i * 3 + 2] * (1 - alpha) + hb * alpha),
      ];
      canvas.fillRect(x * scale, y * scale, scale, scale, colour);
    }
  }
  caption.forEach((line, k) => canvas.text(6, height * scale + 6 + k * lineHeight, line, BLACK, 2));
  return canvas;
}
