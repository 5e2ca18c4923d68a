/** Option readers shared by the stages of `h2r train` and `h2r eval`. */
import type { CommandContext } from '../command';
import { integerValue, numberValue, pathValue } from '../option-values';

export function integerOption(context: CommandContext, name: string, fallback: number, min: number): number {
  return integerValue(context.args, name, undefined, fallback, min);
}

export function numberOption(context: CommandContext, name: string, fallback: number, min: number, max: number): number {
  return numberValue(context.args, name, undefined, fallback, min, max);
}

/** A path option resolved against the working directory. */
export function stringOption(context: CommandContext, name: string): string | undefined {
  return pathValue(context.args, name, undefined, context.io.cwd);
}
