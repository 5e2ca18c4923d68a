/**
 * The C functions of Debian's libpocketsphinx 0.8 (5prealpha) and libsphinxbase, bound in-process
 * with koffi. Only this file knows the C signatures; speech/decoder.ts builds on it.
 *
 * Every function also has `.async(...args, callback)`, which koffi runs on a libuv pool thread:
 * that is how decoding stays off the event loop (see decoder.ts).
 */
import * as fs from 'fs';
import * as path from 'path';

/** Where pocketsphinx-en-us puts the US English models. */
export const DEBIAN_MODEL_DIRECTORY = '/usr/share/pocketsphinx/model/en-us';
export const DEFAULT_ACOUSTIC_MODEL = path.join(DEBIAN_MODEL_DIRECTORY, 'en-us');
export const DEFAULT_DICTIONARY = path.join(DEBIAN_MODEL_DIRECTORY, 'cmudict-en-us.dict');
export const DEFAULT_GENERAL_LM = path.join(DEBIAN_MODEL_DIRECTORY, 'en-us.lm.bin');

export const INSTALL_HINT = 'install pocketsphinx pocketsphinx-en-us: sudo apt-get install -y pocketsphinx pocketsphinx-en-us';

/** The recogniser cannot run here: a library or model file is missing. */
export class SpeechUnavailableError extends Error {
  constructor(what: string) {
    super(`${what}; ${INSTALL_HINT}`);
    this.name = 'SpeechUnavailableError';
  }
}

// Opaque C handles: koffi external pointers.
export type Pointer = object;

type AsyncCall<A extends unknown[], R> = (...args: [...A, (error: unknown, result: R) => void]) => void;
interface CFunction<A extends unknown[], R> {
  (...args: A): R;
  async: AsyncCall<A, R>;
}

export interface Pocketsphinx {
  readonly psArgs: CFunction<[], Pointer>;
  readonly cmdLnParse: CFunction<[Pointer | null, Pointer, number, string[], number], Pointer | null>;
  readonly cmdLnFree: CFunction<[Pointer], number>;
  readonly psInit: CFunction<[Pointer], Pointer | null>;
  readonly psFree: CFunction<[Pointer], number>;
  readonly psSetLmFile: CFunction<[Pointer, string, string], number>;
  readonly psSetLm: CFunction<[Pointer, string, Pointer], number>;
  readonly psGetConfig: CFunction<[Pointer], Pointer>;
  readonly ngramModelRead: CFunction<[Pointer | null, string, number, Pointer], Pointer | null>;
  readonly ngramModelSetInit: CFunction<[Pointer, Pointer[], string[], Float32Array, number], Pointer | null>;
  readonly ngramModelFree: CFunction<[Pointer], number>;
  readonly logmathInit: CFunction<[number, number, number], Pointer>;
  readonly logmathFree: CFunction<[Pointer], number>;
  readonly logmathLogToLog10: CFunction<[Pointer, number], number>;
  readonly ngramModelGetSize: CFunction<[Pointer], number>;
  readonly ngramWid: CFunction<[Pointer, string], number>;
  readonly ngramWord: CFunction<[Pointer, number], string | null>;
  readonly ngramBgScore: CFunction<[Pointer, number, number, number[]], number>;
  readonly psSetSearch: CFunction<[Pointer, string], number>;
  readonly psGetSearch: CFunction<[Pointer], string | null>;
  readonly psStartUtt: CFunction<[Pointer], number>;
  readonly psProcessRaw: CFunction<[Pointer, Int16Array, number, number, number], number>;
  readonly psEndUtt: CFunction<[Pointer], number>;
  readonly psGetHyp: CFunction<[Pointer, number[]], string | null>;
  readonly psGetProb: CFunction<[Pointer], number>;
  readonly psGetNFrames: CFunction<[Pointer], number>;
  readonly psSegIter: CFunction<[Pointer], Pointer | null>;
  readonly psSegNext: CFunction<[Pointer], Pointer | null>;
  readonly psSegWord: CFunction<[Pointer], string>;
  readonly psSegFrames: CFunction<[Pointer, number[], number[]], void>;
  readonly psSegProb: CFunction<[Pointer, number[], number[], number[]], number>;
  readonly psSegFree: CFunction<[Pointer], void>;
  readonly psGetLogmath: CFunction<[Pointer], Pointer>;
  readonly logmathExp: CFunction<[Pointer, number], number>;
}

const LIBRARIES = ['libsphinxbase.so.3', 'libpocketsphinx.so.3'] as const;

let loaded: Pocketsphinx | null = null;

/** Loads the libraries once; throws SpeechUnavailableError naming what is missing. */
export function loadPocketsphinx(): Pocketsphinx {
  if (loaded) return loaded;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const koffi = require('koffi') as typeof import('koffi');
  const open = (name: string) => {
    try {
      return koffi.load(name);
    } catch (error) {
      throw new SpeechUnavailableError(`cannot load ${name} (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
    }
  };
  const [sphinxbase, pocketsphinx] = LIBRARIES.map(open);
  const ps = (signature: string) => pocketsphinx.func(signature);
  const sb = (signature: string) => sphinxbase.func(signature);
  loaded = {
    psArgs: ps('void *ps_args(void)'),
    cmdLnParse: sb('void *cmd_ln_parse_r(void *inout, void *defn, int argc, const char **argv, int strict)'),
    cmdLnFree: sb('int cmd_ln_free_r(void *cmdln)'),
    psInit: ps('void *ps_init(void *config)'),
    psFree: ps('int ps_free(void *ps)'),
    psSetLmFile: ps('int ps_set_lm_file(void *ps, const char *name, const char *path)'),
    psSetLm: ps('int ps_set_lm(void *ps, const char *name, void *lm)'),
    psGetConfig: ps('void *ps_get_config(void *ps)'),
    ngramModelRead: sb('void *ngram_model_read(void *config, const char *file_name, int file_type, void *lmath)'),
    ngramModelSetInit: sb('void *ngram_model_set_init(void *config, void **models, const char **names, const float *weights, int n_models)'),
    ngramModelFree: sb('int ngram_model_free(void *model)'),
    logmathInit: sb('void *logmath_init(double base, int shift, int use_table)'),
    logmathFree: sb('int logmath_free(void *lmath)'),
    logmathLogToLog10: sb('double logmath_log_to_log10(void *lmath, int logb_p)'),
    ngramModelGetSize: sb('int ngram_model_get_size(void *model)'),
    ngramWid: sb('int ngram_wid(void *model, const char *word)'),
    ngramWord: sb('const char *ngram_word(void *model, int wid)'),
    ngramBgScore: sb('int ngram_bg_score(void *model, int w2, int w1, _Out_ int *n_used)'),
    psSetSearch: ps('int ps_set_search(void *ps, const char *name)'),
    psGetSearch: ps('const char *ps_get_search(void *ps)'),
    psStartUtt: ps('int ps_start_utt(void *ps)'),
    psProcessRaw: ps('int ps_process_raw(void *ps, const int16_t *data, size_t n_samples, int no_search, int full_utt)'),
    psEndUtt: ps('int ps_end_utt(void *ps)'),
    psGetHyp: ps('const char *ps_get_hyp(void *ps, _Out_ int *out_best_score)'),
    psGetProb: ps('int ps_get_prob(void *ps)'),
    psGetNFrames: ps('int ps_get_n_frames(void *ps)'),
    psSegIter: ps('void *ps_seg_iter(void *ps)'),
    psSegNext: ps('void *ps_seg_next(void *seg)'),
    psSegWord: ps('const char *ps_seg_word(void *seg)'),
    psSegFrames: ps('void ps_seg_frames(void *seg, _Out_ int *out_sf, _Out_ int *out_ef)'),
    psSegProb: ps('int ps_seg_prob(void *seg, _Out_ int *out_ascr, _Out_ int *out_lscr, _Out_ int *out_lback)'),
    psSegFree: ps('void ps_seg_free(void *seg)'),
    psGetLogmath: ps('void *ps_get_logmath(void *ps)'),
    logmathExp: sb('double logmath_exp(void *lmath, int logb_p)'),
  } as unknown as Pocketsphinx;
  return loaded;
}

/** ngram_file_type_t: let sphinxbase tell ARPA from binary. */
export const NGRAM_AUTO = 0;

/** Throws SpeechUnavailableError for the first model file or directory that is missing. */
export function requireModelFiles(files: Readonly<Record<string, string>>): void {
  for (const [role, file] of Object.entries(files)) {
    if (!fs.existsSync(file)) throw new SpeechUnavailableError(`${role} ${file} does not exist`);
  }
}
