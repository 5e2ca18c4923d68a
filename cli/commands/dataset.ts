import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_SPLIT, exportDataset, type SplitRule } from '../../collector/export';
import { DEFAULT_SETTINGS } from '../../collector/settings';
import { ReminderStore } from '../../collector/store';
import { UsageError, type Command } from '../command';
import { numberValue } from '../option-values';

export const command: Command = {
  name: 'dataset',
  summary: 'Export collected volunteer reminders as a training dataset (JSON lines + meta.json)',
  usage: 'h2r dataset export --out DIR [--db FILE] [--test-fraction F] [--dev-fraction F] [--salt TEXT]',
  details: [
    'Writes train.jsonl, dev.jsonl, test.jsonl and meta.json in the format of the language stage\'s',
    'datasets (family "volunteer"; no tokens, tags or meaning: see collector/README-section.md), and',
    'copies the audio of spoken reminders into DIR/audio. Volunteers are split by a hash of their',
    'pseudonymous id, so nobody is in two splits and the same database gives the same split.',
  ],
  options: [
    { name: 'out', value: 'DIR', description: 'dataset directory to write' },
    { name: 'db', value: 'FILE', description: `collector database (default ${DEFAULT_SETTINGS.database})` },
    { name: 'test-fraction', value: 'F', description: `share of volunteers in test (default ${DEFAULT_SPLIT.testFraction})` },
    { name: 'dev-fraction', value: 'F', description: `share of volunteers in dev (default ${DEFAULT_SPLIT.devFraction})` },
    { name: 'salt', value: 'TEXT', description: `mixed into the volunteer hash; another salt, another split (default ${DEFAULT_SPLIT.salt})` },
  ],
  acceptsRosArguments: false,

  async run({ args, io }) {
    const [verb, ...extra] = args.positionals;
    if (verb !== 'export') throw new UsageError(`expected 'export', got ${verb === undefined ? 'nothing' : `'${verb}'`}`, 'dataset');
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0] as string}'`, 'dataset');
    const out = args.options['out'];
    if (typeof out !== 'string') throw new UsageError('--out DIR is needed', 'dataset');
    const salt = args.options['salt'];
    const rule: SplitRule = {
      testFraction: numberValue(args, 'test-fraction', 'dataset', DEFAULT_SPLIT.testFraction, 0, 1),
      devFraction: numberValue(args, 'dev-fraction', 'dataset', DEFAULT_SPLIT.devFraction, 0, 1),
      salt: typeof salt === 'string' ? salt : DEFAULT_SPLIT.salt,
    };
    if (rule.testFraction + rule.devFraction > 1) throw new UsageError('--test-fraction and --dev-fraction add up to more than 1', 'dataset');
    const dbOption = args.options['db'];
    const database = path.resolve(io.cwd, typeof dbOption === 'string' ? dbOption : DEFAULT_SETTINGS.database);
    if (!fs.existsSync(database)) throw new Error(`no collector database at ${database} (run h2r collect first, or give --db FILE)`);
    const store = new ReminderStore(database);
    try {
      const target = path.resolve(io.cwd, out);
      const summary = exportDataset(store, target, rule);
      const { counts, volunteers } = summary;
      io.stdout.write(
        `${target}: train ${counts.train} (${volunteers.train} volunteers), dev ${counts.dev} (${volunteers.dev}), ` +
          `test ${counts.test} (${volunteers.test}), ${summary.audioFiles} audio files\n`,
      );
    } finally {
      store.close();
    }
    return 0;
  },
};
