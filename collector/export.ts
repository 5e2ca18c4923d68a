/**
 * Collected reminders as a dataset in the language stage's format (language/corpus/dataset.ts):
 * `train.jsonl`, `dev.jsonl`, `test.jsonl` and `meta.json`. Collected rows have no gold slot tags
 * or Meaning, so `tokens`, `tags` and `meaning` are absent; they carry the clip's ground truth and
 * the volunteer's click instead (collector/README-section.md spells out every field).
 *
 * Split by volunteer: a hash of the pseudonymous id decides, so every reminder of one volunteer
 * lands in the same split, and the same database and fractions give the same split every time.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { ClipRecord, ReminderStore, StoredReminder } from './store';

export type SplitName = 'train' | 'dev' | 'test';
export const SPLITS: readonly SplitName[] = ['train', 'dev', 'test'];

export interface SplitRule {
  readonly testFraction: number;
  readonly devFraction: number;
  /** Mixed into the hash; another salt draws another (equally fair) split. */
  readonly salt: string;
}

export const DEFAULT_SPLIT: SplitRule = { testFraction: 0.2, devFraction: 0.1, salt: 'h2r-at' };

/** Fields of the language format that a collected row leaves out. */
export const ABSENT_FIELDS = ['tokens', 'tags', 'meaning'] as const;
export const VOLUNTEER_FAMILY = 'volunteer';

export function checkSplitRule(rule: SplitRule): SplitRule {
  for (const name of ['testFraction', 'devFraction'] as const) {
    if (!Number.isFinite(rule[name]) || rule[name] < 0 || rule[name] > 1) throw new Error(`${name} must be between 0 and 1, got ${rule[name]}`);
  }
  if (rule.testFraction + rule.devFraction > 1) throw new Error(`testFraction + devFraction must be at most 1, got ${rule.testFraction + rule.devFraction}`);
  return rule;
}

/** The split of a volunteer: a uniform number in [0, 1) from the hash, cut at test, then dev. */
export function volunteerSplit(volunteer: string, rule: SplitRule): SplitName {
  const digest = createHash('sha256').update(`${rule.salt}\u0000${volunteer}`).digest();
  const unit = digest.readUInt32BE(0) / 2 ** 32;
  if (unit < rule.testFraction) return 'test';
  if (unit < rule.testFraction + rule.devFraction) return 'dev';
  return 'train';
}

export interface CollectedExample {
  readonly text: string;
  readonly family: typeof VOLUNTEER_FAMILY;
  readonly split: SplitName;
  readonly scenario: string;
  readonly source: 'typed' | 'speech';
  readonly volunteer: string;
  /** The clip the volunteer watched and its ground truth (what the robot got wrong). */
  readonly clip: {
    readonly id: string;
    readonly seed: number;
    readonly mistake: string;
    readonly endTime: number;
    readonly truth: unknown;
  };
  /** Where the volunteer said the robot should look: pixel of the clip's last frame, and the table point. */
  readonly attention: {
    readonly u: number;
    readonly v: number;
    readonly imageWidth: number;
    readonly imageHeight: number;
    readonly world: { readonly x: number; readonly y: number; readonly z: 0 } | null;
  };
  readonly transcript: string | null;
  /** Audio file relative to the dataset directory, or null for a typed reminder. */
  readonly audio: string | null;
  readonly answerMs: number;
  readonly createdAt: string;
  readonly reminderId: number;
}

export function exampleOf(r: StoredReminder, clip: ClipRecord, split: SplitName, audio: string | null): CollectedExample {
  return {
    text: r.text,
    family: VOLUNTEER_FAMILY,
    split,
    scenario: clip.scenario,
    source: r.source,
    volunteer: r.volunteer,
    clip: { id: clip.id, seed: clip.seed, mistake: clip.mistake, endTime: clip.endTime, truth: clip.truth },
    attention: {
      u: r.clickU,
      v: r.clickV,
      imageWidth: clip.width,
      imageHeight: clip.height,
      world: r.worldX === null || r.worldY === null ? null : { x: r.worldX, y: r.worldY, z: 0 },
    },
    transcript: r.transcript,
    audio,
    answerMs: r.answerMs,
    createdAt: r.createdAt,
    reminderId: r.id,
  };
}

export interface ExportSummary {
  readonly counts: Record<SplitName, number>;
  readonly volunteers: Record<SplitName, number>;
  readonly audioFiles: number;
}

/** Writes the dataset into `outDir` (created); audio files are copied into `outDir/audio`. */
export function exportDataset(store: ReminderStore, outDir: string, rule: SplitRule = DEFAULT_SPLIT): ExportSummary {
  checkSplitRule(rule);
  fs.mkdirSync(outDir, { recursive: true });
  const lines: Record<SplitName, string[]> = { train: [], dev: [], test: [] };
  const volunteers: Record<SplitName, Set<string>> = { train: new Set(), dev: new Set(), test: new Set() };
  const mistakeCounts: Record<string, number> = {};
  const scenarioCounts: Record<string, number> = {};
  const clips = new Map<string, ClipRecord>();
  let audioFiles = 0;
  for (const r of store.allReminders()) {
    let clip = clips.get(r.clipId);
    if (!clip) {
      clip = store.clip(r.clipId);
      if (!clip) throw new Error(`reminder ${r.id} names clip '${r.clipId}', which is not in the database`);
      clips.set(r.clipId, clip);
    }
    const split = volunteerSplit(r.volunteer, rule);
    let audio: string | null = null;
    if (r.audioPath !== null) {
      audio = path.join('audio', path.basename(r.audioPath));
      fs.mkdirSync(path.join(outDir, 'audio'), { recursive: true });
      fs.copyFileSync(path.join(store.directory, r.audioPath), path.join(outDir, audio));
      audioFiles += 1;
    }
    lines[split].push(JSON.stringify(exampleOf(r, clip, split, audio)));
    volunteers[split].add(r.volunteer);
    mistakeCounts[clip.mistake] = (mistakeCounts[clip.mistake] ?? 0) + 1;
    scenarioCounts[clip.scenario] = (scenarioCounts[clip.scenario] ?? 0) + 1;
  }
  for (const split of SPLITS) fs.writeFileSync(path.join(outDir, `${split}.jsonl`), lines[split].map((l) => `${l}\n`).join(''));
  const counts = { train: lines.train.length, dev: lines.dev.length, test: lines.test.length };
  const volunteerCounts = { train: volunteers.train.size, dev: volunteers.dev.size, test: volunteers.test.size };
  const meta = {
    generator: 'h2r dataset export (volunteer reminders from the collector)',
    family: VOLUNTEER_FAMILY,
    counts,
    volunteers: volunteerCounts,
    split: { by: 'sha256(salt NUL volunteer) first 32 bits / 2^32: < test is test, < test + dev is dev, else train', ...rule },
    absentFields: ABSENT_FIELDS,
    mistakeCounts,
    scenarioCounts,
    audioFiles,
  };
  fs.writeFileSync(path.join(outDir, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
  return { counts, volunteers: volunteerCounts, audioFiles };
}
