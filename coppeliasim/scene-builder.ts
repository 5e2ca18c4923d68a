/**
 * Plans a CoppeliaSim scene from the built-in simulator's scene objects (sim/types.ts), as a list of
 * remote API calls, and builds it. The plan is pure data; `buildScene` runs it.
 *
 * Frame: everything hangs under a dummy `/h2r` whose frame IS the simulator's world frame (origin
 * at the centre of the table top, +x towards the person, +y the robot's left, +z up, metres). The
 * dummy stands `tableHeight` above CoppeliaSim's floor so the table does not sink through it.
 * Every scene object is a static primitive shape aliased by its id, so its path is `/h2r/<id>`.
 */
import type { Colour, ObjectKind, SceneObject, Vec3 } from '../sim/types';
import { eulerXYZFromRotation, lookAtRotation, type Vec3Tuple } from './geometry';
import { call, executePlan, HandleRef, type PlanStep } from './scene-plan';
import { visionSensorArgs, WORLD, type CoppeliaSimApi, type VisionSensorSpec } from './sim-api';
import { shapeSteps, standInArmSteps, WORLD_LAYOUT, type ShapeSpec } from './scene-parts';
import { cameraSpecFor } from './camera-match';
import { makeCamera } from '../sim/camera';

export const ROOT_ALIAS = 'h2r';

/** Colours as shape colours (ambient/diffuse, 0..1). */
export const COLOUR_RGB: Readonly<Record<Colour, Vec3Tuple>> = {
  red: [0.85, 0.13, 0.13],
  orange: [0.95, 0.52, 0.1],
  yellow: [0.95, 0.85, 0.15],
  green: [0.18, 0.68, 0.24],
  blue: [0.14, 0.34, 0.86],
  purple: [0.55, 0.24, 0.7],
  pink: [0.96, 0.55, 0.72],
  white: [0.95, 0.95, 0.95],
  black: [0.08, 0.08, 0.08],
  grey: [0.5, 0.5, 0.5],
  brown: [0.5, 0.32, 0.15],
};

/** A belt along y at x = centreX (structurally the built-in simulator's Conveyor). */
export interface ConveyorSpec {
  readonly centreX: number;
  readonly width: number;
  /** Height of the belt surface above the table. */
  readonly height: number;
  readonly halfLength: number;
}

/** What the builder needs of a scene; the built-in simulator's Scene has this shape. */
export interface SceneBuildInput {
  readonly objects: readonly SceneObject[];
  readonly person: { readonly position: Vec3 };
  readonly conveyor?: ConveyorSpec | null;
}

export interface CameraSpec extends VisionSensorSpec {
  /** Where the camera is and what it looks at, simulator world frame. */
  readonly eye: Vec3Tuple;
  readonly target: Vec3Tuple;
}

/** The built-in simulator's default camera at 480x360 (sim/camera.ts). */
export const DEFAULT_CAMERA: CameraSpec = cameraSpecFor(makeCamera({ width: 480, height: 360 }));

export interface SceneBuildOptions {
  readonly camera?: CameraSpec;
  /** Height of the table top above CoppeliaSim's floor, m. */
  readonly tableHeight?: number;
  /** Folder holding CoppeliaSim's models, as sim.loadModel resolves it. */
  readonly modelDirectory?: string;
  /** Load UR5 + RG2 (falls back to the stand-in arm when they cannot be loaded), or always use the stand-in. */
  readonly arm?: 'ur5' | 'stand-in';
}

export const UR5_MODEL = 'robots/non-mobile/UR5.ttm';
export const RG2_MODEL = 'components/grippers/RG2.ttm';
export const UR5_JOINT_COUNT = 6;

/** A scene object as planned: where its main shape goes, and under which handle name. */
export interface PlannedObject {
  readonly id: string;
  readonly kind: ObjectKind;
  readonly alias: string;
  /** Full CoppeliaSim path of the main shape. */
  readonly path: string;
  /** Name the main shape's handle is bound to in the plan. */
  readonly handle: string;
  /** Centre of the main shape in the simulator world frame (a base position plus half a height). */
  readonly centre: Vec3Tuple;
  readonly rgb: Vec3Tuple;
}

export interface ScenePlan {
  readonly steps: readonly PlanStep[];
  readonly objects: readonly PlannedObject[];
  readonly camera: CameraSpec;
}

/** CoppeliaSim aliases take letters, digits and underscores; anything else becomes `_`. */
export function aliasFor(id: string): string {
  const alias = id.replace(/[^A-Za-z0-9_]/g, '_');
  return alias === '' ? '_' : alias;
}

const ROOT = new HandleRef(ROOT_ALIAS);
/** Aliases under the root that belong to fixed parts, not scene objects. */
const FIXED_ALIASES = ['table', 'conveyor', 'robot', 'camera'] as const;
/** The person as an attendable entity, when the scene lists no object of kind 'person'. */
export const PERSON_ALIAS = 'person';

const CYLINDER_KINDS: readonly ObjectKind[] = ['cup', 'mug', 'glass', 'pitcher', 'bottle', 'bowl', 'plate', 'gear'];
const GEAR_TEETH = 10;
const GEAR_BODY_FRACTION = 0.82;
const BIN_WALL = 0.006;
const PERSON_TORSO: Vec3Tuple = [0.36, 0.36, 0.55];
const PERSON_TORSO_BOTTOM = -0.25;
const PERSON_HEAD = 0.2;
const PERSON_RGB: Vec3Tuple = [0.8, 0.62, 0.5];

function gearSteps(o: SceneObject, main: ShapeSpec): PlanStep[] {
  const [d, , h] = o.size;
  const bodyRadius = (GEAR_BODY_FRACTION * d) / 2;
  const outer = d / 2;
  const overlap = 0.02 * d;
  const radial = outer - bodyRadius + overlap;
  const centreRadius = outer - radial / 2;
  const width = (Math.PI * bodyRadius) / GEAR_TEETH;
  const parent = new HandleRef(main.bind);
  const steps = shapeSteps({ ...main, size: [GEAR_BODY_FRACTION * d, GEAR_BODY_FRACTION * d, h] });
  // A defective gear lacks tooth 0, the one on its local +x.
  for (let i = o.state === 'defective' ? 1 : 0; i < GEAR_TEETH; i++) {
    const angle = (2 * Math.PI * i) / GEAR_TEETH;
    steps.push(...shapeSteps({
      bind: `${main.bind}/tooth_${i}`, alias: `tooth_${i}`, shape: 'cuboid', size: [radial, width, h], parent,
      position: [centreRadius * Math.cos(angle), centreRadius * Math.sin(angle), 0], orientation: [0, 0, angle],
      rgb: main.rgb, subject: main.subject,
    }));
  }
  return steps;
}

function binSteps(o: SceneObject, main: ShapeSpec): PlanStep[] {
  const [sx, sy, h] = o.size;
  const parent = new HandleRef(main.bind);
  const wallZ = h / 2 - BIN_WALL / 2;
  const walls: readonly [string, Vec3Tuple, Vec3Tuple][] = [
    ['wall_px', [BIN_WALL, sy, h], [sx / 2 - BIN_WALL / 2, 0, wallZ]],
    ['wall_nx', [BIN_WALL, sy, h], [-sx / 2 + BIN_WALL / 2, 0, wallZ]],
    ['wall_py', [sx - 2 * BIN_WALL, BIN_WALL, h], [0, sy / 2 - BIN_WALL / 2, wallZ]],
    ['wall_ny', [sx - 2 * BIN_WALL, BIN_WALL, h], [0, -sy / 2 + BIN_WALL / 2, wallZ]],
  ];
  return [
    ...shapeSteps({ ...main, size: [sx, sy, BIN_WALL] }),
    ...walls.flatMap(([alias, size, position]) =>
      shapeSteps({ bind: `${main.bind}/${alias}`, alias, shape: 'cuboid', size, parent, position, rgb: main.rgb, subject: main.subject })),
  ];
}

/**
 * Where an object's main shape is centred, simulator frame: a bin by its floor plate, a person by
 * the torso (which reaches below the table top), everything else by its middle.
 */
export function shapeCentre(o: Pick<SceneObject, 'kind' | 'size' | 'position'>): Vec3Tuple {
  if (o.kind === 'person') return personCentre(o.position);
  const lift = o.kind === 'bin' ? BIN_WALL / 2 : o.size[2] / 2;
  return [o.position.x, o.position.y, o.position.z + lift];
}

function personSteps(alias: string, base: Vec3, subject: string): PlanStep[] {
  const [, , height] = PERSON_TORSO;
  return [
    ...shapeSteps({
      bind: alias, alias, shape: 'cylinder', size: PERSON_TORSO, parent: ROOT,
      position: personCentre(base), rgb: PERSON_RGB, subject,
    }),
    ...shapeSteps({
      bind: `${alias}/head`, alias: 'head', shape: 'spheroid', size: [PERSON_HEAD, PERSON_HEAD, PERSON_HEAD * 1.15],
      parent: new HandleRef(alias), position: [0, 0, height / 2 + PERSON_HEAD * 0.62], rgb: PERSON_RGB, subject,
    }),
  ];
}

const personCentre = (base: Vec3): Vec3Tuple => [base.x, base.y, base.z + PERSON_TORSO_BOTTOM + PERSON_TORSO[2] / 2];

function objectPlan(o: SceneObject): { planned: PlannedObject; steps: PlanStep[] } {
  const alias = aliasFor(o.id);
  const isPerson = o.kind === 'person';
  const centre = shapeCentre(o);
  const rgb = isPerson ? PERSON_RGB : COLOUR_RGB[o.colour];
  const planned: PlannedObject = { id: o.id, kind: o.kind, alias, path: `/${ROOT_ALIAS}/${alias}`, handle: alias, centre, rgb };
  if (isPerson) return { planned, steps: personSteps(alias, o.position, o.id) };
  const main: ShapeSpec = {
    bind: alias, alias, shape: CYLINDER_KINDS.includes(o.kind) ? 'cylinder' : 'cuboid', size: [...o.size], parent: ROOT,
    position: centre, orientation: [0, 0, o.yaw], rgb, subject: o.id,
  };
  if (o.kind === 'gear') return { planned, steps: gearSteps(o, main) };
  if (o.kind === 'bin') return { planned, steps: binSteps(o, main) };
  return { planned, steps: shapeSteps(main) };
}

function fixtureSteps(input: SceneBuildInput): PlanStep[] {
  const t = WORLD_LAYOUT.table;
  const legHeight = -t.floorZ - t.thickness;
  const table = new HandleRef('table');
  const legs = ([[1, 1], [1, -1], [-1, 1], [-1, -1]] as const).flatMap(([sx, sy], i) => shapeSteps({
    bind: `table/leg_${i}`, alias: `leg_${i}`, shape: 'cuboid', size: [0.05, 0.05, legHeight], parent: table,
    position: [sx * (t.halfX - 0.05), sy * (t.halfY - 0.05), -t.thickness / 2 - legHeight / 2], rgb: WORLD_LAYOUT.tableRgb, subject: 'table',
  }));
  const steps = [
    ...shapeSteps({
      bind: 'table', alias: 'table', shape: 'cuboid', size: [2 * t.halfX, 2 * t.halfY, t.thickness], parent: ROOT,
      position: [0, 0, -t.thickness / 2], rgb: WORLD_LAYOUT.tableRgb, subject: 'table',
    }),
    ...legs,
  ];
  const c = input.conveyor;
  if (c) {
    steps.push(...shapeSteps({
      bind: 'conveyor', alias: 'conveyor', shape: 'cuboid', size: [c.width, 2 * c.halfLength, c.height], parent: ROOT,
      position: [c.centreX, 0, c.height / 2], rgb: WORLD_LAYOUT.conveyorRgb, subject: 'conveyor',
    }));
  }
  return steps;
}

function armSteps(options: SceneBuildOptions): PlanStep[] {
  const robot = new HandleRef('robot');
  const base = WORLD_LAYOUT.robotBase;
  const placeRobot: PlanStep[] = [
    call('sim.createDummy', [0.02], 'robot', 'robot'),
    call('sim.setObjectAlias', [robot, 'robot'], 'robot'),
    call('sim.setObjectParent', [robot, ROOT, true], 'robot'),
    call('sim.setObjectPosition', [robot, [base.x, base.y, base.z], ROOT], 'robot'),
  ];
  const standIn = standInArmSteps(robot);
  if ((options.arm ?? 'ur5') === 'stand-in') return [...placeRobot, ...standIn];
  const dir = (options.modelDirectory ?? 'models').replace(/\/+$/, '');
  const ur5 = new HandleRef('ur5');
  const mount = (handle: HandleRef, subject: string): PlanStep[] => [
    call('sim.setObjectParent', [handle, robot, false], subject),
    call('sim.setObjectPosition', [handle, [0, 0, 0], robot], subject),
    call('sim.setObjectOrientation', [handle, [0, 0, 0], robot], subject),
  ];
  const joints = Array.from({ length: UR5_JOINT_COUNT }, (_, i) =>
    call('sim.getObject', [`/${ROOT_ALIAS}/robot/UR5/joint`, { index: i }], 'UR5', `ur5/joint_${i}`));
  const gripper: PlanStep = {
    kind: 'model', file: `${dir}/${RG2_MODEL}`, bind: 'rg2',
    then: [{ kind: 'attach', child: 'rg2', parentPath: `/${ROOT_ALIAS}/robot/UR5/connection` }],
    otherwise: [],
  };
  return [
    ...placeRobot,
    { kind: 'model', file: `${dir}/${UR5_MODEL}`, bind: 'ur5', then: [...mount(ur5, 'UR5'), ...joints, gripper], otherwise: standIn },
  ];
}

function cameraSteps(camera: CameraSpec): PlanStep[] {
  const self = new HandleRef('camera');
  const euler = eulerXYZFromRotation(lookAtRotation(camera.eye, camera.target));
  return [
    call('sim.createVisionSensor', visionSensorArgs(camera), 'camera', 'camera'),
    call('sim.setObjectAlias', [self, 'camera'], 'camera'),
    call('sim.setObjectParent', [self, ROOT, true], 'camera'),
    call('sim.setObjectPosition', [self, [...camera.eye], ROOT], 'camera'),
    call('sim.setObjectOrientation', [self, [...euler], ROOT], 'camera'),
  ];
}

/** The whole scene as calls: clear an earlier build, root, fixtures, objects, person, arm, camera. */
export function planScene(input: SceneBuildInput, options: SceneBuildOptions = {}): ScenePlan {
  const tableHeight = options.tableHeight ?? -WORLD_LAYOUT.table.floorZ;
  const camera = options.camera ?? DEFAULT_CAMERA;
  const hasPerson = input.objects.some((o) => o.kind === 'person');
  const taken = new Map<string, string>(FIXED_ALIASES.map((a) => [a, `the ${a}`]));
  if (!hasPerson) taken.set(PERSON_ALIAS, 'the person');
  const objects = input.objects.map((o) => {
    const plan = objectPlan(o);
    const clash = taken.get(plan.planned.alias);
    if (clash !== undefined) throw new RangeError(`scene object '${o.id}' would share the alias '${plan.planned.alias}' with ${clash}`);
    taken.set(plan.planned.alias, `scene object '${o.id}'`);
    return plan;
  });
  const steps: PlanStep[] = [
    { kind: 'remove-tree', path: `/${ROOT_ALIAS}` },
    call('sim.createDummy', [0.01], ROOT_ALIAS, ROOT_ALIAS),
    call('sim.setObjectAlias', [ROOT, ROOT_ALIAS], ROOT_ALIAS),
    call('sim.setObjectPosition', [ROOT, [0, 0, tableHeight], WORLD], ROOT_ALIAS),
    ...fixtureSteps(input),
    ...objects.flatMap((o) => o.steps),
    ...(hasPerson ? [] : personSteps(PERSON_ALIAS, input.person.position, 'person')),
    ...armSteps(options),
    ...cameraSteps(camera),
  ];
  return { steps, objects: objects.map((o) => o.planned), camera };
}

export interface BuiltScene {
  /** Scene object id -> handle of its main shape. */
  readonly objects: ReadonlyMap<string, number>;
  readonly root: number;
  readonly camera: number;
  readonly arm: 'ur5' | 'stand-in';
  /** Every handle the build bound, by plan name (`table`, `ur5/joint_0`, `gear_1/tooth_3`). */
  readonly handles: ReadonlyMap<string, number>;
  readonly warnings: readonly string[];
}

/** Plans and builds the scene in a connected CoppeliaSim, replacing an earlier build. */
export async function buildScene(api: CoppeliaSimApi, input: SceneBuildInput, options: SceneBuildOptions = {}): Promise<BuiltScene> {
  const plan = planScene(input, options);
  const result = await executePlan(api, plan.steps);
  const handle = (name: string): number => {
    const h = result.handles.get(name);
    if (h === undefined) throw new Error(`building the scene bound no handle '${name}'`);
    return h;
  };
  return {
    objects: new Map(plan.objects.map((o) => [o.id, handle(o.handle)])),
    root: handle(ROOT_ALIAS),
    camera: handle('camera'),
    arm: result.handles.has('ur5') ? 'ur5' : 'stand-in',
    handles: result.handles,
    warnings: result.warnings,
  };
}
