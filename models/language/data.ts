/**
 * Examples -> tensors for the language network. Pure functions, seeded where random.
 */
import type { Example } from '../../language/corpus/dataset';
import { CONCEPT_COUNT, CONCEPT_NONE, FUNCTION_WORDS, LEXICON } from '../../language/lexicon';
import { analyseTokens, conceptId, normalise, snapToLexicon, type Token } from '../../language/preprocess';
import { seededPermutation, tf } from '../runtime';
import { sentenceLabels, TAG_LABELS } from './labels';
import { OUTPUT_NAMES, OUTPUT_SIZES, type OutputName } from './model';

export const PAD_ID = 0;
export const UNK_ID = 1;

/** The training vocabulary: index 0 padding, 1 unknown, then words. */
export interface Vocabulary {
  readonly words: readonly string[];
  readonly index: ReadonlyMap<string, number>;
}

export function vocabularyFrom(words: readonly string[]): Vocabulary {
  if (words[PAD_ID] !== '<pad>' || words[UNK_ID] !== '<unk>') throw new Error('vocabulary must start with <pad>, <unk>');
  return { words, index: new Map(words.map((w, i) => [w, i])) };
}

/**
 * Words of the training split that the model may learn: lexicon and function words, and any other
 * word seen at least `minCount` times (template glue such as "please") that does not snap to the
 * lexicon. Misspellings stay out even when frequent ("mugg"), so the model meets them only through
 * snapping, as it will at run time.
 */
export function buildVocabulary(train: readonly Example[], minCount = 3): Vocabulary {
  const counts = new Map<string, number>();
  for (const example of train) {
    for (const surface of example.tokens) {
      const word = normalise(surface);
      counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  const words = [...counts]
    .filter(([word, count]) => word in LEXICON || FUNCTION_WORDS.has(word) || (count >= minCount && snapToLexicon(word) === null))
    .map(([word]) => word)
    .sort();
  return vocabularyFrom(['<pad>', '<unk>', ...words]);
}

/** One reminder, preprocessed and indexed (one id per kept token). */
export interface EncodedTokens {
  readonly tokens: Token[];
  readonly wordIds: Int32Array;
  readonly conceptIds: Int32Array;
  /** Tokens beyond maxTokens, cut off. */
  readonly truncated: number;
}

export function encodeTokens(tokens: Token[], vocabulary: Vocabulary, maxTokens: number): EncodedTokens {
  const n = Math.min(tokens.length, maxTokens);
  const wordIds = new Int32Array(n);
  const conceptIds = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    wordIds[i] = vocabulary.index.get(tokens[i].word) ?? UNK_ID;
    conceptIds[i] = conceptId(tokens[i]);
  }
  return { tokens: tokens.slice(0, n), wordIds, conceptIds, truncated: tokens.length - n };
}

export interface EncodedExample extends EncodedTokens {
  readonly example: Example;
}

export function encodeExamples(examples: readonly Example[], vocabulary: Vocabulary, maxTokens: number): EncodedExample[] {
  const known = new Set(vocabulary.words);
  return examples.map((example) => ({ example, ...encodeTokens(analyseTokens(example.tokens, known), vocabulary, maxTokens) }));
}

/**
 * A training batch, padded to its longest reminder L. xs: words [b, L] int32, concepts [b, L]
 * int32, mask_bias [b, L, 1].
 * ys by output name: tags [b, L, 10] one-hot (padding is O), attention [b, L] (uniform over the
 * slot-tagged tokens, or over all tokens when none is tagged), binary heads [b, 1], the other
 * heads one-hot [b, classes]. `wordDropout` replaces word ids by UNK with that probability;
 * `unknownInsertion` is the share of reminders that get one unknown word (UNK, no concept, tag O)
 * at a random place, so that a word never seen ("I NEED the green mug") does not derail the rest.
 */
export function makeBatch(
  batch: readonly EncodedExample[],
  random: () => number = Math.random,
  wordDropout = 0,
  unknownInsertion = 0,
): { xs: tf.Tensor[]; ys: Record<OutputName, tf.Tensor> } {
  if (unknownInsertion > 0) batch = batch.map((e) => (random() < unknownInsertion ? withUnknownWord(e, random) : e));
  const b = batch.length;
  const L = Math.max(1, ...batch.map((e) => e.tokens.length));
  const words = new Int32Array(b * L);
  const concepts = new Int32Array(b * L);
  const maskBias = new Float32Array(b * L).fill(-1e4);
  const tags = new Float32Array(b * L * OUTPUT_SIZES.tags);
  const attention = new Float32Array(b * L);
  const heads: Record<string, Float32Array> = {};
  for (const name of OUTPUT_NAMES.slice(2)) heads[name] = new Float32Array(b * OUTPUT_SIZES[name]);
  batch.forEach((e, row) => {
    const n = e.tokens.length;
    const tagged: number[] = [];
    for (let i = 0; i < L; i++) {
      const word = i < n ? e.wordIds[i] : PAD_ID;
      words[row * L + i] = word > UNK_ID && wordDropout > 0 && random() < wordDropout ? UNK_ID : word;
      concepts[row * L + i] = i < n ? e.conceptIds[i] : 0;
      const tag = i < n ? TAG_LABELS.indexOf(e.example.tags[i]) : 0;
      tags[(row * L + i) * OUTPUT_SIZES.tags + tag] = 1;
      if (i < n) {
        maskBias[row * L + i] = 0;
        if (tag !== 0) tagged.push(i);
      }
    }
    const focus = tagged.length > 0 ? tagged : Array.from({ length: n }, (_, i) => i);
    for (const i of focus) attention[row * L + i] = 1 / focus.length;
    const labels = sentenceLabels(e.example.meaning);
    const set = (name: OutputName, index: number) => {
      if (OUTPUT_SIZES[name] === 1) heads[name][row] = index;
      else heads[name][row * OUTPUT_SIZES[name] + index] = 1;
    };
    set('mistake', labels.mistake);
    set('stop', labels.stop);
    set('urgency', labels.urgency);
    set('avoid_current', labels.avoidCurrent);
    set('action', labels.action);
    set('grasp', labels.grasp);
    set('relation', labels.relation);
  });
  const ys = {
    tags: tf.tensor3d(tags, [b, L, OUTPUT_SIZES.tags]),
    attention: tf.tensor2d(attention, [b, L]),
  } as Record<OutputName, tf.Tensor>;
  for (const name of OUTPUT_NAMES.slice(2)) ys[name] = tf.tensor2d(heads[name], [b, OUTPUT_SIZES[name]]);
  return { xs: inputTensors(words, concepts, maskBias, b, L), ys };
}

/** The example with an unknown word (tag O) inserted at a random position. */
function withUnknownWord(e: EncodedExample, random: () => number): EncodedExample {
  const at = Math.floor(random() * (e.tokens.length + 1));
  const insert = <T extends Int32Array>(a: T): Int32Array => Int32Array.from([...a.slice(0, at), 0, ...a.slice(at)]);
  const wordIds = insert(e.wordIds);
  wordIds[at] = UNK_ID;
  const conceptIds = insert(e.conceptIds);
  conceptIds[at] = CONCEPT_NONE;
  const unknown: Token = { surface: '<unk>', word: '<unk>', concept: null, snap: null, unknown: true };
  return {
    ...e,
    tokens: [...e.tokens.slice(0, at), unknown, ...e.tokens.slice(at)],
    wordIds,
    conceptIds,
    example: { ...e.example, tags: [...e.example.tags.slice(0, at), 'O', ...e.example.tags.slice(at)] },
  };
}

/**
 * Batches of similar length (so little padding), in random order: examples are shuffled, cut into
 * pools of 32 batches, each pool sorted by length and cut into batches.
 */
export function lengthBucketedBatches(count: number, lengthOf: (i: number) => number, batchSize: number, random: () => number): number[][] {
  const order = seededPermutation(count, random);
  const batches: number[][] = [];
  const pool = batchSize * 32;
  for (let start = 0; start < order.length; start += pool) {
    const sorted = order.slice(start, start + pool).sort((a, b) => lengthOf(a) - lengthOf(b));
    for (let i = 0; i < sorted.length; i += batchSize) batches.push(sorted.slice(i, i + batchSize));
  }
  return seededPermutation(batches.length, random).map((i) => batches[i]);
}

/** The model's three inputs for b reminders. */
export function inputTensors(words: Int32Array, concepts: Int32Array, maskBias: Float32Array, b: number, L: number): tf.Tensor[] {
  return [tf.tensor2d(words, [b, L], 'int32'), tf.tensor2d(concepts, [b, L], 'int32'), tf.tensor3d(maskBias, [b, L, 1])];
}

export { CONCEPT_COUNT };
