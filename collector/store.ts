/**
 * The collector's SQLite database: sessions, clips, uploaded audio and reminders. WAL with
 * synchronous=FULL, so a write that has returned is committed and survives the process being
 * killed; the server tells the page "saved" only after `addReminder` has returned.
 */
import Database from 'better-sqlite3';
import * as fs from 'fs';
import * as path from 'path';
import { migrate } from './migrations';

export interface SessionRecord {
  readonly id: string;
  readonly volunteer: string;
  readonly consentVersion: string;
  readonly consentAt: string;
  readonly userAgent: string;
  readonly createdAt: string;
}

export interface ClipRecord {
  readonly id: string;
  readonly scenario: string;
  readonly seed: number;
  readonly mistake: string;
  /** Ground truth and timing of the clip's episode (never sent to volunteers). */
  readonly truth: unknown;
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  readonly frameCount: number;
  /** Sim time of the clip's last frame, seconds. */
  readonly endTime: number;
}

export interface AudioRecord {
  readonly id: string;
  readonly sessionId: string;
  /** Paths relative to the database's directory. */
  readonly originalPath: string;
  readonly format: string;
  readonly bytes: number;
  readonly wavPath: string | null;
  readonly duration: number | null;
  readonly transcript: string | null;
  readonly confidences: readonly number[] | null;
}

export interface NewReminder {
  readonly requestId: string;
  readonly sessionId: string;
  readonly clipId: string;
  readonly text: string;
  readonly audioId: string | null;
  readonly clickU: number;
  readonly clickV: number;
  readonly worldX: number | null;
  readonly worldY: number | null;
  readonly answerMs: number;
}

export interface StoredReminder extends NewReminder {
  readonly id: number;
  readonly source: 'typed' | 'speech';
  readonly audioPath: string | null;
  readonly transcript: string | null;
  readonly createdAt: string;
  readonly volunteer: string;
  readonly scenario: string;
  readonly mistake: string;
}

export interface ClipCount {
  readonly scenario: string;
  readonly mistake: string;
  readonly clips: number;
  readonly reminders: number;
}

const REMINDER_COLUMNS = `r.id, r.request_id AS requestId, r.session_id AS sessionId, r.clip_id AS clipId, r.text, r.source,
  r.audio_id AS audioId, r.audio_path AS audioPath, r.transcript, r.click_u AS clickU, r.click_v AS clickV,
  r.world_x AS worldX, r.world_y AS worldY, r.answer_ms AS answerMs, r.created_at AS createdAt,
  s.volunteer, c.scenario, c.mistake`;
const REMINDER_JOIN = 'reminders r JOIN sessions s ON s.id = r.session_id JOIN clips c ON c.id = r.clip_id';

export class ReminderStore {
  readonly directory: string;
  readonly audioDirectory: string;
  readonly clipDirectory: string;
  readonly #db: Database.Database;
  readonly #now: () => Date;

  constructor(file: string, now: () => Date = () => new Date()) {
    this.directory = path.dirname(path.resolve(file));
    this.audioDirectory = path.join(this.directory, 'audio');
    this.clipDirectory = path.join(this.directory, 'clips');
    fs.mkdirSync(this.audioDirectory, { recursive: true });
    fs.mkdirSync(this.clipDirectory, { recursive: true });
    try {
      this.#db = new Database(file);
    } catch (error) {
      throw new Error(`cannot open database ${file}: ${(error as Error).message}`);
    }
    this.#now = now;
    this.#db.pragma('journal_mode = WAL');
    // FULL also fsyncs the WAL at each commit: an acknowledged reminder survives power loss too.
    this.#db.pragma('synchronous = FULL');
    this.#db.pragma('foreign_keys = ON');
    this.#db.pragma('busy_timeout = 5000');
    try {
      migrate(this.#db, undefined, now);
    } catch (error) {
      this.#db.close();
      throw new Error(`${file}: ${(error as Error).message}`);
    }
  }

  #stamp(): string {
    return this.#now().toISOString();
  }

  journalMode(): string {
    return String(this.#db.pragma('journal_mode', { simple: true }));
  }

  createSession(s: Omit<SessionRecord, 'createdAt' | 'consentAt'>): SessionRecord {
    const at = this.#stamp();
    const record = { ...s, consentAt: at, createdAt: at };
    this.#db
      .prepare('INSERT INTO sessions (id, volunteer, consent_version, consent_at, user_agent, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(record.id, record.volunteer, record.consentVersion, record.consentAt, record.userAgent, record.createdAt);
    return record;
  }

  session(id: string): SessionRecord | undefined {
    return this.#db
      .prepare('SELECT id, volunteer, consent_version AS consentVersion, consent_at AS consentAt, user_agent AS userAgent, created_at AS createdAt FROM sessions WHERE id = ?')
      .get(id) as SessionRecord | undefined;
  }

  /** Records a clip of the plan; a clip already recorded is left as it is. */
  putClip(c: ClipRecord): void {
    this.#db
      .prepare(`INSERT INTO clips (id, scenario, seed, mistake, truth_json, width, height, fps, frame_count, end_time, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`)
      .run(c.id, c.scenario, c.seed, c.mistake, JSON.stringify(c.truth), c.width, c.height, c.fps, c.frameCount, c.endTime, this.#stamp());
  }

  clip(id: string): ClipRecord | undefined {
    const row = this.#db
      .prepare('SELECT id, scenario, seed, mistake, truth_json AS truthJson, width, height, fps, frame_count AS frameCount, end_time AS endTime FROM clips WHERE id = ?')
      .get(id) as (Omit<ClipRecord, 'truth'> & { truthJson: string }) | undefined;
    if (!row) return undefined;
    const { truthJson, ...rest } = row;
    return { ...rest, truth: JSON.parse(truthJson) as unknown };
  }

  /**
   * The clip of `planned` (in plan order) that has the fewest reminders and that this session has
   * not answered yet; undefined when the session has answered them all.
   */
  nextClipFor(sessionId: string, planned: readonly string[]): string | undefined {
    const answered = new Set(
      (this.#db.prepare('SELECT DISTINCT clip_id AS clipId FROM reminders WHERE session_id = ?').all(sessionId) as { clipId: string }[]).map((r) => r.clipId),
    );
    const counts = new Map(
      (this.#db.prepare('SELECT clip_id AS clipId, COUNT(*) AS n FROM reminders GROUP BY clip_id').all() as { clipId: string; n: number }[]).map((r) => [r.clipId, r.n]),
    );
    let best: string | undefined;
    for (const id of planned) {
      if (answered.has(id)) continue;
      if (best === undefined || (counts.get(id) ?? 0) < (counts.get(best) ?? 0)) best = id;
    }
    return best;
  }

  /** Records an uploaded file; its bytes must already be on disk (writeFileDurably). */
  addAudio(a: AudioRecord): void {
    this.#db
      .prepare(`INSERT INTO audio (id, session_id, original_path, format, bytes, wav_path, duration, transcript, confidences_json, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(a.id, a.sessionId, a.originalPath, a.format, a.bytes, a.wavPath, a.duration, a.transcript, a.confidences ? JSON.stringify(a.confidences) : null, this.#stamp());
  }

  audio(id: string): AudioRecord | undefined {
    const row = this.#db
      .prepare(`SELECT id, session_id AS sessionId, original_path AS originalPath, format, bytes, wav_path AS wavPath, duration, transcript,
        confidences_json AS confidencesJson FROM audio WHERE id = ?`)
      .get(id) as (Omit<AudioRecord, 'confidences'> & { confidencesJson: string | null }) | undefined;
    if (!row) return undefined;
    const { confidencesJson, ...rest } = row;
    return { ...rest, confidences: confidencesJson === null ? null : (JSON.parse(confidencesJson) as number[]) };
  }

  /**
   * Inserts a reminder and commits. A request id seen before returns the reminder stored then
   * (a page that resends after a dropped connection gets the same answer, not a second row).
   */
  addReminder(r: NewReminder): { reminder: StoredReminder; duplicate: boolean } {
    const existing = this.#db.prepare('SELECT id FROM reminders WHERE request_id = ?').get(r.requestId) as { id: number } | undefined;
    if (existing) return { reminder: this.reminder(existing.id) as StoredReminder, duplicate: true };
    const audio = r.audioId === null ? undefined : this.audio(r.audioId);
    if (r.audioId !== null && (!audio || audio.sessionId !== r.sessionId)) throw new Error(`audio '${r.audioId}' was not uploaded in this session`);
    const info = this.#db
      .prepare(`INSERT INTO reminders (request_id, session_id, clip_id, text, source, audio_id, audio_path, transcript, click_u, click_v,
        world_x, world_y, answer_ms, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(r.requestId, r.sessionId, r.clipId, r.text, audio ? 'speech' : 'typed', r.audioId, audio ? audio.wavPath ?? audio.originalPath : null,
        audio?.transcript ?? null, r.clickU, r.clickV, r.worldX, r.worldY, r.answerMs, this.#stamp());
    return { reminder: this.reminder(Number(info.lastInsertRowid)) as StoredReminder, duplicate: false };
  }

  reminder(id: number): StoredReminder | undefined {
    return this.#db.prepare(`SELECT ${REMINDER_COLUMNS} FROM ${REMINDER_JOIN} WHERE r.id = ?`).get(id) as StoredReminder | undefined;
  }

  hasRequest(requestId: string): boolean {
    return this.#db.prepare('SELECT 1 FROM reminders WHERE request_id = ?').get(requestId) !== undefined;
  }

  recentReminders(limit: number): StoredReminder[] {
    return this.#db.prepare(`SELECT ${REMINDER_COLUMNS} FROM ${REMINDER_JOIN} ORDER BY r.id DESC LIMIT ?`).all(limit) as StoredReminder[];
  }

  /** Every reminder, oldest first (for export). */
  allReminders(): StoredReminder[] {
    return this.#db.prepare(`SELECT ${REMINDER_COLUMNS} FROM ${REMINDER_JOIN} ORDER BY r.id`).all() as StoredReminder[];
  }

  /** Clips and reminders per scenario and mistake. */
  counts(): ClipCount[] {
    return this.#db
      .prepare(`SELECT c.scenario, c.mistake, COUNT(DISTINCT c.id) AS clips, COUNT(r.id) AS reminders
        FROM clips c LEFT JOIN reminders r ON r.clip_id = c.id GROUP BY c.scenario, c.mistake ORDER BY c.scenario, c.mistake`)
      .all() as ClipCount[];
  }

  totals(): { sessions: number; volunteers: number; reminders: number } {
    return this.#db
      .prepare('SELECT (SELECT COUNT(*) FROM sessions) AS sessions, (SELECT COUNT(DISTINCT volunteer) FROM sessions) AS volunteers, (SELECT COUNT(*) FROM reminders) AS reminders')
      .get() as { sessions: number; volunteers: number; reminders: number };
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}
