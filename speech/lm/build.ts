/**
 * The domain language model: a Kneser-Ney trigram over clean spoken reminders of the TRAINING
 * template families, with a unigram for every domain word the dictionary can pronounce,
 * interpolated with background bigrams of Debian's general English model over those words and the
 * most frequent general words (so "aim it" or "I'd like", which no training template says, can
 * still be heard), written
 * to models/speech/ as domain.lm (ARPA), domain.dict (pronunciations) and domain.json (how it was
 * made, and the words left out because nothing could pronounce them).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { pronounce, formatDictionary, readDictionary, type PronunciationDictionary } from '../pronunciation';
import { domainWords, spokenCorpus } from './domain-corpus';
import { extractBackgroundBigrams } from './general-lm';
import { estimateKneserNey, formatArpa } from './kneser-ney';
import { interpolateModels } from './mix';
import { DEFAULT_GENERAL_LM } from '../pocketsphinx';

export const LM_FILE = 'domain.lm';
export const DICT_FILE = 'domain.dict';
export const META_FILE = 'domain.json';

export interface BuildOptions {
  /** Corpus examples generated (all splits); only clean training-family ones are kept. */
  readonly count: number;
  readonly seed: number;
  readonly order: number;
  /** Frequent general words added beyond the domain words (0: no background model). */
  readonly backgroundWords: number;
  /** Share of the background bigrams in the interpolation. */
  readonly backgroundWeight: number;
}

/** Background 1000 words at 0.2: chosen on dev families (models/speech/README.md). */
export const DEFAULT_BUILD_OPTIONS: BuildOptions = { count: 80000, seed: 7001, order: 3, backgroundWords: 1000, backgroundWeight: 0.2 };

export interface LanguageModelMeta {
  readonly generator: string;
  readonly options: BuildOptions;
  readonly sentences: number;
  readonly noisyExamplesDropped: number;
  readonly sentencesWithUnpronounceableWords: number;
  readonly vocabularySize: number;
  readonly ngramCounts: number[];
  /** General words the background model added, most frequent first. */
  readonly backgroundExtraWords: string[];
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

export function buildDomainLanguageModel(options: BuildOptions, dictionaryFile: string, generalModel: string = DEFAULT_GENERAL_LM): BuiltLanguageModel {
  const dictionary = readDictionary(dictionaryFile);
  const { corpus, pronunciations: domain, sentences, droppedSentences } = domainTrainingText(options, dictionary);
  const background =
    options.backgroundWeight > 0
      ? extractBackgroundBigrams({ file: generalModel, domainWords: new Set(domain.entries.keys()), extraWords: options.backgroundWords, pronounceable: (w) => dictionary.has(w) })
      : null;
  const pronunciations = background ? pronounce([...domain.entries.keys(), ...background.extraWords], dictionary) : domain;
  const vocabulary = [...pronunciations.entries.keys()].sort();
  const trigrams = estimateKneserNey(sentences, { order: options.order, vocabulary });
  const model = background
    ? interpolateModels([
        { model: trigrams, weight: 1 - options.backgroundWeight },
        { model: background.model, weight: options.backgroundWeight },
      ])
    : trigrams;
  return {
    arpa: formatArpa(model),
    dictionary: formatDictionary(pronunciations.entries),
    meta: {
      generator: 'speech/lm/build.ts: Kneser-Ney over language/corpus training families, interpolated with general-English background bigrams',
      options,
      sentences: sentences.length,
      noisyExamplesDropped: corpus.noisy,
      sentencesWithUnpronounceableWords: droppedSentences,
      vocabularySize: vocabulary.length,
      ngramCounts: model.logProbabilities.map((level) => level.size),
      backgroundExtraWords: background?.extraWords ?? [],
      discounts: [...trigrams.discounts],
      derivedPronunciations: pronunciations.derived,
      unpronounceable: domain.unpronounceable,
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
