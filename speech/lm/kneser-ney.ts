/**
 * An interpolated modified Kneser-Ney n-gram estimator (Chen and Goodman 1998) that writes the
 * ARPA back-off format Sphinx reads.
 *
 * Counts: the highest order keeps raw counts; a lower-order n-gram keeps the number of distinct
 * words seen before it (its continuation count), except one starting with <s>, which nothing can
 * precede, so it keeps its raw count. Each order has three discounts D1, D2, D3+ from its counts of
 * counts. An interpolated model is already in back-off form: an explicit n-gram stores its
 * interpolated probability and a context's back-off weight is its interpolation weight gamma(h).
 * Every word of the given vocabulary gets a unigram (gamma(empty)/|V| at least), so words the
 * training text never used can still be recognised.
 */

export const SENTENCE_START = '<s>';
export const SENTENCE_END = '</s>';

export interface NgramModel {
  readonly order: number;
  /** Per order (index 0 = unigrams): n-gram key ("a b c") -> log10 probability. */
  readonly logProbabilities: readonly ReadonlyMap<string, number>[];
  /** Per order below the highest: context key -> log10 back-off weight (absent = 0). */
  readonly logBackoffs: readonly ReadonlyMap<string, number>[];
  /** Discounts per order (index 0 = unigrams): [D1, D2, D3+]. */
  readonly discounts: readonly (readonly [number, number, number])[];
}

export interface EstimateOptions {
  readonly order: number;
  /** Words that must have a unigram even if the sentences never use them. */
  readonly vocabulary?: Iterable<string>;
}

interface ContextStats {
  total: number;
  /** Number of distinct continuations with adjusted count 1, 2 and 3 or more. */
  readonly n: [number, number, number];
}

/** Estimates a model from tokenised sentences (without <s> and </s>; they are added here). */
export function estimateKneserNey(sentences: readonly (readonly string[])[], options: EstimateOptions): NgramModel {
  const order = options.order;
  if (!Number.isInteger(order) || order < 1 || order > 5) throw new Error(`n-gram order must be an integer from 1 to 5, got ${order}`);
  const raw = rawCounts(sentences, order);
  const adjusted = adjustCounts(raw, order);
  const discounts = adjusted.map((counts, n) => discountsFor(counts, n === 0));
  const contexts = adjusted.map((counts, n) => contextStats(counts, n));

  const vocabulary = new Set<string>([...(options.vocabulary ?? []), ...[...adjusted[0].keys()]]);
  vocabulary.delete(SENTENCE_START);
  vocabulary.add(SENTENCE_END);

  const probabilities: Map<string, number>[] = [];
  const backoffs: Map<string, number>[] = [];
  // Unigrams: discounted continuation counts plus gamma spread uniformly over the vocabulary.
  const unigramTotal = sumExcept(adjusted[0], SENTENCE_START);
  const unigramGamma = gamma(contexts[0].get('') ?? { total: 0, n: [0, 0, 0] }, discounts[0]);
  const uniform = (unigramTotal === 0 ? 1 : unigramGamma) / vocabulary.size;
  const unigrams = new Map<string, number>();
  for (const word of vocabulary) {
    const count = adjusted[0].get(word) ?? 0;
    const discounted = unigramTotal === 0 ? 0 : Math.max(0, count - discount(count, discounts[0])) / unigramTotal;
    unigrams.set(word, discounted + uniform);
  }
  probabilities.push(unigrams);

  for (let n = 1; n < order; n++) {
    const level = new Map<string, number>();
    for (const [key, count] of adjusted[n]) {
      const words = key.split(' ');
      const context = words.slice(0, -1).join(' ');
      const stats = contexts[n].get(context)!;
      const lowerKey = words.slice(1).join(' ');
      const lowerProbability = backoffProbability(probabilities, backoffs, lowerKey.split(' '));
      level.set(key, Math.max(0, count - discount(count, discounts[n])) / stats.total + gamma(stats, discounts[n]) * lowerProbability);
    }
    backoffs.push(new Map([...contexts[n]].map(([context, stats]) => [context, gamma(stats, discounts[n])])));
    probabilities.push(level);
  }
  return {
    order,
    logProbabilities: probabilities.map((level) => new Map([...level].map(([k, p]) => [k, Math.log10(p)]))),
    logBackoffs: backoffs.map((level) => new Map([...level].map(([k, b]) => [k, Math.log10(b)]))),
    discounts,
  };
}

/** P(w | h) in back-off form over the levels built so far (linear, not log). */
function backoffProbability(probabilities: readonly Map<string, number>[], backoffs: readonly Map<string, number>[], words: readonly string[]): number {
  for (let start = 0; start < words.length; start++) {
    const n = words.length - start - 1;
    const key = words.slice(start).join(' ');
    const explicit = probabilities[n]?.get(key);
    if (explicit !== undefined) {
      let weight = 1;
      for (let s = 0; s < start; s++) weight *= backoffs[words.length - s - 2]?.get(words.slice(s, -1).join(' ')) ?? 1;
      return weight * explicit;
    }
  }
  throw new Error(`no unigram for "${words[words.length - 1]}"`);
}

function rawCounts(sentences: readonly (readonly string[])[], order: number): Map<string, number>[] {
  const counts = Array.from({ length: order }, () => new Map<string, number>());
  for (const sentence of sentences) {
    for (const word of sentence) {
      if (word.length === 0 || /\s/.test(word) || word === SENTENCE_START || word === SENTENCE_END) {
        throw new Error(`bad word ${JSON.stringify(word)} in sentence "${sentence.join(' ')}"`);
      }
    }
    const words = [SENTENCE_START, ...sentence, SENTENCE_END];
    for (let end = 0; end < words.length; end++) {
      for (let n = 1; n <= order && n <= end + 1; n++) {
        const key = words.slice(end - n + 1, end + 1).join(' ');
        counts[n - 1].set(key, (counts[n - 1].get(key) ?? 0) + 1);
      }
    }
  }
  return counts;
}

/** Continuation counts below the highest order (raw counts for n-grams starting with <s>). */
function adjustCounts(raw: Map<string, number>[], order: number): Map<string, number>[] {
  const adjusted = raw.map((level) => new Map(level));
  for (let n = 0; n < order - 1; n++) {
    const continuation = new Map<string, number>();
    for (const key of raw[n + 1].keys()) {
      const suffix = key.slice(key.indexOf(' ') + 1);
      continuation.set(suffix, (continuation.get(suffix) ?? 0) + 1);
    }
    for (const key of raw[n].keys()) {
      if (key.split(' ')[0] === SENTENCE_START) continue;
      adjusted[n].set(key, continuation.get(key) ?? 0);
    }
  }
  return adjusted;
}

function discountsFor(counts: ReadonlyMap<string, number>, unigrams: boolean): [number, number, number] {
  const countOfCounts = [0, 0, 0, 0, 0];
  for (const [key, count] of counts) {
    if (unigrams && key === SENTENCE_START) continue;
    if (count >= 1 && count <= 4) countOfCounts[count]++;
  }
  const [, n1, n2, n3, n4] = countOfCounts;
  if (n1 === 0 || n2 === 0) return [0.5, 1, 1.5]; // too little data for the estimate
  const y = n1 / (n1 + 2 * n2);
  const clamp = (d: number, max: number): number => (Number.isFinite(d) ? Math.min(max, Math.max(0.05, d)) : max / 2);
  return [clamp(1 - 2 * y * (n2 / n1), 0.95), clamp(2 - 3 * y * (n3 / n2), 1.9), clamp(n3 > 0 ? 3 - 4 * y * (n4 / n3) : 1.5, 2.9)];
}

function discount(count: number, d: readonly [number, number, number]): number {
  return count <= 0 ? 0 : d[Math.min(count, 3) - 1];
}

function contextStats(counts: ReadonlyMap<string, number>, n: number): Map<string, ContextStats> {
  const stats = new Map<string, ContextStats>();
  for (const [key, count] of counts) {
    if (n === 0 && key === SENTENCE_START) continue;
    const context = n === 0 ? '' : key.slice(0, key.lastIndexOf(' '));
    let entry = stats.get(context);
    if (!entry) {
      entry = { total: 0, n: [0, 0, 0] };
      stats.set(context, entry);
    }
    entry.total += count;
    if (count > 0) entry.n[Math.min(count, 3) - 1]++;
  }
  return stats;
}

function gamma(stats: ContextStats, d: readonly [number, number, number]): number {
  if (stats.total === 0) return 1;
  return (d[0] * stats.n[0] + d[1] * stats.n[1] + d[2] * stats.n[2]) / stats.total;
}

function sumExcept(counts: ReadonlyMap<string, number>, skip: string): number {
  let total = 0;
  for (const [key, count] of counts) if (key !== skip) total += count;
  return total;
}

/** log10 P(word | history) by back-off over an estimated model (for checks and perplexity). */
export function logProbability(model: NgramModel, history: readonly string[], word: string): number {
  const context = history.slice(Math.max(0, history.length - model.order + 1));
  let backoff = 0;
  for (let start = 0; start <= context.length; start++) {
    const words = [...context.slice(start), word];
    const explicit = model.logProbabilities[words.length - 1].get(words.join(' '));
    if (explicit !== undefined) return backoff + explicit;
    const contextKey = context.slice(start).join(' ');
    if (contextKey.length > 0) backoff += model.logBackoffs[words.length - 2]?.get(contextKey) ?? 0;
  }
  return -Infinity;
}

/** The ARPA text of a model; <s> gets the conventional log probability -99. */
export function formatArpa(model: NgramModel): string {
  const lines = ['\\data\\'];
  model.logProbabilities.forEach((level, n) => lines.push(`ngram ${n + 1}=${level.size + (n === 0 && !level.has(SENTENCE_START) ? 1 : 0)}`));
  model.logProbabilities.forEach((level, n) => {
    lines.push('', `\\${n + 1}-grams:`);
    const keys = [...level.keys()];
    if (n === 0 && !level.has(SENTENCE_START)) keys.push(SENTENCE_START);
    for (const key of keys.sort()) {
      const logP = key === SENTENCE_START ? -99 : level.get(key)!;
      const backoff = n < model.order - 1 ? model.logBackoffs[n]?.get(key) : undefined;
      lines.push(`${logP.toFixed(6)}\t${key}${backoff !== undefined ? `\t${backoff.toFixed(6)}` : ''}`);
    }
  });
  lines.push('', '\\end\\', '');
  return lines.join('\n');
}
