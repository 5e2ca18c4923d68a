/**
 * The domain language model: a Kneser-Ney trigram over clean spoken reminders of the TRAINING
 * template families, with a unigram for every domain word the dictionary can pronounce, written
 * to models/speech/ as domain.lm (ARPA), domain.dict (pronunciations) and domain.json (how it was
 * made, and the words left out because nothing could pronounce them).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { pronounce, formatDictionary, readDictionary, type PronunciationDictionary } from '../pronunciation';
import { domainWords, spokenCorpus } from './domain-corpus';
import { estimateKneserNey, formatArpa } from './kneser-ney';

export const LM_FILE = 'domain.lm';
export const DICT_FILE = 'domain.dict';
export const META_FILE = 'domain.json';

export interface BuildOptions {
  /** Corpus examples generated (all splits); only clean training-family ones are kept. */
  readonly count: number;
  readonly seed: number;
  readonly order: number;
}

export const DEFAULT_BUILD_OPTIONS: BuildOptions = { count: 80000, seed: 7001, order: 3 };

export interface LanguageModelMeta {
  readonly generator: string;
  readonly options: BuildOptions;
  readonly sentences: number;
  readonly noisyExamplesDropped: number;
  readonly sentencesWithUnpronounceableWords: number;
  readonly vocabularySize: number;
  readonly ngramCounts: number[];
  readonly discounts: (readonly [number, number, number])[];
  /** Domain words pronounced by derivation (compound, suffix, possessive). */
  readonly derivedPronunciations: Record<string, string>;
  /** Words neither the dictionary nor derivation can pronounce: not in the model. */
  readonly unpronounceable: string[];
  /** sha256 of the sorted vocabulary: the staleness check compares it. */
  readonly vocabularyFingerprint: string;
  readonly vocabulary: string[];
}

export interface BuiltLanguageModel {
  readonly arpa: string;
  readonly dictionary: string;
  readonly meta: LanguageModelMeta;
}

export function vocabularyFingerprint(words: Iterable<string>): string {
  return createHash('sha256').update([...words].sort().join('\n')).digest('hex');
}

/** The sentences and vocabulary the model is estimated from (also used by the staleness check). */
export function domainTrainingText(options: BuildOptions, dictionary: PronunciationDictionary) {
  const corpus = spokenCorpus({ count: options.count, seed: options.seed, familySplits: ['train'], exampleSplits: ['train'] });
  const candidates = new Set<string>(domainWords());
  for (const reminder of corpus.reminders) for (const w of reminder.words) candidates.add(w);
  const pronunciations = pronounce(candidates, dictionary);
  const unpronounceable = new Set(pronunciations.unpronounceable);
  const sentences = corpus.reminders.map((r) => r.words).filter((words) => !words.some((w) => unpronounceable.has(w)));
  return { corpus, pronunciations, sentences, droppedSentences: corpus.reminders.length - sentences.length };
}

export function buildDomainLanguageModel(options: BuildOptions, dictionaryFile: string): BuiltLanguageModel {
  const dictionary = readDictionary(dictionaryFile);
  const { corpus, pronunciations, sentences, droppedSentences } = domainTrainingText(options, dictionary);
  const vocabulary = [...pronunciations.entries.keys()].sort();
  const model = estimateKneserNey(sentences, { order: options.order, vocabulary });
  return {
    arpa: formatArpa(model),
    dictionary: formatDictionary(pronunciations.entries),
    meta: {
      generator: 'speech/lm/build.ts: Kneser-Ney over language/corpus training families',
      options,
      sentences: sentences.length,
      noisyExamplesDropped: corpus.noisy,
      sentencesWithUnpronounceableWords: droppedSentences,
      vocabularySize: vocabulary.length,
      ngramCounts: model.logProbabilities.map((level) => level.size),
      discounts: [...model.discounts],
      derivedPronunciations: pronunciations.derived,
      unpronounceable: pronunciations.unpronounceable,
      vocabularyFingerprint: vocabularyFingerprint(vocabulary),
      vocabulary,
    },
  };
}

export function writeLanguageModel(directory: string, built: BuiltLanguageModel): void {
  fs.mkdirSync(directory, { recursive: true });
  fs.writeFileSync(path.join(directory, LM_FILE), built.arpa);
  fs.writeFileSync(path.join(directory, DICT_FILE), built.dictionary);
  fs.writeFileSync(path.join(directory, META_FILE), JSON.stringify(built.meta, null, 2) + '\n');
}

/** Reads domain.json, checking the fields the staleness check and the recogniser use. */
export function readLanguageModelMeta(directory: string): LanguageModelMeta {
  const file = path.join(directory, META_FILE);
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)} (build it: h2r speech build-lm)`);
  }
  const meta = value as Partial<LanguageModelMeta> | null;
  if (typeof meta !== 'object' || meta === null) throw new Error(`${file}: not a JSON object`);
  if (!Array.isArray(meta.vocabulary) || !meta.vocabulary.every((w) => typeof w === 'string')) throw new Error(`${file}: field "vocabulary" must be an array of strings`);
  if (typeof meta.vocabularyFingerprint !== 'string') throw new Error(`${file}: field "vocabularyFingerprint" must be a string`);
  return meta as LanguageModelMeta;
}
