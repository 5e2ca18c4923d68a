/**
 * Utterance audio -> reminder text: the domain search first; optionally the general US English
 * model when the domain transcript's confidence is low; rejection of empty or unsure transcripts.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Decoder, type Hypothesis, type SearchSpec, type WordSegment } from './decoder';
import { ACOUSTIC_DIRECTORY, adaptedModelFlags } from './acoustic/adapted-model';
import { DICT_FILE, LM_FILE, readLanguageModelMeta } from './lm/build';
import { DEFAULT_ACOUSTIC_MODEL, DEFAULT_DICTIONARY, DEFAULT_GENERAL_LM } from './pocketsphinx';
import { joinSamples } from './vad';

/** The committed domain model (models/speech), found from the compiled file. */
export const DEFAULT_MODEL_DIRECTORY = path.resolve(__dirname, '..', '..', 'models', 'speech');

/**
 * pocketsphinx flags chosen on the dev template families: -topn 8 (more Gaussians scored) cut WER
 * by about two points; without the flat-lexicon second pass WER was no worse and decoding a third
 * faster (RTF 0.069 instead of 0.106). Running cepstral mean normalisation (`-cmn live`) is what
 * decoding while the person speaks needs; it cost about one point of WER against whole-utterance
 * normalisation and saves the whole decode from the latency.
 */
const DECODER_FLAGS: Readonly<Record<string, string>> = { '-topn': '8', '-fwdflat': 'no', '-cmn': 'live' };

/**
 * Hesitations the decoder puts on breath, clicks and the noise after a word ("stop uh" at 0.08):
 * below this posterior they carry nothing and would only confuse the stop fast path.
 */
const HESITATIONS: ReadonlySet<string> = new Set(['uh', 'um', 'hmm', 'er', 'ah']);
const MIN_HESITATION_CONFIDENCE = 0.5;

export interface RecogniserOptions {
  readonly modelDirectory: string;
  /** The Debian acoustic model, whose mdef, feature parameters and noise dictionary are used. */
  readonly acousticModel: string;
  /**
   * Adapted means, variances, mixture weights and transitions (`h2r speech adapt`) replacing the
   * Debian model's; '' decodes with the Debian model as it is.
   */
  readonly adaptedAcousticModel: string;
  /** Mean word confidence under which the general model is tried too; 0 switches it off. */
  readonly fallbackBelowConfidence: number;
  readonly generalLanguageModel: string;
  /** Mean word confidence under which a transcript is rejected. */
  readonly minConfidence: number;
}

export const DEFAULT_RECOGNISER_OPTIONS: RecogniserOptions = {
  modelDirectory: DEFAULT_MODEL_DIRECTORY,
  acousticModel: DEFAULT_ACOUSTIC_MODEL,
  adaptedAcousticModel: path.join(DEFAULT_MODEL_DIRECTORY, ACOUSTIC_DIRECTORY),
  fallbackBelowConfidence: 0,
  generalLanguageModel: DEFAULT_GENERAL_LM,
  minConfidence: 0.2,
};

export interface Transcript {
  readonly text: string;
  readonly words: readonly WordSegment[];
  /** Mean word posterior, 0 for no words. */
  readonly confidence: number;
  /** Which search gave the text: "domain" or "general". */
  readonly search: string;
  /** Decoding time of every pass, ms. */
  readonly decodeMs: number;
  /** Time from the last audio to the transcript, ms: what the decoding adds to the latency. */
  readonly endMs: number;
  /** Why the transcript must not become a reminder, or null. */
  readonly rejection: string | null;
}

export function meanConfidence(words: readonly WordSegment[]): number {
  return words.length === 0 ? 0 : words.reduce((s, w) => s + w.confidence, 0) / words.length;
}

export class Recogniser {
  readonly #decoder: Decoder;
  readonly #options: RecogniserOptions;

  private constructor(decoder: Decoder, options: RecogniserOptions) {
    this.#decoder = decoder;
    this.#options = options;
  }

  static open(options: Partial<RecogniserOptions> = {}): Recogniser {
    const settings = { ...DEFAULT_RECOGNISER_OPTIONS, ...options };
    const searches: SearchSpec[] = [{ name: 'domain', languageModel: path.join(settings.modelDirectory, LM_FILE) }];
    let dictionary = path.join(settings.modelDirectory, DICT_FILE);
    if (settings.fallbackBelowConfidence > 0) {
      searches.push({ name: 'general', languageModel: settings.generalLanguageModel });
      dictionary = generalDictionary(settings.modelDirectory);
    }
    const flags = { ...DECODER_FLAGS, ...(settings.adaptedAcousticModel ? adaptedModelFlags(settings.adaptedAcousticModel) : {}) };
    return new Recogniser(Decoder.open({ acousticModel: settings.acousticModel, dictionary, searches, flags }), settings);
  }

  /** Starts decoding an utterance while it is heard (tests, benchmarks, the CLI: in this thread). */
  startUtterance(): { feed(samples: Int16Array): void; finish(): Transcript } {
    const heard: Int16Array[] = [];
    this.#decoder.begin('domain');
    return {
      feed: (samples) => {
        heard.push(samples);
        this.#decoder.process(samples);
      },
      finish: () => {
        const domain = this.#decoder.end();
        const general = this.#wantsFallback(domain) ? this.#decoder.decode(joinSamples(heard), 'general') : null;
        return this.#choose(domain, general);
      },
    };
  }

  /**
   * The same on a pool thread (the speech node): feed() queues the audio and returns at once;
   * finish() resolves with the transcript once everything queued before it is decoded.
   */
  startUtteranceAsync(): { feed(samples: Int16Array): void; finish(): Promise<Transcript> } {
    const heard: Int16Array[] = [];
    let failure: unknown = null;
    const remember = (error: unknown): void => {
      failure ??= error;
    };
    this.#decoder.queue(() => this.#decoder.begin('domain')).catch(remember);
    return {
      feed: (samples) => {
        heard.push(samples);
        this.#decoder.processAsync(samples).catch(remember);
      },
      finish: async () => {
        // A failed begin or chunk fails the utterance, which is still ended if it had begun.
        return this.#decoder.queue(() => {
          let domain: Hypothesis | null = null;
          try {
            domain = this.#decoder.end();
          } catch (error) {
            remember(error);
          }
          if (failure !== null || !domain) throw failure;
          // The fallback decodes in this step, in this thread: queued after it, the next
          // utterance may already have begun. It is off by default (fallback_below_confidence 0).
          const general = this.#wantsFallback(domain) ? this.#decoder.decode(joinSamples(heard), 'general') : null;
          return this.#choose(domain, general);
        });
      },
    };
  }

  /** Decodes in this thread (tests, benchmarks, the CLI). */
  recognise(samples: Int16Array): Transcript {
    const domain = this.#decoder.decode(samples, 'domain');
    const general = this.#wantsFallback(domain) ? this.#decoder.decode(samples, 'general') : null;
    return this.#choose(domain, general);
  }

  close(): void {
    this.#decoder.close();
  }

  #wantsFallback(domain: Hypothesis): boolean {
    return this.#options.fallbackBelowConfidence > 0 && meanConfidence(domain.words) < this.#options.fallbackBelowConfidence;
  }

  #choose(domain: Hypothesis, general: Hypothesis | null): Transcript {
    const chosen = general && meanConfidence(general.words) > meanConfidence(domain.words) ? general : domain;
    const best = { ...chosen, words: chosen.words.filter((w) => !(HESITATIONS.has(w.word) && w.confidence < MIN_HESITATION_CONFIDENCE)) };
    const confidence = meanConfidence(best.words);
    const decodeMs = domain.decodeMs + (general?.decodeMs ?? 0);
    const endMs = domain.endMs + (general?.decodeMs ?? 0);
    let rejection: string | null = null;
    if (best.words.length === 0) rejection = 'no words recognised';
    else if (confidence < this.#options.minConfidence) rejection = `low confidence ${confidence.toFixed(2)} (min ${this.#options.minConfidence})`;
    return { text: best.words.map((w) => w.word).join(' '), words: best.words, confidence, search: best.search, decodeMs, endMs, rejection };
  }
}

/**
 * The general model needs the whole CMU dictionary; the domain words it lacks (derived
 * pronunciations) are appended. Written once per model version to the temp directory.
 */
function generalDictionary(modelDirectory: string): string {
  const meta = readLanguageModelMeta(modelDirectory);
  const extra = Object.entries(meta.derivedPronunciations ?? {}).map(([word, phones]) => `${word} ${phones}`);
  const file = path.join(os.tmpdir(), `h2r-speech-${meta.vocabularyFingerprint.slice(0, 16)}.dict`);
  if (!fs.existsSync(file)) {
    const temporary = `${file}.${process.pid}`;
    fs.writeFileSync(temporary, fs.readFileSync(DEFAULT_DICTIONARY, 'utf8') + extra.join('\n') + '\n');
    fs.renameSync(temporary, file);
  }
  return file;
}

