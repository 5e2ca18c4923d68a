/**
 * `h2r bench nli`: the real-language benchmark (tabletop block references written by people).
 */
import * as path from 'path';
import { UsageError, type Command } from '../command';
import { pathValue } from '../option-values';
import { ProgressBar } from '../progress';
import { ReminderParser } from '../../language/parser';
import { describeNliReport, runNliBenchmark } from '../../models/visual/nli-benchmark';
import { VisualStage } from '../../models/visual/visual-stage';

export const command: Command = {
  name: 'bench',
  summary: 'Benchmarks: `nli` scores both stages on people\'s tabletop block references',
  usage: 'h2r bench nli --pack DIR [--json] [--language-model DIR] [--visual-model DIR]',
  details: [
    'nli: for every instruction of the pack (../shared/benchmarks/tabletop-nli), the scene is built from',
    'scenes.json, rendered with the robot camera, and the block the two stages pick is scored against the',
    'pack\'s target; printed beside the human baseline. Nothing was trained or tuned on the pack.',
  ],
  options: [
    { name: 'pack', value: 'DIR', description: 'the benchmark pack (default ../shared/benchmarks/tabletop-nli)' },
    { name: 'json', description: 'print the report as one JSON object on the last line' },
    { name: 'language-model', value: 'DIR', description: 'reminder parser model (default the committed models/language)' },
    { name: 'visual-model', value: 'DIR', description: 'visual stage (default the committed models/visual)' },
  ],
  acceptsRosArguments: false,

  async run({ args, io }) {
    const [which, ...extra] = args.positionals;
    if (which !== 'nli') throw new UsageError(which === undefined ? 'name a benchmark: nli' : `unknown benchmark '${which}' (known: nli)`, 'bench');
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`, 'bench');
    const option = (name: string) => pathValue(args, name, 'bench', io.cwd);
    const pack = option('pack') ?? path.resolve(io.cwd, '..', 'shared', 'benchmarks', 'tabletop-nli');
    const [parser, stage] = await Promise.all([ReminderParser.load(option('language-model')), VisualStage.load(option('visual-model'))]);
    let bar: ProgressBar | null = null;
    const { report } = runNliBenchmark(pack, stage, parser, (done, total) => {
      bar ??= new ProgressBar({ label: 'tabletop-nli', total, unit: 'instructions', stream: io.stderr });
      bar.update(done);
    });
    (bar as ProgressBar | null)?.finish();
    io.stdout.write(`${describeNliReport(report).join('\n')}\n`);
    if (args.options['json'] === true) io.stdout.write(`${JSON.stringify(report)}\n`);
    return 0;
  },
};
