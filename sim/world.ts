/**
 * The fixed world: table, robot, person, and the scene types built on sim/types.ts.
 * Everything here is plain data; no rendering and no graph.
 */
import type {
  Colour,
  ObjectKind,
  Region,
  RobotAction,
  Scenario,
  SceneObject,
  SpatialRelation,
  Vec3,
} from './types';
import { vec3 } from './vec';

/** Table top: centred on the origin, z = 0 is its surface. */
export const TABLE = { halfX: 0.45, halfY: 0.6, thickness: 0.04, floorZ: -0.74 } as const;
export const ROBOT_BASE: Vec3 = vec3(-0.55, 0, 0);
/** Height of the robot's shoulder joint above the table, and the arm's longest reach from it. */
export const ROBOT_SHOULDER_HEIGHT = 0.32;
export const ROBOT_REACH = 1.2;
export const ROBOT_HOME: Vec3 = vec3(-0.22, 0.36, 0.24);
export const DEFAULT_PERSON_POSITION: Vec3 = vec3(0.65, 0, 0);
/** Id of the person as an attendable entity ("hand it to me"). */
export const PERSON_ID = 'person';

/** Entities that are not scene objects but get their own ids in the instance mask. */
export const FIXED_ENTITY_IDS = ['table', 'conveyor', 'robot'] as const;

export interface Lighting {
  /** Overall gain, about 0.7..1.25. */
  readonly brightness: number;
  /** Multiplicative colour of the light, each channel about 0.85..1.15. */
  readonly tint: readonly [number, number, number];
  /** Unit vector pointing from the table towards the light. */
  readonly direction: Vec3;
}

export const DEFAULT_LIGHTING: Lighting = {
  brightness: 1,
  tint: [1, 1, 1],
  direction: vec3(-0.35, 0.3, 0.89),
};

/** A belt running along y at x = centreX; parts move with velocity `speed` (signed, m/s) along y. */
export interface Conveyor {
  readonly centreX: number;
  readonly width: number;
  /** Height of the belt surface above the table. */
  readonly height: number;
  /** Signed belt speed along +y. Parts leave the belt at y = sign(speed) * halfLength. */
  readonly speed: number;
  readonly halfLength: number;
}

export type Delivery = 'hand_over' | 'place';

export interface KitchenTask {
  readonly scenario: 'kitchen';
  /** The water source (pitcher or bottle). */
  readonly source: string;
  /** The person's cup: the one to fill and serve. */
  readonly cup: string;
  readonly delivery: Delivery;
  /** Where a placed cup must end (delivery 'place'); null for hand-over. */
  readonly goal: Region | null;
}

export interface FactoryTask {
  readonly scenario: 'factory';
  /** The defective gear to remove. */
  readonly defective: string;
  readonly rejectBin: string;
}

export interface TabletopTask {
  readonly scenario: 'tabletop';
  /** The block the person means. */
  readonly block: string;
  readonly delivery: Delivery;
  /** Where the block must be put (delivery 'place'); null for hand-over. */
  readonly goal: Region | null;
  /** How the person describes the goal, when by relation to another object. */
  readonly relation: { readonly relation: SpatialRelation; readonly reference: string } | null;
}

export type Task = KitchenTask | FactoryTask | TabletopTask;

/** What the robot is doing in a static scene (for grounding a reminder against a picture). */
export interface RobotSnapshot {
  readonly action: RobotAction;
  readonly target: string | null;
  readonly heldObject: string | null;
}

export interface Scene {
  readonly scenario: Scenario;
  readonly objects: readonly SceneObject[];
  readonly person: { readonly position: Vec3 };
  readonly robot: RobotSnapshot;
  readonly lighting: Lighting;
  readonly conveyor: Conveyor | null;
  /** What success means; null when the scene came without one (an episode then draws one). */
  readonly task: Task | null;
}

export function findObject(scene: Scene, id: string): SceneObject | undefined {
  return scene.objects.find((o) => o.id === id);
}

export const VESSEL_KINDS: readonly ObjectKind[] = ['cup', 'mug', 'glass', 'pitcher', 'bottle', 'bowl'];
export const DRINKING_KINDS: readonly ObjectKind[] = ['cup', 'mug', 'glass'];
export const SOURCE_KINDS: readonly ObjectKind[] = ['pitcher', 'bottle'];
export const isVessel = (kind: ObjectKind): boolean => VESSEL_KINDS.includes(kind);
export const isDrinkingVessel = (kind: ObjectKind): boolean => DRINKING_KINDS.includes(kind);
export const isSource = (kind: ObjectKind): boolean => SOURCE_KINDS.includes(kind);

/** Radius of an object's circular footprint (or half the diagonal of a box). */
export function footprintRadius(o: Pick<SceneObject, 'kind' | 'size'>): number {
  if (o.kind === 'bin' || o.kind === 'block') return 0.5 * Math.hypot(o.size[0], o.size[1]);
  return 0.5 * Math.max(o.size[0], o.size[1]);
}

/** Inner radius of a vessel's opening (where poured water goes in). */
export function openingRadius(o: Pick<SceneObject, 'kind' | 'size'>): number {
  const r = 0.5 * Math.min(o.size[0], o.size[1]);
  if (o.kind === 'bottle') return 0.012;
  return r - 0.004;
}

/** Water a vessel holds when full, litres (a cylinder of the inner radius and height). */
export function capacityLitres(o: Pick<SceneObject, 'kind' | 'size'>): number {
  const r = openingRadius(o);
  const h = o.size[2];
  const bodyR = o.kind === 'bottle' ? 0.5 * Math.min(o.size[0], o.size[1]) - 0.003 : r;
  return Math.PI * bodyR * bodyR * (h - 0.006) * 1000;
}

/** Mass of an empty object, kg: thin-walled vessels, solid blocks and gears. */
export function emptyMass(o: Pick<SceneObject, 'kind' | 'size'>): number {
  const [sx, sy, sz] = o.size;
  switch (o.kind) {
    case 'block':
      return sx * sy * sz * 700; // wood
    case 'gear':
      return Math.PI * 0.25 * sx * sy * sz * 2700 * 0.8; // aluminium, holes and teeth
    case 'pitcher':
    case 'bottle':
      return 0.25;
    case 'glass':
      return 0.2;
    default:
      return 0.12 + sx * sy * sz * 60;
  }
}

export const ACTIONS: readonly RobotAction[] = [
  'idle', 'reach', 'grasp', 'lift', 'transport', 'pour', 'place', 'hand_over', 'drop', 'release', 'retreat', 'done',
];

/** Colour words that name a drawable colour, used for hue checks and the palette. */
export const CHROMATIC_COLOURS: readonly Colour[] = ['red', 'orange', 'yellow', 'green', 'blue', 'purple', 'pink'];
