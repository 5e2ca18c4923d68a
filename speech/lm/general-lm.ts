/**
 * A background bigram model read out of Debian's general US English LM (en-us.lm.bin), restricted
 * to the domain words plus the most frequent general words, and renormalised over that
 * vocabulary. Mixed into the domain model, it gives phrasings the training templates never used
 * ("that's fine", "looks good") the likelihood ordinary English gives them.
 *
 * The binary LM (sphinxbase's trie format) cannot be converted to ARPA by sphinx_lm_convert
 * (an assertion fails), so the model is queried in-process: one ngram_bg_score call per word
 * pair, whose n_used output says whether the bigram is explicit or backed off.
 */
import { loadPocketsphinx, NGRAM_AUTO } from '../pocketsphinx';
import { SENTENCE_END, SENTENCE_START, type NgramModel } from './kneser-ney';

export interface BackgroundOptions {
  readonly file: string;
  /** Words that must be in the vocabulary when the general model has them. */
  readonly domainWords: ReadonlySet<string>;
  /** How many further words to take, most probable unigrams first. */
  readonly extraWords: number;
  /** Only words the recogniser can pronounce are worth modelling. */
  readonly pronounceable: (word: string) => boolean;
}

export interface BackgroundModel {
  readonly model: NgramModel;
  /** The general words added beyond the domain words, most frequent first. */
  readonly extraWords: string[];
}

const NGRAM_INVALID_WID = -1;
const LOGMATH_BASE = 1.0001;

export function extractBackgroundBigrams(options: BackgroundOptions): BackgroundModel {
  const lib = loadPocketsphinx();
  const logmath = lib.logmathInit(LOGMATH_BASE, 0, 0);
  const lm = lib.ngramModelRead(null, options.file, NGRAM_AUTO, logmath);
  if (!lm) {
    lib.logmathFree(logmath);
    throw new Error(`sphinxbase could not read the general language model ${options.file}`);
  }
  try {
    const used = [0];
    const log10 = (score: number): number => lib.logmathLogToLog10(logmath, score);
    const unigram = (wid: number): number => log10(lib.ngramBgScore(lm, wid, NGRAM_INVALID_WID, used));

    const candidates: { word: string; wid: number; logP: number }[] = [];
    for (let wid = 0; ; wid++) {
      const word = lib.ngramWord(lm, wid);
      if (word === null) break;
      if (/^[a-z][a-z']*$/.test(word) && options.pronounceable(word)) candidates.push({ word, wid, logP: unigram(wid) });
    }
    const domain = candidates.filter((c) => options.domainWords.has(c.word));
    const extra = candidates.filter((c) => !options.domainWords.has(c.word)).sort((a, b) => b.logP - a.logP || a.word.localeCompare(b.word)).slice(0, options.extraWords);
    const words = [...domain, ...extra];
    const endWid = lib.ngramWid(lm, SENTENCE_END);
    const startWid = lib.ngramWid(lm, SENTENCE_START);
    const predicted = [...words, { word: SENTENCE_END, wid: endWid, logP: unigram(endWid) }];

    const unigramP = predicted.map((w) => 10 ** w.logP);
    const unigramTotal = unigramP.reduce((a, b) => a + b, 0);
    const unigrams = new Map(predicted.map((w, i) => [w.word, unigramP[i] / unigramTotal]));

    const bigrams = new Map<string, number>();
    const backoffs = new Map<string, number>();
    for (const history of [{ word: SENTENCE_START, wid: startWid }, ...words]) {
      let total = 0;
      const explicit: { word: string; p: number }[] = [];
      for (const next of predicted) {
        const p = 10 ** log10(lib.ngramBgScore(lm, next.wid, history.wid, used));
        total += p;
        if (used[0] === 2) explicit.push({ word: next.word, p });
      }
      // Renormalise over the restricted vocabulary; the back-off weight makes each row sum to 1.
      let explicitMass = 0;
      let lowerMass = 0;
      for (const { word, p } of explicit) {
        bigrams.set(`${history.word} ${word}`, p / total);
        explicitMass += p / total;
        lowerMass += unigrams.get(word)!;
      }
      if (explicit.length > 0) backoffs.set(history.word, Math.max(1e-12, 1 - explicitMass) / Math.max(1e-12, 1 - lowerMass));
    }
    const toLog = (m: Map<string, number>) => new Map([...m].map(([k, p]) => [k, Math.log10(p)]));
    return {
      model: { order: 2, logProbabilities: [toLog(unigrams), toLog(bigrams)], logBackoffs: [toLog(backoffs)], discounts: [] },
      extraWords: extra.map((c) => c.word),
    };
  } finally {
    lib.ngramModelFree(lm);
    lib.logmathFree(logmath);
  }
}
