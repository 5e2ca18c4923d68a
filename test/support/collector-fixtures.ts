/** A collector on a temporary database with one short clip, and clients that talk to it. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { WebSocket } from 'ws';
import { startCollector, type CollectorOptions, type RunningCollector } from '../../collector/server';
import { DEFAULT_SETTINGS, type CollectorSettings } from '../../collector/settings';
import { ReminderStore } from '../../collector/store';
import { encodeWav } from '../../speech/wav';

/** The shortest clip of the simulator: tabletop, wrong grasp, seed 0 (under two seconds). */
export function testSettings(directory: string, overrides: Partial<CollectorSettings> = {}): CollectorSettings {
  return { ...DEFAULT_SETTINGS, database: path.join(directory, 'reminders.db'), port: 0, scenarios: ['tabletop'], mistakes: ['wrong_pose'], ...overrides };
}

export function temporaryDirectory(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `h2r-${prefix}-`));
}

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

export async function startTestCollector(directory: string, options: CollectorOptions = {}, overrides: Partial<CollectorSettings> = {}): Promise<RunningCollector> {
  return startCollector(testSettings(directory, overrides), { adminToken: TEST_ADMIN_TOKEN, ...options });
}

/** The page's own origin: http://127.0.0.1:PORT */
export function originOf(url: string): string {
  return new URL(url).origin;
}

export async function consentVersion(url: string): Promise<string> {
  const config = (await (await fetch(new URL('/api/config', url))).json()) as { consent: { version: string } };
  return config.consent.version;
}

/** A new session as the page makes one; returns its id and the volunteer's pseudonym. */
export async function newSession(url: string, volunteer: string | null = null): Promise<{ session: string; volunteer: string }> {
  const response = await fetch(new URL('/api/sessions', url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: originOf(url) },
    body: JSON.stringify({ consent: true, consentVersion: await consentVersion(url), volunteer }),
  });
  if (response.status !== 201) throw new Error(`session not created: ${response.status} ${await response.text()}`);
  return (await response.json()) as { session: string; volunteer: string };
}

export async function firstClip(url: string, session: string): Promise<{ id: string; width: number; height: number }> {
  const body = (await (await fetch(new URL(`/api/sessions/${session}/next-clip`, url))).json()) as { clip: { id: string; width: number; height: number } };
  return body.clip;
}

/** Opens the page's WebSocket with the given Origin; rejects with the HTTP status when refused. */
export function openSocket(url: string, origin: string | undefined, pathname = '/ws', headers: Record<string, string> = {}): Promise<WebSocket> {
  const address = new URL(pathname, url);
  address.protocol = 'ws:';
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(address, { ...(origin === undefined ? {} : { origin }), headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_request, response) => reject(new Error(`refused with ${response.statusCode}`)));
    ws.once('error', reject);
  });
}

export interface Answer {
  readonly op: string;
  readonly requestId: string | null;
  readonly reminder?: number;
  readonly text?: string;
  readonly error?: string;
  readonly duplicate?: boolean;
}

/** Sends one message and resolves with the answer carrying its requestId. */
export function submit(ws: WebSocket, message: Record<string, unknown>): Promise<Answer> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer): void => {
      const answer = JSON.parse(data.toString('utf8')) as Answer;
      if (answer.requestId !== (message['requestId'] ?? null)) return;
      ws.off('message', onMessage);
      resolve(answer);
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify(message));
  });
}

let counter = 0;
/** A valid submission; fields can be overridden. */
export function reminderMessage(session: string, clip: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return {
    op: 'submit',
    requestId: `req-${process.pid}-${counter}`,
    session,
    clip,
    text: 'no, the red block on your left',
    audio: null,
    click: { u: 240, v: 200 },
    answerMs: 4200,
    ...overrides,
  };
}

/** A WAV file of a sine tone: `channels` interleaved 16-bit channels at `rate`. */
export function toneWav(rate: number, channels: number, seconds: number): Buffer {
  const frames = Math.round(rate * seconds);
  const samples = new Int16Array(frames * channels);
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels; c++) samples[i * channels + c] = Math.round(16000 * Math.sin((2 * Math.PI * 440 * i) / rate));
  }
  return encodeWav(samples, rate, channels);
}

/** A database with `volunteers` volunteers of `each` reminders on one clip; the first one spoke. */
export function collectedDatabase(volunteers: number, each: number): { store: ReminderStore; file: string } {
  const file = path.join(temporaryDirectory('export'), 'reminders.db');
  const store = new ReminderStore(file, () => new Date('2026-05-02T09:00:00Z'));
  const truth = { mistake: { type: 'wrong_object', target: 'cup_2', region: null } };
  store.putClip({ id: 'c00000000000a', scenario: 'kitchen', seed: 4, mistake: 'wrong_object', truth, width: 480, height: 360, fps: 10, frameCount: 40, endTime: 4.1 });
  fs.writeFileSync(path.join(store.audioDirectory, 'a.16k.wav'), 'RIFF....WAVE');
  for (let v = 0; v < volunteers; v++) {
    const sessionId = v.toString(16).padStart(32, '0');
    store.createSession({ id: sessionId, volunteer: `P${v}`, consentVersion: 'sha256:x', userAgent: 'test' });
    if (v === 0) store.addAudio({ id: `a${'0'.repeat(24)}`, sessionId, originalPath: 'audio/a.wav', format: 'wav', bytes: 12, wavPath: 'audio/a.16k.wav', duration: 1, transcript: 'the blue cup', confidences: [0.9, 0.8, 0.7] });
    for (let n = 0; n < each; n++) {
      store.addReminder({
        requestId: `request-${v}-${n}`, sessionId, clipId: 'c00000000000a', text: `the blue cup ${v}.${n}`, audioId: v === 0 && n === 0 ? `a${'0'.repeat(24)}` : null,
        clickU: 100 + n, clickV: 200, worldX: n === 1 ? null : 0.1, worldY: n === 1 ? null : 0.2, answerMs: 5000,
      });
    }
  }
  return { store, file };
}
