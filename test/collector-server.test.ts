import { strict as assert } from 'node:assert';
import Database from 'better-sqlite3';
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import type { WebSocket } from 'ws';
import type { Transcriber } from '../collector/audio';
import type { RunningCollector } from '../collector/server';
import type { StoredReminder } from '../collector/store';
import {
  TEST_ADMIN_TOKEN, firstClip, newSession, openSocket, originOf, reminderMessage, startTestCollector, submit, temporaryDirectory, toneWav,
} from './support/collector-fixtures';

function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    }).on('error', reject);
  });
}

describe('collector server', function () {
  this.timeout(30000);
  let collector: RunningCollector;
  let directory: string;
  let session: string;
  let clip: { id: string; width: number; height: number };
  let ws: WebSocket;
  const published: StoredReminder[] = [];
  const heard: Buffer[] = [];
  const transcriber: Transcriber = {
    transcribe: async (wav) => {
      heard.push(wav);
      return { text: 'the green block please', confidences: [0.9, 0.8, 0.95, 0.7] };
    },
  };

  before(async () => {
    directory = temporaryDirectory('server');
    collector = await startTestCollector(directory, { transcriber, onReminder: (r) => published.push(r) });
    ({ session } = await newSession(collector.url, 'P-007'));
    clip = await firstClip(collector.url, session);
    ws = await openSocket(collector.url, originOf(collector.url));
  });

  after(async () => {
    ws?.close();
    await collector?.close();
  });

  it('answers "saved" only once the reminder can be read from the database by another connection', async () => {
    const answer = await submit(ws, reminderMessage(session, clip.id, { text: 'not that one, the red block' }));
    assert.equal(answer.op, 'saved');
    const reader = new Database(path.join(directory, 'reminders.db'), { readonly: true });
    const row = reader.prepare('SELECT text, click_u, click_v, world_x, world_y, answer_ms, source FROM reminders WHERE id = ?').get(answer.reminder) as Record<string, unknown>;
    reader.close();
    assert.equal(row['text'], 'not that one, the red block');
    assert.equal(row['source'], 'typed');
    assert.deepEqual([row['click_u'], row['click_v'], row['answer_ms']], [240, 200, 4200]);
    const world = collector.clips.worldPoint(240, 200);
    assert.ok(world !== null);
    assert.deepEqual([row['world_x'], row['world_y']], [world.x, world.y]);
    assert.equal(published.at(-1)?.text, 'not that one, the red block');
  });

  it('stores a reminder with <script> verbatim and serves it to the admin view as JSON text', async () => {
    const text = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2"> the blue one';
    const answer = await submit(ws, reminderMessage(session, clip.id, { text }));
    assert.equal(answer.op, 'saved');
    assert.equal(answer.text, text);
    assert.equal(collector.store.reminder(answer.reminder as number)?.text, text);
    const response = await fetch(new URL('/admin/api/summary', collector.url), { headers: { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    const summary = (await response.json()) as { recent: { text: string }[] };
    assert.equal(summary.recent[0]?.text, text);
  });

  it('rejects a 501-character reminder with a clear error and stores nothing', async () => {
    const before = collector.store.totals().reminders;
    const answer = await submit(ws, reminderMessage(session, clip.id, { text: 'a'.repeat(501) }));
    assert.deepEqual({ op: answer.op, error: answer.error }, { op: 'rejected', error: 'text is 501 characters long; the limit is 500' });
    assert.equal(collector.store.totals().reminders, before);
  });

  it('rejects a reminder from an unknown session and one that is not JSON', async () => {
    const unknown = await submit(ws, reminderMessage('f'.repeat(32), clip.id));
    assert.equal(unknown.error, 'this session is unknown: reload the page and start again');
    const answer = await new Promise<string>((resolve) => {
      ws.once('message', (data: Buffer) => resolve(data.toString('utf8')));
      ws.send('{not json');
    });
    assert.deepEqual(JSON.parse(answer), { op: 'rejected', requestId: null, error: 'the message is not JSON text' });
  });

  it('stores a resent request once and answers it with the same reminder id', async () => {
    const message = reminderMessage(session, clip.id);
    const first = await submit(ws, message);
    const again = await submit(ws, message);
    assert.equal(again.reminder, first.reminder);
    assert.equal(again.duplicate, true);
  });

  it('refuses a WebSocket from a foreign origin or with no origin, and accepts its own', async () => {
    await assert.rejects(openSocket(collector.url, 'http://evil.example'), /refused with 403/);
    await assert.rejects(openSocket(collector.url, undefined), /refused with 403/);
    await assert.rejects(openSocket(collector.url, `http://127.0.0.1:${collector.port + 1}`), /refused with 403/);
    const own = await openSocket(collector.url, `http://localhost:${collector.port}`);
    own.close();
  });

  it('refuses a session started from a foreign origin\'s page', async () => {
    const answer = await fetch(new URL('/api/sessions', collector.url), {
      method: 'POST', headers: { 'Content-Type': 'application/json', Origin: 'http://evil.example' }, body: JSON.stringify({ consent: true, consentVersion: 'x' }),
    });
    assert.equal(answer.status, 403);
    assert.equal(((await answer.json()) as { error: string }).error, "requests from origin 'http://evil.example' are refused");
  });

  it('refuses requests that name another host (DNS rebinding)', async () => {
    const answer = await rawGet(new URL('/api/config', collector.url).href, { Host: `evil.example:${collector.port}` });
    assert.equal(answer.status, 421);
    assert.match(answer.body, /does not answer for host 'evil.example/);
  });

  it('refuses the admin view without a token (401) and with a wrong one (403)', async () => {
    const missing = await fetch(new URL('/admin', collector.url));
    assert.equal(missing.status, 401);
    assert.match(((await missing.json()) as { error: string }).error, /needs the token/);
    assert.equal((await fetch(new URL('/admin?token=wrong', collector.url))).status, 403);
    assert.equal((await fetch(new URL('/admin/api/summary', collector.url), { headers: { Authorization: 'Bearer wrong' } })).status, 403);
    assert.equal((await fetch(new URL('/admin/api/summary', collector.url), { headers: { Cookie: 'h2r_admin=forged' } })).status, 403);
    await assert.rejects(openSocket(collector.url, originOf(collector.url), '/admin/ws'), /refused with 401/);
  });

  it('trades a token in the address for an HttpOnly SameSite cookie and drops it from the address', async () => {
    const answer = await fetch(new URL(`/admin?token=${TEST_ADMIN_TOKEN}`, collector.url), { redirect: 'manual' });
    assert.equal(answer.status, 303);
    assert.equal(answer.headers.get('location'), '/admin');
    const cookie = answer.headers.get('set-cookie') ?? '';
    assert.match(cookie, /^h2r_admin=[^;]+; HttpOnly; SameSite=Strict; Path=\/admin$/);
    assert.ok(!cookie.includes(TEST_ADMIN_TOKEN), 'the cookie does not hold the token itself');
    const page = await fetch(new URL('/admin', collector.url), { headers: { Cookie: cookie.split(';')[0] as string } });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<script src="\/static\/admin.js" defer><\/script>/);
    const feed = await openSocket(collector.url, originOf(collector.url), '/admin/ws', { Cookie: cookie.split(';')[0] as string });
    feed.close();
  });

  it('sends a strict Content-Security-Policy with every page', async () => {
    const page = await fetch(collector.url);
    const policy = page.headers.get('content-security-policy') ?? '';
    assert.match(policy, /default-src 'none'/);
    assert.match(policy, /script-src 'self'(;|$)/);
    assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval/);
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
    assert.doesNotMatch(await page.text(), /<script>|\son[a-z]+=/);
  });

  it('tells the page nothing of a clip\'s scenario, mistake or truth', async () => {
    const body = await (await fetch(new URL(`/api/sessions/${session}/next-clip`, collector.url))).text();
    for (const word of ['tabletop', 'wrong_pose', 'truth', 'mistake', 'scenario', 'seed']) assert.ok(!body.includes(word), `${word} in ${body}`);
    const gif = Buffer.from(await (await fetch(new URL(`/clips/${clip.id}.gif`, collector.url))).arrayBuffer());
    assert.equal(gif.subarray(0, 6).toString('latin1'), 'GIF89a');
  });

  it('converts an uploaded WAV to 16 kHz mono, fsyncs it, transcribes it and links it to the reminder', async () => {
    const upload = await fetch(new URL(`/api/sessions/${session}/audio`, collector.url), { method: 'POST', headers: { 'Content-Type': 'audio/wav' }, body: toneWav(48000, 2, 0.25) });
    assert.equal(upload.status, 201);
    const body = (await upload.json()) as { audio: string; transcript: string; confidences: number[] };
    assert.equal(body.transcript, 'the green block please');
    assert.equal(heard.at(-1)?.readUInt32LE(24), 16000);
    const answer = await submit(ws, reminderMessage(session, clip.id, { text: 'the green block, please', audio: body.audio }));
    const stored = collector.store.reminder(answer.reminder as number);
    assert.equal(stored?.source, 'speech');
    assert.equal(stored?.transcript, 'the green block please');
    const wav = fs.readFileSync(path.join(directory, stored?.audioPath as string));
    assert.equal(wav.readUInt16LE(22), 1);
    assert.equal(wav.readUInt32LE(40), 4000 * 2);
  });

  it('refuses an upload that is not audio by its bytes, or that claims another type', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    const fake = await fetch(new URL(`/api/sessions/${session}/audio`, collector.url), { method: 'POST', headers: { 'Content-Type': 'audio/wav' }, body: png });
    assert.equal(fake.status, 415);
    assert.equal(((await fake.json()) as { error: string }).error, 'the upload is not WAV, WebM or Ogg audio (judged by its content)');
    const mislabelled = await fetch(new URL(`/api/sessions/${session}/audio`, collector.url), { method: 'POST', headers: { 'Content-Type': 'audio/ogg' }, body: toneWav(16000, 1, 0.1) });
    assert.equal(mislabelled.status, 415);
    assert.equal(((await mislabelled.json()) as { error: string }).error, "the upload is wav audio but was sent as 'audio/ogg'");
  });

  it('refuses an upload over the size limit with 413', async () => {
    const big = toneWav(48000, 2, 12);
    assert.ok(big.length > 2 * 1024 * 1024);
    const answer = await fetch(new URL(`/api/sessions/${session}/audio`, collector.url), { method: 'POST', headers: { 'Content-Type': 'audio/wav' }, body: big });
    assert.equal(answer.status, 413);
    assert.match(((await answer.json()) as { error: string }).error, /the limit is 2097152$/);
  });
});

describe('collector server without a speech recogniser', function () {
  this.timeout(30000);

  it('keeps the recording and tells the page that speech recognition is not available', async () => {
    const directory = temporaryDirectory('nospeech');
    const collector = await startTestCollector(directory);
    try {
      const { session } = await newSession(collector.url);
      const upload = await fetch(new URL(`/api/sessions/${session}/audio`, collector.url), { method: 'POST', headers: { 'Content-Type': 'audio/wav' }, body: toneWav(16000, 1, 0.1) });
      const body = (await upload.json()) as { audio: string; transcript: null; note: string };
      assert.equal(upload.status, 201);
      assert.equal(body.transcript, null);
      assert.equal(body.note, 'speech recognition not available: please type what you said');
      assert.ok(fs.existsSync(path.join(directory, 'audio', `${body.audio}.16k.wav`)));
      const config = (await (await fetch(new URL('/api/config', collector.url))).json()) as { speech: boolean };
      assert.equal(config.speech, false);
    } finally {
      await collector.close();
    }
  });

  it('refuses a session whose consent text version is not the one served', async () => {
    const collector = await startTestCollector(temporaryDirectory('consent'));
    try {
      const answer = await fetch(new URL('/api/sessions', collector.url), {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ consent: true, consentVersion: 'sha256:old' }),
      });
      assert.equal(answer.status, 409);
      assert.match(((await answer.json()) as { error: string }).error, /consent text has changed/);
    } finally {
      await collector.close();
    }
  });
});
