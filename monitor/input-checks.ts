/**
 * Checks on what reaches the monitor beyond the message definitions: values a well-typed message
 * can still get wrong. Each returns a reason to drop the message, or null.
 */
import type { ExecutionState, LanguageAttention, VisualAttention } from '../graph/messages';
import { MISTAKE_TYPES } from '../sim/types';

const finite01 = (value: number) => Number.isFinite(value) && value >= 0 && value <= 1;

function stampProblem(stamp: { sec: number; nanosec: number }): string | null {
  return stamp.sec === 0 && stamp.nanosec === 0 ? 'its stamp is zero, so it cannot be matched or ordered' : null;
}

export function languageAttentionProblem(message: LanguageAttention): string | null {
  if (!(MISTAKE_TYPES as readonly string[]).includes(message.mistake_type)) {
    return `mistake_type "${message.mistake_type}" is not one of ${MISTAKE_TYPES.join(', ')}`;
  }
  if (!finite01(message.confidence)) return `confidence ${message.confidence} is not within 0..1`;
  if (!finite01(message.mistake_confidence)) return `mistake_confidence ${message.mistake_confidence} is not within 0..1`;
  if (message.tags.length !== message.tokens.length) {
    return `${message.tokens.length} tokens but ${message.tags.length} tags`;
  }
  if (message.words.length !== 0 && message.words.length !== message.tokens.length) {
    return `${message.tokens.length} tokens but ${message.words.length} words`;
  }
  return stampProblem(message.header.stamp);
}

export function visualAttentionProblem(message: VisualAttention): string | null {
  if (!finite01(message.confidence)) return `confidence ${message.confidence} is not within 0..1`;
  const { x, y, z } = message.attended_point;
  if (![x, y, z].every(Number.isFinite)) return 'attended_point is not finite';
  return stampProblem(message.reminder_stamp);
}

export function executionStateProblem(message: ExecutionState): string | null {
  if (!message.episode_id) return 'episode_id is empty';
  if (!Number.isFinite(message.progress)) return `progress ${message.progress} is not finite`;
  return null;
}
