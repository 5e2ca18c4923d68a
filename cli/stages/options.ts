/** Option readers shared by the stages of `h2r train` and `h2r eval`. */
import * as path from 'path';
import { UsageError, type CommandContext } from '../command';

export function integerOption(context: CommandContext, name: string, fallback: number, min: number): number {
  const raw = context.args.options[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw === true || !Number.isInteger(value) || value < min) throw new UsageError(`--${name} needs an integer of at least ${min}, got '${String(raw)}'`);
  return value;
}

/** A path option resolved against the working directory. */
export function stringOption(context: CommandContext, name: string): string | undefined {
  const raw = context.args.options[name];
  if (raw === true) throw new UsageError(`--${name} needs a value`);
  return raw === undefined ? undefined : path.resolve(context.io.cwd, raw);
}
