/**
 * End-to-end check of recognition: does the transcript of a spoken reminder parse (language/
 * parser.ts) to the same mistake type and target as the text the person meant?
 */
import type { Description, Meaning } from '../semantics/meaning';
import { ReminderParser, ReminderRejected } from '../language/parser';
import { initRuntime } from '../models/runtime';

export interface Agreement {
  readonly compared: number;
  /** Share with the same mistake type (and stop flag). */
  readonly mistake: number;
  /** Share with the same mistake type and target kind/colour/size/state. */
  readonly mistakeAndTarget: number;
  /** Share with mistake, target, locations and relation all the same. */
  readonly all: number;
}

const describe = (d: Description): (string | null)[] => [d.kind ?? null, d.colour ?? null, d.size ?? null, d.state ?? null];
const targetKey = (m: Meaning): string => JSON.stringify(describe(m.target));
const placeKey = (m: Meaning): string => JSON.stringify([m.locations.map((l) => [l.term, l.viewpoint]), m.relation ? [m.relation.type, describe(m.relation.reference)] : null]);

/** Parses each original text and each transcript; a transcript the parser rejects disagrees. */
export async function parserAgreement(pairs: readonly { original: string; heard: string }[], parser?: ReminderParser): Promise<Agreement> {
  if (!parser) {
    await initRuntime();
    parser = await ReminderParser.load();
  }
  const parse = (text: string): Meaning | null => {
    try {
      return parser!.parse(text).meaning;
    } catch (error) {
      if (error instanceof ReminderRejected) return null;
      throw error;
    }
  };
  let mistake = 0;
  let target = 0;
  let all = 0;
  for (const { original, heard } of pairs) {
    const want = parse(original);
    const got = parse(heard);
    if (!want || !got) continue;
    const sameMistake = want.mistake === got.mistake && want.stop === got.stop;
    const sameTarget = sameMistake && targetKey(want) === targetKey(got);
    mistake += sameMistake ? 1 : 0;
    target += sameTarget ? 1 : 0;
    all += sameTarget && placeKey(want) === placeKey(got) ? 1 : 0;
  }
  const n = Math.max(1, pairs.length);
  return { compared: pairs.length, mistake: mistake / n, mistakeAndTarget: target / n, all: all / n };
}
