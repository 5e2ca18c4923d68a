/**
 * Scoring the parser on volunteers' reminders (h2r dataset export). They carry no gold Meaning,
 * only the mistake of the clip the volunteer watched, so the one figure is how often the parsed
 * mistake type agrees with it: a weak label (a volunteer may well phrase a wrong grasp as "take the
 * other one"), reported apart from the gold metrics and never mixed into them.
 */
import type { VolunteerReminder } from '../../language/corpus/dataset';
import { ReminderRejected, type ReminderParser } from '../../language/parser';

export interface VolunteerScore {
  readonly reminders: number;
  /** Reminders the parser refused (empty, absurd, only unknown words). */
  readonly rejected: number;
  /** Share of all reminders whose parsed mistake is the clip's mistake (rejected ones count as disagreeing). */
  readonly mistakeAgreement: number;
  /** Per clip mistake: reminders and how many of them agreed. */
  readonly byClipMistake: Record<string, { readonly reminders: number; readonly agreed: number }>;
}

export type VolunteerReport = Partial<Record<'train' | 'dev' | 'test', VolunteerScore>>;

export function scoreVolunteers(parser: ReminderParser, rows: readonly VolunteerReminder[]): VolunteerScore {
  let rejected = 0;
  let agreed = 0;
  const byClipMistake: Record<string, { reminders: number; agreed: number }> = {};
  for (const row of rows) {
    const entry = (byClipMistake[row.clipMistake] ??= { reminders: 0, agreed: 0 });
    entry.reminders += 1;
    let mistake: string;
    try {
      mistake = parser.parse(row.text).meaning.mistake;
    } catch (error) {
      if (!(error instanceof ReminderRejected)) throw error;
      rejected += 1;
      continue;
    }
    if (mistake === row.clipMistake) {
      agreed += 1;
      entry.agreed += 1;
    }
  }
  return { reminders: rows.length, rejected, mistakeAgreement: rows.length > 0 ? agreed / rows.length : NaN, byClipMistake };
}

/** Scores each split that has volunteer reminders; undefined when there are none. */
export function evaluateVolunteers(parser: ReminderParser, rows: readonly VolunteerReminder[]): VolunteerReport | undefined {
  if (rows.length === 0) return undefined;
  const report: VolunteerReport = {};
  for (const split of ['train', 'dev', 'test'] as const) {
    const part = rows.filter((r) => r.split === split);
    if (part.length > 0) report[split] = scoreVolunteers(parser, part);
  }
  return report;
}

/** Lines for a terminal, after the gold metrics. */
export function summariseVolunteers(report: VolunteerReport | undefined): string[] {
  if (!report) return [];
  const lines = ['volunteer reminders (weak label: the mistake of the clip watched)'];
  for (const [split, score] of Object.entries(report)) {
    lines.push(`  ${split.padEnd(6)}${String(score.reminders).padStart(6)} reminders, ${score.rejected} rejected, mistake agreement ${score.mistakeAgreement.toFixed(3)}`);
  }
  return lines;
}
