import * as path from 'path';
import { UsageError, type CliIo, type Command } from '../command';
import { repositoryRoot } from '../repo';
import { ProgressBar } from '../progress';
import { ACOUSTIC_DIRECTORY } from '../../speech/acoustic/adapted-model';
import { adaptAcousticModel, DEFAULT_ADAPT_OPTIONS } from '../../speech/acoustic/adapt';
import { buildDomainLanguageModel, DEFAULT_BUILD_OPTIONS, DICT_FILE, writeLanguageModel } from '../../speech/lm/build';
import { DEFAULT_DICTIONARY } from '../../speech/pocketsphinx';

export const command: Command = {
  name: 'speech',
  summary: 'Speech recogniser tools: build-lm (domain language model), adapt (acoustic model), both in models/speech',
  usage: 'h2r speech build-lm|adapt [--count N] [--seed N] [--rounds N] [--out DIR] [--work DIR]',
  details: [
    'build-lm generates reminders of the TRAINING template families (language/corpus), keeps the clean',
    'ones, estimates a Kneser-Ney trigram with a unigram for every domain word the CMU dictionary (or a',
    'derived pronunciation) covers, interpolates it with background bigrams of the general en-us model over',
    'those words and the 1000 most frequent English ones, and writes domain.lm, domain.dict and domain.json. Run it whenever the',
    "lexicon or the corpus generator's vocabulary changes; test/speech-lm.test.ts fails until you do.",
    'adapt speaks training-family reminders with espeak-ng voices that are not the test voices and',
    "MAP-adapts pocketsphinx-en-us to them with Debian's SphinxTrain (bw, map_adapt, mk_s2sendump),",
    'writing means, variances, sendump, transition_matrices and adaptation.json to models/speech/acoustic.',
    'It needs: sudo apt-get install -y sphinxtrain sphinxbase-utils espeak-ng sox (about 8 minutes for 2400 utterances, 3 rounds).',
  ],
  options: [
    { name: 'count', value: 'N', description: `build-lm: corpus examples (default ${DEFAULT_BUILD_OPTIONS.count}); adapt: utterances (default ${DEFAULT_ADAPT_OPTIONS.utterances})` },
    { name: 'seed', value: 'N', description: `corpus seed (default ${DEFAULT_BUILD_OPTIONS.seed} for build-lm, ${DEFAULT_ADAPT_OPTIONS.seed} for adapt)` },
    { name: 'out', value: 'DIR', description: `output directory (default models/speech, adapt: models/speech/${ACOUSTIC_DIRECTORY})` },
    { name: 'rounds', value: 'N', description: `adapt: rounds of alignment and adaptation (default ${DEFAULT_ADAPT_OPTIONS.rounds})` },
    { name: 'work', value: 'DIR', description: 'adapt: keep the audio, features and SphinxTrain logs here (default: a temporary directory, removed)' },
  ],
  acceptsRosArguments: false,

  async run({ args, io }) {
    const [action, ...rest] = args.positionals;
    if (action !== 'build-lm' && action !== 'adapt') throw new UsageError(action === undefined ? 'no speech action given (build-lm, adapt)' : `unknown speech action '${action}' (build-lm, adapt)`, 'speech');
    if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`, 'speech');
    const integer = (name: string, fallback: number): number => {
      const value = args.options[name];
      if (value === undefined) return fallback;
      const parsed = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
      if (!Number.isSafeInteger(parsed) || parsed < 1) throw new UsageError(`--${name} must be a positive integer, got '${String(value)}'`, 'speech');
      return parsed;
    };
    const speechModels = path.join(repositoryRoot(), 'models', 'speech');
    if (action === 'adapt') {
      const out = typeof args.options.out === 'string' ? path.resolve(io.cwd, args.options.out) : path.join(speechModels, ACOUSTIC_DIRECTORY);
      const work = typeof args.options.work === 'string' ? path.resolve(io.cwd, args.options.work) : undefined;
      const settings = { utterances: integer('count', DEFAULT_ADAPT_OPTIONS.utterances), seed: integer('seed', DEFAULT_ADAPT_OPTIONS.seed), rounds: integer('rounds', DEFAULT_ADAPT_OPTIONS.rounds) };
      return adapt(io, out, work, settings, path.join(speechModels, DICT_FILE));
    }
    const options = { ...DEFAULT_BUILD_OPTIONS, count: integer('count', DEFAULT_BUILD_OPTIONS.count), seed: integer('seed', DEFAULT_BUILD_OPTIONS.seed) };
    const out = typeof args.options.out === 'string' ? path.resolve(io.cwd, args.options.out) : speechModels;
    const started = Date.now();
    const built = buildDomainLanguageModel(options, DEFAULT_DICTIONARY);
    writeLanguageModel(out, built);
    const { meta } = built;
    io.stdout.write(
      [
        `wrote ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
        `  ${meta.sentences} training-family sentences (${meta.noisyExamplesDropped} noisy examples dropped), vocabulary ${meta.vocabularySize}`,
        `  n-grams: ${meta.ngramCounts.join(' / ')}`,
        `  derived pronunciations: ${Object.keys(meta.derivedPronunciations).join(' ') || 'none'}`,
        `  cannot pronounce (left out): ${meta.unpronounceable.join(' ') || 'none'}`,
      ].join('\n') + '\n',
    );
    return 0;
  },
};

async function adapt(io: CliIo, out: string, work: string | undefined, settings: { utterances: number; seed: number; rounds: number }, dictionary: string): Promise<number> {
  let bar: ProgressBar | null = null;
  const report = await adaptAcousticModel({
    ...DEFAULT_ADAPT_OPTIONS,
    ...settings,
    out,
    dictionary,
    workDirectory: work,
    onProgress: (stage, done, total) => {
      if (stage === 'synthesis') {
        bar ??= new ProgressBar({ label: 'speaking adaptation reminders', total, unit: 'utterances', stream: io.stderr });
        bar.update(done);
        if (done === total) bar.finish();
      } else io.stderr.write(`${stage} done\n`);
    },
  });
  io.stdout.write(
    [
      `wrote ${out} in ${report.seconds} s`,
      `  ${report.utterances} training-family reminders (${report.notAligned} not aligned), ${report.rounds} rounds, ${report.voices.length} voices x ${report.speeds.length} speeds (none of them a test voice)`,
    ].join('\n') + '\n',
  );
  return 0;
}
