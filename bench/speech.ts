/**
 * Speech benchmark on held-out reminders (test template families, never in the language model's
 * training text) spoken by espeak-ng, 6 voices x 3 speeds: word error rate per voice and speed,
 * real-time factor, speech-end-to-text latency (endpoint hangover + decoding), and, when the
 * language parser's model is there, how often the transcript parses to the same mistake type and
 * target as the original text.
 *
 *   node dist/bench/speech.js [--count N] [--seed N]          a table
 *   node dist/bench/speech.js --json                          one JSON object
 */
import { describeSummary, heldOutSpeech, recogniseClip, summarise, type UtteranceResult } from '../speech/evaluate';
import { Recogniser } from '../speech/recogniser';
import { parserAgreement, type Agreement } from '../speech/parse-agreement';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${name} needs a positive integer, got ${process.argv[at + 1]}`);
  return value;
}

async function main(): Promise<void> {
  const count = option('count', 200);
  const seed = option('seed', 2026);
  const started = Date.now();
  const utterances = await heldOutSpeech(count, seed);
  const synthesisSeconds = (Date.now() - started) / 1000;
  const recogniser = Recogniser.open();
  const results: UtteranceResult[] = [];
  try {
    for (const utterance of utterances) results.push(recogniseClip(utterance, recogniser));
  } finally {
    recogniser.close();
  }
  const summary = summarise(results);
  let agreement: Agreement | string;
  try {
    agreement = await parserAgreement(results.map((r) => ({ original: r.utterance.reminder.text, heard: r.hypothesis.join(' ') })));
  } catch (error) {
    agreement = `not measured: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ count, seed, synthesisSeconds, summary, agreement })}\n`);
    return;
  }
  const lines = [`speech benchmark: ${count} held-out reminders (seed ${seed}), synthesised in ${synthesisSeconds.toFixed(1)} s`, ...describeSummary(summary)];
  if (typeof agreement === 'string') lines.push(`  parser agreement (text vs transcript): ${agreement}`);
  else lines.push(`  parser agreement (text vs transcript): mistake type ${(100 * agreement.mistake).toFixed(1)}%, mistake + target ${(100 * agreement.mistakeAndTarget).toFixed(1)}%, all compared fields ${(100 * agreement.all).toFixed(1)}% of ${agreement.compared}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/speech: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
