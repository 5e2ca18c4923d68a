/**
 * The scene behind the CoppeliaSim stand-in (tests only): objects with handles, aliases, parents,
 * poses and colours, a simulation clock with the WS add-on's stepping, vision sensors that render
 * a test pattern, joints that move toward their targets, signals. Errors are thrown as LuaError
 * with CoppeliaSim's wording, e.g. "Object does not exist. (in function 'sim.getObject')".
 */
import {
  eulerXYZFromRotation,
  IDENTITY3,
  multiply3,
  quaternionFromRotation,
  rotate,
  rotationFromEulerXYZ,
  transpose3,
  type Mat3,
  type Vec3Tuple,
} from '../../coppeliasim/geometry';
import type { WireValue } from '../../coppeliasim/ws-protocol';
import { renderScene } from './coppeliasim-standin-render';

export class LuaError extends Error {}

type ObjectType = 'shape' | 'dummy' | 'visionSensor' | 'joint';

export interface StandInObject {
  readonly handle: number;
  readonly type: ObjectType;
  alias: string;
  parent: number;
  position: Vec3Tuple;
  rotation: Mat3;
  shape?: { primitive: number; size: Vec3Tuple; rgb: Vec3Tuple; isStatic: boolean };
  sensor?: { width: number; height: number; viewAngle: number; near: number; far: number; image: Uint8Array; renders: number };
  joint?: { position: number; target: number };
}

export const SIMULATION = { stopped: 0, paused: 8, running: 17 } as const;

/** Constants the stand-in answers to `eval`; real values differ by version, so clients look them up. */
export const STANDIN_CONSTANTS: Readonly<Record<string, number>> = {
  'sim.handle_world': -1,
  'sim.handle_scene': -12,
  'sim.primitiveshape_disc': 2,
  'sim.primitiveshape_cuboid': 3,
  'sim.primitiveshape_spheroid': 4,
  'sim.primitiveshape_cylinder': 5,
  'sim.shapeintparam_static': 3003,
  'sim.intparam_program_version': 21,
  'simIK.constraint_position': 7,
  'simIK.constraint_pose': 31,
  'simIK.result_success': 1,
};

/** What vision sensors show: a test pattern that reveals the row order, or the shapes of the scene. */
export type RenderMode = 'pattern' | 'scene';

/** An IK group as simIK.addElementFromScene set it up: base, tip, target and constraints. */
export interface StandInIkElement {
  readonly base: number;
  readonly tip: number;
  readonly target: number;
  readonly constraints: number;
}

/** A model file the stand-in can "load": it adds objects below `base` and returns nothing. */
export type StandInModel = (world: StandInWorld, base: StandInObject) => void;

/** UR5-like: base `UR5`, a chain of six `joint`s, a `connection` dummy at the tip. */
export const FAKE_UR5: StandInModel = (world, base) => {
  base.alias = 'UR5';
  let parent = base.handle;
  for (let i = 0; i < 6; i++) {
    const joint = world.add('joint', 'joint', parent);
    joint.joint = { position: 0, target: 0 };
    joint.position = [0, 0, 0.1];
    parent = joint.handle;
  }
  world.add('dummy', 'connection', parent);
};

export const FAKE_RG2: StandInModel = (_world, base) => {
  base.alias = 'RG2';
};

const JOINT_SPEED = 1; // rad/s

export function arg(func: string, ok: boolean): void {
  if (!ok) throw new LuaError(`One of the function's argument type is not correct. (in function '${func}')`);
}

export function num(func: string, args: readonly WireValue[], i: number, fallback?: number): number {
  const v = args[i] ?? fallback;
  arg(func, typeof v === 'number');
  return v as number;
}

export function str(func: string, args: readonly WireValue[], i: number): string {
  arg(func, typeof args[i] === 'string');
  return args[i] as string;
}

export function vec(func: string, args: readonly WireValue[], i: number, n = 3): number[] {
  const v = args[i];
  arg(func, Array.isArray(v) && v.length >= n && v.slice(0, n).every((x: WireValue) => typeof x === 'number'));
  return (v as number[]).slice(0, n);
}

export class StandInWorld {
  readonly objects = new Map<number, StandInObject>();
  readonly signals = new Map<string, number>();
  readonly models = new Map<string, StandInModel>();
  state: number = SIMULATION.stopped;
  time = 0;
  stepping = false;
  /** The add-on's `go` flag: `step` raises it, the next main-loop pass consumes it. */
  stepRequested = false;
  /** simIK environments: environment handle -> group handle -> elements. */
  readonly ikEnvironments = new Map<number, Map<number, StandInIkElement[]>>();
  /** simIK.handleGroups calls answered, with the target positions (world frame) they saw. */
  readonly ikSolves: Vec3Tuple[][] = [];
  #nextHandle = 15;

  constructor(readonly dt: number, readonly version: number, readonly renderMode: RenderMode = 'pattern') {
    this.add('shape', 'Floor', -1).shape = { primitive: 3, size: [5, 5, 0.01], rgb: [0.8, 0.8, 0.8], isStatic: true };
  }

  add(type: ObjectType, alias: string, parent: number): StandInObject {
    const object: StandInObject = { handle: this.#nextHandle++, type, alias, parent, position: [0, 0, 0], rotation: IDENTITY3 };
    this.objects.set(object.handle, object);
    return object;
  }

  get(func: string, handle: WireValue | undefined): StandInObject {
    const object = typeof handle === 'number' ? this.objects.get(handle) : undefined;
    if (!object) throw new LuaError(`Object does not exist. (in function '${func}')`);
    return object;
  }

  /** World pose of an object, or of the world itself for -1. */
  worldPose(handle: number): { position: Vec3Tuple; rotation: Mat3 } {
    if (handle === -1) return { position: [0, 0, 0], rotation: IDENTITY3 };
    const o = this.get('worldPose', handle);
    const parent = this.worldPose(o.parent);
    const offset = rotate(parent.rotation, o.position);
    return {
      position: [parent.position[0] + offset[0], parent.position[1] + offset[1], parent.position[2] + offset[2]],
      rotation: multiply3(parent.rotation, o.rotation),
    };
  }

  /** Pose of `handle` in the frame of `relative` (-1: world). */
  relativePose(handle: number, relative: number): { position: Vec3Tuple; rotation: Mat3 } {
    const w = this.worldPose(handle);
    const frame = this.worldPose(relative);
    const inverse = transpose3(frame.rotation);
    const d: Vec3Tuple = [w.position[0] - frame.position[0], w.position[1] - frame.position[1], w.position[2] - frame.position[2]];
    return { position: rotate(inverse, d), rotation: multiply3(inverse, w.rotation) };
  }

  /** Places an object at a world pose, keeping its parent. */
  setWorldPose(o: StandInObject, position: Vec3Tuple, rotation: Mat3): void {
    const parent = this.worldPose(o.parent);
    const inverse = transpose3(parent.rotation);
    const d: Vec3Tuple = [position[0] - parent.position[0], position[1] - parent.position[1], position[2] - parent.position[2]];
    o.position = rotate(inverse, d);
    o.rotation = multiply3(inverse, rotation);
  }

  setPosition(o: StandInObject, position: Vec3Tuple, relative: number): void {
    const frame = this.worldPose(relative);
    const p = rotate(frame.rotation, position);
    const world: Vec3Tuple = [frame.position[0] + p[0], frame.position[1] + p[1], frame.position[2] + p[2]];
    this.setWorldPose(o, world, this.worldPose(o.handle).rotation);
  }

  setOrientation(o: StandInObject, euler: Vec3Tuple, relative: number): void {
    const rotation = multiply3(this.worldPose(relative).rotation, rotationFromEulerXYZ(euler));
    this.setWorldPose(o, this.worldPose(o.handle).position, rotation);
  }

  poseList(handle: number, relative: number): number[] {
    const pose = this.relativePose(handle, relative);
    return [...pose.position, ...quaternionFromRotation(pose.rotation)];
  }

  orientation(handle: number, relative: number): Vec3Tuple {
    return eulerXYZFromRotation(this.relativePose(handle, relative).rotation);
  }

  setParent(o: StandInObject, parent: number, keepInPlace: boolean): void {
    for (let p = parent; p !== -1; p = this.get('sim.setObjectParent', p).parent) {
      if (p === o.handle) throw new LuaError("Object is ancestor of desired parent. (in function 'sim.setObjectParent')");
    }
    const world = this.worldPose(o.handle);
    o.parent = parent;
    if (keepInPlace) this.setWorldPose(o, world.position, world.rotation);
  }

  children(handle: number): StandInObject[] {
    return [...this.objects.values()].filter((o) => o.parent === handle);
  }

  /** Depth-first: `handle` first, then its subtree. */
  tree(handle: number): StandInObject[] {
    const o = this.get('sim.getObjectsInTree', handle);
    return [o, ...this.children(handle).flatMap((c) => this.tree(c.handle))];
  }

  /**
   * Resolves `/a/b/c`: `a` is an object at the scene root, every later segment an object with that
   * alias anywhere below the previous one (depth first); `index` picks among the matches of the last.
   */
  resolve(path: string, index: number): number {
    const segments = path.split('/');
    if (segments[0] !== '' || segments.length < 2 || segments.some((s, i) => i > 0 && s === '')) return -1;
    let candidates = [...this.objects.values()].filter((o) => o.parent === -1 && o.alias === segments[1]);
    for (const segment of segments.slice(2)) {
      candidates = candidates.flatMap((c) => this.tree(c.handle).slice(1)).filter((o) => o.alias === segment);
    }
    return candidates[index]?.handle ?? -1;
  }

  remove(o: StandInObject): void {
    for (const child of this.children(o.handle)) this.setParent(child, o.parent, true);
    this.objects.delete(o.handle);
  }

  /** Handles for simIK environments and groups (their own numbering in CoppeliaSim; here shared with objects). */
  newHandle(): number {
    return this.#nextHandle++;
  }

  render(o: StandInObject): void {
    const sensor = o.sensor!;
    sensor.renders += 1;
    if (this.renderMode === 'scene') renderScene(this, o, sensor);
    else this.#renderPattern(sensor);
  }

  /** The test pattern, stored bottom row first as CoppeliaSim does: R grows left to right, G top to bottom, B counts renders. */
  #renderPattern(sensor: NonNullable<StandInObject['sensor']>): void {
    const { width, height } = sensor;
    for (let stored = 0; stored < height; stored++) {
      const fromTop = height - 1 - stored;
      for (let x = 0; x < width; x++) {
        const at = (stored * width + x) * 3;
        sensor.image[at] = Math.round((255 * x) / Math.max(1, width - 1));
        sensor.image[at + 1] = Math.round((255 * fromTop) / Math.max(1, height - 1));
        sensor.image[at + 2] = sensor.renders & 0xff;
      }
    }
  }

  /** One main-loop pass: the simulation advances by dt unless stepping holds it back. */
  mainLoopPass(): void {
    if (this.state !== SIMULATION.running) return;
    if (this.stepping && !this.stepRequested) return;
    this.stepRequested = false;
    this.time = Math.round((this.time + this.dt) * 1e9) / 1e9;
    for (const o of this.objects.values()) {
      if (!o.joint) continue;
      const delta = o.joint.target - o.joint.position;
      o.joint.position += Math.sign(delta) * Math.min(Math.abs(delta), JOINT_SPEED * this.dt);
    }
  }

  startSimulation(): void {
    if (this.state === SIMULATION.stopped) this.time = 0;
    this.state = SIMULATION.running;
  }

  stopSimulation(): void {
    this.state = SIMULATION.stopped;
    this.time = 0;
    // The add-on's sysCall_afterSimulation ends stepped mode.
    this.stepping = false;
    this.stepRequested = false;
  }
}
