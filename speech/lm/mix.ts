/**
 * Static linear interpolation of back-off n-gram models into one back-off model (what SRILM calls
 * -mix-lm): P(w | h) = sum_i weight_i P_i(w | h) for every n-gram explicit in any model, and
 * back-off weights recomputed, order by order, so that every context's distribution sums to 1
 * under the mixed model's own lower orders.
 */
import { logProbability, SENTENCE_START, type NgramModel } from './kneser-ney';

export interface WeightedModel {
  readonly model: NgramModel;
  readonly weight: number;
}

/** Smallest probability mass kept when rounding leaves a context none for unseen words. */
const MIN_MASS = 1e-9;

export function interpolateModels(components: readonly WeightedModel[]): NgramModel {
  const total = components.reduce((a, c) => a + c.weight, 0);
  if (components.length === 0 || components.some((c) => !(c.weight > 0)) || Math.abs(total - 1) > 1e-9) {
    throw new Error(`interpolation weights must be positive and sum to 1, got ${components.map((c) => c.weight).join(' + ')}`);
  }
  const order = Math.max(...components.map((c) => c.model.order));
  const mixed = (history: readonly string[], word: string): number =>
    components.reduce((sum, { model, weight }) => {
      const logP = logProbability(model, history, word);
      return sum + (Number.isFinite(logP) ? weight * 10 ** logP : 0);
    }, 0);

  const probabilities: Map<string, number>[] = [];
  const backoffs: Map<string, number>[] = [];
  const result = (): NgramModel => ({ order, logProbabilities: probabilities, logBackoffs: backoffs, discounts: [] });

  for (let n = 0; n < order; n++) {
    const keys = new Set<string>();
    for (const { model } of components) for (const key of model.logProbabilities[n]?.keys() ?? []) keys.add(key);
    const level = new Map<string, number>();
    for (const key of keys) {
      const words = key.split(' ');
      if (n === 0 && key === SENTENCE_START) continue;
      const p = mixed(words.slice(0, -1), words[words.length - 1]);
      if (p > 0) level.set(key, Math.log10(p));
    }
    probabilities.push(level);
    if (n === 0) continue;
    // Back-off weights of this level's contexts, against the mixed model built so far.
    const explicitMass = new Map<string, [number, number]>();
    const sofar = result();
    for (const [key, logP] of level) {
      const words = key.split(' ');
      const context = words.slice(0, -1).join(' ');
      const lower = 10 ** logProbability({ ...sofar, order: n }, words.slice(1, -1), words[words.length - 1]);
      const [explicit, lowerSum] = explicitMass.get(context) ?? [0, 0];
      explicitMass.set(context, [explicit + 10 ** logP, lowerSum + lower]);
    }
    const contextBackoffs = new Map<string, number>();
    for (const [context, [explicit, lower]] of explicitMass) {
      contextBackoffs.set(context, Math.log10(Math.max(MIN_MASS, 1 - explicit) / Math.max(MIN_MASS, 1 - lower)));
    }
    backoffs.push(contextBackoffs);
  }
  return result();
}
