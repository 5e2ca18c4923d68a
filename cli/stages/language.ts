/**
 * `h2r train language` and `h2r eval language`.
 */
import * as path from 'path';
import { DEFAULT_MODEL_DIR } from '../../language/parser';
import type { EvaluationReport } from '../../models/language/evaluate';
import { runLanguageEvaluation, runLanguageTraining } from '../../models/language/pipeline';
import { summariseReport } from '../../models/language/report';
import { summariseVolunteers } from '../../models/language/volunteer';
import { UsageError, type CommandContext } from '../command';
import { ProgressBar } from '../progress';
import type { Stage } from './index';

function integerOption(context: CommandContext, name: string, fallback: number, min: number): number {
  const raw = context.args.options[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw === true || !Number.isInteger(value) || value < min) throw new UsageError(`--${name} needs an integer of at least ${min}, got '${String(raw)}'`);
  return value;
}

function stringOption(context: CommandContext, name: string): string | undefined {
  const raw = context.args.options[name];
  if (raw === true) throw new UsageError(`--${name} needs a value`);
  return raw === undefined ? undefined : path.resolve(context.io.cwd, raw);
}

export const languageStage: Stage = {
  name: 'language',
  summary: 'the reminder parser (text -> Meaning, slot tags, attention)',
  trainOptions: [
    { name: 'data', value: 'DIR', description: 'dataset directory of *.jsonl reminders, volunteer exports too (default: generate a corpus)' },
    { name: 'generated', value: 'N', description: 'reminders to generate (default 30000); with --data, added to its reminders' },
    { name: 'seed', value: 'S', description: 'seed of generation, initialisation and shuffling (default 1)' },
    { name: 'epochs', value: 'E', description: 'training epochs (default 6)' },
    { name: 'out', value: 'DIR', description: 'where model.json, weights.bin, vocab.json and the report go (default models/language)' },
    { name: 'write-data', value: 'DIR', description: 'also write the generated dataset (JSON lines + meta.json) there' },
  ],
  evalOptions: [
    { name: 'model', value: 'DIR', description: 'model directory (default the committed models/language)' },
    { name: 'data', value: 'DIR', description: "dataset directory (default: regenerate the model's own corpus from its corpus-meta.json)" },
    { name: 'out', value: 'DIR', description: 'where report.json and report.png go (default out/eval/language)' },
    { name: 'json', description: 'print the report as one JSON object instead of a table' },
  ],

  async train(context) {
    const outDir = stringOption(context, 'out') ?? DEFAULT_MODEL_DIR;
    const epochs = integerOption(context, 'epochs', 6, 1);
    let bar: ProgressBar | null = null;
    const report = await runLanguageTraining(
      {
        dataDir: stringOption(context, 'data'),
        generated: integerOption(context, 'generated', 30000, 100),
        mixGenerated: context.args.options['data'] !== undefined && context.args.options['generated'] !== undefined,
        seed: integerOption(context, 'seed', 1, 0),
        epochs,
        outDir,
        writeDataTo: stringOption(context, 'write-data'),
      },
      {
        line: (text) => context.io.stderr.write(`${text}\n`),
        batch: (epoch, batch, batches) => {
          if (batch === 1) bar = new ProgressBar({ label: `epoch ${epoch}/${epochs}`, total: batches, unit: 'batches', stream: context.io.stderr });
          bar?.update(batch);
        },
        epochDone: (e) => {
          bar?.finish();
          context.io.stderr.write(`epoch ${e.epoch}: loss ${e.loss.toFixed(4)}, dev mistake accuracy ${e.devMistakeAccuracy.toFixed(3)}, dev tag accuracy ${e.devTagAccuracy.toFixed(3)} (${e.seconds.toFixed(1)} s)\n`);
        },
      },
    );
    context.io.stdout.write(`${[...summariseReport(report.splits), ...summariseVolunteers(report.volunteer)].join('\n')}\nmodel and report written to ${outDir}\n`);
    return 0;
  },

  async evaluate(context) {
    const outDir = stringOption(context, 'out') ?? path.resolve(context.io.cwd, 'out', 'eval', 'language');
    const report = await runLanguageEvaluation({ modelDir: stringOption(context, 'model'), dataDir: stringOption(context, 'data'), outDir });
    if (context.args.options['json'] === true) context.io.stdout.write(`${JSON.stringify(report)}\n`);
    else {
      const lines = [...summariseReport(report.splits), ...summariseVolunteers(report.volunteer)];
      const test: EvaluationReport | undefined = report.splits.test;
      if (test) lines.push('', `mistake confusion (test; rows gold, columns predicted: ${test.mistakeLabels.join(' ')})`, ...test.mistakeConfusion.map((row, i) => `${test.mistakeLabels[i].padEnd(16)}${row.map((v) => String(v).padStart(6)).join('')}`));
      context.io.stdout.write(`${lines.join('\n')}\nreport written to ${path.join(outDir, 'report.json')} and report.png\n`);
    }
    return 0;
  },
};
