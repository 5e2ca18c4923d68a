/**
 * The collector's web server: the volunteer page and its API, clip media, audio uploads, the
 * WebSocket that takes reminders (and answers "saved" only after the row is committed), and the
 * admin view behind a token.
 */
import { randomBytes } from 'crypto';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import type { Duplex } from 'stream';
import { WebSocket, WebSocketServer } from 'ws';
import { repositoryRoot } from '../cli/repo';
import { AUDIO_CONTENT_TYPES, NO_RECOGNISER, sniffAudio, toRecogniserWav, type Transcriber } from './audio';
import { ClipLibrary, type ClipProgress } from './clips';
import { loadConsent, type ConsentText } from './consent';
import { writeFileDurably } from './files';
import { HttpError, loadStaticFiles, readBody, readJson, send, sendError, sendJson, type StaticFile } from './http-util';
import { ADMIN_COOKIE, allowedOrigins, checkAdmin, cookieValueFor, hostAllowed, newAdminToken } from './security';
import { checkSettings, MAX_REMINDER_LENGTH, type CollectorSettings } from './settings';
import { ReminderStore, type StoredReminder } from './store';
import { SESSION_ID, checkSessionRequest, checkSubmission } from './validate';

export const STATIC_DIRECTORY = path.join(repositoryRoot(), 'collector', 'static');
/** Largest JSON request or WebSocket message; a reminder is far smaller. */
const MAX_MESSAGE_BYTES = 16 * 1024;
const TRANSCRIBE_TIMEOUT_MS = 30000;
const RECENT_REMINDERS = 50;

export interface CollectorOptions {
  /** The admin token; a random one when absent. */
  readonly adminToken?: string;
  /** Speech recogniser; null when none is available. */
  readonly transcriber?: Transcriber | null;
  /** Called after each reminder is committed (the node publishes it). */
  readonly onReminder?: (reminder: StoredReminder) => void;
  readonly log?: (level: 'info' | 'warn', message: string) => void;
  readonly progress?: ClipProgress;
}

export interface RunningCollector {
  /** The volunteer page. */
  readonly url: string;
  /** The admin view with the token (print it only to whoever runs the session). */
  readonly adminUrl: string;
  readonly adminToken: string;
  readonly port: number;
  readonly store: ReminderStore;
  readonly clips: ClipLibrary;
  close(): Promise<void>;
}

/** What the admin view shows of a reminder. */
function adminRow(r: StoredReminder): Record<string, unknown> {
  return {
    id: r.id, createdAt: r.createdAt, volunteer: r.volunteer, scenario: r.scenario, mistake: r.mistake, text: r.text,
    source: r.source, click: { u: r.clickU, v: r.clickV }, world: r.worldX === null ? null : { x: r.worldX, y: r.worldY }, answerMs: r.answerMs,
  };
}

class Collector {
  readonly sockets = new Set<WebSocket>();
  readonly adminSockets = new Set<WebSocket>();
  origins = new Set<string>();

  constructor(
    readonly settings: CollectorSettings,
    readonly options: CollectorOptions,
    readonly adminToken: string,
    readonly consent: ConsentText,
    readonly store: ReminderStore,
    readonly clips: ClipLibrary,
    readonly files: Map<string, StaticFile>,
  ) {}

  log(level: 'info' | 'warn', message: string): void {
    this.options.log?.(level, message);
  }

  async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    if (!hostAllowed(request.headers.host, this.origins)) throw new HttpError(421, `this server does not answer for host '${request.headers.host ?? ''}'`);
    const origin = request.headers.origin;
    if (request.method !== 'GET' && origin !== undefined && !this.origins.has(origin)) throw new HttpError(403, `requests from origin '${origin}' are refused`);
    const url = new URL(request.url ?? '/', 'http://collector');
    const routes: readonly [string, RegExp, (m: RegExpExecArray) => void | Promise<void>][] = [
      ['GET', /^\/$/, () => this.file(response, 'index.html')],
      ['GET', /^\/static\/([a-z0-9-]+\.[a-z]+)$/, (m) => this.file(response, m[1] as string)],
      // Browsers ask for it on their own; an empty answer keeps a 404 out of the console.
      ['GET', /^\/favicon\.ico$/, () => send(response, 204, '', 'image/x-icon')],
      ['GET', /^\/api\/config$/, () => sendJson(response, 200, this.config())],
      ['POST', /^\/api\/sessions$/, () => this.createSession(request, response)],
      ['GET', /^\/api\/sessions\/([0-9a-f]{32})\/next-clip$/, (m) => this.nextClip(response, m[1] as string)],
      ['POST', /^\/api\/sessions\/([0-9a-f]{32})\/audio$/, (m) => this.upload(request, response, m[1] as string)],
      ['GET', /^\/clips\/(c[0-9a-f]{12})\.(gif|png)$/, (m) => this.clipMedia(response, m[1] as string, m[2] as 'gif' | 'png')],
      ['GET', /^\/admin$/, () => this.admin(request, response, url, () => this.file(response, 'admin.html'))],
      ['GET', /^\/admin\/api\/summary$/, () => this.admin(request, response, url, () => sendJson(response, 200, this.summary()))],
    ];
    for (const [method, pattern, run] of routes) {
      const match = request.method === method ? pattern.exec(url.pathname) : null;
      if (match) return run(match);
    }
    throw new HttpError(404, `nothing at ${request.method ?? ''} ${url.pathname}`);
  }

  config(): Record<string, unknown> {
    return { consent: this.consent, maxTextLength: MAX_REMINDER_LENGTH, maxUploadBytes: this.settings.maxUploadBytes, speech: Boolean(this.options.transcriber) };
  }

  file(response: http.ServerResponse, name: string): void {
    const file = this.files.get(name);
    if (!file) throw new HttpError(404, `no file '${name}'`);
    send(response, 200, file.bytes, file.type);
  }

  async createSession(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const checked = checkSessionRequest(await readJson(request, MAX_MESSAGE_BYTES));
    if (!checked.ok) throw new HttpError(400, checked.error);
    if (checked.value.consentVersion !== this.consent.version) {
      throw new HttpError(409, 'the consent text has changed since the page was loaded: reload the page and read it again');
    }
    const userAgent = String(request.headers['user-agent'] ?? '').slice(0, 300);
    const session = this.store.createSession({
      id: randomBytes(16).toString('hex'),
      volunteer: checked.value.volunteer ?? `v-${randomBytes(5).toString('hex')}`,
      consentVersion: this.consent.version,
      userAgent,
    });
    this.log('info', `session started by volunteer ${session.volunteer}`);
    sendJson(response, 201, { session: session.id, volunteer: session.volunteer });
  }

  knownSession(id: string): void {
    if (!SESSION_ID.test(id) || !this.store.session(id)) throw new HttpError(404, 'this session is unknown: reload the page and start again');
  }

  nextClip(response: http.ServerResponse, sessionId: string): void {
    this.knownSession(sessionId);
    const id = this.store.nextClipFor(sessionId, this.clips.ids());
    const info = id === undefined ? undefined : this.clips.info(id);
    sendJson(response, 200, { clip: info ? { ...info, gif: `/clips/${info.id}.gif`, still: `/clips/${info.id}.png` } : null });
  }

  clipMedia(response: http.ServerResponse, id: string, kind: 'gif' | 'png'): void {
    const bytes = this.clips.media(id, kind);
    if (!bytes) throw new HttpError(404, `no clip '${id}.${kind}'`);
    send(response, 200, bytes, kind === 'gif' ? 'image/gif' : 'image/png', { 'Cache-Control': 'private, max-age=3600' });
  }

  async upload(request: http.IncomingMessage, response: http.ServerResponse, sessionId: string): Promise<void> {
    this.knownSession(sessionId);
    const declaredType = String(request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const bytes = await readBody(request, this.settings.maxUploadBytes);
    const format = sniffAudio(bytes);
    if (format === null) throw new HttpError(415, 'the upload is not WAV, WebM or Ogg audio (judged by its content)');
    if (!AUDIO_CONTENT_TYPES[format].includes(declaredType)) throw new HttpError(415, `the upload is ${format} audio but was sent as '${declaredType}'`);
    const id = `a${randomBytes(12).toString('hex')}`;
    let converted: { wav: Buffer; duration: number } | null = null;
    if (format === 'wav') {
      try {
        converted = toRecogniserWav(bytes);
      } catch (error) {
        throw new HttpError(400, `the WAV upload cannot be read: ${(error as Error).message}`);
      }
    }
    const originalPath = path.join('audio', `${id}.${format}`);
    const wavPath = converted ? path.join('audio', `${id}.16k.wav`) : null;
    writeFileDurably(path.join(this.store.directory, originalPath), bytes);
    if (converted && wavPath) writeFileDurably(path.join(this.store.directory, wavPath), converted.wav);
    const heard = await this.transcribe(converted?.wav ?? null, format);
    this.store.addAudio({
      id, sessionId, originalPath, format, bytes: bytes.length, wavPath, duration: converted?.duration ?? null,
      transcript: heard.text, confidences: heard.confidences,
    });
    sendJson(response, 201, { audio: id, transcript: heard.text, confidences: heard.confidences, note: heard.note });
  }

  async transcribe(wav: Buffer | null, format: string): Promise<{ text: string | null; confidences: number[] | null; note: string | null }> {
    const recogniser = this.options.transcriber;
    if (!recogniser) return { text: null, confidences: null, note: NO_RECOGNISER };
    if (!wav) return { text: null, confidences: null, note: `the recording was kept, but ${format} audio cannot be transcribed here (record WAV): please type what you said` };
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${TRANSCRIBE_TIMEOUT_MS / 1000} s`)), TRANSCRIBE_TIMEOUT_MS);
      });
      const heard = await Promise.race([recogniser.transcribe(wav), timeout]);
      return { text: heard.text, confidences: heard.confidences, note: null };
    } catch (error) {
      this.log('warn', `speech recognition failed: ${(error as Error).message}`);
      return { text: null, confidences: null, note: `speech recognition failed (${(error as Error).message}): please type what you said` };
    } finally {
      clearTimeout(timer);
    }
  }

  admin(request: http.IncomingMessage, response: http.ServerResponse, url: URL, allowed: () => void): void {
    const { verdict, viaQuery } = checkAdmin(this.adminToken, request.headers, url.searchParams);
    if (verdict === 'missing') throw new HttpError(401, 'the admin view needs the token printed when the collector started');
    if (verdict === 'wrong') throw new HttpError(403, 'wrong admin token');
    if (viaQuery) {
      // The token leaves the address bar (and history) at once; the cookie stands in for it.
      const cookie = `${ADMIN_COOKIE}=${cookieValueFor(this.adminToken)}; HttpOnly; SameSite=Strict; Path=/admin`;
      send(response, 303, '', 'text/plain', { Location: url.pathname, 'Set-Cookie': cookie });
      return;
    }
    allowed();
  }

  summary(): Record<string, unknown> {
    return { totals: this.store.totals(), counts: this.store.counts(), recent: this.store.recentReminders(RECENT_REMINDERS).map(adminRow) };
  }

  upgrade(request: http.IncomingMessage, socket: Duplex, head: Buffer, wss: WebSocketServer): void {
    const refuse = (status: number, reason: string): void => {
      this.log('warn', `WebSocket refused (${status}): ${reason}`);
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${reason}\n`);
    };
    const origin = request.headers.origin;
    if (origin === undefined || !this.origins.has(origin)) return refuse(403, `WebSocket from origin '${origin ?? '(none)'}' refused`);
    if (!hostAllowed(request.headers.host, this.origins)) return refuse(421, `WebSocket for host '${request.headers.host ?? ''}' refused`);
    const url = new URL(request.url ?? '/', 'http://collector');
    if (url.pathname === '/admin/ws') {
      const { verdict } = checkAdmin(this.adminToken, request.headers, new URLSearchParams());
      if (verdict !== 'allowed') return refuse(verdict === 'missing' ? 401 : 403, 'the admin feed needs the admin token');
      wss.handleUpgrade(request, socket, head, (ws) => this.track(ws, this.adminSockets));
      return;
    }
    if (url.pathname !== '/ws') return refuse(404, `no WebSocket at ${url.pathname}`);
    wss.handleUpgrade(request, socket, head, (ws) => {
      this.track(ws, this.sockets);
      ws.on('message', (data, isBinary) => this.onMessage(ws, data as Buffer, isBinary));
    });
  }

  track(ws: WebSocket, set: Set<WebSocket>): void {
    set.add(ws);
    ws.on('close', () => set.delete(ws));
    ws.on('error', (error) => this.log('warn', `WebSocket error: ${error.message}`));
  }

  onMessage(ws: WebSocket, data: Buffer, isBinary: boolean): void {
    const reply = (value: unknown): void => ws.send(JSON.stringify(value));
    let message: unknown;
    try {
      if (isBinary) throw new Error('binary');
      message = JSON.parse(data.toString('utf8'));
    } catch {
      return reply({ op: 'rejected', requestId: null, error: 'the message is not JSON text' });
    }
    const requestId = typeof message === 'object' && message !== null && 'requestId' in message ? (message as { requestId: unknown }).requestId : null;
    const op = typeof message === 'object' && message !== null ? (message as { op?: unknown }).op : undefined;
    if (op !== 'submit') return reply({ op: 'rejected', requestId, error: `unknown op '${String(op)}' (expected submit)` });
    const checked = checkSubmission(message, (clip) => this.clips.info(clip));
    if (!checked.ok) return reply({ op: 'rejected', requestId, error: checked.error });
    const s = checked.value;
    if (!this.store.session(s.session)) return reply({ op: 'rejected', requestId, error: 'this session is unknown: reload the page and start again' });
    const world = this.clips.worldPoint(s.click.u, s.click.v);
    let saved: { reminder: StoredReminder; duplicate: boolean };
    try {
      saved = this.store.addReminder({
        requestId: s.requestId, sessionId: s.session, clipId: s.clip, text: s.text, audioId: s.audio,
        clickU: s.click.u, clickV: s.click.v, worldX: world?.x ?? null, worldY: world?.y ?? null, answerMs: s.answerMs,
      });
    } catch (error) {
      this.log('warn', `reminder not stored: ${(error as Error).message}`);
      return reply({ op: 'rejected', requestId, error: `not saved: ${(error as Error).message}` });
    }
    // The row is committed (better-sqlite3 returns after COMMIT): only now is the page told.
    reply({ op: 'saved', requestId: s.requestId, reminder: saved.reminder.id, text: saved.reminder.text, duplicate: saved.duplicate });
    if (saved.duplicate) return;
    this.options.onReminder?.(saved.reminder);
    const event = JSON.stringify({ op: 'reminder', reminder: adminRow(saved.reminder) });
    for (const admin of this.adminSockets) admin.send(event);
  }
}

/** Prepares the clips, opens the database and starts serving; resolves once listening. */
export async function startCollector(settings: CollectorSettings, options: CollectorOptions = {}): Promise<RunningCollector> {
  checkSettings(settings);
  const consent = loadConsent(settings.consentFile);
  const files = loadStaticFiles(STATIC_DIRECTORY);
  const store = new ReminderStore(settings.database);
  let clips: ClipLibrary;
  try {
    clips = ClipLibrary.prepare(settings, store, options.progress);
  } catch (error) {
    store.close();
    throw error;
  }
  const adminToken = options.adminToken ?? newAdminToken();
  const collector = new Collector(settings, options, adminToken, consent, store, clips, files);
  const server = http.createServer((request, response) => {
    collector.handle(request, response).catch((error: unknown) => {
      if (!(error instanceof HttpError)) collector.log('warn', `${request.method ?? ''} ${request.url ?? ''} failed: ${(error as Error).stack ?? String(error)}`);
      sendError(response, error instanceof HttpError ? error.status : 500, error instanceof HttpError ? error.message : 'internal error (logged on the server)');
    });
  });
  server.headersTimeout = 20000;
  server.requestTimeout = 60000;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (request, socket, head) => collector.upgrade(request, socket, head, wss));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => {
      store.close();
      reject(new Error(`cannot listen on ${settings.host}:${settings.port}: ${error.message}`));
    });
    server.listen(settings.port, settings.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  collector.origins = allowedOrigins(settings.host, port, settings.extraOrigins);
  const shown = settings.host === '0.0.0.0' || settings.host === '::' ? '127.0.0.1' : settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  const url = `http://${shown}:${port}/`;
  return {
    url,
    adminUrl: `${url}admin?token=${adminToken}`,
    adminToken,
    port,
    store,
    clips,
    async close() {
      for (const ws of [...collector.sockets, ...collector.adminSockets]) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      store.close();
    },
  };
}
