/**
 * The simulator's public vocabulary: scenes, objects, mistakes and their ground truth.
 *
 * World frame (metres): origin at the centre of the table top; +x points from the robot towards
 * the person seated across the table; +y points to the robot's left (the person's right); +z up.
 * The robot's base stands at x = -0.55, the person sits at x = +0.65, both on y = 0, facing each
 * other. "Left"/"right" therefore depend on whose view is meant: the robot's left is +y, the
 * person's left is -y.
 */

export type Scenario = 'kitchen' | 'factory' | 'tabletop';
export const SCENARIOS: readonly Scenario[] = ['kitchen', 'factory', 'tabletop'];

export type ObjectKind =
  | 'cup'
  | 'mug'
  | 'glass'
  | 'pitcher'
  | 'bottle'
  | 'bowl'
  | 'plate'
  | 'gear'
  | 'bin'
  | 'block'
  | 'person';
export const OBJECT_KINDS: readonly ObjectKind[] = [
  'cup', 'mug', 'glass', 'pitcher', 'bottle', 'bowl', 'plate', 'gear', 'bin', 'block', 'person',
];

export type Colour =
  | 'red'
  | 'orange'
  | 'yellow'
  | 'green'
  | 'blue'
  | 'purple'
  | 'pink'
  | 'white'
  | 'black'
  | 'grey'
  | 'brown';
export const COLOURS: readonly Colour[] = [
  'red', 'orange', 'yellow', 'green', 'blue', 'purple', 'pink', 'white', 'black', 'grey', 'brown',
];

/** empty/full for vessels, good/defective for gears; 'none' for everything else. */
export type ObjectState = 'none' | 'empty' | 'full' | 'good' | 'defective';

export type SizeClass = 'small' | 'medium' | 'big';

export interface Vec3 {
  readonly x: number;
  readonly y: number;
  readonly z: number;
}

export interface SceneObject {
  readonly id: string;
  readonly kind: ObjectKind;
  readonly colour: Colour;
  readonly state: ObjectState;
  /** Footprint and height in metres: [size along x, size along y, height]. */
  readonly size: readonly [number, number, number];
  readonly sizeClass: SizeClass;
  /** Centre of the object's base on the table, world frame. */
  readonly position: Vec3;
  /** Rotation about +z, radians. */
  readonly yaw: number;
}

export type MistakeType =
  | 'none'
  | 'wrong_object'
  | 'wrong_action'
  | 'wrong_region'
  | 'wrong_pose'
  | 'wrong_relation';
export const MISTAKE_TYPES: readonly MistakeType[] = [
  'none', 'wrong_object', 'wrong_action', 'wrong_region', 'wrong_pose', 'wrong_relation',
];

export type RobotAction =
  | 'idle'
  | 'reach'
  | 'grasp'
  | 'lift'
  | 'transport'
  | 'pour'
  | 'place'
  | 'hand_over'
  | 'drop'
  | 'release'
  | 'retreat'
  | 'done';

export type GraspMode = 'side' | 'centre' | 'rim' | 'tilted' | 'off_centre';

export type SpatialRelation =
  | 'left_of'
  | 'right_of'
  | 'in_front_of'
  | 'behind'
  | 'next_to'
  | 'between'
  | 'in'
  | 'on'
  | 'closest_to'
  | 'farthest_from';

/** Whose frame a left/right/front/behind is meant in. */
export type Viewpoint = 'speaker' | 'robot';

export type FailureKind =
  | 'spill'
  | 'drop'
  | 'wrong_object_delivered'
  | 'not_delivered'
  | 'out_of_reach'
  | 'defective_left'
  | 'good_part_rejected'
  | 'wrong_bin';

export interface Region {
  readonly centre: Vec3;
  readonly radius: number;
}

/** The correction that saves an episode, in the simulator's own terms. */
export type CorrectionSpec =
  | { readonly kind: 'retarget'; readonly targetObject: string }
  | { readonly kind: 'move_region'; readonly region: Region }
  | { readonly kind: 'adjust_pose'; readonly grasp: GraspMode }
  | { readonly kind: 'change_action'; readonly action: RobotAction }
  | { readonly kind: 'halt' };

/** Ground truth of an episode's injected mistake (type 'none' for a normal episode). */
export interface MistakeTruth {
  readonly type: MistakeType;
  /** What the robot does wrong, in words, for logs and people. */
  readonly description: string;
  /** The object the robot wrongly acts on (the wrong cup, the good gear); null when none. */
  readonly wrongObject: string | null;
  /** The object the person would point at; null for a pure region. */
  readonly target: string | null;
  /** The region the person means (wrong_region, wrong_relation); null when the target is an object. */
  readonly region: Region | null;
  /** For wrong_relation: the relation the person asks for and its reference object. */
  readonly relation: SpatialRelation | null;
  readonly referenceObject: string | null;
  /** The action the person wants (wrong_action), else null. */
  readonly correctAction: RobotAction | null;
  /** The grasp the person wants (wrong_pose), else null. */
  readonly correctGrasp: GraspMode | null;
  /** The correction that makes the episode succeed. */
  readonly correction: CorrectionSpec | null;
  /** What happens when nobody intervenes. */
  readonly failure: FailureKind | null;
}
