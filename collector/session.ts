/**
 * Starting a collection session from the outside (h2r collect, the reminder_collector node): the
 * settings from words and numbers, the speech recogniser if there is one, and the lines that tell
 * whoever runs the session where the page and the admin view are.
 */
import { MISTAKE_TYPES, SCENARIOS, type MistakeType } from '../sim/types';
import type { Transcriber } from './audio';
import { SpeechUnavailableError } from '../speech/pocketsphinx';
import { openWavTranscriber } from '../speech/transcriber';
import { startCollector, type CollectorOptions, type RunningCollector } from './server';
import { checkSettings, parseList, parseOrigin, type CollectorSettings } from './settings';

/** Settings as the CLI and the node have them: lists as comma-separated words. */
export interface SettingsInput {
  readonly database: string;
  readonly host: string;
  readonly port: number;
  readonly scenarios: string;
  readonly mistakes: string;
  readonly firstSeed: number;
  readonly seeds: number;
  readonly fps: number;
  readonly maxUploadBytes: number;
  readonly origins: string;
  readonly consentFile: string;
}

export function settingsFrom(input: SettingsInput): CollectorSettings {
  const mistakeChoices = MISTAKE_TYPES.filter((m): m is Exclude<MistakeType, 'none'> => m !== 'none');
  return checkSettings({
    database: input.database,
    host: input.host,
    port: input.port,
    scenarios: parseList('scenarios', input.scenarios, SCENARIOS),
    mistakes: parseList('mistakes', input.mistakes, mistakeChoices),
    firstSeed: input.firstSeed,
    seeds: input.seeds,
    fps: input.fps,
    maxUploadBytes: input.maxUploadBytes,
    extraOrigins: input.origins.split(',').map((o) => o.trim()).filter((o) => o !== '').map((o) => parseOrigin('origins', o)),
    consentFile: input.consentFile,
  });
}

/**
 * The speech recogniser for spoken reminders (speech/transcriber.ts); none when pocketsphinx is
 * not installed, and the page then says so and asks for typing.
 */
export function availableTranscriber(): Transcriber | null {
  try {
    return openWavTranscriber();
  } catch (error) {
    if (error instanceof SpeechUnavailableError) return null;
    throw error;
  }
}

/** Starts the server and returns it with the lines to print for the person running the session. */
export async function openCollection(settings: CollectorSettings, options: CollectorOptions): Promise<{ collector: RunningCollector; banner: string[] }> {
  const transcriber = options.transcriber ?? availableTranscriber();
  const collector = await startCollector(settings, { ...options, transcriber });
  const banner = [
    `reminder collection: ${collector.clips.ids().length} clips, database ${settings.database}`,
    `volunteer page: ${collector.url}`,
    `admin view (keep this private): ${collector.adminUrl}`,
    `speech recognition: ${transcriber ? 'on' : 'not available (volunteers type their reminders)'}`,
  ];
  return { collector, banner };
}
