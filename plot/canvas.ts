/**
 * A tiny RGB raster with rectangles, lines and bitmap text, written out as PNG (pngjs).
 */
import { PNG } from 'pngjs';
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyph } from './font';

export type Colour = readonly [number, number, number];

export const WHITE: Colour = [255, 255, 255];
export const BLACK: Colour = [0, 0, 0];
export const GREY: Colour = [150, 150, 150];
export const LIGHT_GREY: Colour = [225, 225, 225];
/** Distinguishable series colours (Okabe-Ito). */
export const PALETTE: readonly Colour[] = [
  [0, 114, 178], [230, 159, 0], [0, 158, 115], [204, 121, 167], [86, 180, 233], [213, 94, 0], [240, 228, 66], [0, 0, 0],
];

export class Canvas {
  readonly data: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
    background: Colour = WHITE,
  ) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
      throw new Error(`canvas size must be positive integers, got ${width}x${height}`);
    }
    this.data = new Uint8Array(width * height * 4);
    this.fillRect(0, 0, width, height, background);
  }

  setPixel(x: number, y: number, colour: Colour): void {
    const px = Math.round(x);
    const py = Math.round(y);
    if (px < 0 || py < 0 || px >= this.width || py >= this.height) return;
    const i = (py * this.width + px) * 4;
    this.data[i] = colour[0];
    this.data[i + 1] = colour[1];
    this.data[i + 2] = colour[2];
    this.data[i + 3] = 255;
  }

  fillRect(x: number, y: number, w: number, h: number, colour: Colour): void {
    for (let py = Math.max(0, Math.round(y)); py < Math.min(this.height, Math.round(y + h)); py++) {
      for (let px = Math.max(0, Math.round(x)); px < Math.min(this.width, Math.round(x + w)); px++) this.setPixel(px, py, colour);
    }
  }

  strokeRect(x: number, y: number, w: number, h: number, colour: Colour): void {
    this.line(x, y, x + w, y, colour);
    this.line(x + w, y, x + w, y + h, colour);
    this.line(x + w, y + h, x, y + h, colour);
    this.line(x, y + h, x, y, colour);
  }

  /** A straight line, `thickness` pixels wide. */
  line(x0: number, y0: number, x1: number, y1: number, colour: Colour, thickness = 1): void {
    const steps = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
    const half = Math.floor(thickness / 2);
    for (let s = 0; s <= steps; s++) {
      const x = x0 + ((x1 - x0) * s) / steps;
      const y = y0 + ((y1 - y0) * s) / steps;
      for (let dx = -half; dx <= half; dx++) for (let dy = -half; dy <= half; dy++) this.setPixel(x + dx, y + dy, colour);
    }
  }

  /** Draws text with its top-left corner at (x, y); returns the width drawn. */
  text(x: number, y: number, text: string, colour: Colour = BLACK, scale = 2): number {
    let cx = x;
    for (const char of text) {
      const rows = glyph(char);
      for (let row = 0; row < GLYPH_HEIGHT; row++) {
        for (let col = 0; col < GLYPH_WIDTH; col++) {
          if (rows[row] & (1 << (GLYPH_WIDTH - 1 - col))) this.fillRect(cx + col * scale, y + row * scale, scale, scale, colour);
        }
      }
      cx += (GLYPH_WIDTH + 1) * scale;
    }
    return cx - x;
  }

  /** Text drawn top to bottom, one character under the other (column labels). */
  textVertical(x: number, y: number, text: string, colour: Colour = BLACK, scale = 2): void {
    [...text].forEach((char, i) => this.text(x, y + i * (GLYPH_HEIGHT + 2) * scale, char, colour, scale));
  }

  toPng(): Buffer {
    const png = new PNG({ width: this.width, height: this.height });
    png.data = Buffer.from(this.data.buffer, this.data.byteOffset, this.data.byteLength);
    return PNG.sync.write(png);
  }
}

export function textWidth(text: string, scale = 2): number {
  return [...text].length * (GLYPH_WIDTH + 1) * scale;
}

export function textHeight(scale = 2): number {
  return GLYPH_HEIGHT * scale;
}
