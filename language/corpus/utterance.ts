/**
 * An utterance under construction: words with their gold slot tags, and the Meaning as actually
 * said (a field the chosen phrasing leaves out is not in the gold Meaning).
 */
import type { Description, Location, Meaning, Relation, SlotTag } from '../../semantics/meaning';
import type { GraspMode, MistakeType, RobotAction } from '../../sim/types';
import { HELD_OUT_WORDS, wordAllowed, type SplitName } from './vocabulary';

/** Seeded random choices (mulberry32 underneath, see models/runtime.seededRandom). */
export class Rng {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  /** A generator that will draw the same numbers as this one from here on. */
  clone(): Rng {
    const copy = new Rng(0);
    copy.#state = this.#state;
    return copy;
  }
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  int(from: number, toInclusive: number): number {
    return from + Math.floor(this.next() * (toInclusive - from + 1));
  }
  pick<T>(options: readonly T[]): T {
    if (options.length === 0) throw new Error('Rng.pick: no options');
    return options[Math.floor(this.next() * options.length)];
  }
  /** Picks by weight; weights need not sum to 1. */
  weighted<T>(options: readonly (readonly [T, number])[]): T {
    const total = options.reduce((s, [, w]) => s + w, 0);
    let x = this.next() * total;
    for (const [value, weight] of options) {
      x -= weight;
      if (x < 0) return value;
    }
    return options[options.length - 1][0];
  }
}

export interface Piece {
  readonly word: string;
  readonly tag: SlotTag;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class Utterance {
  readonly pieces: Piece[] = [];
  readonly heldOutWordsUsed = new Set<string>();
  target: Mutable<Description> = {};
  avoid: Mutable<Description> | null = null;
  avoidCurrent = false;
  readonly locations: Location[] = [];
  relation: Relation | null = null;
  ordinal = 0;
  action: RobotAction | null = null;
  grasp: GraspMode | null = null;
  stop = false;

  constructor(
    readonly rng: Rng,
    readonly split: SplitName,
  ) {}

  /** Appends space-separated words, all with one tag. */
  say(words: string, tag: SlotTag = 'O'): this {
    for (const word of words.split(' ')) {
      if (word.length === 0) continue;
      if (!wordAllowed(word.toLowerCase(), this.split)) {
        throw new Error(`template word "${word}" is held out of the ${this.split} split; choose it with word()`);
      }
      if (HELD_OUT_WORDS[word.toLowerCase()]) this.heldOutWordsUsed.add(word.toLowerCase());
      this.pieces.push({ word, tag });
    }
    return this;
  }

  /**
   * One of several surface words for the same thing, never one held out of this split. In dev and
   * test, a held-out word of the split is preferred half of the time so that the split exercises it.
   */
  word(options: readonly string[]): string {
    const allowed = options.filter((w) => w.split(' ').every((part) => wordAllowed(part, this.split)));
    if (allowed.length === 0) throw new Error(`no word of [${options.join(', ')}] is allowed in the ${this.split} split`);
    const heldOut = allowed.filter((w) => w.split(' ').some((part) => HELD_OUT_WORDS[part] === this.split));
    if (heldOut.length > 0 && this.rng.chance(0.5)) return this.rng.pick(heldOut);
    return this.rng.pick(allowed);
  }

  /** word() then say(). */
  sayOne(options: readonly string[], tag: SlotTag = 'O'): this {
    return this.say(this.word(options), tag);
  }

  /** Runs one of the alternatives (each appends its own words). */
  oneOf(...alternatives: readonly (() => void)[]): this {
    this.rng.pick(alternatives)();
    return this;
  }

  maybe(p: number, render: () => void): this {
    if (this.rng.chance(p)) render();
    return this;
  }

  meaning(mistake: MistakeType, urgency: number): Meaning {
    return {
      mistake,
      stop: this.stop,
      urgency,
      target: { ...this.target },
      avoid: this.avoid ? { ...this.avoid } : null,
      avoidCurrent: this.avoidCurrent,
      locations: [...this.locations],
      relation: this.relation,
      ordinal: this.ordinal,
      action: this.action,
      grasp: this.grasp,
    };
  }
}
