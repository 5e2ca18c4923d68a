/**
 * The language stage's evaluation report: metrics per split (train, dev, test, and the test's
 * held-out-family and held-out-vocabulary parts), written as JSON and as a PNG.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Example } from '../../language/corpus/dataset';
import { FAMILIES } from '../../language/corpus/families';
import type { ReminderParser } from '../../language/parser';
import { barChart, confusionMatrixChart, lineChart, stackCharts } from '../../plot/charts';
import { evaluateParser, type EvaluationReport } from './evaluate';
import type { EpochRecord } from './train';
import type { VolunteerReport } from './volunteer';

export interface SplitReports {
  readonly train?: EvaluationReport;
  readonly dev?: EvaluationReport;
  readonly test?: EvaluationReport;
  /** Test examples from a held-out template family. */
  readonly testHeldOutFamilies?: EvaluationReport;
  /** Test examples from a training family that use a held-out word. */
  readonly testHeldOutVocabulary?: EvaluationReport;
}

export interface LanguageReport {
  readonly backend: string;
  readonly seed?: number;
  readonly trainingSeconds?: number;
  readonly trainingSamplesPerSecond?: number;
  readonly epochs?: EpochRecord[];
  readonly splits: SplitReports;
  /** Volunteers' reminders scored against the clip's mistake (absent when the data had none). */
  readonly volunteer?: VolunteerReport;
}

/** Evaluates each split present; `trainLimit` caps the train examples scored (every nth is kept). */
export function evaluateSplits(parser: ReminderParser, examples: readonly Example[], trainLimit = 4000): SplitReports {
  const heldOutFamily = new Set(FAMILIES.filter((f) => f.split !== 'train').map((f) => f.id));
  const of = (split: string) => examples.filter((e) => e.split === split);
  const train = of('train');
  const step = Math.max(1, Math.ceil(train.length / trainLimit));
  const test = of('test');
  const score = (list: readonly Example[]) => (list.length > 0 ? evaluateParser(parser, list) : undefined);
  return {
    train: score(train.filter((_, i) => i % step === 0)),
    dev: score(of('dev')),
    test: score(test),
    testHeldOutFamilies: score(test.filter((e) => heldOutFamily.has(e.family))),
    testHeldOutVocabulary: score(test.filter((e) => !heldOutFamily.has(e.family))),
  };
}

const HEADLINE: readonly [string, (r: EvaluationReport) => number][] = [
  ['mistake accuracy', (r) => r.mistakeAccuracy],
  ['target slot F1', (r) => r.targetSlots.f1],
  ['spatial slot F1', (r) => r.spatialSlots.f1],
  ['avoid slot F1', (r) => r.avoidSlots.f1],
  ['tag accuracy', (r) => r.tagAccuracy],
  ['exact meaning', (r) => r.exactMatch],
];

/** One line per split for a terminal. */
export function summariseReport(splits: SplitReports): string[] {
  const lines = [`${'split'.padEnd(26)}${'n'.padStart(6)}  ${HEADLINE.map(([name]) => name.padStart(16)).join('')}`];
  for (const [name, report] of Object.entries(splits) as [string, EvaluationReport | undefined][]) {
    if (!report) continue;
    lines.push(`${name.padEnd(26)}${String(report.examples).padStart(6)}  ${HEADLINE.map(([, f]) => f(report).toFixed(3).padStart(16)).join('')}`);
  }
  return lines;
}

/** Writes report.json and report.png (confusion matrix on test, headline metrics, loss curve). */
export function writeLanguageReport(dir: string, report: LanguageReport): { json: string; png: string } {
  fs.mkdirSync(dir, { recursive: true });
  const json = path.join(dir, 'report.json');
  const png = path.join(dir, 'report.png');
  fs.writeFileSync(json, JSON.stringify(report, null, 2) + '\n');
  const charts = [];
  const main = report.splits.test ?? report.splits.dev ?? report.splits.train;
  if (main) {
    const labels = main.mistakeLabels.map((l) => l.replace('wrong_', 'w_'));
    charts.push(confusionMatrixChart(main.mistakeConfusion, labels, { title: `Mistake type, ${report.splits.test ? 'test (held out)' : 'evaluated split'}` }));
  }
  for (const [name, r] of [['test (held out)', report.splits.test], ['train', report.splits.train]] as const) {
    if (r) charts.push(barChart(HEADLINE.map(([label, f]) => ({ label, value: f(r) })), { title: `Language stage on ${name}`, max: 1 }));
  }
  if (report.epochs && report.epochs.length > 0) {
    charts.push(lineChart([{ name: 'training loss', values: report.epochs.map((e) => e.loss) }], { title: 'Training loss per epoch', xLabel: 'epoch' }));
    charts.push(lineChart(
      [
        { name: 'dev mistake accuracy', values: report.epochs.map((e) => e.devMistakeAccuracy) },
        { name: 'dev tag accuracy', values: report.epochs.map((e) => e.devTagAccuracy) },
      ],
      { title: 'Held-out (dev) accuracy per epoch', xLabel: 'epoch' },
    ));
  }
  if (report.volunteer) {
    const bars = Object.entries(report.volunteer).map(([split, score]) => ({ label: `${split} (${score.reminders})`, value: score.mistakeAgreement }));
    charts.push(barChart(bars, { title: 'Volunteer reminders: parsed mistake = clip mistake', max: 1 }));
  }
  if (charts.length === 0) throw new Error('nothing to plot: the report has no split and no epochs');
  fs.writeFileSync(png, stackCharts(charts).toPng());
  return { json, png };
}
