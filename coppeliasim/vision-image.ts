/**
 * Vision sensor images. `sim.getVisionSensorImg` returns `[bytes, [resX, resY]]`: RGB, 3 bytes a
 * pixel, rows BOTTOM TO TOP. This is the one place that turns them top row first.
 */
import { CoppeliaSimError } from './errors';
import type { WireValue } from './ws-protocol';

/** An RGB image, rows top to bottom, 3 bytes a pixel: `rgb.length === width * height * 3`. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly rgb: Uint8Array;
}

export const RGB_CHANNELS = 3;

/** Reverses the row order of a packed image (bottom-first to top-first or back); returns a new buffer. */
export function flipRows(pixels: Uint8Array, width: number, height: number, channels = RGB_CHANNELS): Uint8Array {
  const stride = width * channels;
  if (pixels.length !== stride * height) {
    throw new RangeError(`image of ${width}x${height}x${channels} needs ${stride * height} bytes, got ${pixels.length}`);
  }
  const out = new Uint8Array(pixels.length);
  for (let row = 0; row < height; row++) {
    const from = (height - 1 - row) * stride;
    out.set(pixels.subarray(from, from + stride), row * stride);
  }
  return out;
}

function isResolution(value: WireValue | undefined): value is readonly [number, number] {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    value.every((v: WireValue) => typeof v === 'number' && Number.isInteger(v) && v > 0)
  );
}

/**
 * Reads the return values of `sim.getVisionSensorImg` into a top-row-first image. Before 4.7 the
 * buffer is a Lua string, which the server's CBOR encoder sends as text when it happens to be valid
 * UTF-8 (a dark image, say): its UTF-8 bytes are then the pixels.
 */
export function imageFromVisionSensorReply(ret: readonly WireValue[], func = 'sim.getVisionSensorImg'): RgbImage {
  const [data, resolution] = ret;
  if (!isResolution(resolution)) {
    throw new CoppeliaSimError('protocol', `${func} returned ${JSON.stringify(resolution) ?? 'nothing'} as its resolution, expected [resX, resY]`, func);
  }
  let bytes: Uint8Array;
  if (data instanceof Uint8Array) bytes = data;
  else if (typeof data === 'string') bytes = new Uint8Array(Buffer.from(data, 'utf8'));
  else throw new CoppeliaSimError('protocol', `${func} returned ${data === undefined ? 'nothing' : typeof data} as its image, expected a byte string`, func);
  const [width, height] = resolution;
  if (bytes.length !== width * height * RGB_CHANNELS) {
    throw new CoppeliaSimError('protocol', `${func} returned ${bytes.length} bytes for a ${width}x${height} RGB image, expected ${width * height * RGB_CHANNELS}`, func);
  }
  return { width, height, rgb: flipRows(bytes, width, height) };
}
