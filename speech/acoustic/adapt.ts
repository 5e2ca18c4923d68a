/**
 * MAP adaptation of the Debian acoustic model to synthetic voices, with Debian's SphinxTrain:
 * training-family reminders spoken by espeak-ng voices that are NOT the test voices, features by
 * sphinx_fe, statistics by bw (forced alignment to the known text), new parameters by map_adapt,
 * the mixture weights requantised by mk_s2sendump. Each further round aligns with the adapted
 * model and adapts the Debian model again from those statistics (better alignments, same prior). The test voices, the test and dev template
 * families never take part, so the speech benchmark stays held out in voice and in phrasing.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spokenCorpus } from '../lm/domain-corpus';
import { readDictionary } from '../pronunciation';
import { DEFAULT_ACOUSTIC_MODEL } from '../pocketsphinx';
import { requireSynthesisTools, synthesiseAll, TEST_VOICES } from '../synthesis';
import { encodeWav, RECOGNISER_SAMPLE_RATE } from '../wav';
import { ADAPTED_FILES } from './adapted-model';
import { readSendump, writeMixtureWeights } from './sphinx-files';

/** espeak-ng voices the model is adapted to; disjoint from TEST_VOICES (checked below). */
export const ADAPTATION_VOICES = [
  'en-us+m1', 'en-us+m2', 'en-us+m3', 'en-us+m4', 'en-us+m7', 'en-us+f1', 'en-us+f3', 'en-us+f4',
  'en-us+klatt2', 'en-us+klatt4', 'en-us+Andy', 'en-us+Annie', 'en-us+david', 'en-us+linda', 'en-us+paul', 'en-us+robert',
  'en-us+Alex', 'en-us+john', 'en-us+steph', 'en-us+max', 'en-us+edward', 'en-us+Jacky', 'en-us+quincy', 'en-us+zac',
  'en-gb', 'en-gb+m3', 'en-gb+f3', 'en-us',
] as const;
export const ADAPTATION_SPEEDS = [125, 145, 165, 190] as const;

const SPHINXTRAIN = '/usr/lib/sphinxtrain';
export const SPHINXTRAIN_HINT = 'install SphinxTrain: sudo apt-get install -y sphinxtrain';

export interface AdaptOptions {
  readonly utterances: number;
  readonly seed: number;
  /** Where the adapted files go (models/speech/acoustic). */
  readonly out: string;
  /** Pronunciations of every word spoken (the domain dictionary). */
  readonly dictionary: string;
  readonly baseModel: string;
  /** Rounds of alignment and adaptation (dev families, with the background LM: 2 rounds 9.5-9.8% WER, 3 rounds 8.2%). */
  readonly rounds: number;
  /** Kept for inspection when given; a temporary directory otherwise. */
  readonly workDirectory?: string;
  readonly onProgress?: (stage: string, done: number, total: number) => void;
}

export const DEFAULT_ADAPT_OPTIONS = { utterances: 2400, seed: 4242, rounds: 3, baseModel: DEFAULT_ACOUSTIC_MODEL } as const;

export interface AdaptationReport {
  readonly generator: string;
  readonly seed: number;
  readonly utterances: number;
  readonly rounds: number;
  /** Utterances bw could not align to their text in the last round (left out of its statistics). */
  readonly notAligned: number;
  readonly voices: readonly string[];
  readonly speeds: readonly number[];
  readonly families: string;
  readonly seconds: number;
}

function requireTools(): void {
  for (const tool of ['bw', 'map_adapt', 'mk_s2sendump']) {
    if (!fs.existsSync(path.join(SPHINXTRAIN, tool))) throw new Error(`${path.join(SPHINXTRAIN, tool)} is missing; ${SPHINXTRAIN_HINT}`);
  }
  for (const tool of ['sphinx_fe', 'pocketsphinx_mdef_convert']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) throw new Error(`${tool} is missing; install pocketsphinx and sphinxbase-utils`);
  }
  requireSynthesisTools();
}

/** Runs a tool to completion; its output goes to `log`, whose tail explains a failure. */
function runTool(command: string, args: readonly string[], log: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const out = fs.openSync(log, 'w');
    const child = spawn(command, args, { stdio: ['ignore', out, out] });
    child.on('error', (error) => reject(new Error(`${command} failed to start: ${error.message}`)));
    child.on('close', (code) => {
      fs.closeSync(out);
      const text = fs.readFileSync(log, 'utf8');
      if (code === 0) resolve(text);
      else reject(new Error(`${path.basename(command)} exited with ${code}; the end of ${log}:\n${text.trim().split('\n').slice(-5).join('\n')}`));
    });
  });
}

export async function adaptAcousticModel(options: AdaptOptions): Promise<AdaptationReport> {
  const overlap = ADAPTATION_VOICES.filter((v) => (TEST_VOICES as readonly string[]).includes(v));
  if (overlap.length > 0) throw new Error(`adaptation voices overlap the test voices: ${overlap.join(', ')}`);
  requireTools();
  const started = Date.now();
  const work = options.workDirectory ?? fs.mkdtempSync(path.join(os.tmpdir(), 'h2r-adapt-'));
  const base = path.join(work, 'base');
  const adapted = path.join(work, 'adapted');
  for (const dir of [base, adapted, path.join(work, 'wav'), path.join(work, 'mfc')]) fs.mkdirSync(dir, { recursive: true });
  try {
    // The base model as SphinxTrain reads it: text mdef and float mixture weights.
    for (const file of ['means', 'variances', 'transition_matrices', 'feat.params', 'noisedict']) fs.copyFileSync(path.join(options.baseModel, file), path.join(base, file));
    await runTool('pocketsphinx_mdef_convert', ['-text', path.join(options.baseModel, 'mdef'), path.join(base, 'mdef.txt')], path.join(work, 'mdef.log'));
    fs.writeFileSync(path.join(base, 'mixture_weights'), writeMixtureWeights(readSendump(fs.readFileSync(path.join(options.baseModel, 'sendump')), 'base sendump')));

    const known = readDictionary(options.dictionary);
    const corpus = spokenCorpus({ count: Math.max(4000, options.utterances * 20), seed: options.seed, familySplits: ['train'], exampleSplits: ['train'] });
    const reminders = corpus.reminders.filter((r) => r.words.every((w) => known.has(w))).slice(0, options.utterances);
    if (reminders.length < options.utterances) throw new Error(`only ${reminders.length} pronounceable training reminders from seed ${options.seed}`);
    const requests = reminders.map((r, i) => ({
      text: r.text,
      voice: ADAPTATION_VOICES[i % ADAPTATION_VOICES.length],
      speed: ADAPTATION_SPEEDS[Math.floor(i / ADAPTATION_VOICES.length) % ADAPTATION_SPEEDS.length],
    }));
    const ids: string[] = [];
    const transcription: string[] = [];
    const batch = 50;
    for (let at = 0; at < requests.length; at += batch) {
      const clips = await synthesiseAll(requests.slice(at, at + batch), 2);
      clips.forEach((clip, k) => {
        const id = `utt${String(at + k).padStart(5, '0')}`;
        fs.writeFileSync(path.join(work, 'wav', `${id}.wav`), encodeWav(clip.samples, RECOGNISER_SAMPLE_RATE));
        ids.push(id);
        transcription.push(`<s> ${reminders[at + k].words.join(' ')} </s> (${id})`);
      });
      options.onProgress?.('synthesis', Math.min(requests.length, at + batch), requests.length);
    }
    const fileids = path.join(work, 'adapt.fileids');
    const transcript = path.join(work, 'adapt.transcription');
    fs.writeFileSync(fileids, ids.join('\n') + '\n');
    fs.writeFileSync(transcript, transcription.join('\n') + '\n');

    const featureParams = path.join(base, 'feat.params');
    await runTool('sphinx_fe', ['-argfile', featureParams, '-samprate', String(RECOGNISER_SAMPLE_RATE), '-c', fileids, '-di', path.join(work, 'wav'), '-do', path.join(work, 'mfc'), '-ei', 'wav', '-eo', 'mfc', '-mswav', 'yes'], path.join(work, 'sphinx_fe.log'));
    options.onProgress?.('features', 1, 1);
    const mdef = path.join(base, 'mdef.txt');
    const prior = ['-meanfn', path.join(base, 'means'), '-varfn', path.join(base, 'variances'), '-mixwfn', path.join(base, 'mixture_weights'), '-tmatfn', path.join(base, 'transition_matrices')];
    let bwLog = '';
    for (let round = 1; round <= options.rounds; round++) {
      // bw reads means, variances, mixture_weights and transition_matrices from -hmmdir.
      const aligner = round === 1 ? base : adapted;
      if (round > 1) for (const file of ['mdef.txt', 'feat.params', 'noisedict']) fs.copyFileSync(path.join(base, file), path.join(adapted, file));
      const counts = path.join(work, `counts${round}`);
      fs.mkdirSync(counts, { recursive: true });
      bwLog = await runTool(path.join(SPHINXTRAIN, 'bw'), [
        '-hmmdir', aligner, '-moddeffn', mdef, '-ts2cbfn', '.ptm.', '-feat', '1s_c_d_dd', '-svspec', '0-12/13-25/26-38', '-cmn', 'batch', '-agc', 'none',
        '-dictfn', options.dictionary, '-fdictfn', path.join(base, 'noisedict'), '-ctlfn', fileids, '-lsnfn', transcript, '-cepdir', path.join(work, 'mfc'), '-accumdir', counts,
      ], path.join(work, `bw${round}.log`));
      await runTool(path.join(SPHINXTRAIN, 'map_adapt'), [
        '-moddeffn', mdef, '-ts2cbfn', '.ptm.', '-accumdir', counts, ...prior,
        '-mapmeanfn', path.join(adapted, 'means'), '-mapvarfn', path.join(adapted, 'variances'), '-mapmixwfn', path.join(adapted, 'mixture_weights'), '-maptmatfn', path.join(adapted, 'transition_matrices'),
      ], path.join(work, `map_adapt${round}.log`));
      options.onProgress?.(`alignment and adaptation round ${round} of ${options.rounds}`, round, options.rounds);
    }
    await runTool(path.join(SPHINXTRAIN, 'mk_s2sendump'), ['-pocketsphinx', 'yes', '-moddeffn', mdef, '-mixwfn', path.join(adapted, 'mixture_weights'), '-sendumpfn', path.join(adapted, 'sendump')], path.join(work, 'mk_s2sendump.log'));

    fs.mkdirSync(options.out, { recursive: true });
    for (const file of Object.values(ADAPTED_FILES)) fs.copyFileSync(path.join(adapted, file), path.join(options.out, file));
    const report: AdaptationReport = {
      generator: 'speech/acoustic/adapt.ts: MAP adaptation (SphinxTrain bw + map_adapt) of pocketsphinx-en-us',
      seed: options.seed,
      utterances: reminders.length,
      rounds: options.rounds,
      notAligned: (bwLog.match(/ ignored/g) ?? []).length,
      voices: ADAPTATION_VOICES,
      speeds: ADAPTATION_SPEEDS,
      families: 'training template families of language/corpus only',
      seconds: Math.round((Date.now() - started) / 1000),
    };
    fs.writeFileSync(path.join(options.out, 'adaptation.json'), JSON.stringify(report, null, 2) + '\n');
    return report;
  } finally {
    if (!options.workDirectory) fs.rmSync(work, { recursive: true, force: true });
  }
}
