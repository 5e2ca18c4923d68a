/**
 * The collector database's schema as numbered migrations. `migrate` applies the ones not yet in the
 * `migrations` table, each in its own transaction together with its row there, so a crash leaves
 * the schema at a whole version. A database from a newer h2r is refused rather than guessed at.
 */
import type { Database } from 'better-sqlite3';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'sessions, clips, audio, reminders',
    sql: `
      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        volunteer TEXT NOT NULL,
        consent_version TEXT NOT NULL,
        consent_at TEXT NOT NULL,
        user_agent TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX sessions_volunteer ON sessions(volunteer);
      CREATE TABLE clips (
        id TEXT PRIMARY KEY,
        scenario TEXT NOT NULL,
        seed INTEGER NOT NULL,
        mistake TEXT NOT NULL,
        truth_json TEXT NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        fps INTEGER NOT NULL,
        frame_count INTEGER NOT NULL,
        end_time REAL NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE audio (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions(id),
        original_path TEXT NOT NULL,
        format TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        wav_path TEXT,
        duration REAL,
        transcript TEXT,
        confidences_json TEXT,
        created_at TEXT NOT NULL
      );
      CREATE TABLE reminders (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        request_id TEXT NOT NULL UNIQUE,
        session_id TEXT NOT NULL REFERENCES sessions(id),
        clip_id TEXT NOT NULL REFERENCES clips(id),
        text TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('typed', 'speech')),
        audio_id TEXT REFERENCES audio(id),
        audio_path TEXT,
        transcript TEXT,
        click_u REAL NOT NULL,
        click_v REAL NOT NULL,
        world_x REAL,
        world_y REAL,
        answer_ms INTEGER NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX reminders_clip ON reminders(clip_id);
      CREATE INDEX reminders_session ON reminders(session_id);
    `,
  },
];

/** The highest migration applied, 0 for a new database. */
export function schemaVersion(db: Database): number {
  db.exec('CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const row = db.prepare('SELECT MAX(version) AS version FROM migrations').get() as { version: number | null };
  return row.version ?? 0;
}

/** Applies the migrations above the database's version in order; returns the versions applied. */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS, now: () => Date = () => new Date()): number[] {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration '${m.name}' is numbered ${m.version}, expected ${i + 1}`);
  });
  const current = schemaVersion(db);
  if (current > migrations.length) {
    throw new Error(`database schema version ${current} is newer than this h2r knows (${migrations.length}); use a newer h2r or another database`);
  }
  const record = db.prepare('INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const applied: number[] = [];
  for (const m of migrations.slice(current)) {
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, now().toISOString());
    }).immediate();
    applied.push(m.version);
  }
  return applied;
}
