/**
 * The trainable stages behind `h2r train STAGE` and `h2r eval STAGE`. A stage is one entry here
 * with its own file (language now; the visual stage adds `visual`).
 */
import type { CommandContext, OptionSpec } from '../command';
import { languageStage } from './language';

export interface Stage {
  readonly name: string;
  readonly summary: string;
  /** Options of `h2r train STAGE` (the command lists every stage's options). */
  readonly trainOptions: readonly OptionSpec[];
  readonly evalOptions: readonly OptionSpec[];
  train(context: CommandContext): Promise<number>;
  evaluate(context: CommandContext): Promise<number>;
}

export const STAGES: readonly Stage[] = [languageStage];

/** Every stage's options once (stages share names such as --seed and --out). */
export function stageOptions(pick: (stage: Stage) => readonly OptionSpec[]): OptionSpec[] {
  const seen = new Map<string, OptionSpec>();
  for (const stage of STAGES) for (const option of pick(stage)) if (!seen.has(option.name)) seen.set(option.name, option);
  return [...seen.values()];
}
