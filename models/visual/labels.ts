/**
 * The label spaces the perception network predicts per pixel. Indices are part of the committed
 * model: append, never reorder.
 */
import type { DescribedKind } from '../../semantics/meaning';

/** Per-pixel kind classes. `surface` is table, floor, conveyor belt and anything not attendable. */
export const PIXEL_KINDS = [
  'surface',
  'robot',
  'person',
  'cup',
  'mug',
  'glass',
  'pitcher',
  'bottle',
  'bowl',
  'plate',
  'gear',
  'bin',
  'block',
] as const;
export type PixelKind = (typeof PIXEL_KINDS)[number];

/** Kinds that can be attended to (what a person can point at). */
export const ATTENDABLE_KINDS: ReadonlySet<PixelKind> = new Set<PixelKind>([
  'person', 'cup', 'mug', 'glass', 'pitcher', 'bottle', 'bowl', 'plate', 'gear', 'bin', 'block',
]);

/** What the dense network says each cell shows; kinds and states come from the object classifier. */
export const CELL_CLASSES = ['surface', 'robot', 'person', 'object'] as const;
export type CellClass = (typeof CELL_CLASSES)[number];

export const PIXEL_COLOURS = [
  'none',
  'red',
  'orange',
  'yellow',
  'green',
  'blue',
  'purple',
  'pink',
  'white',
  'black',
  'grey',
  'brown',
] as const;
export type PixelColour = (typeof PIXEL_COLOURS)[number];

export const PIXEL_STATES = ['none', 'empty', 'full', 'good', 'defective'] as const;
export type PixelState = (typeof PIXEL_STATES)[number];

/**
 * How well a kind a person names fits a perceived kind: people may call a mug or a glass a cup.
 * Rows: said; entries: perceived kinds that also fit, with weight. The classifier's own doubt is
 * already in its probabilities, so a cross-kind fit only hedges the word, and stays below the
 * share that makes a rival in a superlative (RIVAL_SHARE): at 0.6 a mug plainly seen as a mug
 * had been "the beaker furthest to the left".
 */
export const KIND_FIT: Readonly<Partial<Record<DescribedKind, Readonly<Partial<Record<PixelKind, number>>>>>> = {
  cup: { cup: 1, mug: 0.15, glass: 0.15 },
  mug: { mug: 1, cup: 0.15 },
  glass: { glass: 1, cup: 0.15 },
  pitcher: { pitcher: 1, bottle: 0.2 },
  bottle: { bottle: 1, pitcher: 0.2 },
  bowl: { bowl: 1 },
  plate: { plate: 1 },
  gear: { gear: 1 },
  bin: { bin: 1 },
  block: { block: 1 },
  person: { person: 1 },
};

/** Typical heights (m) of each kind, to place a perceived object's centre on the table plane. */
export const TYPICAL_HEIGHT: Readonly<Record<PixelKind, number>> = {
  surface: 0,
  robot: 0.3,
  person: 0.5,
  cup: 0.1,
  mug: 0.1,
  glass: 0.12,
  pitcher: 0.2,
  bottle: 0.24,
  bowl: 0.06,
  plate: 0.02,
  gear: 0.02,
  bin: 0.15,
  block: 0.05,
};
