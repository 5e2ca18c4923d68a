/**
 * What a reminder means, as a structure both stages agree on.
 *
 * The corpus generator produces a Meaning from an episode's ground truth and realises it as words;
 * the reminder parser recovers a Meaning from words (its language attention); the visual stage
 * executes a Meaning against the objects it perceives in the camera image. Keeping one type for all
 * three is what lets the stages be trained apart and stacked.
 */
import type { GraspMode, MistakeType, ObjectKind, ObjectState, RobotAction, SizeClass } from '../sim/types';

/** Slot tags, one per token. REFERENCE covers every word of a relation's reference object,
 *  AVOID every word of a description the person rules out ("not the RED one"). */
export type SlotTag =
  | 'O'
  | 'OBJECT'
  | 'COLOUR'
  | 'ATTRIBUTE'
  | 'LOCATION'
  | 'RELATION'
  | 'REFERENCE'
  | 'ACTION'
  | 'NEGATION'
  | 'AVOID';
export const SLOT_TAGS: readonly SlotTag[] = [
  'O', 'OBJECT', 'COLOUR', 'ATTRIBUTE', 'LOCATION', 'RELATION', 'REFERENCE', 'ACTION', 'NEGATION', 'AVOID',
];

/** Kinds as a person names them; `thing` means "one"/"it"/"that" with no kind said. */
export type DescribedKind = ObjectKind | 'robot' | 'table' | 'conveyor';

/** A description of one object; absent fields were not said. */
export interface Description {
  readonly kind?: DescribedKind;
  readonly colour?: string;
  readonly size?: Exclude<SizeClass, 'medium'>;
  readonly state?: Exclude<ObjectState, 'none'>;
  /** "the two blue blocks": how many objects the description stands for (references only). */
  readonly count?: number;
}

/** Whose frame left/right/front/back are meant in. `speaker` is the person, `robot` the robot;
 *  null when the person did not say (the visual stage then uses the speaker's frame). */
export type ViewpointWord = 'speaker' | 'robot' | null;

/** Places named without a reference object: a superlative or zone among the candidates. */
export type LocationTerm =
  | 'left'
  | 'right'
  | 'front' // nearest the viewer
  | 'back' // farthest from the viewer
  | 'middle' // nearest the centre of all objects
  | 'alone'; // farthest from every other object

export interface Location {
  readonly term: LocationTerm;
  readonly viewpoint: ViewpointWord;
}

export type RelationType =
  | 'left_of'
  | 'right_of'
  | 'in_front_of'
  | 'behind'
  | 'next_to'
  | 'between'
  | 'closest_to'
  | 'farthest_from'
  | 'surrounded_by'
  | 'in';
export const RELATION_TYPES: readonly RelationType[] = [
  'left_of', 'right_of', 'in_front_of', 'behind', 'next_to', 'between', 'closest_to', 'farthest_from',
  'surrounded_by', 'in',
];

export interface Relation {
  readonly type: RelationType;
  /** The reference object; kind `person` for "me", `robot` for "you". */
  readonly reference: Description;
  /** The second reference of `between`. */
  readonly reference2?: Description;
  readonly viewpoint: ViewpointWord;
}

export interface Meaning {
  readonly mistake: MistakeType;
  /** "stop", "wait": halt now, before anything else is understood. */
  readonly stop: boolean;
  /** 0 calm .. 1 alarmed. */
  readonly urgency: number;
  /** What the robot should attend to; empty when only ruled out ("not that one"). */
  readonly target: Description;
  /** A description the person rules out ("not the red one"). */
  readonly avoid: Description | null;
  /** The person rules out what the robot is acting on now ("not that one", "wrong cup"). */
  readonly avoidCurrent: boolean;
  readonly locations: readonly Location[];
  readonly relation: Relation | null;
  /** 2 for "the second from the left"; 0 when not said. Applies to the first location. */
  readonly ordinal: number;
  /** The action the person asks for (wrong_action), else null. */
  readonly action: RobotAction | null;
  /** The grasp the person asks for (wrong_pose), else null. */
  readonly grasp: GraspMode | null;
}

export const EMPTY_MEANING: Meaning = {
  mistake: 'none',
  stop: false,
  urgency: 0,
  target: {},
  avoid: null,
  avoidCurrent: false,
  locations: [],
  relation: null,
  ordinal: 0,
  action: null,
  grasp: null,
};

export function isEmptyDescription(description: Description): boolean {
  return (
    description.kind === undefined &&
    description.colour === undefined &&
    description.size === undefined &&
    description.state === undefined
  );
}
