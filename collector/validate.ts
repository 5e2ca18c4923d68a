/**
 * Checks of everything a volunteer's page sends, before anything is stored: types, lengths, id
 * shapes, finite numbers in range. Each failure names the field and says what was wrong.
 */
import { MAX_REMINDER_LENGTH } from './settings';

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export const SESSION_ID = /^[0-9a-f]{32}$/;
export const CLIP_ID = /^c[0-9a-f]{12}$/;
export const AUDIO_ID = /^a[0-9a-f]{24}$/;
const REQUEST_ID = /^[A-Za-z0-9-]{8,64}$/;
const VOLUNTEER_CODE = /^[A-Za-z0-9_-]{1,40}$/;
/** C0 controls but tab and newline, DEL, and lone surrogates have no place in a reminder. */
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** Longest time a volunteer may take over one answer before it is treated as bogus, ms. */
export const MAX_ANSWER_MS = 24 * 60 * 60 * 1000;

export interface SessionRequest {
  readonly consentVersion: string;
  /** A code the lab gave the volunteer, or null to draw a pseudonym. */
  readonly volunteer: string | null;
}

export interface Submission {
  readonly requestId: string;
  readonly session: string;
  readonly clip: string;
  readonly text: string;
  readonly audio: string | null;
  readonly click: { readonly u: number; readonly v: number };
  readonly answerMs: number;
}

const fail = <T>(error: string): Checked<T> => ({ ok: false, error });

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function idField(row: Record<string, unknown>, name: string, shape: RegExp, what: string): Checked<string> {
  const value = row[name];
  return typeof value === 'string' && shape.test(value) ? { ok: true, value } : fail(`${name} must be ${what}`);
}

/** The reminder's text: 1 to 500 characters (code points), no control characters. */
export function checkReminderText(value: unknown, field = 'text'): Checked<string> {
  if (typeof value !== 'string') return fail(`${field} must be a string`);
  const length = [...value].length;
  if (value.trim() === '') return fail(`${field} is empty: type or say a reminder first`);
  if (length > MAX_REMINDER_LENGTH) return fail(`${field} is ${length} characters long; the limit is ${MAX_REMINDER_LENGTH}`);
  if (FORBIDDEN_CHARACTERS.test(value)) return fail(`${field} contains control characters`);
  return { ok: true, value };
}

export function checkSessionRequest(body: unknown): Checked<SessionRequest> {
  if (!isRecord(body)) return fail('the request must be a JSON object');
  if (body['consent'] !== true) return fail('consent must be given (consent: true) before anything is recorded');
  const version = body['consentVersion'];
  if (typeof version !== 'string' || version.length === 0 || version.length > 64) return fail('consentVersion must be the version of the consent text shown');
  const volunteer = body['volunteer'];
  if (volunteer === undefined || volunteer === null || volunteer === '') return { ok: true, value: { consentVersion: version, volunteer: null } };
  if (typeof volunteer !== 'string' || !VOLUNTEER_CODE.test(volunteer)) {
    return fail('volunteer code must be 1 to 40 letters, digits, - or _ (no names or e-mail addresses)');
  }
  return { ok: true, value: { consentVersion: version, volunteer } };
}

/** A finite number in [min, max]. */
function numberIn(value: unknown, name: string, min: number, max: number): number | string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return `${name} must be a finite number`;
  if (value < min || value > max) return `${name} must be between ${min} and ${max}, got ${value}`;
  return value;
}

/**
 * A reminder submission. `image` is the size of the clip's still, which the click must fall on.
 */
export function checkSubmission(message: unknown, image: (clip: string) => { width: number; height: number } | undefined): Checked<Submission> {
  if (!isRecord(message)) return fail('the message must be a JSON object');
  const requestId = idField(message, 'requestId', REQUEST_ID, '8 to 64 letters, digits or -');
  if (!requestId.ok) return requestId;
  const session = idField(message, 'session', SESSION_ID, 'a session id');
  if (!session.ok) return session;
  const clip = idField(message, 'clip', CLIP_ID, 'a clip id');
  if (!clip.ok) return clip;
  const text = checkReminderText(message['text']);
  if (!text.ok) return text;
  const audioValue = message['audio'] ?? null;
  if (audioValue !== null && (typeof audioValue !== 'string' || !AUDIO_ID.test(audioValue))) return fail('audio must be an audio id or null');
  const size = image(clip.value);
  if (!size) return fail(`clip '${clip.value}' is not one of this collection's clips`);
  const click = message['click'];
  if (!isRecord(click)) return fail('click must be an object {u, v}: choose where the robot should look');
  const u = numberIn(click['u'], 'click.u', 0, size.width);
  const v = numberIn(click['v'], 'click.v', 0, size.height);
  const answerMs = numberIn(message['answerMs'], 'answerMs', 0, MAX_ANSWER_MS);
  for (const checked of [u, v, answerMs]) if (typeof checked === 'string') return fail(checked);
  return {
    ok: true,
    value: { requestId: requestId.value, session: session.value, clip: clip.value, text: text.value, audio: audioValue, click: { u: u as number, v: v as number }, answerMs: Math.round(answerMs as number) },
  };
}
