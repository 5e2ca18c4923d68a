/**
 * What a trial measures, per episode and over all of them.
 *
 * - attention-transfer accuracy: mistaken episodes whose first grounded attention (after the first
 *   reminder) names the true target object, or, when the person means a place, lies within the
 *   true region;
 * - failure avoidance: mistaken episodes that end in success;
 * - false corrections: normal episodes the monitor disturbed (any correction) or that did not succeed;
 * - too late: mistaken episodes whose first correction came after the point of no return;
 * - clarification: episodes in which the robot asked the person;
 * - latency: wall time from publishing a reminder to the first correction that answers it.
 * Interrupted episodes (the simulator link dropped) are reported but not scored.
 */
import type { MistakeType, Scenario } from '../sim/types';
import { MISTAKE_TYPES } from '../sim/types';

export type Outcome = 'succeeded' | 'failed' | 'interrupted' | 'halted' | 'unfinished';

export interface EpisodeRecord {
  readonly episodeId: string;
  readonly seed: number;
  readonly mistake: MistakeType;
  outcome: Outcome;
  failure: string;
  /** First grounded attention after the first reminder, judged against the truth. */
  attention: { readonly attended: string; readonly correct: boolean } | null;
  corrections: number;
  firstCorrectionAt: number | null;
  readonly pointOfNoReturnAt: number | null;
  questions: number;
  readonly texts: string[];
  readonly latenciesMs: number[];
  /** What the monitor sent, in order: "halt", "retarget glass_2", "move_region (0.12, -0.30)", ... at simulated seconds. */
  readonly correctionsSent: { readonly at: number | null; readonly what: string }[];
}

export interface Rate {
  readonly rate: number;
  readonly of: number;
}

export interface MistakeFigures {
  readonly episodes: number;
  readonly attentionAccuracy: Rate;
  readonly succeeded: Rate;
  readonly tooLate: Rate;
  readonly clarification: Rate;
}

export interface TrialReport {
  readonly scenario: Scenario;
  readonly episodes: number;
  readonly seed: number;
  readonly scored: number;
  readonly interrupted: number;
  readonly attentionAccuracy: Rate;
  readonly failureAvoidance: Rate;
  readonly falseCorrectionRate: Rate;
  readonly tooLateRate: Rate;
  readonly clarificationRate: Rate;
  readonly latencyMs: { readonly median: number; readonly p99: number; readonly count: number };
  readonly perMistake: Readonly<Partial<Record<MistakeType, MistakeFigures>>>;
}

function rate(hits: number, of: number): Rate {
  return { rate: of === 0 ? 0 : hits / of, of };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

const tooLate = (r: EpisodeRecord) =>
  r.pointOfNoReturnAt !== null && (r.firstCorrectionAt === null || r.firstCorrectionAt > r.pointOfNoReturnAt) && r.outcome !== 'succeeded';

function figures(records: readonly EpisodeRecord[]): MistakeFigures {
  return {
    episodes: records.length,
    attentionAccuracy: rate(records.filter((r) => r.attention?.correct).length, records.length),
    succeeded: rate(records.filter((r) => r.outcome === 'succeeded').length, records.length),
    tooLate: rate(records.filter(tooLate).length, records.length),
    clarification: rate(records.filter((r) => r.questions > 0).length, records.length),
  };
}

export function trialReport(scenario: Scenario, seed: number, all: readonly EpisodeRecord[]): TrialReport {
  const scored = all.filter((r) => r.outcome !== 'interrupted');
  const mistaken = scored.filter((r) => r.mistake !== 'none');
  const normal = scored.filter((r) => r.mistake === 'none');
  const latencies = scored.flatMap((r) => r.latenciesMs).sort((a, b) => a - b);
  const perMistake: Partial<Record<MistakeType, MistakeFigures>> = {};
  for (const type of MISTAKE_TYPES) {
    const records = scored.filter((r) => r.mistake === type);
    if (records.length > 0) perMistake[type] = figures(records);
  }
  return {
    scenario,
    episodes: all.length,
    seed,
    scored: scored.length,
    interrupted: all.length - scored.length,
    attentionAccuracy: rate(mistaken.filter((r) => r.attention?.correct).length, mistaken.length),
    failureAvoidance: rate(mistaken.filter((r) => r.outcome === 'succeeded').length, mistaken.length),
    falseCorrectionRate: rate(normal.filter((r) => r.corrections > 0 || r.outcome !== 'succeeded').length, normal.length),
    tooLateRate: rate(mistaken.filter(tooLate).length, mistaken.length),
    clarificationRate: rate(scored.filter((r) => r.questions > 0).length, scored.length),
    latencyMs: { median: percentile(latencies, 50), p99: percentile(latencies, 99), count: latencies.length },
    perMistake,
  };
}

const pct = (r: Rate) => `${(100 * r.rate).toFixed(1)}% (of ${r.of})`;

/** The report as lines for people, beside the original H2R-AT figures. */
export function describeReport(report: TrialReport): string[] {
  const lines = [
    `trial: ${report.scenario}, ${report.episodes} episodes from seed ${report.seed} (${report.scored} scored, ${report.interrupted} interrupted)`,
    `attention-transfer accuracy  ${pct(report.attentionAccuracy)}   (H2R-AT: 73.68%)`,
    `failure avoidance            ${pct(report.failureAvoidance)}   (H2R-AT: 66.86%)`,
    `false corrections            ${pct(report.falseCorrectionRate)}`,
    `too late                     ${pct(report.tooLateRate)}`,
    `clarification asked          ${pct(report.clarificationRate)}`,
    `reminder-to-correction latency: median ${report.latencyMs.median.toFixed(2)} ms, p99 ${report.latencyMs.p99.toFixed(2)} ms (${report.latencyMs.count} corrections)`,
    '',
    'per mistake type      episodes  attention  succeeded  too late  asked',
  ];
  for (const [type, f] of Object.entries(report.perMistake)) {
    const p = (r: Rate) => `${(100 * r.rate).toFixed(1)}%`.padStart(9);
    lines.push(`${type.padEnd(20)}${String(f.episodes).padStart(9)}  ${p(f.attentionAccuracy)}  ${p(f.succeeded)}  ${p(f.tooLate)}  ${p(f.clarification)}`);
  }
  return lines;
}
