/**
 * One pocketsphinx decoder in this process, with named n-gram searches: decode 16 kHz mono
 * samples while they arrive (begin, process chunk by chunk, end) and get the words with times and
 * posterior confidences.
 *
 * Audio is always processed in live mode (ps_process_raw with full_utt off): sphinxbase silently
 * switches a decoder to running (prior) cepstral mean normalisation the first time it sees live
 * audio, so mixing whole-utterance and live calls would decode the same audio differently
 * depending on what came before. The recogniser asks for `-cmn live` up front.
 *
 * libpocketsphinx calls are synchronous. The *Async methods run the expensive call
 * (ps_process_raw) on a libuv pool thread and queue behind each other, so a node's executor stays
 * free while it decodes.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadPocketsphinx, NGRAM_AUTO, requireModelFiles, type Pocketsphinx, type Pointer } from './pocketsphinx';
import { baseWord, isWordToken } from './text';

export const SAMPLE_RATE = 16000;
/** Pocketsphinx's default frame rate (-frate). */
const FRAMES_PER_SECOND = 100;

export interface SearchSpec {
  readonly name: string;
  /** ARPA or Sphinx binary n-gram file. */
  readonly languageModel: string;
  /**
   * Further models interpolated with languageModel (sphinxbase ngram_model_set): the search
   * vocabulary is the union; `weight` is each extra model's share, languageModel gets the rest.
   */
  readonly interpolate?: readonly { readonly languageModel: string; readonly weight: number }[];
}

export interface DecoderOptions {
  readonly acousticModel: string;
  readonly dictionary: string;
  /** Named n-gram searches; decode() uses the first unless told otherwise. */
  readonly searches: readonly SearchSpec[];
  /** Further pocketsphinx flags, e.g. { '-lw': '8' }. */
  readonly flags?: Readonly<Record<string, string>>;
}

export interface WordSegment {
  readonly word: string;
  /** Seconds from the start of the utterance. */
  readonly start: number;
  readonly end: number;
  /** Posterior probability of the word (0..1). */
  readonly confidence: number;
}

export interface Hypothesis {
  readonly search: string;
  readonly text: string;
  readonly words: readonly WordSegment[];
  /** Best path score (log domain, pocketsphinx units). */
  readonly score: number;
  readonly frames: number;
  /** Wall time spent decoding the utterance (every chunk and the end), ms. */
  readonly decodeMs: number;
  /** Wall time of the end alone (what is left once the last audio is in), ms. */
  readonly endMs: number;
}

export class Decoder {
  readonly #lib: Pocketsphinx;
  #handle: Pointer | null;
  readonly #logmath: Pointer;
  readonly searches: readonly string[];
  #queue: Promise<unknown> = Promise.resolve();
  #utterance: { search: string; decodeMs: number } | null = null;

  private constructor(lib: Pocketsphinx, handle: Pointer, searches: readonly string[]) {
    this.#lib = lib;
    this.#handle = handle;
    this.#logmath = lib.psGetLogmath(handle);
    this.searches = searches;
  }

  /** Loads models and searches; throws naming the file or the pocketsphinx error. */
  static open(options: DecoderOptions): Decoder {
    if (options.searches.length === 0) throw new Error('a decoder needs at least one search');
    requireModelFiles({ 'acoustic model': options.acousticModel, dictionary: options.dictionary });
    for (const search of options.searches) {
      for (const file of [search.languageModel, ...(search.interpolate ?? []).map((m) => m.languageModel)]) {
        if (!fs.existsSync(file)) throw new Error(`language model ${file} (search "${search.name}") does not exist`);
      }
    }
    const lib = loadPocketsphinx();
    const handle = initialise(lib, options, '/dev/null') ?? failWithLog(lib, options);
    const decoder = new Decoder(lib, handle, options.searches.map((s) => s.name));
    for (const search of options.searches) {
      try {
        addSearch(lib, handle, search);
      } catch (error) {
        decoder.close();
        throw error;
      }
    }
    return decoder;
  }

  /** Decodes one utterance synchronously (tests, benchmarks, the CLI). */
  decode(samples: Int16Array, search: string = this.searches[0]): Hypothesis {
    this.begin(search);
    this.process(samples);
    return this.end();
  }

  /** Starts an utterance; its audio follows with process(), its words come from end(). */
  begin(search: string = this.searches[0]): void {
    const handle = this.#open();
    // An utterance whose caller gave up on it (an exception mid-way) is ended unread.
    if (this.#utterance) this.#lib.psEndUtt(handle);
    if (!this.searches.includes(search)) throw new Error(`unknown search "${search}" (have ${this.searches.join(', ')})`);
    if (this.#lib.psSetSearch(handle, search) < 0) throw new Error(`pocketsphinx cannot select search "${search}"`);
    if (this.#lib.psStartUtt(handle) < 0) throw new Error('pocketsphinx cannot start an utterance');
    this.#utterance = { search, decodeMs: 0 };
  }

  /** Decodes more audio of the utterance begun. */
  process(samples: Int16Array): void {
    const utterance = this.#current();
    const started = performance.now();
    const processed = this.#lib.psProcessRaw(this.#open(), samples, samples.length, 0, 0);
    utterance.decodeMs += performance.now() - started;
    if (processed < 0) throw new Error('pocketsphinx failed to process the audio');
  }

  /** process() on a pool thread, queued behind earlier calls. */
  processAsync(samples: Int16Array): Promise<void> {
    return this.queue(async () => {
      const utterance = this.#current();
      const started = performance.now();
      const processed = await new Promise<number>((resolve, reject) => {
        this.#lib.psProcessRaw.async(this.#open(), samples, samples.length, 0, 0, (error, result) => (error ? reject(error) : resolve(result)));
      });
      utterance.decodeMs += performance.now() - started;
      if (processed < 0) throw new Error('pocketsphinx failed to process the audio');
    });
  }

  /** Ends the utterance and returns its words. */
  end(): Hypothesis {
    const utterance = this.#current();
    this.#utterance = null;
    const started = performance.now();
    const handle = this.#open();
    if (this.#lib.psEndUtt(handle) < 0) throw new Error('pocketsphinx cannot end the utterance');
    const hypothesis = this.#collect(handle, utterance.search);
    const endMs = performance.now() - started;
    return { ...hypothesis, decodeMs: utterance.decodeMs + endMs, endMs };
  }

  /** Runs `step` after every call queued before it; a failed step does not block later ones. */
  queue<T>(step: () => T | Promise<T>): Promise<T> {
    const result = this.#queue.then(step, step);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  /** Frees the decoder once the calls queued before are done (a pool thread may be in one). */
  close(): void {
    void this.queue(() => {
      if (this.#handle) this.#lib.psFree(this.#handle);
      this.#handle = null;
    });
  }

  #open(): Pointer {
    if (!this.#handle) throw new Error('the decoder is closed');
    return this.#handle;
  }

  #current(): { search: string; decodeMs: number } {
    if (!this.#utterance) throw new Error('no utterance has begun');
    return this.#utterance;
  }

  #collect(handle: Pointer, search: string): Omit<Hypothesis, 'decodeMs' | 'endMs'> {
    const score = [0];
    const text = this.#lib.psGetHyp(handle, score) ?? '';
    const words: WordSegment[] = [];
    for (let seg = this.#lib.psSegIter(handle); seg; seg = this.#lib.psSegNext(seg)) {
      const token = this.#lib.psSegWord(seg);
      if (!isWordToken(token)) continue;
      const startFrame = [0];
      const endFrame = [0];
      this.#lib.psSegFrames(seg, startFrame, endFrame);
      const posterior = this.#lib.logmathExp(this.#logmath, this.#lib.psSegProb(seg, [0], [0], [0]));
      words.push({
        word: baseWord(token),
        start: startFrame[0] / FRAMES_PER_SECOND,
        end: (endFrame[0] + 1) / FRAMES_PER_SECOND,
        confidence: Math.min(1, Math.max(0, posterior)),
      });
    }
    return {
      search,
      text: words.length > 0 ? words.map((w) => w.word).join(' ') : text.trim(),
      words,
      score: score[0],
      frames: this.#lib.psGetNFrames(handle),
    };
  }
}

function addSearch(lib: Pocketsphinx, handle: Pointer, search: SearchSpec): void {
  const extra = search.interpolate ?? [];
  if (extra.length === 0) {
    if (lib.psSetLmFile(handle, search.name, search.languageModel) < 0) {
      throw new Error(`pocketsphinx could not load language model ${search.languageModel} (search "${search.name}")`);
    }
    return;
  }
  const shares = extra.map((m) => m.weight);
  const rest = 1 - shares.reduce((a, b) => a + b, 0);
  if (shares.some((w) => !(w > 0)) || !(rest > 0)) throw new Error(`search "${search.name}": interpolation weights must be positive and sum to less than 1`);
  const config = lib.psGetConfig(handle);
  const logmath = lib.psGetLogmath(handle);
  const files = [search.languageModel, ...extra.map((m) => m.languageModel)];
  const models = files.map((file) => {
    const model = lib.ngramModelRead(config, file, NGRAM_AUTO, logmath);
    if (!model) throw new Error(`pocketsphinx could not read language model ${file} (search "${search.name}")`);
    return model;
  });
  const set = lib.ngramModelSetInit(config, models, files.map((_, i) => `lm${i}`), Float32Array.from([rest, ...shares]), models.length);
  if (!set || lib.psSetLm(handle, search.name, set) < 0) throw new Error(`pocketsphinx could not interpolate ${files.join(' + ')} (search "${search.name}")`);
}

function commandLine(options: DecoderOptions, logFile: string): string[] {
  const flags: Record<string, string> = {
    '-hmm': options.acousticModel,
    '-dict': options.dictionary,
    '-logfn': logFile,
    ...options.flags,
  };
  return Object.entries(flags).flat();
}

function initialise(lib: Pocketsphinx, options: DecoderOptions, logFile: string): Pointer | null {
  const argv = commandLine(options, logFile);
  const config = lib.cmdLnParse(null, lib.psArgs(), argv.length, argv, 1);
  if (!config) return null;
  const handle = lib.psInit(config);
  lib.cmdLnFree(config); // the decoder holds its own reference
  return handle;
}

/** Initialises once more with a log file, only to report why pocketsphinx refused. */
function failWithLog(lib: Pocketsphinx, options: DecoderOptions): never {
  const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'h2r-pocketsphinx-')), 'init.log');
  const handle = initialise(lib, options, logFile);
  if (handle) lib.psFree(handle);
  let reason = 'no log';
  try {
    const errors = fs.readFileSync(logFile, 'utf8').split('\n').filter((l) => /ERROR|FATAL/.test(l));
    if (errors.length > 0) reason = errors.slice(-3).join(' | ');
  } catch {
    // fall through with 'no log'
  } finally {
    fs.rmSync(path.dirname(logFile), { recursive: true, force: true });
  }
  throw new Error(`pocketsphinx could not start with ${commandLine(options, '-').join(' ')}: ${reason}`);
}
