/**
 * ReminderParser: text -> language attention (Meaning, slot tags, token attention, features).
 * Used by the reminder_parser node, the visual stage, `h2r ground` and the trial alike.
 */
import * as fs from 'fs';
import * as path from 'path';
import { EMPTY_MEANING, type Meaning, type SlotTag } from '../semantics/meaning';
import { CONCEPT_IDS } from './lexicon';
import { hesitationsInPhrases, preprocess, type Token } from './preprocess';
import { decodeMeaning, harmoniseTags, type Decoded, type HeadOutputs } from './decode';
import { loadModel, type tf } from '../models/runtime';
import { encodeTokens, vocabularyFrom, type Vocabulary } from '../models/language/data';
import { LanguageNetwork } from '../models/language/inference';
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
const STOP_FILLERS = new Set([
  'now', 'right', 'there', 'please', 'it', 'that', 'a', 'second', 'moment', 'sec', 'minute', 'bit', 'everything',
  'robot', 'hey', 'whoa', 'no', 'on', 'for', 'just', 'uh', 'um', 'oh', 'okay', 'ok', 'so', 'hmm', 'all',
]);

/**
 * The lexicon fast path, needing no model (the monitor halts before the network has run):
 * 'bare' for a reminder that is only a stop command ("stop!", "wait wait", "hold on", "stop right
 * there", "wait a second"), 'leading' for one that starts with a stop command and a pause ("stop,
 * wrong cup"), null otherwise ("wait for the cup" is no stop).
 */
export function stopCommand(text: string): 'bare' | 'leading' | null {
  return stopCommandOf(preprocess(text));
}

/** stopCommand for a reminder already preprocessed. */
export function stopCommandOf(tokens: readonly Token[]): 'bare' | 'leading' | null {
  const words = tokens.map((t) => t.word);
  const isPunctuation = (w: string | undefined) => w !== undefined && /^[,.!?]$/.test(w);
  // openings that come before a stop: "hey", "uh", "no no", "whoa", "please"
  const isOpening = (i: number) => /^(filler|urgent|neg|punct):/.test(tokens[i].concept ?? '') || words[i] === 'please';
  const isStop = (i: number) => STOP_WORDS.has(words[i]) || ((words[i] === 'hold' || words[i] === 'hang') && words[i + 1] === 'on');
  const first = words.findIndex((_, i) => !isOpening(i));
  if (first < 0 || !isStop(first)) return null;
  const rest = words.slice(first + 1).filter((w, i) => !STOP_WORDS.has(w) && !((w === 'hold' || w === 'hang') && words[first + 2 + i] === 'on'));
  if (rest.every((w) => STOP_FILLERS.has(w) || isPunctuation(w))) return 'bare';
  return isPunctuation(rest[0]) && rest[0] !== '?' ? 'leading' : null;
}

export function isStopCommand(text: string): boolean {
  return stopCommand(text) !== null;
}

/** Why a text cannot be a reminder, or null. */
export function rejectionReason(text: unknown, maxLength: number): string | null {
  if (typeof text !== 'string') return 'text is not a string';
  if (text.trim().length === 0) return 'empty reminder';
  if (text.length > maxLength) return `reminder of ${text.length} characters exceeds max_length ${maxLength}`;
  if (!/[a-z]/i.test(text)) return 'reminder has no letters';
  return null;
}

/** Reminders that go through every part of the parser, for warmUp. */
const WARM_UP_REMINDERS = [
  'no, the blue cup on your left',
  'stop!',
  'put it just in front of the pitcher from where I sit',
  // Misspelt on purpose: spelling snapping runs too.
  'that gear is fine, take the craked one',
  'you are pouring beside the mug, pour it into the mug',
  'hold it by the handle please',
  'well done, keep going',
  'not that one, the second cogwheel from your right',
];

/**
 * The tagger's per-token outputs laid back over the tokens as written: a hesitation it was not
 * given to read is tagged O, with no attention. Tokens past the tagger's length stay cut off.
 */
function overWrittenTokens(tokens: readonly Token[], skipped: ReadonlySet<number>, tags: readonly SlotTag[], attention: readonly number[]) {
  const out = { tokens: [] as Token[], tags: [] as SlotTag[], attention: [] as number[] };
  for (let i = 0, read = 0; i < tokens.length && read < tags.length; i++) {
    out.tokens.push(tokens[i]);
    const heard = !skipped.has(i);
    out.tags.push(heard ? tags[read] : 'O');
    out.attention.push(heard ? attention[read] : 0);
    if (heard) read++;
  }
  return out;
}

export class ReminderParser {
  readonly #network: LanguageNetwork;
  readonly #vocabulary: Vocabulary;
  readonly #known: ReadonlySet<string>;
  readonly maxTokens: number;
  readonly maxLength: number;

  private constructor(model: tf.LayersModel, vocabulary: Vocabulary, maxTokens: number, options: ParserOptions) {
    this.#network = new LanguageNetwork(model);
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

  /**
   * Parses sample reminders of every shape a few times: V8 compiles a function fully only after
   * many calls, and a reminder comes every few seconds, so without this the first dozen reminders
   * of a run were the slowest.
   */
  warmUp(rounds = 10): void {
    for (let round = 0; round < rounds; round++) {
      for (const text of WARM_UP_REMINDERS) {
        try {
          this.parse(text);
        } catch (error) {
          // A parser configured with a short max length rejects the longer samples; that is all.
          if (!(error instanceof ReminderRejected)) throw error;
        }
      }
    }
  }

  /** Parses one reminder; throws ReminderRejected for empty, absurd or enormous input. */
  parse(text: string): ParseResult {
    return this.parseMany([text])[0];
  }

  /** Parses several reminders (evaluation); throws ReminderRejected for the first bad one. */
  parseMany(texts: readonly string[]): ParseResult[] {
    const prepared = texts.map((text) => {
      const reason = rejectionReason(text, this.maxLength);
      if (reason) throw new ReminderRejected(reason);
      const tokens = preprocess(text, this.#known);
      const content = tokens.filter((t) => /[a-z]/.test(t.word));
      if (content.length > 0 && content.every((t) => t.unknown)) throw new ReminderRejected(`only unknown words: ${content.map((t) => t.word).join(' ')}`);
      const skipped = hesitationsInPhrases(tokens);
      const read = tokens.filter((_, i) => !skipped.has(i));
      return { text, tokens, skipped, encoded: encodeTokens(read, this.#vocabulary, this.maxTokens) };
    });
    return prepared.map(({ text, tokens, skipped, encoded }) => {
      const outputs = this.#network.run(encoded.wordIds, encoded.conceptIds);
      const tags = harmoniseTags(encoded.tokens, outputs.tags, TAG_LABELS);
      const heads: HeadOutputs = {
        mistake: outputs.heads.mistake, stop: outputs.heads.stop[0], urgency: outputs.heads.urgency,
        avoidCurrent: outputs.heads.avoid_current[0], action: outputs.heads.action, grasp: outputs.heads.grasp,
        relation: outputs.heads.relation,
      };
      const decoded = decodeMeaning(encoded.tokens, tags, heads);
      const stop = stopCommandOf(tokens);
      // A bare stop command names nothing to correct; a leading one halts whatever else is said.
      if (stop === 'bare') decoded.meaning = { ...EMPTY_MEANING, stop: true, urgency: 1 };
      else if (stop === 'leading') decoded.meaning = { ...decoded.meaning, stop: true, urgency: 1 };
      const tagConfidence = outputs.tags.reduce((sum, p) => sum + Math.max(...p), 0) / outputs.tags.length;
      const written = overWrittenTokens(tokens, skipped, tags, Array.from(outputs.attention));
      return this.#result(text, written.tokens, written.tags, tagConfidence, written.attention, decoded, Array.from(outputs.features), encoded.truncated);
    });
  }

  #result(
    text: string, tokens: Token[], tags: SlotTag[], tagConfidence: number, attention: number[],
    decoded: Decoded, features: number[], truncated: number,
  ): ParseResult {
    const snapped = tokens.filter((t) => t.snap).map((t) => ({ from: t.snap!.from, to: t.word, confidence: t.snap!.confidence }));
    const unknownWords = [...new Set(tokens.filter((t) => t.unknown).map((t) => t.word))];
    let confidence = decoded.mistakeConfidence * tagConfidence;
    confidence *= 0.5 ** decoded.unfilledSlotWords.length;
    confidence *= 0.9 ** unknownWords.length;
    for (const s of snapped) confidence *= 0.5 + 0.5 * s.confidence;
    if (truncated > 0) confidence *= 0.8;
    return {
      text, tokens: tokens.map((t) => t.surface), words: tokens.map((t) => t.word), tags, attention,
      meaning: decoded.meaning, mistakeConfidence: decoded.mistakeConfidence, confidence,
      unknownWords, snapped, features, truncated,
    };
  }
}
