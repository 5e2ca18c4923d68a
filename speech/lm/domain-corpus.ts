/**
 * Spoken reminders from the reminder corpus generator (language/corpus), as word lists, for the
 * speech language model and for speech tests.
 *
 * The generator adds typing noise ("frmo", "yello") and recogniser-like substitutions ("blew") to
 * slot words, as the text parser must read them. A person speaks none of those, so an example
 * is "clean" only when every word it tags as a slot is a lexicon or function word, the plural of
 * a lexicon word, or a word the templates use often (>= 0.2% of examples: "move", "away"). Noise
 * is rare per surface form, so it never reaches that share.
 */
import { generateCorpus, type Example } from '../../language/corpus/dataset';
import { FAMILIES } from '../../language/corpus/families';
import { COLOUR_WORDS, KIND_WORDS, NUMBER_WORDS, ORDINAL_WORDS, SIZE_WORDS, STATE_WORDS, type SplitName } from '../../language/corpus/vocabulary';
import { FUNCTION_WORDS, LEXICON } from '../../language/lexicon';
import { spokenWords } from '../text';

/** Function-word entries that are tokenizer pieces of contractions ("that 's"), never spoken alone. */
const CONTRACTION_PIECES: ReadonlySet<string> = new Set(['s', 're', 'll', 've', 'd', 'm', 't']);

/** Share of examples a non-lexicon slot word must reach to count as a template word. */
const TEMPLATE_WORD_SHARE = 0.002;

export interface SpokenReminder {
  readonly text: string;
  readonly words: string[];
  readonly family: string;
  readonly familySplit: SplitName;
  readonly example: Example;
}

export interface SpokenCorpus {
  readonly reminders: SpokenReminder[];
  /** Examples dropped because a slot word was typing or recogniser noise. */
  readonly noisy: number;
}

/** Families by the split they belong to: training families never leave the training split. */
export function familySplit(family: string): SplitName {
  const found = FAMILIES.find((f) => f.id === family);
  if (!found) throw new Error(`corpus example has unknown family "${family}"`);
  return found.split;
}

function isLexiconWord(word: string): boolean {
  if (word in LEXICON || FUNCTION_WORDS.has(word)) return true;
  const singular = word.endsWith('es') && word.slice(0, -2) in LEXICON ? word.slice(0, -2) : word.replace(/s$/, '');
  return singular in LEXICON;
}

/** Slot words that are neither lexicon words nor frequent template words, per example. */
function noisyExamples(examples: readonly Example[]): Set<Example> {
  const slotWordCounts = new Map<string, number>();
  const slotWords = (e: Example): string[] =>
    e.tokens.map((t, i) => (e.tags[i] === 'O' ? '' : t.toLowerCase())).filter((w) => /^[a-z]+$/.test(w) && !isLexiconWord(w));
  for (const e of examples) for (const w of new Set(slotWords(e))) slotWordCounts.set(w, (slotWordCounts.get(w) ?? 0) + 1);
  const minimum = Math.max(2, TEMPLATE_WORD_SHARE * examples.length);
  return new Set(examples.filter((e) => slotWords(e).some((w) => (slotWordCounts.get(w) ?? 0) < minimum)));
}

export interface SpokenCorpusOptions {
  readonly count: number;
  readonly seed: number;
  /** Keep only examples whose family is of one of these splits. */
  readonly familySplits: readonly SplitName[];
  /** Keep only examples of these corpus splits (default: all). */
  readonly exampleSplits?: readonly SplitName[];
}

/** Generates `count` corpus examples and keeps the clean ones of the chosen families. */
export function spokenCorpus(options: SpokenCorpusOptions): SpokenCorpus {
  const { examples } = generateCorpus({ count: options.count, seed: options.seed });
  const noisy = noisyExamples(examples);
  const reminders: SpokenReminder[] = [];
  let dropped = 0;
  for (const example of examples) {
    const split = familySplit(example.family);
    if (!options.familySplits.includes(split)) continue;
    if (options.exampleSplits && !options.exampleSplits.includes(example.split)) continue;
    if (noisy.has(example)) {
      dropped++;
      continue;
    }
    const words = spokenWords(example.text);
    if (words.length === 0) continue;
    reminders.push({ text: example.text, words, family: example.family, familySplit: split, example });
  }
  return { reminders, noisy: dropped };
}

/**
 * Every word the parser knows by meaning: lexicon entries, function words and the generator's
 * surface forms (plurals, held-out synonyms). The language model gives each of them a unigram.
 */
export function domainWords(): Set<string> {
  const words = new Set<string>();
  const add = (phrase: string): void => {
    for (const w of spokenWords(phrase)) if (!CONTRACTION_PIECES.has(w)) words.add(w);
  };
  for (const word of Object.keys(LEXICON)) add(word);
  for (const word of FUNCTION_WORDS) add(word);
  for (const forms of Object.values(KIND_WORDS)) for (const pair of forms) pair.forEach(add);
  for (const table of [COLOUR_WORDS, SIZE_WORDS, STATE_WORDS, NUMBER_WORDS, ORDINAL_WORDS]) {
    for (const list of Object.values(table) as (readonly string[])[]) list.forEach(add);
  }
  return words;
}
