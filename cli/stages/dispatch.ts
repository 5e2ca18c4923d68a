import { UsageError, type Command, type CommandContext } from '../command';
import { STAGES, stageOptions, type Stage } from './index';

/** `h2r train` and `h2r eval`: the first positional names the stage. */
export function stageCommand(name: 'train' | 'eval', summary: string, run: (stage: Stage, context: CommandContext) => Promise<number>): Command {
  return {
    name,
    summary,
    usage: `h2r ${name} STAGE [options]   (STAGE: ${STAGES.map((s) => s.name).join(' | ')})`,
    details: STAGES.map((s) => `${s.name}: ${s.summary}`),
    options: stageOptions((s) => (name === 'train' ? s.trainOptions : s.evalOptions)),
    acceptsRosArguments: false,
    async run(context) {
      const [stageName, ...extra] = context.args.positionals;
      if (stageName === undefined) throw new UsageError(`no stage given (${STAGES.map((s) => s.name).join(', ')})`, name);
      if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0] as string}'`, name);
      const stage = STAGES.find((s) => s.name === stageName);
      if (!stage) throw new UsageError(`unknown stage '${stageName}' (known: ${STAGES.map((s) => s.name).join(', ')})`, name);
      const allowed = new Set((name === 'train' ? stage.trainOptions : stage.evalOptions).map((o) => o.name));
      const foreign = Object.keys(context.args.options).find((o) => !allowed.has(o));
      if (foreign) throw new UsageError(`option --${foreign} does not apply to '${name} ${stageName}'`, name);
      return run(stage, context);
    },
  };
}
