/**
 * The language stage end to end, as plain functions the CLI (`h2r train language`, `h2r eval
 * language`) and scripts call: data (read or generated), training, evaluation, report.
 */
import * as fs from 'fs';
import * as path from 'path';
import { generateCorpus, readDatasetRows, writeDataset, type CorpusMeta, type Example, type VolunteerReminder } from '../../language/corpus/dataset';
import { DEFAULT_MODEL_DIR, ReminderParser } from '../../language/parser';
import { initRuntime } from '../runtime';
import { evaluateSplits, writeLanguageReport, type LanguageReport } from './report';
import { trainLanguageModel, type EpochRecord } from './train';
import { evaluateVolunteers } from './volunteer';

/** Where the generator's split description is kept beside a model trained on generated data. */
export const CORPUS_META_FILE = 'corpus-meta.json';

export interface LanguageTrainingOptions {
  /** Dataset directory (*.jsonl); generated when absent. */
  readonly dataDir?: string;
  /** Examples to generate when there is no dataDir (or, with mixGenerated, besides it). */
  readonly generated: number;
  /** Add `generated` generated examples to those of dataDir (volunteer data has no labels to train on). */
  readonly mixGenerated?: boolean;
  readonly seed: number;
  readonly epochs: number;
  readonly outDir: string;
  /** Also write the generated dataset here (JSON lines + meta.json). */
  readonly writeDataTo?: string;
}

export interface Progress {
  readonly line: (text: string) => void;
  readonly batch?: (epoch: number, batch: number, batches: number) => void;
  readonly epochDone?: (epoch: EpochRecord) => void;
}

export interface LoadedData {
  /** Labelled examples: trained on (train split) and scored. */
  readonly examples: Example[];
  /** Volunteers' reminders (no labels): scored only. */
  readonly volunteer: VolunteerReminder[];
  readonly meta: CorpusMeta | null;
}

/** The generator's meta.json of a dataset directory; null for any other (a volunteer export's). */
function generatorMeta(dataDir: string): CorpusMeta | null {
  const metaPath = path.join(dataDir, 'meta.json');
  if (!fs.existsSync(metaPath)) return null;
  const meta = JSON.parse(fs.readFileSync(metaPath, 'utf8')) as Partial<CorpusMeta>;
  return typeof meta.seed === 'number' && typeof meta.count === 'number' ? (meta as CorpusMeta) : null;
}

function generatedCorpus(generated: number, seed: number): LoadedData {
  if (!Number.isInteger(generated) || generated < 100) throw new Error(`--generated must be an integer of at least 100, got ${generated}`);
  const corpus = generateCorpus({ count: generated, seed });
  return { examples: corpus.examples, volunteer: [], meta: corpus.meta };
}

export function languageData(dataDir: string | undefined, generated: number, seed: number, mixGenerated = false): LoadedData {
  if (!dataDir) return generatedCorpus(generated, seed);
  const rows = readDatasetRows(dataDir);
  if (mixGenerated) {
    const corpus = generatedCorpus(generated, seed);
    return { examples: [...corpus.examples, ...rows.examples], volunteer: rows.volunteer, meta: corpus.meta };
  }
  if (!rows.examples.some((e) => e.split === 'train')) {
    throw new Error(
      `${dataDir} has no labelled training reminders (${rows.volunteer.length} volunteer reminders have no tags or meaning to learn from): ` +
        'add --generated N to train on N generated reminders and score the volunteers\' ones',
    );
  }
  return { examples: rows.examples, volunteer: rows.volunteer, meta: generatorMeta(dataDir) };
}

export async function runLanguageTraining(options: LanguageTrainingOptions, progress: Progress): Promise<LanguageReport> {
  const runtime = await initRuntime();
  progress.line(`backend: ${runtime.backend}${runtime.skipped.length > 0 ? ` (skipped ${runtime.skipped.join('; ')})` : ''}`);
  const data = languageData(options.dataDir, options.generated, options.seed, options.mixGenerated);
  if (options.writeDataTo && data.meta) writeDataset(options.writeDataTo, { examples: data.examples, meta: data.meta });
  const split = (name: string) => data.examples.filter((e) => e.split === name);
  progress.line(`data: ${split('train').length} train, ${split('dev').length} dev, ${split('test').length} test reminders${options.dataDir ? ` from ${options.dataDir}` : ''}${!options.dataDir || options.mixGenerated ? ` (${options.generated} generated with seed ${options.seed})` : ''}${data.volunteer.length > 0 ? `; ${data.volunteer.length} volunteer reminders to score` : ''}`);
  const result = await trainLanguageModel({
    train: split('train'),
    dev: split('dev'),
    seed: options.seed,
    epochs: options.epochs,
    outDir: options.outDir,
    onBatch: (epoch, batch, batches) => progress.batch?.(epoch, batch, batches),
    onEpoch: (record) => progress.epochDone?.(record),
  });
  if (data.meta) fs.writeFileSync(path.join(options.outDir, CORPUS_META_FILE), JSON.stringify(data.meta, null, 2) + '\n');
  progress.line(`trained in ${result.seconds.toFixed(1)} s (${result.samplesPerSecond.toFixed(0)} samples/s on ${runtime.backend}); evaluating`);
  const parser = ReminderParser.fromModel(result.model, result.vocabulary, result.config.maxTokens);
  const report: LanguageReport = {
    backend: runtime.backend,
    seed: options.seed,
    trainingSeconds: result.seconds,
    trainingSamplesPerSecond: result.samplesPerSecond,
    epochs: result.history,
    splits: evaluateSplits(parser, data.examples),
    volunteer: evaluateVolunteers(parser, data.volunteer),
  };
  writeLanguageReport(options.outDir, report);
  return report;
}

export interface LanguageEvaluationOptions {
  readonly modelDir?: string;
  readonly dataDir?: string;
  /** Where report.json and report.png go (default: the model directory). */
  readonly outDir?: string;
}

/**
 * Scores a saved model. Without a dataset, the corpus the model was trained on is generated again
 * from its corpus-meta.json (seed and count), so the held-out split is exactly the one it never saw.
 */
export async function runLanguageEvaluation(options: LanguageEvaluationOptions): Promise<LanguageReport> {
  const runtime = await initRuntime();
  const modelDir = options.modelDir ?? DEFAULT_MODEL_DIR;
  const parser = await ReminderParser.load(modelDir);
  let examples: Example[];
  let volunteer: VolunteerReminder[] = [];
  if (options.dataDir) {
    ({ examples, volunteer } = readDatasetRows(options.dataDir));
  } else {
    const metaPath = path.join(modelDir, CORPUS_META_FILE);
    if (!fs.existsSync(metaPath)) throw new Error(`no --data given and ${metaPath} is missing: cannot rebuild the model's corpus`);
    const meta = JSON.parse(fs.readFileSync(metaPath, 'utf8')) as { seed?: unknown; count?: unknown };
    if (typeof meta.seed !== 'number' || typeof meta.count !== 'number') throw new Error(`${metaPath}: fields "seed" and "count" must be numbers`);
    examples = generateCorpus({ count: meta.count, seed: meta.seed }).examples;
  }
  const outDir = options.outDir ?? modelDir;
  const report: LanguageReport = {
    ...trainingRecord(outDir), backend: runtime.backend, splits: evaluateSplits(parser, examples), volunteer: evaluateVolunteers(parser, volunteer),
  };
  writeLanguageReport(outDir, report);
  return report;
}

/** How the model was trained, kept from an earlier report in the same directory. */
function trainingRecord(dir: string): Partial<LanguageReport> {
  const file = path.join(dir, 'report.json');
  if (!fs.existsSync(file)) return {};
  const { seed, trainingSeconds, trainingSamplesPerSecond, epochs } = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LanguageReport>;
  return { seed, trainingSeconds, trainingSamplesPerSecond, epochs };
}
