/**
 * Language stage benchmark: latency of parsing one reminder (preprocessing + network + decoding)
 * on held-out (test split) reminders, the share of it spent in preprocessing, and training
 * throughput.
 *
 *   node dist/bench/language.js            a table
 *   node dist/bench/language.js --json     one JSON object
 *   node dist/bench/language.js --reminders 3000 --train-examples 3000
 *
 * Latency is measured one reminder at a time (as the node parses), after 100 warm-up parses, as
 * wall time and as the process's CPU time (on a shared machine wall time includes waiting for a core);
 * throughput trains a fresh model for one epoch on generated training reminders.
 */
import * as fs from 'fs';
import { cpus, loadavg } from 'os';
import * as path from 'path';
import { generateCorpus } from '../language/corpus/dataset';
import { DEFAULT_MODEL_DIR, ReminderParser } from '../language/parser';
import { preprocess } from '../language/preprocess';
import { CORPUS_META_FILE } from '../models/language/pipeline';
import { trainLanguageModel } from '../models/language/train';
import { initRuntime } from '../models/runtime';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} needs a positive integer, got '${process.argv[i + 1]}'`);
  return value;
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

function heldOutReminders(count: number): string[] {
  const metaPath = path.join(DEFAULT_MODEL_DIR, CORPUS_META_FILE);
  const seed = fs.existsSync(metaPath) ? (JSON.parse(fs.readFileSync(metaPath, 'utf8')) as { seed: number }).seed : 1;
  // a fresh corpus from the model's seed + 1: its test split is held out by family and vocabulary
  const corpus = generateCorpus({ count: count * 12, seed: seed + 1 });
  return corpus.examples.filter((e) => e.split === 'test').slice(0, count).map((e) => e.text);
}

async function main(): Promise<void> {
  const runtime = await initRuntime();
  const reminders = heldOutReminders(option('reminders', 3000));
  const parser = await ReminderParser.load();
  for (const text of reminders.slice(0, 100)) parser.parse(text);
  const total: number[] = [];
  const cpuTotal: number[] = [];
  const preprocessing: number[] = [];
  const known = new Set(parser.vocabulary.words);
  for (const text of reminders) {
    const t0 = process.hrtime.bigint();
    preprocess(text, known);
    const t1 = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    parser.parse(text);
    const cpu = process.cpuUsage(cpu0);
    const t2 = process.hrtime.bigint();
    preprocessing.push(Number(t1 - t0) / 1e6);
    total.push(Number(t2 - t1) / 1e6);
    cpuTotal.push((cpu.user + cpu.system) / 1000);
  }
  for (const list of [total, cpuTotal, preprocessing]) list.sort((a, b) => a - b);

  const trainExamples = option('train-examples', 3000);
  const corpus = generateCorpus({ count: Math.ceil(trainExamples / 0.8), seed: 99 });
  const train = corpus.examples.filter((e) => e.split === 'train').slice(0, trainExamples);
  const cpuBefore = process.cpuUsage();
  const trained = await trainLanguageModel({ train, dev: [], seed: 99, epochs: 1 });
  const cpu = process.cpuUsage(cpuBefore);
  trained.model.dispose();

  const figures = {
    backend: runtime.backend,
    cpus: cpus().length,
    loadAverage1m: Number(loadavg()[0].toFixed(2)),
    reminders: reminders.length,
    parseMedianMs: percentile(total, 0.5),
    parseP99Ms: percentile(total, 0.99),
    parseMaxMs: total[total.length - 1],
    /** CPU time of a parse: what the parse costs when the machine is shared (wall time includes waiting). */
    parseCpuMedianMs: percentile(cpuTotal, 0.5),
    parseCpuP99Ms: percentile(cpuTotal, 0.99),
    preprocessMedianMs: percentile(preprocessing, 0.5),
    preprocessP99Ms: percentile(preprocessing, 0.99),
    trainingExamples: train.length,
    trainingSamplesPerSecond: trained.samplesPerSecond,
    trainingCpuSecondsPerSample: (cpu.user + cpu.system) / 1e6 / train.length,
  };
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(figures)}\n`);
    return;
  }
  const rows: [string, string][] = [
    ['backend', `${figures.backend} (${figures.cpus} cpus, load ${figures.loadAverage1m})`],
    ['held-out reminders parsed', String(figures.reminders)],
    ['parse median', `${figures.parseMedianMs.toFixed(3)} ms`],
    ['parse p99', `${figures.parseP99Ms.toFixed(3)} ms`],
    ['parse max', `${figures.parseMaxMs.toFixed(3)} ms`],
    ['parse CPU time median / p99', `${figures.parseCpuMedianMs.toFixed(3)} / ${figures.parseCpuP99Ms.toFixed(3)} ms`],
    ['preprocessing median / p99', `${figures.preprocessMedianMs.toFixed(3)} / ${figures.preprocessP99Ms.toFixed(3)} ms`],
    ['training throughput', `${figures.trainingSamplesPerSecond.toFixed(0)} samples/s (${figures.trainingExamples} examples, 1 epoch)`],
    ['training CPU per sample', `${(figures.trainingCpuSecondsPerSample * 1000).toFixed(2)} ms`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(`${rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/language: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
