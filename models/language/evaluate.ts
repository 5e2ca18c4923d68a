/**
 * Evaluation of the whole parse (preprocessing + network + decoding) against gold Meanings.
 *
 * Slot F1s are micro-averaged over (example, slot, value) triples:
 * - target: target.kind, target.colour, target.size, target.state;
 * - spatial: relation.type, relation.viewpoint (when a relation is said), reference.* and
 *   reference2.* (kind, colour, size, state, count), every location as term@viewpoint, ordinal
 *   (when not 0);
 * - avoid: avoid.* plus avoid_current when true.
 * A predicted triple that is not gold is a false positive, a gold triple not predicted a false
 * negative. Sentence heads are scored by accuracy; urgency by level (calm/concerned/alarmed).
 */
import type { Example } from '../../language/corpus/dataset';
import { ReminderRejected, type ReminderParser } from '../../language/parser';
import type { Description, Meaning } from '../../semantics/meaning';
import { EMPTY_MEANING } from '../../semantics/meaning';
import { MISTAKE_LABELS, urgencyLevel } from './labels';

export interface SlotScore {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

export interface EvaluationReport {
  readonly examples: number;
  readonly rejected: number;
  readonly mistakeAccuracy: number;
  readonly stopAccuracy: number;
  readonly urgencyAccuracy: number;
  readonly avoidCurrentAccuracy: number;
  readonly actionAccuracy: number;
  readonly graspAccuracy: number;
  readonly relationTypeAccuracy: number;
  readonly tagAccuracy: number;
  readonly exactMatch: number;
  readonly targetSlots: SlotScore;
  readonly spatialSlots: SlotScore;
  readonly avoidSlots: SlotScore;
  /** rows: gold mistake type, columns: predicted (MISTAKE_LABELS order). */
  readonly mistakeConfusion: number[][];
  readonly mistakeLabels: readonly string[];
}

type Triple = string;

function descriptionTriples(prefix: string, d: Description | null | undefined, withCount: boolean): Triple[] {
  if (!d) return [];
  const out: Triple[] = [];
  for (const field of ['kind', 'colour', 'size', 'state'] as const) if (d[field] !== undefined) out.push(`${prefix}.${field}=${d[field]}`);
  if (withCount && d.count !== undefined) out.push(`${prefix}.count=${d.count}`);
  return out;
}

export function targetTriples(m: Meaning): Triple[] {
  return descriptionTriples('target', m.target, false);
}

export function spatialTriples(m: Meaning): Triple[] {
  const out: Triple[] = [];
  if (m.relation) {
    out.push(`relation.type=${m.relation.type}`, `relation.viewpoint=${m.relation.viewpoint ?? 'unmarked'}`);
    out.push(...descriptionTriples('reference', m.relation.reference, true));
    out.push(...descriptionTriples('reference2', m.relation.reference2, true));
  }
  const seen = new Map<string, number>();
  for (const l of m.locations) {
    const key = `location=${l.term}@${l.viewpoint ?? 'unmarked'}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    out.push(`${key}#${n}`);
  }
  if (m.ordinal) out.push(`ordinal=${m.ordinal}`);
  return out;
}

export function avoidTriples(m: Meaning): Triple[] {
  return [...descriptionTriples('avoid', m.avoid, false), ...(m.avoidCurrent ? ['avoid_current'] : [])];
}

class SlotCounter {
  tp = 0;
  fp = 0;
  fn = 0;
  add(gold: readonly Triple[], predicted: readonly Triple[]): void {
    const remaining = [...gold];
    for (const p of predicted) {
      const i = remaining.indexOf(p);
      if (i >= 0) {
        this.tp++;
        remaining.splice(i, 1);
      } else this.fp++;
    }
    this.fn += remaining.length;
  }
  score(): SlotScore {
    const precision = this.tp + this.fp === 0 ? 1 : this.tp / (this.tp + this.fp);
    const recall = this.tp + this.fn === 0 ? 1 : this.tp / (this.tp + this.fn);
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { precision, recall, f1, support: this.tp + this.fn };
  }
}

export function sameMeaning(a: Meaning, b: Meaning): boolean {
  const key = (m: Meaning) =>
    JSON.stringify([
      m.mistake, m.stop, urgencyLevel(m.urgency), m.avoidCurrent, m.action, m.grasp,
      targetTriples(m).sort(), spatialTriples(m).sort(), avoidTriples(m).sort(),
    ]);
  return key(a) === key(b);
}

/** Scores a parser on examples (batched); a rejected reminder counts as an empty parse. */
export function evaluateParser(parser: ReminderParser, examples: readonly Example[]): EvaluationReport {
  const counters = { target: new SlotCounter(), spatial: new SlotCounter(), avoid: new SlotCounter() };
  const right = { mistake: 0, stop: 0, urgency: 0, avoidCurrent: 0, action: 0, grasp: 0, relation: 0, exact: 0 };
  const confusion = MISTAKE_LABELS.map(() => MISTAKE_LABELS.map(() => 0));
  let tagRight = 0;
  let tagCount = 0;
  let rejected = 0;
  for (let start = 0; start < examples.length; start += 256) {
    const batch = examples.slice(start, start + 256);
    const predictions = parseEach(parser, batch.map((e) => e.text));
    batch.forEach((example, i) => {
      const gold = example.meaning;
      const result = predictions[i];
      if (!result) rejected++;
      const predicted = result?.meaning ?? EMPTY_MEANING;
      if (result && result.tags.length === example.tags.length) {
        result.tags.forEach((tag, k) => {
          if (tag === example.tags[k]) tagRight++;
        });
      }
      tagCount += example.tags.length;
      confusion[MISTAKE_LABELS.indexOf(gold.mistake)][MISTAKE_LABELS.indexOf(predicted.mistake)]++;
      if (gold.mistake === predicted.mistake) right.mistake++;
      if (gold.stop === predicted.stop) right.stop++;
      if (urgencyLevel(gold.urgency) === urgencyLevel(predicted.urgency)) right.urgency++;
      if (gold.avoidCurrent === predicted.avoidCurrent) right.avoidCurrent++;
      if (gold.action === predicted.action) right.action++;
      if (gold.grasp === predicted.grasp) right.grasp++;
      if ((gold.relation?.type ?? null) === (predicted.relation?.type ?? null)) right.relation++;
      if (sameMeaning(gold, predicted)) right.exact++;
      counters.target.add(targetTriples(gold), targetTriples(predicted));
      counters.spatial.add(spatialTriples(gold), spatialTriples(predicted));
      counters.avoid.add(avoidTriples(gold), avoidTriples(predicted));
    });
  }
  const n = Math.max(1, examples.length);
  return {
    examples: examples.length,
    rejected,
    mistakeAccuracy: right.mistake / n,
    stopAccuracy: right.stop / n,
    urgencyAccuracy: right.urgency / n,
    avoidCurrentAccuracy: right.avoidCurrent / n,
    actionAccuracy: right.action / n,
    graspAccuracy: right.grasp / n,
    relationTypeAccuracy: right.relation / n,
    tagAccuracy: tagRight / Math.max(1, tagCount),
    exactMatch: right.exact / n,
    targetSlots: counters.target.score(),
    spatialSlots: counters.spatial.score(),
    avoidSlots: counters.avoid.score(),
    mistakeConfusion: confusion,
    mistakeLabels: MISTAKE_LABELS,
  };
}

/** parseMany, falling back to one-by-one so that one rejected reminder does not sink the batch. */
function parseEach(parser: ReminderParser, texts: readonly string[]): (ReturnType<ReminderParser['parse']> | null)[] {
  try {
    return parser.parseMany(texts);
  } catch (error) {
    if (!(error instanceof ReminderRejected)) throw error;
    return texts.map((text) => {
      try {
        return parser.parse(text);
      } catch (inner) {
        if (inner instanceof ReminderRejected) return null;
        throw inner;
      }
    });
  }
}
