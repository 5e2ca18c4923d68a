/**
 * Surface words the realiser may use for each value, and which of them are HELD OUT.
 *
 * A held-out word never appears in the training split; dev words are for development-time
 * checks (per-epoch monitoring), test words only for the final held-out figures. Every held-out
 * word is in the lexicon (hand-written or WordNet), so the parser can only read it through its
 * concept, never through a learnt word embedding: that is what the held-out vocabulary measures.
 */
import type { Colour } from '../../sim/types';

export type SplitName = 'train' | 'dev' | 'test';
export const SPLIT_ORDER: readonly SplitName[] = ['train', 'dev', 'test'];

/** Words held out of training, by split. Keys are surface words. */
export const HELD_OUT_WORDS: Readonly<Record<string, Exclude<SplitName, 'train'>>> = {
  // colours (WordNet synonyms)
  scarlet: 'dev', greenish: 'dev', crimson: 'test', bluish: 'test', greyish: 'test',
  // kinds (hand-written and WordNet)
  jug: 'dev', brick: 'dev', flask: 'dev', ewer: 'test', cogwheel: 'test', tumbler: 'test', cube: 'test', beaker: 'test',
  // sizes and states
  huge: 'dev', damaged: 'dev', large: 'test', tiny: 'test', faulty: 'test', filled: 'test',
  // relations and locations
  near: 'dev', farther: 'dev', beside: 'test', furthest: 'test', nearest: 'test', rear: 'test', rightmost: 'test',
  // actions and grasps
  give: 'dev', toss: 'test', pass: 'test', grip: 'test', rim: 'test', edge: 'dev',
};

/** Splits whose examples may use a word: held-out words only in their own split. */
export function wordAllowed(word: string, split: SplitName): boolean {
  const heldOut = HELD_OUT_WORDS[word];
  return heldOut === undefined || heldOut === split;
}

export const COLOUR_WORDS: Readonly<Record<Colour, readonly string[]>> = {
  red: ['red', 'scarlet', 'crimson'],
  orange: ['orange'],
  yellow: ['yellow'],
  green: ['green', 'greenish'],
  blue: ['blue', 'bluish'],
  purple: ['purple', 'violet'],
  pink: ['pink'],
  white: ['white'],
  black: ['black'],
  grey: ['grey', 'gray', 'greyish'],
  brown: ['brown'],
};

/** Singular and plural surface forms per kind. */
export const KIND_WORDS: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  cup: [['cup', 'cups'], ['teacup', 'teacups'], ['beaker', 'beakers']],
  mug: [['mug', 'mugs']],
  glass: [['glass', 'glasses'], ['tumbler', 'tumblers']],
  pitcher: [['pitcher', 'pitchers'], ['jug', 'jugs'], ['ewer', 'ewers']],
  bottle: [['bottle', 'bottles'], ['flask', 'flasks']],
  bowl: [['bowl', 'bowls']],
  plate: [['plate', 'plates'], ['dish', 'dishes']],
  gear: [['gear', 'gears'], ['cog', 'cogs'], ['cogwheel', 'cogwheels']],
  bin: [['bin', 'bins'], ['box', 'boxes'], ['crate', 'crates']],
  block: [['block', 'blocks'], ['cube', 'cubes'], ['brick', 'bricks']],
  table: [['table', 'tables']],
  conveyor: [['conveyor', 'conveyors'], ['belt', 'belts']],
};

export const SIZE_WORDS: Readonly<Record<'small' | 'big', readonly string[]>> = {
  small: ['small', 'little', 'smaller', 'tiny'],
  big: ['big', 'bigger', 'large', 'huge'],
};

export const STATE_WORDS: Readonly<Record<'empty' | 'full' | 'good' | 'defective', readonly string[]>> = {
  empty: ['empty'],
  full: ['full', 'filled'],
  good: ['good', 'fine', 'intact', 'undamaged'],
  defective: ['defective', 'cracked', 'broken', 'damaged', 'faulty', 'bad', 'chipped'],
};

export const NUMBER_WORDS: Readonly<Record<number, readonly string[]>> = {
  2: ['two', 'both'],
  3: ['three'],
  4: ['four'],
  5: ['five'],
};

export const ORDINAL_WORDS: Readonly<Record<number, readonly string[]>> = {
  1: ['first'],
  2: ['second', '2nd'],
  3: ['third', '3rd'],
  4: ['fourth'],
};
