import { strict as assert } from 'node:assert';
import Database from 'better-sqlite3';
import * as path from 'path';
import { MIGRATIONS, migrate, schemaVersion, type Migration } from '../collector/migrations';
import { ReminderStore, type ClipRecord } from '../collector/store';
import { temporaryDirectory } from './support/collector-fixtures';

const clip = (id: string): ClipRecord => ({
  id, scenario: 'tabletop', seed: 0, mistake: 'wrong_pose', truth: { mistake: { type: 'wrong_pose' } }, width: 480, height: 360, fps: 10, frameCount: 18, endTime: 1.8,
});

function storeWithSession(): { store: ReminderStore; file: string } {
  const file = path.join(temporaryDirectory('store'), 'r.db');
  const store = new ReminderStore(file, () => new Date('2026-05-01T10:00:00Z'));
  store.createSession({ id: 'a'.repeat(32), volunteer: 'P01', consentVersion: 'v1', userAgent: 'test' });
  store.createSession({ id: 'b'.repeat(32), volunteer: 'P02', consentVersion: 'v1', userAgent: 'test' });
  store.putClip(clip('c000000000001'));
  store.putClip(clip('c000000000002'));
  return { store, file };
}

const reminder = (requestId: string, overrides: Partial<Parameters<ReminderStore['addReminder']>[0]> = {}) => ({
  requestId, sessionId: 'a'.repeat(32), clipId: 'c000000000001', text: 'the other block', audioId: null,
  clickU: 10, clickV: 20, worldX: 0.1, worldY: -0.2, answerMs: 3000, ...overrides,
});

describe('collector database', () => {
  it('creates every table of migration 1 in a new file and records the version', () => {
    const db = new Database(':memory:');
    assert.deepEqual(migrate(db), [1]);
    assert.equal(schemaVersion(db), 1);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    for (const table of ['audio', 'clips', 'migrations', 'reminders', 'sessions']) assert.ok(tables.includes(table), table);
  });

  it('applies only the migrations a database has not had yet', () => {
    const db = new Database(':memory:');
    migrate(db);
    const second: Migration = { version: 2, name: 'reminder language', sql: "ALTER TABLE reminders ADD COLUMN language TEXT NOT NULL DEFAULT 'en'" };
    assert.deepEqual(migrate(db, [...MIGRATIONS, second]), [2]);
    assert.deepEqual(migrate(db, [...MIGRATIONS, second]), []);
    assert.equal(schemaVersion(db), 2);
  });

  it('rolls a failing migration back whole, leaving the version where it was', () => {
    const db = new Database(':memory:');
    migrate(db);
    const broken: Migration = { version: 2, name: 'broken', sql: 'CREATE TABLE extra (x INTEGER); ALTER TABLE nowhere ADD COLUMN y TEXT' };
    assert.throws(() => migrate(db, [...MIGRATIONS, broken]), /no such table: nowhere/);
    assert.equal(schemaVersion(db), 1);
    assert.equal(db.prepare("SELECT name FROM sqlite_master WHERE name = 'extra'").get(), undefined);
  });

  it('refuses a database written by a newer schema, naming both versions', () => {
    const db = new Database(':memory:');
    migrate(db);
    db.prepare("INSERT INTO migrations (version, name, applied_at) VALUES (7, 'future', 'x')").run();
    assert.throws(() => migrate(db), /database schema version 7 is newer than this h2r knows \(1\)/);
  });

  it('opens the file in WAL mode', () => {
    const { store } = storeWithSession();
    assert.equal(store.journalMode(), 'wal');
    store.close();
  });

  it('stores a reminder once however often its request id is sent', () => {
    const { store } = storeWithSession();
    const first = store.addReminder(reminder('request-0001'));
    const again = store.addReminder(reminder('request-0001', { text: 'something else' }));
    assert.equal(first.duplicate, false);
    assert.equal(again.duplicate, true);
    assert.equal(again.reminder.id, first.reminder.id);
    assert.equal(again.reminder.text, 'the other block');
    assert.equal(store.allReminders().length, 1);
    assert.equal(first.reminder.source, 'typed');
    assert.equal(first.reminder.createdAt, '2026-05-01T10:00:00.000Z');
    store.close();
  });

  it('keeps a reminder committed for a second connection to read at once', () => {
    const { store, file } = storeWithSession();
    const { reminder: saved } = store.addReminder(reminder('request-0002'));
    const reader = new Database(file, { readonly: true });
    assert.deepEqual(reader.prepare('SELECT text FROM reminders WHERE id = ?').get(saved.id), { text: 'the other block' });
    reader.close();
    store.close();
  });

  it('refuses audio uploaded in another session', () => {
    const { store } = storeWithSession();
    store.addAudio({ id: `a${'1'.repeat(24)}`, sessionId: 'b'.repeat(32), originalPath: 'audio/x.wav', format: 'wav', bytes: 10, wavPath: null, duration: null, transcript: null, confidences: null });
    assert.throws(() => store.addReminder(reminder('request-0003', { audioId: `a${'1'.repeat(24)}` })), /audio 'a1{24}' was not uploaded in this session/);
    store.close();
  });

  it('offers each session the least answered clip it has not answered yet', () => {
    const { store } = storeWithSession();
    const planned = ['c000000000001', 'c000000000002'];
    assert.equal(store.nextClipFor('a'.repeat(32), planned), 'c000000000001');
    store.addReminder(reminder('request-0004'));
    assert.equal(store.nextClipFor('b'.repeat(32), planned), 'c000000000002');
    store.addReminder(reminder('request-0005', { clipId: 'c000000000002' }));
    assert.equal(store.nextClipFor('a'.repeat(32), planned), undefined);
    store.close();
  });

  it('counts clips and reminders per scenario and mistake', () => {
    const { store } = storeWithSession();
    store.addReminder(reminder('request-0006'));
    store.addReminder(reminder('request-0007', { sessionId: 'b'.repeat(32) }));
    assert.deepEqual(store.counts(), [{ scenario: 'tabletop', mistake: 'wrong_pose', clips: 2, reminders: 2 }]);
    assert.deepEqual(store.totals(), { sessions: 2, volunteers: 2, reminders: 2 });
    store.close();
  });
});
