/**
 * `h2r train visual` and `h2r eval visual`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parserUnderstanding, runVisualTraining, evaluateVisual, type TrainingProgress } from '../../models/visual/pipeline';
import { accuracyTable, type AccuracyTable, type SituationResult } from '../../models/visual/evaluate';
import { DEFAULT_VISUAL_MODEL_DIR, VisualStage } from '../../models/visual/visual-stage';
import { DEFAULT_OBJECT_WIDTH, DEFAULT_PERCEPTION_OPTIONS } from '../../models/visual/perception-model';
import { barChart, stackCharts } from '../../plot/charts';
import { heatmapOverlay } from '../../plot/heatmap-overlay';
import type { CommandContext } from '../command';
import { ProgressBar } from '../progress';
import type { Stage } from './index';
import { integerOption, numberOption, stringOption } from './options';

function progressOn(context: CommandContext): TrainingProgress {
  let bar: ProgressBar | null = null;
  return {
    line: (text) => {
      bar?.finish();
      bar = null;
      context.io.stderr.write(`${text}\n`);
    },
    phase: (name, total) => {
      bar?.finish();
      bar = new ProgressBar({ label: name, total, stream: context.io.stderr });
    },
    tick: (done) => bar?.update(done),
  };
}

function describe(table: AccuracyTable): string[] {
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const lines = [`held-out attention accuracy: ${pct(table.overall.accuracy)} of ${table.overall.count}`, '', 'by scene source'];
  for (const [k, v] of Object.entries(table.bySource)) lines.push(`  ${k.padEnd(14)}${pct(v.accuracy).padStart(7)}  (${v.count})`);
  lines.push('', 'by mistake type');
  for (const [k, v] of Object.entries(table.byMistake)) lines.push(`  ${k.padEnd(14)}${pct(v.accuracy).padStart(7)}  (${v.count})`);
  return lines;
}

function reportChart(table: AccuracyTable) {
  const bars = (group: Readonly<Record<string, { accuracy: number; count: number }>>) =>
    Object.entries(group).map(([label, v]) => ({ label: `${label} (${v.count})`, value: v.accuracy }));
  return stackCharts([
    barChart(bars(table.bySource), { title: 'held-out attention accuracy by scene source', max: 1 }),
    barChart(bars(table.byMistake), { title: 'held-out attention accuracy by mistake type', max: 1 }),
  ]);
}

export const visualStage: Stage = {
  name: 'visual',
  summary: 'the visual stage (camera image + language attention -> heatmap, attended object, confidence)',
  trainOptions: [
    { name: 'seed', value: 'S', description: 'seed of the scenes, initialisation and sampling (default 1)' },
    { name: 'out', value: 'DIR', description: 'where the networks and the report go (default models/visual)' },
    { name: 'frames', value: 'N', description: 'rendered frames for the perception networks (default 2000)' },
    { name: 'cell-steps', value: 'N', description: 'training steps of the cell network (default 3000)' },
    { name: 'object-steps', value: 'N', description: 'training steps of the object classifier (default 4000)' },
    { name: 'examples', value: 'N', description: 'grounding examples for the scorer (default 3000)' },
    { name: 'evaluate', value: 'N', description: 'held-out situations in the report (default 400)' },
    { name: 'perception-from', value: 'DIR', description: 'reuse the perception networks of this model directory' },
    { name: 'cells-from', value: 'DIR', description: 'reuse only the cell network of this model directory (the object classifier is trained anew)' },
    { name: 'scorer-from', value: 'DIR', description: "reuse this model directory's scorer (the place head is fitted anew)" },
    { name: 'objects-from', value: 'DIR', description: "with --cells-from: go on training this model directory's object classifier (on the new frames) instead of a new one" },
    { name: 'object-rate', value: 'R', description: "the object classifier's learning rate (default 3e-3; a tenth of it for the last third of the steps)" },
    { name: 'object-width', value: 'N', description: `channels of the object classifier's first layer (default ${DEFAULT_OBJECT_WIDTH})` },
    { name: 'fine-channels', value: 'N', description: `width of a new cell network's cell-resolution trunk (default ${DEFAULT_PERCEPTION_OPTIONS.fineChannels})` },
    { name: 'coarse-channels', value: 'N', description: `width of a new cell network's context branch (default ${DEFAULT_PERCEPTION_OPTIONS.coarseChannels})` },
    { name: 'separable', description: 'new perception networks with separable 3x3 convolutions (fewer multiply-adds, faster on wasm)' },
    { name: 'distil-from', value: 'DIR', description: "the new object classifier also learns this model directory's classifier's answers" },
    { name: 'language-model', value: 'DIR', description: 'reminder parser the scorer is stacked on (default models/language)' },
  ],
  evalOptions: [
    { name: 'model', value: 'DIR', description: 'model directory (default the committed models/visual)' },
    { name: 'language-model', value: 'DIR', description: 'reminder parser (default the committed models/language)' },
    { name: 'situations', value: 'N', description: 'held-out situations (default 400)' },
    { name: 'out', value: 'DIR', description: 'where report.json, report.png and example heatmaps go (default out/eval/visual)' },
    { name: 'json', description: 'print the report as one JSON object instead of a table' },
  ],

  async train(context) {
    const outDir = stringOption(context, 'out') ?? DEFAULT_VISUAL_MODEL_DIR;
    const report = await runVisualTraining(
      {
        seed: integerOption(context, 'seed', 1, 0),
        outDir,
        languageModelDir: stringOption(context, 'language-model'),
        perceptionFrom: stringOption(context, 'perception-from'),
        cellsFrom: stringOption(context, 'cells-from'),
        distilFrom: stringOption(context, 'distil-from'),
        objectsFrom: stringOption(context, 'objects-from'),
        scorerFrom: stringOption(context, 'scorer-from'),
        objectRate: numberOption(context, 'object-rate', 3e-3, 1e-6, 1),
        objectWidth: integerOption(context, 'object-width', DEFAULT_OBJECT_WIDTH, 4),
        separable: context.args.options['separable'] === true,
        fineChannels: integerOption(context, 'fine-channels', DEFAULT_PERCEPTION_OPTIONS.fineChannels, 4),
        coarseChannels: integerOption(context, 'coarse-channels', DEFAULT_PERCEPTION_OPTIONS.coarseChannels, 4),
        perceptionFrames: integerOption(context, 'frames', 2000, 10),
        perceptionSteps: integerOption(context, 'cell-steps', 3000, 1),
        objectSteps: integerOption(context, 'object-steps', 4000, 1),
        placeEpisodes: 600,
        groundingExamples: integerOption(context, 'examples', 3000, 10),
        scorerEpochs: 20,
        evaluationSituations: integerOption(context, 'evaluate', 400, 10),
      },
      progressOn(context),
    );
    fs.writeFileSync(path.join(outDir, 'report.png'), reportChart(report.test).toPng());
    context.io.stdout.write(`${describe(report.test).join('\n')}\nmodel and report written to ${outDir}\n`);
    return 0;
  },

  async evaluate(context) {
    const outDir = stringOption(context, 'out') ?? path.resolve(context.io.cwd, 'out', 'eval', 'visual');
    const stage = await VisualStage.load(stringOption(context, 'model'));
    const understand = await parserUnderstanding(stringOption(context, 'language-model'));
    fs.mkdirSync(outDir, { recursive: true });
    const examples = new Set<string>();
    const results: SituationResult[] = await evaluateVisual(stage, understand, integerOption(context, 'situations', 400, 1), progressOn(context), (_done, result, situation, attention) => {
      // One example heatmap per scene source, right or wrong, for a person to look at.
      if (examples.has(situation.source)) return;
      examples.add(situation.source);
      const caption = [`"${result.text}"`, `${result.correct ? 'right' : 'wrong'}: attended ${result.attended}, truth ${result.truth}, confidence ${result.confidence.toFixed(2)}`];
      const image = heatmapOverlay(situation.frame.rgb, situation.frame.width, situation.frame.height, attention.heatmap, caption);
      fs.writeFileSync(path.join(outDir, `heatmap-${situation.source}.png`), image.toPng());
    });
    const table = accuracyTable(results);
    fs.writeFileSync(path.join(outDir, 'report.json'), `${JSON.stringify({ test: table, results }, null, 1)}\n`);
    fs.writeFileSync(path.join(outDir, 'report.png'), reportChart(table).toPng());
    if (context.args.options['json'] === true) context.io.stdout.write(`${JSON.stringify(table)}\n`);
    else context.io.stdout.write(`${describe(table).join('\n')}\nreport and example heatmaps written to ${outDir}\n`);
    return 0;
  },
};
