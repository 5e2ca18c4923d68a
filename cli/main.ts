/**
 * The `h2r` command line: global options, `--help`/`--version`, dispatch to the command registry.
 * Exit codes: 0 done, 1 the command failed (its error is printed as `h2r <command>: message`), 2
 * the command line was not understood.
 */
import type { LogLevel } from '../graph/api';
import { GRAPH_BACKENDS, selectBackend } from '../graph/create-graph';
import { LOG_LEVELS } from '../graph/ros-args';
import { formatOptions, parseArguments } from './args';
import { UsageError, type CliIo, type Command, type GlobalSettings, type OptionSpec } from './command';
import { LaunchError } from './launch/errors';
import { packageVersion } from './repo';
import { loadCommands } from './registry';

export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { name: 'graph', value: 'BACKEND', choices: GRAPH_BACKENDS, description: 'graph backend (default embedded; environment H2R_GRAPH)' },
  { name: 'log-level', value: 'LEVEL', choices: LOG_LEVELS, description: 'least severe log level shown (default info)' },
  { name: 'help', description: 'show this help (-h)' },
];

const VERSION_OPTION: OptionSpec = { name: 'version', description: 'print the version' };

export async function runCli(argv: readonly string[], io: CliIo, commands: readonly Command[] = loadCommands()): Promise<number> {
  try {
    return await dispatch(argv, io, commands);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const hint = error.command === undefined ? "'h2r --help'" : `'h2r ${error.command} --help'`;
    io.stderr.write(`h2r: ${error.message}\nSee ${hint}.\n`);
    return 2;
  }
}

async function dispatch(argv: readonly string[], io: CliIo, commands: readonly Command[]): Promise<number> {
  // Global options may come before the command; a value of --graph/--log-level is not the command.
  const valueIndex = (index: number): boolean => index > 0 && ['--graph', '--log-level'].includes(argv[index - 1] as string);
  const nameIndex = argv.findIndex((token, index) => !token.startsWith('-') && !valueIndex(index));
  const leading = nameIndex === -1 ? argv : argv.slice(0, nameIndex);
  const general = parseArguments(leading, { command: '', options: [...GLOBAL_OPTIONS, VERSION_OPTION], acceptsRosArguments: false });
  if (general.options['version'] === true) {
    io.stdout.write(`h2r ${packageVersion()}\n`);
    return 0;
  }
  if (nameIndex === -1) {
    if (general.options['help'] === true) {
      io.stdout.write(generalHelp(commands));
      return 0;
    }
    io.stderr.write(generalHelp(commands));
    throw new UsageError('no command given');
  }
  const name = argv[nameIndex] as string;
  const command = commands.find((candidate) => candidate.name === name);
  if (command === undefined) {
    throw new UsageError(`unknown command '${name}' (commands: ${commands.map((candidate) => candidate.name).join(', ')})`);
  }
  const rules = {
    command: command.name,
    options: [...command.options, ...GLOBAL_OPTIONS],
    acceptsRosArguments: command.acceptsRosArguments,
  };
  const parsed = parseArguments([...leading, ...argv.slice(nameIndex + 1)], rules);
  if (parsed.options['help'] === true || general.options['help'] === true) {
    io.stdout.write(commandHelp(command));
    return 0;
  }
  const settings = globalSettings(parsed.options, io);
  try {
    return await command.run({ args: parsed, settings, io });
  } catch (error) {
    if (error instanceof UsageError) throw error;
    io.stderr.write(`h2r ${command.name}: ${error instanceof Error ? error.message : String(error)}\n`);
    if (error instanceof Error && !(error instanceof LaunchError) && settings.logLevel === 'debug') {
      io.stderr.write(`${error.stack ?? ''}\n`);
    }
    return 1;
  }
}

function globalSettings(options: Readonly<Record<string, string | true>>, io: CliIo): GlobalSettings {
  const graphOption = options['graph'];
  let graph: GlobalSettings['graph'];
  try {
    graph = selectBackend(typeof graphOption === 'string' ? ['--graph', graphOption] : [], io.env);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const logLevel = options['log-level'];
  return { graph, logLevel: typeof logLevel === 'string' ? (logLevel as LogLevel) : 'info' };
}

export function generalHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    'Usage: h2r [--graph embedded|ros2] [--log-level LEVEL] <command> [arguments]',
    '',
    'Human-to-robot attention transfer: spoken or typed reminders become visual attention that',
    'corrects a robot before its mistake fails the task, as ROS 2 nodes.',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Global options:',
    ...formatOptions([...GLOBAL_OPTIONS, VERSION_OPTION]),
    '',
    "Run 'h2r <command> --help' for a command's arguments.",
    '',
  ].join('\n');
}

export function commandHelp(command: Command): string {
  return [
    `Usage: ${command.usage}`,
    '',
    command.summary,
    ...(command.details === undefined ? [] : ['', ...command.details]),
    '',
    'Options:',
    ...formatOptions([...command.options, ...GLOBAL_OPTIONS]),
    '',
  ].join('\n');
}
