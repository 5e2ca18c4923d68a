/**
 * Text to tokens with concepts: tokenising that keeps negation, normalising, lexicon look-up and
 * spelling snapping of words outside the vocabulary.
 *
 * Snapping rules (context-free, so that a parse never depends on chance):
 * - Only alphabetic words of three letters or more are snapped, and never a word that is in the
 *   lexicon, a function word (lexicon.FUNCTION_WORDS) or a word the caller knows (the model's
 *   training vocabulary): "it" never becomes "tilt", "the" never "tea".
 * - Candidates are lexicon words of content categories (colour, kind, size, state, direction,
 *   location, relation, action, grasp, stop, approval, urgency, "wrong") whose length differs by at
 *   most two and that share the first letter or the Double Metaphone key.
 * - A candidate is accepted when its Damerau-Levenshtein distance is 1 (any length; for a three
 *   letter word only a substitution keeping the first letter), or 2 for words of six letters or
 *   more with Jaro-Winkler >= 0.85, or when the Double Metaphone keys match with Jaro-Winkler >= 0.8
 *   (speech-like errors: "blew" -> blue, "read" -> red).
 * - Score = Jaro-Winkler + 0.1 for a phonetic match - 0.1 per edit; the best wins unless another
 *   concept scores within 0.02 (then the word is left unknown rather than guessed).
 */
import {
  CONCEPT_IDS, CONCEPT_NONE, FUNCTION_WORDS, LEXICON, PHRASES, SNAPPABLE_CATEGORIES, conceptCategory, type Concept,
} from './lexicon';

type Natural = typeof import('natural');
/**
 * natural's own modules, not its index: the index loads every classifier, tagger and lexicon it
 * has, about 48 MB of heap that each major garbage collection of the suite's single process would
 * walk again (pauses of 15-20 ms instead of a few).
 */
function naturalModule<T>(file: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(`natural/lib/natural/${file}`) as T;
}
const TreebankWordTokenizer = naturalModule<Natural['TreebankWordTokenizer']>('tokenizers/treebank_word_tokenizer');
const DoubleMetaphone = naturalModule<Natural['DoubleMetaphone']>('phonetics/double_metaphone');
const NounInflector = naturalModule<Natural['NounInflector']>('inflectors/noun_inflector');
const { DamerauLevenshteinDistance } = naturalModule<Pick<Natural, 'DamerauLevenshteinDistance'>>('distance/levenshtein_distance');
const JaroWinklerDistance = naturalModule<Natural['JaroWinklerDistance']>('distance/jaro-winkler_distance');

const treebank = new TreebankWordTokenizer();
const doubleMetaphone = new DoubleMetaphone();
const inflector = new NounInflector();

export interface Snap {
  /** The word as written. */
  readonly from: string;
  readonly confidence: number;
}

export interface Token {
  /** The token as the tokenizer produced it (dataset `tokens`). */
  readonly surface: string;
  /** Lower-cased, normalised and, when snapped, the lexicon word it was snapped to. */
  readonly word: string;
  readonly concept: Concept | null;
  readonly snap: Snap | null;
  /** Neither in the lexicon, nor a function word, nor known to the caller, nor snappable. */
  readonly unknown: boolean;
}

/** Treebank tokens, with typographic apostrophes straightened and hyphenated words split. */
export function tokenize(text: string): string[] {
  const cleaned = text
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/[\u201c\u201d"()[\]{}:;]/g, ' ')
    .replace(/\.{2,}|\u2026/g, ' , ')
    .replace(/(\w)-(\w)/g, '$1 $2');
  return treebank.tokenize(cleaned).flatMap((t) => (t === '-' || t === '--' ? [] : [t]));
}

const CONTRACTIONS: Readonly<Record<string, string>> = {
  "n't": 'not', ca: 'can', wo: 'will', "'re": 'are', "'m": 'am', "'ll": 'will', "'ve": 'have', "'d": 'would',
};
const NUMBER_WORDS: Readonly<Record<string, string>> = {
  '1': 'one', '2': 'two', '3': 'three', '4': 'four', '5': 'five', '6': 'six',
  '1st': 'first', '2nd': 'second', '3rd': 'third', '4th': 'fourth', '5th': 'fifth',
};

/** Lower-case, expand contractions and number forms. "2nd" -> second, "n't" -> not. */
export function normalise(surface: string): string {
  const lower = surface.toLowerCase();
  return CONTRACTIONS[lower] ?? NUMBER_WORDS[lower] ?? lower;
}

function lexiconConcept(word: string): Concept | null {
  if (word in LEXICON) return LEXICON[word];
  if (word.length > 3 && word.endsWith('s')) {
    const singular = inflector.singularize(word);
    if (singular !== word && singular in LEXICON) return LEXICON[singular];
  }
  return null;
}

interface Candidate {
  readonly word: string;
  readonly concept: Concept;
  readonly phonetic: string;
}
const CANDIDATES: readonly Candidate[] = Object.entries(LEXICON)
  .filter(([word, concept]) => word.length >= 3 && /^[a-z]+$/.test(word) && SNAPPABLE_CATEGORIES.has(conceptCategory(concept)))
  .map(([word, concept]) => ({ word, concept, phonetic: doubleMetaphone.process(word)[0] }));

export interface SnapResult {
  readonly word: string;
  readonly concept: Concept;
  readonly confidence: number;
}

const snapCache = new Map<string, SnapResult | null>();

/** The lexicon word an out-of-vocabulary word is a misspelling or mishearing of, or null. */
export function snapToLexicon(word: string): SnapResult | null {
  const cached = snapCache.get(word);
  if (cached !== undefined) return cached;
  const result = computeSnap(word);
  if (snapCache.size > 10000) snapCache.clear();
  snapCache.set(word, result);
  return result;
}

function computeSnap(word: string): SnapResult | null {
  if (word.length < 3 || !/^[a-z]+$/.test(word) || FUNCTION_WORDS.has(word) || word in LEXICON) return null;
  const phonetic = doubleMetaphone.process(word)[0];
  const scored: { candidate: Candidate; score: number }[] = [];
  for (const candidate of CANDIDATES) {
    if (Math.abs(candidate.word.length - word.length) > 2) continue;
    const samePhonetic = candidate.phonetic === phonetic && phonetic.length > 0;
    if (candidate.word[0] !== word[0] && !samePhonetic) continue;
    // a cheap bound first; natural's Damerau-Levenshtein only for the few within reach
    if (boundedEditDistance(word, candidate.word, 2) > 2 && !samePhonetic) continue;
    const edits = DamerauLevenshteinDistance(word, candidate.word, {});
    const similarity = JaroWinklerDistance(word, candidate.word);
    const shortOk = word.length > 3 || (candidate.word.length === 3 && candidate.word[0] === word[0]);
    const accepted =
      (edits === 1 && shortOk) ||
      (edits === 2 && word.length >= 6 && similarity >= 0.85) ||
      (samePhonetic && similarity >= 0.8);
    if (accepted) scored.push({ candidate, score: similarity + (samePhonetic ? 0.1 : 0) - 0.1 * edits });
  }
  if (scored.length === 0) return null;
  scored.sort((a, b) => b.score - a.score);
  const best = scored[0];
  const rival = scored.find((s) => s.candidate.concept !== best.candidate.concept);
  if (rival && best.score - rival.score < 0.02) return null;
  return { word: best.candidate.word, concept: best.candidate.concept, confidence: Math.max(0, Math.min(1, best.score)) };
}

/**
 * Optimal-string-alignment distance (adjacent transpositions count one), or limit + 1 as soon as
 * it must exceed `limit`: a fast filter before the exact distance.
 */
export function boundedEditDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous2: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, previous2[j - 2] + 1);
      current.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > limit) return limit + 1;
    previous2 = previous;
    previous = current;
  }
  return Math.min(previous[b.length], limit + 1);
}

/**
 * Tokens with their concepts. `knownWords` (the model's training vocabulary) are taken as they
 * are: a word the model learnt is neither snapped nor unknown.
 */
export function preprocess(text: string, knownWords: ReadonlySet<string> = new Set()): Token[] {
  return analyseTokens(tokenize(text), knownWords);
}

/** As preprocess, for tokens already split (dataset rows carry their tokens). */
export function analyseTokens(surfaces: readonly string[], knownWords: ReadonlySet<string> = new Set()): Token[] {
  const words = surfaces.map(normalise);
  const phraseConcepts = matchPhrases(words);
  const tokens = surfaces.map((surface, i): Token => {
    const word = words[i];
    const concept = phraseConcepts[i] ?? lexiconConcept(word);
    if (concept || FUNCTION_WORDS.has(word) || knownWords.has(word)) {
      return { surface, word, concept, snap: null, unknown: false };
    }
    const snap = snapToLexicon(word);
    if (snap) return { surface, word: snap.word, concept: snap.concept, snap: { from: word, confidence: snap.confidence }, unknown: false };
    return { surface, word, concept: null, snap: null, unknown: /[a-z]/.test(word) };
  });
  // A phrase is read again once its misspelt words are snapped: "in frobt of" is "in front of" (a
  // direction), not "in" followed by a direction.
  const snappedPhrases = matchPhrases(tokens.map((token) => token.word), (start, length) => tokens.slice(start, start + length).some((token) => token.snap));
  return tokens.map((token, i) => (snappedPhrases[i] ? { ...token, concept: snappedPhrases[i] } : token));
}

/** Sounds of hesitation that may fall inside a phrase without breaking it: "in, uh, front of", "in like front of". */
const HESITATIONS: ReadonlySet<string> = new Set(['uh', 'um', 'umm', 'hmm', 'er', 'erm', 'uhm', 'ah', 'like', ',']);

/**
 * Positions of a phrase's words from `start`, over hesitations and a word said twice ("in in front
 * of", "in um front of"); null when the words there are not the phrase. A repeated word belongs
 * to the phrase, a hesitation does not.
 */
function phraseAt(words: readonly string[], start: number, phrase: readonly string[]): number[] | null {
  if (words[start] !== phrase[0]) return null;
  const members = [start];
  let j = start + 1;
  for (let k = 1; k < phrase.length; k++) {
    for (; j < words.length && words[j] !== phrase[k]; j++) {
      if (words[j] === phrase[k - 1]) members.push(j);
      else if (!HESITATIONS.has(words[j])) return null;
    }
    if (j >= words.length) return null;
    members.push(j++);
  }
  return members;
}

/** Each word's concept as part of a lexicon phrase, for the phrases `accept` takes (all by default). */
function matchPhrases(words: readonly string[], accept: (start: number, length: number) => boolean = () => true): (Concept | null)[] {
  const out: (Concept | null)[] = words.map(() => null);
  for (let i = 0; i < words.length; i++) {
    for (const phrase of PHRASES) {
      const members = phraseAt(words, i, phrase.words);
      if (members && accept(i, members[members.length - 1] - i + 1)) for (const k of members) out[k] = phrase.concept;
    }
  }
  return out;
}

/**
 * Positions of the hesitations that fall inside a phrase ("in, uh, front of"): the tagger, which
 * learnt phrases whole, splits a phrase around the sound, so it reads the words without them.
 */
export function hesitationsInPhrases(tokens: readonly Token[]): ReadonlySet<number> {
  const words = tokens.map((token) => token.word);
  const inside = new Set<number>();
  for (let i = 0; i < words.length; i++) {
    for (const phrase of PHRASES) {
      const members = phraseAt(words, i, phrase.words);
      if (!members) continue;
      for (let k = i; k < members[members.length - 1]; k++) if (!members.includes(k)) inside.add(k);
    }
  }
  return inside;
}

/** The network's concept id for a token (lexicon.CONCEPT_IDS; CONCEPT_NONE outside the lexicon). */
export function conceptId(token: Token): number {
  return token.concept ? (CONCEPT_IDS.get(token.concept) ?? CONCEPT_NONE) : CONCEPT_NONE;
}
