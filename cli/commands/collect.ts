import * as path from 'path';
import { openCollection, settingsFrom, type SettingsInput } from '../../collector/session';
import { DEFAULT_SETTINGS, SETTING_RANGES } from '../../collector/settings';
import { UsageError, type Command, type ParsedArguments } from '../command';
import { integerValue } from '../option-values';
import { shutdownSignals } from '../terminal';

const OPTION_OF_RANGE: Readonly<Record<keyof typeof SETTING_RANGES, string>> = {
  port: 'port',
  firstSeed: 'first-seed',
  seeds: 'seeds',
  fps: 'fps',
  maxUploadBytes: 'max-upload-bytes',
};

function integer(args: ParsedArguments, setting: keyof typeof SETTING_RANGES): number {
  const { from, to } = SETTING_RANGES[setting];
  return integerValue(args, OPTION_OF_RANGE[setting], 'collect', DEFAULT_SETTINGS[setting], from, to);
}

function text(args: ParsedArguments, name: string, fallback: string): string {
  const raw = args.options[name];
  return typeof raw === 'string' ? raw : fallback;
}

export const command: Command = {
  name: 'collect',
  summary: 'Collect reminders from volunteers: a web page with simulated clips, stored in SQLite',
  usage: 'h2r collect [--db FILE] [--host ADDRESS] [--port N] [--scenarios LIST] [--mistakes LIST] [--seeds N] ...',
  details: [
    'Renders the clip plan (scenarios x mistakes x seeds, cached beside the database), then serves',
    'the volunteer page and, behind the token it prints, the admin view at /admin. It listens on',
    '127.0.0.1 unless --host says otherwise (0.0.0.0 for phones on the local network). Ctrl-C stops.',
    'The admin token is random unless the environment variable H2R_ADMIN_TOKEN sets it.',
  ],
  options: [
    { name: 'db', value: 'FILE', description: `SQLite database (default ${DEFAULT_SETTINGS.database}); audio and clips go beside it` },
    { name: 'host', value: 'ADDRESS', description: `address to listen on (default ${DEFAULT_SETTINGS.host})` },
    { name: 'port', value: 'N', description: `port (default ${DEFAULT_SETTINGS.port}; 0 takes a free one)` },
    { name: 'scenarios', value: 'LIST', description: `comma-separated scenarios (default ${DEFAULT_SETTINGS.scenarios.join(',')})` },
    { name: 'mistakes', value: 'LIST', description: `comma-separated mistakes (default ${DEFAULT_SETTINGS.mistakes.join(',')})` },
    { name: 'first-seed', value: 'N', description: `seed of the first episode of each scenario and mistake (default ${DEFAULT_SETTINGS.firstSeed})` },
    { name: 'seeds', value: 'N', description: `episodes per scenario and mistake (default ${DEFAULT_SETTINGS.seeds})` },
    { name: 'fps', value: 'N', description: `clip frames per second of sim time (default ${DEFAULT_SETTINGS.fps})` },
    { name: 'max-upload-bytes', value: 'N', description: `largest audio upload (default ${DEFAULT_SETTINGS.maxUploadBytes})` },
    { name: 'origins', value: 'LIST', description: 'comma-separated extra origins allowed for the page (a reverse proxy), e.g. https://lab.example' },
    { name: 'consent', value: 'FILE', description: 'consent text to show (paragraphs separated by blank lines; default built in)' },
  ],
  acceptsRosArguments: false,

  async run({ args, io }) {
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0] as string}'`, 'collect');
    const consent = text(args, 'consent', '');
    const input: SettingsInput = {
      database: path.resolve(io.cwd, text(args, 'db', DEFAULT_SETTINGS.database)),
      host: text(args, 'host', DEFAULT_SETTINGS.host),
      port: integer(args, 'port'),
      scenarios: text(args, 'scenarios', DEFAULT_SETTINGS.scenarios.join(',')),
      mistakes: text(args, 'mistakes', DEFAULT_SETTINGS.mistakes.join(',')),
      firstSeed: integer(args, 'firstSeed'),
      seeds: integer(args, 'seeds'),
      fps: integer(args, 'fps'),
      maxUploadBytes: integer(args, 'maxUploadBytes'),
      origins: text(args, 'origins', ''),
      consentFile: consent === '' ? '' : path.resolve(io.cwd, consent),
    };
    let settings;
    try {
      settings = settingsFrom(input);
    } catch (error) {
      throw new UsageError((error as Error).message, 'collect');
    }
    const adminToken = io.env['H2R_ADMIN_TOKEN'] || undefined;
    if (adminToken !== undefined && adminToken.length < 16) throw new UsageError('H2R_ADMIN_TOKEN must be at least 16 characters long', 'collect');
    const signals = shutdownSignals(() => process.exit(130));
    try {
      const { collector, banner } = await openCollection(settings, {
        adminToken,
        log: (level, message) => io.stderr.write(`[${level}] ${message}\n`),
        progress: (done, total, note) => io.stderr.write(`[clips ${done}/${total}] ${note}\n`),
      });
      io.stdout.write(`${banner.join('\n')}\nCtrl-C stops.\n`);
      const signal = await signals.received;
      io.stderr.write(`${signal}: closing the collector\n`);
      await collector.close();
      return 0;
    } finally {
      signals.dispose();
    }
  },
};
