/**
 * What the operator console says and accepts, free of any graph: checking a typed reminder, and
 * turning episode events, monitor questions and corrections into short lines for a person.
 */
import type { MessageOf, Time } from '../graph/api';
import { Correction as CorrectionKind } from '../graph/messages';

export type Reminder = MessageOf<'h2r_interfaces/msg/Reminder'>;
export type EpisodeEvent = MessageOf<'h2r_interfaces/msg/EpisodeEvent'>;
export type Correction = MessageOf<'h2r_interfaces/msg/Correction'>;

export type TypedLineVerdict =
  | { readonly accepted: true; readonly text: string }
  | { readonly accepted: false; readonly reason: string };

// Tab is allowed (it becomes a space); other C0/C1 controls come from stray key presses.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/u;

/** Accepts a typed line as a reminder, or says to the person why not. Length counts characters. */
export function checkTypedLine(line: string, maxLength: number): TypedLineVerdict {
  const text = line.replace(/\t/g, ' ').trim();
  if (text === '') {
    return { accepted: false, reason: 'empty line ignored: type what the robot should do, e.g. "no, the blue cup on your left"' };
  }
  if (CONTROL_CHARACTERS.test(text)) {
    return { accepted: false, reason: 'line ignored: it contains control characters (arrow or function keys?); type it again' };
  }
  const length = [...text].length;
  if (length > maxLength) {
    return { accepted: false, reason: `line ignored: ${length} characters, the limit is ${maxLength} (parameter max_length)` };
  }
  return { accepted: true, text };
}

export function typedReminder(text: string, stamp: Time, speaker: string): Reminder {
  return { header: { stamp, frame_id: '' }, text, source: 'typed', speaker, word_confidences: [] };
}

const MAX_SHOWN = 160;

/** Message text made safe for a terminal: no control sequences, one line, bounded length. */
export function printable(text: string): string {
  const flattened = text.replace(/[\u0000-\u001f\u007f-\u009f]+/gu, ' ').trim();
  const characters = [...flattened];
  return characters.length > MAX_SHOWN ? `${characters.slice(0, MAX_SHOWN - 3).join('')}...` : flattened;
}

/** "episode kitchen-3: failed (spill) - the cup tipped over". The ground truth is never shown. */
export function describeEpisodeEvent(event: EpisodeEvent): string {
  const failure = event.failure === '' ? '' : ` (${printable(event.failure)})`;
  const detail = event.detail === '' ? '' : ` - ${printable(event.detail)}`;
  return `episode ${printable(event.episode_id)}: ${printable(event.event)}${failure}${detail}`;
}

export function describeQuestion(question: string): string {
  return `robot asks: ${printable(question)}`;
}

/** "correction: retarget to cup_blue (the person meant the blue cup)" */
export function describeCorrection(correction: Correction): string {
  const { x, y, z } = correction.point;
  const reason = correction.reason === '' ? '' : ` (${printable(correction.reason)})`;
  return `correction: ${describeCorrectionKind(correction, `(${x.toFixed(2)}, ${y.toFixed(2)}, ${z.toFixed(2)})`)}${reason}`;
}

function describeCorrectionKind(correction: Correction, point: string): string {
  switch (correction.kind) {
    case CorrectionKind.RETARGET:
      return `retarget to ${printable(correction.target_object)}`;
    case CorrectionKind.MOVE_REGION:
      return `move to ${point} within ${correction.radius.toFixed(2)} m`;
    case CorrectionKind.ADJUST_POSE:
      return `grasp ${printable(correction.grasp)}`;
    case CorrectionKind.CHANGE_ACTION:
      return `change action to ${printable(correction.action)}`;
    case CorrectionKind.HALT:
      return 'halt';
    case CorrectionKind.RESUME:
      return 'resume';
    default:
      return `unknown kind ${correction.kind}`;
  }
}
