/**
 * What one `h2r` command is. Each file in cli/commands/ exports `command: Command`; the registry
 * finds it there, so a new command is one new file.
 */
import type { GraphBackend, LogLevel } from '../graph/api';

export interface OptionSpec {
  /** Long name without dashes: `dry-run` for `--dry-run`. */
  readonly name: string;
  /** Placeholder of the option's value (`LEVEL`); absent for a flag. */
  readonly value?: string;
  readonly choices?: readonly string[];
  readonly description: string;
}

export interface ParsedArguments {
  /** Options by long name: the value given, or true for a flag. */
  readonly options: Readonly<Record<string, string | true>>;
  readonly positionals: readonly string[];
  /** `--ros-args` and everything after it, as given. */
  readonly rosArguments: readonly string[];
}

export interface OutputStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** The process's surroundings, injected so commands can be run in tests. */
export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly stdin: NodeJS.ReadableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export interface GlobalSettings {
  readonly graph: GraphBackend;
  readonly logLevel: LogLevel;
}

export interface CommandContext {
  readonly args: ParsedArguments;
  readonly settings: GlobalSettings;
  readonly io: CliIo;
}

export interface Command {
  readonly name: string;
  /** One line for `h2r --help`. */
  readonly summary: string;
  /** Synopsis after `Usage:`, e.g. `h2r launch FILE [name:=value ...] [--ros-args ...]`. */
  readonly usage: string;
  /** More lines for `h2r <command> --help`. */
  readonly details?: readonly string[];
  readonly options: readonly OptionSpec[];
  /** Whether `--ros-args ...` may follow the command's own arguments. */
  readonly acceptsRosArguments: boolean;
  /** Resolves to the process exit code. */
  run(context: CommandContext): Promise<number>;
}

/** A command line that cannot be understood: the CLI prints it with a hint and exits with 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose help explains the usage, if known. */
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export function isCommand(value: unknown): value is Command {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate['name'] === 'string' &&
    typeof candidate['summary'] === 'string' &&
    typeof candidate['usage'] === 'string' &&
    Array.isArray(candidate['options']) &&
    typeof candidate['acceptsRosArguments'] === 'boolean' &&
    typeof candidate['run'] === 'function'
  );
}
