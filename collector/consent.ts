/**
 * The consent text volunteers agree to before anything is recorded. Its version is a hash of the
 * text, so a lab that edits it (--consent FILE) gets a new version on every session row at once.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';

export interface ConsentText {
  readonly version: string;
  readonly paragraphs: readonly string[];
}

export const DEFAULT_CONSENT = [
  'You will watch short clips of a simulated robot arm at work. In each clip the robot is about to make a mistake.',
  'After each clip, tell the robot what it should do instead, as you would tell a person: type it, or say it into your microphone. Then show where the robot should look by clicking or tapping the picture.',
  'We store what you type or say (including the sound recording, if you use the microphone), where you clicked, how long you took, the time and your browser\'s name. We do not ask for your name; you are known by a random code or a code the lab gave you.',
  'The recordings are used to train and test research software that helps robots understand reminders. You may stop at any time by closing this page; what you have sent until then is kept unless you ask the lab to delete it, quoting your code.',
].join('\n\n');

export function consentFrom(text: string): ConsentText {
  const paragraphs = text.split(/\n\s*\n/).map((p) => p.trim()).filter((p) => p !== '');
  if (paragraphs.length === 0) throw new Error('the consent text is empty');
  const version = `sha256:${createHash('sha256').update(paragraphs.join('\n\n')).digest('hex').slice(0, 16)}`;
  return { version, paragraphs };
}

/** The consent text of a file (paragraphs separated by blank lines), or the built-in one. */
export function loadConsent(file: string): ConsentText {
  if (file === '') return consentFrom(DEFAULT_CONSENT);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read consent file ${file}: ${(error as Error).message}`);
  }
  try {
    return consentFrom(text);
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
}
