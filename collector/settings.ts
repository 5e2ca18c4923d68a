/**
 * What a collection session is set up with, shared by `h2r collect` and the reminder_collector
 * node: one place for the defaults and one check that names the setting that is wrong.
 */
import { MISTAKE_TYPES, SCENARIOS, type MistakeType, type Scenario } from '../sim/types';

export interface CollectorSettings {
  /** SQLite file; audio and rendered clips go into directories beside it. */
  readonly database: string;
  /** Address to bind; 127.0.0.1 keeps the page on this machine. */
  readonly host: string;
  /** TCP port; 0 takes any free one. */
  readonly port: number;
  readonly scenarios: readonly Scenario[];
  /** Mistakes the clips show ('none' makes no sense for a reminder). */
  readonly mistakes: readonly Exclude<MistakeType, 'none'>[];
  readonly firstSeed: number;
  /** Seeds per scenario and mistake: the clip plan has scenarios x mistakes x seeds clips. */
  readonly seeds: number;
  /** Frames per second of sim time in a clip. */
  readonly fps: number;
  /** Largest audio upload accepted, bytes. */
  readonly maxUploadBytes: number;
  /** Origins besides the server's own that may open the page's WebSocket (a reverse proxy). */
  readonly extraOrigins: readonly string[];
  /** File with the consent text shown to volunteers; empty for the built-in text. */
  readonly consentFile: string;
}

export const MAX_REMINDER_LENGTH = 500;

export const DEFAULT_SETTINGS: CollectorSettings = {
  database: 'out/collector/reminders.db',
  host: '127.0.0.1',
  port: 8088,
  scenarios: SCENARIOS,
  mistakes: MISTAKE_TYPES.filter((m): m is Exclude<MistakeType, 'none'> => m !== 'none'),
  firstSeed: 0,
  seeds: 1,
  fps: 10,
  maxUploadBytes: 2 * 1024 * 1024,
  extraOrigins: [],
  consentFile: '',
};

/** The limits each numeric setting is checked against (also the node's parameter ranges). */
export const SETTING_RANGES = {
  port: { from: 0, to: 65535 },
  firstSeed: { from: 0, to: 2147483647 },
  seeds: { from: 1, to: 1000 },
  fps: { from: 2, to: 30 },
  maxUploadBytes: { from: 1024, to: 64 * 1024 * 1024 },
} as const;

/** Splits 'kitchen, factory' into known words; the error names the setting and the bad word. */
export function parseList<T extends string>(setting: string, text: string, known: readonly T[]): T[] {
  const words = text.split(',').map((w) => w.trim()).filter((w) => w !== '');
  if (words.length === 0) throw new Error(`${setting} is empty; give one or more of ${known.join(', ')}`);
  for (const word of words) {
    if (!(known as readonly string[]).includes(word)) throw new Error(`${setting}: '${word}' is not one of ${known.join(', ')}`);
  }
  return [...new Set(words)] as T[];
}

export function parseOrigin(setting: string, text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`${setting}: '${text}' is not an origin like http://192.168.1.20:8088`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    throw new Error(`${setting}: '${text}' is not an origin like http://192.168.1.20:8088 (scheme, host and port only)`);
  }
  return url.origin;
}

/** Throws, naming the setting, when a value is out of its range. */
export function checkSettings(settings: CollectorSettings): CollectorSettings {
  for (const [name, range] of Object.entries(SETTING_RANGES)) {
    const value = settings[name as keyof typeof SETTING_RANGES];
    if (!Number.isInteger(value) || value < range.from || value > range.to) {
      throw new Error(`${name} must be a whole number from ${range.from} to ${range.to}, got ${String(value)}`);
    }
  }
  if (settings.database.trim() === '') throw new Error('database must name a file');
  if (settings.host.trim() === '') throw new Error('host must name an address to bind');
  if (settings.scenarios.length === 0) throw new Error('scenarios is empty');
  if (settings.mistakes.length === 0) throw new Error('mistakes is empty');
  return settings;
}
