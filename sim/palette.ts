/** Albedo of each colour word (sRGB, 0..1), and of the fixed parts of the world. */
import type { Colour } from './types';

export type Rgb = readonly [number, number, number];

export const COLOUR_RGB: Readonly<Record<Colour, Rgb>> = {
  red: [0.82, 0.1, 0.1],
  orange: [0.96, 0.5, 0.08],
  yellow: [0.95, 0.84, 0.12],
  green: [0.13, 0.62, 0.2],
  blue: [0.12, 0.3, 0.85],
  purple: [0.52, 0.2, 0.7],
  pink: [0.97, 0.5, 0.72],
  white: [0.93, 0.93, 0.93],
  black: [0.12, 0.12, 0.13],
  grey: [0.52, 0.53, 0.55],
  brown: [0.5, 0.3, 0.13],
};

export const WORLD_RGB = {
  table: [0.8, 0.68, 0.5] as Rgb,
  tableEdge: [0.62, 0.5, 0.36] as Rgb,
  belt: [0.2, 0.21, 0.23] as Rgb,
  beltStripe: [0.42, 0.43, 0.45] as Rgb,
  rail: [0.66, 0.68, 0.7] as Rgb,
  chute: [0.08, 0.08, 0.09] as Rgb,
  robot: [0.86, 0.87, 0.9] as Rgb,
  robotJoint: [0.25, 0.42, 0.7] as Rgb,
  gripper: [0.22, 0.22, 0.24] as Rgb,
  skin: [0.87, 0.68, 0.55] as Rgb,
  hair: [0.22, 0.15, 0.1] as Rgb,
  shirt: [0.33, 0.4, 0.48] as Rgb,
  water: [0.5, 0.75, 0.98] as Rgb,
  crack: [0.04, 0.03, 0.03] as Rgb,
  wall: [0.86, 0.85, 0.82] as Rgb,
  floor: [0.45, 0.43, 0.42] as Rgb,
};

/** Hue in degrees (0..360) of an sRGB colour; NaN for greys. */
export function hueOf(r: number, g: number, b: number): number {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const d = max - min;
  if (d < 1e-6 || d / Math.max(max, 1e-6) < 0.2) return NaN;
  let h: number;
  if (max === r) h = ((g - b) / d) % 6;
  else if (max === g) h = (b - r) / d + 2;
  else h = (r - g) / d + 4;
  h *= 60;
  return h < 0 ? h + 360 : h;
}

/** Smallest angle between two hues, degrees. */
export function hueDistance(a: number, b: number): number {
  const d = Math.abs(a - b) % 360;
  return d > 180 ? 360 - d : d;
}
