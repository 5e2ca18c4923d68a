/**
 * ReminderParser: text -> language attention (Meaning, slot tags, token attention, features).
 * Used by the reminder_parser node, the visual stage, `h2r ground` and the trial alike.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Meaning, SlotTag } from '../semantics/meaning';
import { CONCEPT_IDS } from './lexicon';
import { preprocess, type Token } from './preprocess';
import { decodeMeaning, type HeadOutputs } from './decode';
import { loadModel, tf } from '../models/runtime';
import { encodeTokens, inputTensors, vocabularyFrom, type Vocabulary } from '../models/language/data';
import { OUTPUT_NAMES, withSentenceFeatures } from '../models/language/model';
import { TAG_LABELS } from '../models/language/labels';

/** Where the committed model lives (relative to the package root, found from this file). */
export const DEFAULT_MODEL_DIR = path.resolve(__dirname, '..', '..', 'models', 'language');
export const VOCABULARY_FILE = 'vocab.json';

export interface ParseResult {
  readonly text: string;
  /** Tokens as written, and as normalised/snapped (what the model read). */
  readonly tokens: string[];
  readonly words: string[];
  readonly tags: SlotTag[];
  /** One weight per token, summing to 1. */
  readonly attention: number[];
  readonly meaning: Meaning;
  readonly mistakeConfidence: number;
  /** Confidence of the whole parse: lowered by unknown words in slots and by snapping. */
  readonly confidence: number;
  readonly unknownWords: string[];
  readonly snapped: { from: string; to: string; confidence: number }[];
  /** The sentence vector handed to the visual stage. */
  readonly features: number[];
  /** Tokens cut off beyond the model's maximum length. */
  readonly truncated: number;
}

/** A reminder the parser refuses to read, with the reason. */
export class ReminderRejected extends Error {
  constructor(readonly reason: string) {
    super(`reminder rejected: ${reason}`);
    this.name = 'ReminderRejected';
  }
}

interface VocabularyFile {
  readonly words: string[];
  readonly concepts: string[];
  readonly maxTokens: number;
}

export interface ParserOptions {
  /** Longest accepted reminder, in characters. */
  readonly maxLength?: number;
}

const STOP_WORDS = new Set(['stop', 'wait', 'halt', 'freeze']);
const STOP_FILLERS = new Set(['now', 'right', 'there', 'please', 'it', 'a', 'second', 'moment', 'sec', 'everything', 'robot', 'hey', 'whoa', 'no', 'on']);

/**
 * The lexicon fast path: true when a reminder is a stop command ("stop!", "wait wait", "hold on",
 * "stop right there") or starts with one followed by a pause ("stop, wrong cup"). Needs no model,
 * so the monitor can halt before the network is loaded or has run.
 */
export function isStopCommand(text: string): boolean {
  const words = preprocess(text).map((t) => t.word);
  const first = words.findIndex((w) => !/^[,.!?]$/.test(w) && !['uh', 'um', 'oh', 'hey', 'no', 'whoa'].includes(w));
  if (first < 0) return false;
  const isStop = (i: number) => STOP_WORDS.has(words[i]) || ((words[i] === 'hold' || words[i] === 'hang') && words[i + 1] === 'on');
  if (!isStop(first)) return false;
  const rest = words.slice(first + 1).filter((w) => !STOP_WORDS.has(w));
  return rest.length === 0 || /^[,.!]$/.test(rest[0]) || rest.every((w) => STOP_FILLERS.has(w) || /^[,.!?]$/.test(w));
}

/** Why a text cannot be a reminder, or null. */
export function rejectionReason(text: unknown, maxLength: number): string | null {
  if (typeof text !== 'string') return 'text is not a string';
  if (text.trim().length === 0) return 'empty reminder';
  if (text.length > maxLength) return `reminder of ${text.length} characters exceeds max_length ${maxLength}`;
  if (!/[a-z]/i.test(text)) return 'reminder has no letters';
  return null;
}

export class ReminderParser {
  readonly #model: tf.LayersModel;
  readonly #vocabulary: Vocabulary;
  readonly #known: ReadonlySet<string>;
  readonly maxTokens: number;
  readonly maxLength: number;

  private constructor(model: tf.LayersModel, vocabulary: Vocabulary, maxTokens: number, options: ParserOptions) {
    this.#model = withSentenceFeatures(model);
    this.#vocabulary = vocabulary;
    this.#known = new Set(vocabulary.words);
    this.maxTokens = maxTokens;
    this.maxLength = options.maxLength ?? 500;
  }

  /** Loads model.json, weights.bin and vocab.json from a directory (the runtime must be initialised). */
  static async load(dir: string = DEFAULT_MODEL_DIR, options: ParserOptions = {}): Promise<ReminderParser> {
    const vocabularyPath = path.join(dir, VOCABULARY_FILE);
    let file: VocabularyFile;
    try {
      file = JSON.parse(fs.readFileSync(vocabularyPath, 'utf8'));
    } catch (error) {
      throw new Error(`cannot read ${vocabularyPath}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const current = [...CONCEPT_IDS.keys()];
    if (!Array.isArray(file.concepts) || file.concepts.join('|') !== current.join('|')) {
      throw new Error(`${vocabularyPath}: the model was trained with a different lexicon concept table; retrain it (h2r train language)`);
    }
    return ReminderParser.fromModel(await loadModel(dir), vocabularyFrom(file.words), file.maxTokens, options);
  }

  /** Wraps a model in memory (after training). */
  static fromModel(model: tf.LayersModel, vocabulary: Vocabulary, maxTokens: number, options: ParserOptions = {}): ReminderParser {
    return new ReminderParser(model, vocabulary, maxTokens, options);
  }

  get vocabulary(): Vocabulary {
    return this.#vocabulary;
  }

  /** Parses one reminder; throws ReminderRejected for empty, absurd or enormous input. */
  parse(text: string): ParseResult {
    return this.parseMany([text])[0];
  }

  /** Parses several reminders in one network call (evaluation, benchmarks). */
  parseMany(texts: readonly string[]): ParseResult[] {
    const prepared = texts.map((text) => {
      const reason = rejectionReason(text, this.maxLength);
      if (reason) throw new ReminderRejected(reason);
      const tokens = preprocess(text, this.#known);
      const content = tokens.filter((t) => /[a-z]/.test(t.word));
      if (content.length > 0 && content.every((t) => t.unknown)) throw new ReminderRejected(`only unknown words: ${content.map((t) => t.word).join(' ')}`);
      return { text, tokens, encoded: encodeTokens(tokens, this.#vocabulary, this.maxTokens) };
    });
    if (prepared.length === 0) return [];
    const b = prepared.length;
    const L = Math.max(1, ...prepared.map((p) => p.encoded.tokens.length));
    const words = new Int32Array(b * L);
    const concepts = new Int32Array(b * L);
    const maskBias = new Float32Array(b * L).fill(-1e4);
    prepared.forEach(({ encoded }, row) => {
      words.set(encoded.wordIds, row * L);
      concepts.set(encoded.conceptIds, row * L);
      maskBias.fill(0, row * L, row * L + encoded.tokens.length);
    });
    const outputs = tf.tidy(() => {
      const result = this.#model.predict(inputTensors(words, concepts, maskBias, b, L)) as tf.Tensor[];
      return result.map((t) => t.arraySync());
    }) as unknown[];
    const named = (name: (typeof OUTPUT_NAMES)[number]) => outputs[OUTPUT_NAMES.indexOf(name)] as number[][];
    const tagProbabilities = outputs[0] as number[][][];
    const features = outputs[OUTPUT_NAMES.length] as number[][];
    return prepared.map(({ text, encoded }, row) => {
      const n = encoded.tokens.length;
      const tokenTags = tagProbabilities[row].slice(0, n);
      const tags = tokenTags.map((p) => TAG_LABELS[p.indexOf(Math.max(...p))]);
      const heads: HeadOutputs = {
        mistake: named('mistake')[row], stop: named('stop')[row][0], urgency: named('urgency')[row],
        avoidCurrent: named('avoid_current')[row][0], action: named('action')[row], grasp: named('grasp')[row],
        relation: named('relation')[row],
      };
      const decoded = decodeMeaning(encoded.tokens, tags, heads);
      const attention = renormalise(named('attention')[row].slice(0, n));
      return this.#result(text, encoded.tokens, tags, tokenTags, attention, decoded, heads, features[row], encoded.truncated);
    });
  }

  #result(
    text: string, tokens: Token[], tags: SlotTag[], tagProbabilities: number[][], attention: number[],
    decoded: ReturnType<typeof decodeMeaning>, heads: HeadOutputs, features: number[], truncated: number,
  ): ParseResult {
    const snapped = tokens.filter((t) => t.snap).map((t) => ({ from: t.snap!.from, to: t.word, confidence: t.snap!.confidence }));
    const unknownWords = [...new Set(tokens.filter((t) => t.unknown).map((t) => t.word))];
    const tagConfidence = tagProbabilities.reduce((s, p) => s + Math.max(...p), 0) / Math.max(1, tagProbabilities.length);
    let confidence = decoded.mistakeConfidence * tagConfidence;
    confidence *= 0.5 ** decoded.unfilledSlotWords.length;
    confidence *= 0.9 ** unknownWords.length;
    for (const s of snapped) confidence *= 0.5 + 0.5 * s.confidence;
    if (truncated > 0) confidence *= 0.8;
    void heads;
    return {
      text, tokens: tokens.map((t) => t.surface), words: tokens.map((t) => t.word), tags, attention,
      meaning: decoded.meaning, mistakeConfidence: decoded.mistakeConfidence, confidence,
      unknownWords, snapped, features, truncated,
    };
  }
}

function renormalise(weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  return sum > 0 ? weights.map((w) => w / sum) : weights.map(() => 1 / Math.max(1, weights.length));
}
