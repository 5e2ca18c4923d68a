/**
 * Label sets of the language network's heads, in output order. Changing one changes the model's
 * output size: the saved vocab.json records them so a model never reads another's outputs.
 */
import { RELATION_TYPES, SLOT_TAGS, type Meaning, type RelationType, type SlotTag } from '../../semantics/meaning';
import { MISTAKE_TYPES, type GraspMode, type MistakeType, type RobotAction } from '../../sim/types';

export const TAG_LABELS: readonly SlotTag[] = SLOT_TAGS;
export const MISTAKE_LABELS: readonly MistakeType[] = MISTAKE_TYPES;
export const ACTION_LABELS: readonly (RobotAction | 'none')[] = [
  'none', 'reach', 'grasp', 'lift', 'transport', 'pour', 'place', 'hand_over', 'drop', 'release', 'retreat', 'idle', 'done',
];
export const GRASP_LABELS: readonly (GraspMode | 'none')[] = ['none', 'side', 'centre', 'rim', 'tilted', 'off_centre'];
export const RELATION_LABELS: readonly (RelationType | 'none')[] = ['none', ...RELATION_TYPES];
/** Urgency is learnt as three levels: calm, concerned, alarmed. */
export const URGENCY_LEVELS: readonly number[] = [0, 0.5, 1];

export function urgencyLevel(urgency: number): number {
  return urgency < 0.25 ? 0 : urgency < 0.75 ? 1 : 2;
}

/** Sentence-level class indices of a gold Meaning. */
export interface SentenceLabels {
  readonly mistake: number;
  readonly stop: number;
  readonly urgency: number;
  readonly avoidCurrent: number;
  readonly action: number;
  readonly grasp: number;
  readonly relation: number;
}

function indexOf<T>(labels: readonly T[], value: T, what: string): number {
  const i = labels.indexOf(value);
  if (i < 0) throw new Error(`unknown ${what} "${String(value)}"`);
  return i;
}

export function sentenceLabels(meaning: Meaning): SentenceLabels {
  return {
    mistake: indexOf(MISTAKE_LABELS, meaning.mistake, 'mistake type'),
    stop: meaning.stop ? 1 : 0,
    urgency: urgencyLevel(meaning.urgency),
    avoidCurrent: meaning.avoidCurrent ? 1 : 0,
    action: indexOf(ACTION_LABELS, meaning.action ?? 'none', 'action'),
    grasp: indexOf(GRASP_LABELS, meaning.grasp ?? 'none', 'grasp'),
    relation: indexOf(RELATION_LABELS, meaning.relation?.type ?? 'none', 'relation type'),
  };
}
