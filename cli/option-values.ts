/**
 * Readers of option values for commands: one place that says how a bad value is reported, so
 * every command words the same mistake the same way.
 */
import * as path from 'path';
import { UsageError, type ParsedArguments } from './command';

/** A string option; `--name` given without a value is a usage error. */
export function textValue(args: ParsedArguments, name: string, command: string | undefined): string | undefined {
  const raw = args.options[name];
  if (raw === true) throw new UsageError(`--${name} needs a value`, command);
  return raw;
}

/** A path option, resolved against `cwd`. */
export function pathValue(args: ParsedArguments, name: string, command: string | undefined, cwd: string): string | undefined {
  const raw = textValue(args, name, command);
  return raw === undefined ? undefined : path.resolve(cwd, raw);
}

/** A whole number in [min, max] (no upper bound when max is left out), or the fallback when not given. */
export function integerValue(args: ParsedArguments, name: string, command: string | undefined, fallback: number, min: number, max = Infinity): number {
  const raw = args.options[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw === true || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`--${name} must be a whole number ${range}, got '${String(raw)}'`, command);
  }
  return value;
}

/** A number in [min, max], or the fallback when not given. */
export function numberValue(args: ParsedArguments, name: string, command: string | undefined, fallback: number, min: number, max: number): number {
  const raw = args.options[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw === true || !Number.isFinite(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be a number from ${min} to ${max}, got '${String(raw)}'`, command);
  }
  return value;
}
