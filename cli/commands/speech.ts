import * as path from 'path';
import { UsageError, type Command } from '../command';
import { repositoryRoot } from '../repo';
import { buildDomainLanguageModel, DEFAULT_BUILD_OPTIONS, writeLanguageModel } from '../../speech/lm/build';
import { DEFAULT_DICTIONARY } from '../../speech/pocketsphinx';

export const command: Command = {
  name: 'speech',
  summary: 'Speech recogniser tools: build-lm regenerates the domain language model (models/speech)',
  usage: 'h2r speech build-lm [--count N] [--seed N] [--out DIR]',
  details: [
    'build-lm generates reminders of the TRAINING template families (language/corpus), keeps the clean',
    'ones, estimates a Kneser-Ney trigram with a unigram for every domain word the CMU dictionary (or a',
    'derived pronunciation) covers, and writes domain.lm, domain.dict and domain.json. Run it whenever the',
    "lexicon or the corpus generator's vocabulary changes; test/speech-lm.test.ts fails until you do.",
  ],
  options: [
    { name: 'count', value: 'N', description: `corpus examples to generate (default ${DEFAULT_BUILD_OPTIONS.count})` },
    { name: 'seed', value: 'N', description: `corpus seed (default ${DEFAULT_BUILD_OPTIONS.seed})` },
    { name: 'out', value: 'DIR', description: 'output directory (default models/speech in the repository)' },
  ],
  acceptsRosArguments: false,

  async run({ args, io }) {
    const [action, ...rest] = args.positionals;
    if (action !== 'build-lm') throw new UsageError(action === undefined ? 'no speech action given (build-lm)' : `unknown speech action '${action}' (build-lm)`, 'speech');
    if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`, 'speech');
    const integer = (name: string, fallback: number): number => {
      const value = args.options[name];
      if (value === undefined) return fallback;
      const parsed = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
      if (!Number.isSafeInteger(parsed) || parsed < 1) throw new UsageError(`--${name} must be a positive integer, got '${String(value)}'`, 'speech');
      return parsed;
    };
    const options = { ...DEFAULT_BUILD_OPTIONS, count: integer('count', DEFAULT_BUILD_OPTIONS.count), seed: integer('seed', DEFAULT_BUILD_OPTIONS.seed) };
    const out = typeof args.options.out === 'string' ? path.resolve(io.cwd, args.options.out) : path.join(repositoryRoot(), 'models', 'speech');
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
