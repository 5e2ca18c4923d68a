/**
 * Typed wrappers for the `sim.*` calls a bridge needs, over any RemoteCaller. Return values are
 * checked at run time; a wrong shape is a CoppeliaSimError of kind 'protocol' naming the function.
 */
import { CoppeliaSimError } from './errors';
import type { Quaternion, Vec3Tuple } from './geometry';
import { imageFromVisionSensorReply, type RgbImage } from './vision-image';
import type { CallOptions, RemoteCaller } from './ws-client';
import type { WireValue } from './ws-protocol';

/** `rel` for world coordinates (sim.handle_world). */
export const WORLD = -1;

export type PrimitiveShape = 'cuboid' | 'cylinder' | 'spheroid' | 'disc';

/** Looked up by name on the server, so no number that changed between versions is baked in. */
export const PRIMITIVE_SHAPE_CONSTANTS: Readonly<Record<PrimitiveShape, string>> = {
  cuboid: 'sim.primitiveshape_cuboid',
  cylinder: 'sim.primitiveshape_cylinder',
  spheroid: 'sim.primitiveshape_spheroid',
  disc: 'sim.primitiveshape_disc',
};

export type SimulationPhase = 'stopped' | 'paused' | 'running';

export interface SimulationState {
  /** sim.getSimulationState's code: 0 stopped, 8 paused, 16..22 advancing (17 running). */
  readonly code: number;
  readonly phase: SimulationPhase;
}

const SIMULATION_ADVANCING_BIT = 0x10;
const SIMULATION_PAUSED = 0x08;

export function simulationPhase(code: number): SimulationPhase {
  if (code === 0) return 'stopped';
  if (code === SIMULATION_PAUSED) return 'paused';
  if ((code & SIMULATION_ADVANCING_BIT) !== 0) return 'running';
  throw new CoppeliaSimError('protocol', `sim.getSimulationState returned ${code}, which is no known simulation state`, 'sim.getSimulationState');
}

export interface ObjectPose {
  readonly position: Vec3Tuple;
  readonly quaternion: Quaternion;
}

export interface DistanceResult {
  readonly pointA: Vec3Tuple;
  readonly pointB: Vec3Tuple;
  readonly distance: number;
  readonly handles: readonly [number, number];
}

export interface VisionSensorSpec {
  readonly width: number;
  readonly height: number;
  /** Perspective view angle across the larger image side, radians. */
  readonly viewAngle: number;
  readonly near: number;
  readonly far: number;
}

/** sim.createVisionSensor options: bit 0 explicit handling (we render on demand), bit 1 perspective. */
export const VISION_SENSOR_OPTIONS = 1 | 2;

/** Arguments of sim.createVisionSensor: options, [resX, resY, 0, 0], [near, far, view angle, body size x/y/z, null-pixel r/g/b, 2 reserved]. */
export function visionSensorArgs(spec: VisionSensorSpec): WireValue[] {
  return [VISION_SENSOR_OPTIONS, [spec.width, spec.height, 0, 0], [spec.near, spec.far, spec.viewAngle, 0.02, 0.02, 0.02, 0, 0, 0, 0, 0]];
}

export interface StepOptions {
  /** Give up when simulation time has not moved for this long after `step`, ms. */
  readonly timeoutMs?: number;
  readonly pollIntervalMs?: number;
}

/** First version (major * 10000 + minor * 100 + patch) whose signals are scene properties. */
const SIGNALS_AS_PROPERTIES_FROM = 40800;

function returned(ret: readonly WireValue[], index: number, func: string, expected: string, ok: (v: WireValue) => boolean): WireValue {
  const value = ret[index];
  if (value === undefined || !ok(value)) {
    const got = value === undefined ? 'nothing' : JSON.stringify(value instanceof Uint8Array ? `<${value.length} bytes>` : value);
    throw new CoppeliaSimError('protocol', `${func} returned ${got} as return value ${index + 1}, expected ${expected}`, func);
  }
  return value;
}

const isNumber = (v: WireValue): v is number => typeof v === 'number';
const isNumberList = (n: number) => (v: WireValue): boolean => Array.isArray(v) && v.length === n && v.every(isNumber);

export function returnedNumber(ret: readonly WireValue[], index: number, func: string): number {
  return returned(ret, index, func, 'a number', isNumber) as number;
}

export function returnedHandle(ret: readonly WireValue[], index: number, func: string): number {
  return returned(ret, index, func, 'an object handle (an integer)', (v) => Number.isInteger(v)) as number;
}

export function returnedNumbers(ret: readonly WireValue[], index: number, count: number, func: string): number[] {
  return [...(returned(ret, index, func, `a list of ${count} numbers`, isNumberList(count)) as readonly number[])];
}

const vec3 = (v: readonly number[]): Vec3Tuple => [v[0], v[1], v[2]];

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class CoppeliaSimApi {
  readonly #constants = new Map<string, number>();
  #version: number | null = null;

  constructor(readonly remote: RemoteCaller) {}

  /** The value of a numeric constant such as `sim.handle_scene`, read once by `eval` and cached. */
  async constant(name: string): Promise<number> {
    const known = this.#constants.get(name);
    if (known !== undefined) return known;
    if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(name)) throw new RangeError(`'${name}' is not a constant name like sim.handle_scene`);
    const ret = await this.remote.evaluate(name);
    const value = returned(ret, 0, `eval ${name}`, `a number (is ${name} defined in this CoppeliaSim?)`, isNumber) as number;
    this.#constants.set(name, value);
    return value;
  }

  /** CoppeliaSim's version as major * 10000 + minor * 100 + patch (4.8.0 is 40800). */
  async programVersion(): Promise<number> {
    if (this.#version === null) {
      const ret = await this.remote.call('sim.getInt32Param', [await this.constant('sim.intparam_program_version')]);
      this.#version = returnedNumber(ret, 0, 'sim.getInt32Param');
    }
    return this.#version;
  }

  /** Handle of the object at `path` (`/h2r/cup_1`); -1 when absent and `noError` is set. */
  async getObject(path: string, options: { index?: number; noError?: boolean } = {}): Promise<number> {
    const opts: Record<string, WireValue> = {};
    if (options.index !== undefined) opts.index = options.index;
    if (options.noError) opts.noError = true;
    const args: WireValue[] = Object.keys(opts).length > 0 ? [path, opts] : [path];
    return returnedHandle(await this.remote.call('sim.getObject', args), 0, 'sim.getObject');
  }

  async createPrimitiveShape(shape: PrimitiveShape, size: Vec3Tuple, options = 0): Promise<number> {
    const type = await this.constant(PRIMITIVE_SHAPE_CONSTANTS[shape]);
    return returnedHandle(await this.remote.call('sim.createPrimitiveShape', [type, [...size], options]), 0, 'sim.createPrimitiveShape');
  }

  async createDummy(size: number): Promise<number> {
    return returnedHandle(await this.remote.call('sim.createDummy', [size]), 0, 'sim.createDummy');
  }

  async createVisionSensor(spec: VisionSensorSpec): Promise<number> {
    return returnedHandle(await this.remote.call('sim.createVisionSensor', visionSensorArgs(spec)), 0, 'sim.createVisionSensor');
  }

  async setObjectAlias(handle: number, alias: string): Promise<void> {
    await this.remote.call('sim.setObjectAlias', [handle, alias]);
  }

  async getObjectAlias(handle: number): Promise<string> {
    return returned(await this.remote.call('sim.getObjectAlias', [handle]), 0, 'sim.getObjectAlias', 'text', (v) => typeof v === 'string') as string;
  }

  async setObjectPosition(handle: number, position: Vec3Tuple, relativeTo = WORLD): Promise<void> {
    await this.remote.call('sim.setObjectPosition', [handle, [...position], relativeTo]);
  }

  async getObjectPosition(handle: number, relativeTo = WORLD): Promise<Vec3Tuple> {
    return vec3(returnedNumbers(await this.remote.call('sim.getObjectPosition', [handle, relativeTo]), 0, 3, 'sim.getObjectPosition'));
  }

  async setObjectOrientation(handle: number, eulerXYZ: Vec3Tuple, relativeTo = WORLD): Promise<void> {
    await this.remote.call('sim.setObjectOrientation', [handle, [...eulerXYZ], relativeTo]);
  }

  async getObjectPose(handle: number, relativeTo = WORLD): Promise<ObjectPose> {
    const p = returnedNumbers(await this.remote.call('sim.getObjectPose', [handle, relativeTo]), 0, 7, 'sim.getObjectPose');
    return { position: [p[0], p[1], p[2]], quaternion: [p[3], p[4], p[5], p[6]] };
  }

  /** Sets the ambient/diffuse colour of a shape, components in [0, 1]. */
  async setShapeColor(handle: number, rgb: Vec3Tuple): Promise<void> {
    await this.remote.call('sim.setShapeColor', [handle, '', 0, [...rgb]]);
  }

  async getShapeColor(handle: number): Promise<Vec3Tuple> {
    return vec3(returnedNumbers(await this.remote.call('sim.getShapeColor', [handle, '', 0]), 1, 3, 'sim.getShapeColor'));
  }

  async setObjectParent(handle: number, parent: number, keepInPlace = true): Promise<void> {
    await this.remote.call('sim.setObjectParent', [handle, parent, keepInPlace]);
  }

  /** `value` for an integer parameter named by its constant, e.g. sim.shapeintparam_static. */
  async setObjectInt32Param(handle: number, parameter: string, value: number): Promise<void> {
    await this.remote.call('sim.setObjectInt32Param', [handle, await this.constant(parameter), value]);
  }

  /** Handles of `base` and everything below it. */
  async getObjectsInTree(base: number): Promise<number[]> {
    const list = returned(await this.remote.call('sim.getObjectsInTree', [base]), 0, 'sim.getObjectsInTree', 'a list of handles', (v) => Array.isArray(v) && v.every((h: WireValue) => Number.isInteger(h)));
    return [...(list as readonly number[])];
  }

  async removeObjects(handles: readonly number[]): Promise<void> {
    if (handles.length > 0) await this.remote.call('sim.removeObjects', [[...handles]]);
  }

  /** Loads a model file (`models/robots/non-mobile/UR5.ttm`) and returns its base handle. */
  async loadModel(path: string): Promise<number> {
    return returnedHandle(await this.remote.call('sim.loadModel', [path], { timeoutMs: 30_000 }), 0, 'sim.loadModel');
  }

  async startSimulation(): Promise<void> {
    await this.remote.call('sim.startSimulation');
  }

  async stopSimulation(): Promise<void> {
    await this.remote.call('sim.stopSimulation');
  }

  async pauseSimulation(): Promise<void> {
    await this.remote.call('sim.pauseSimulation');
  }

  async getSimulationState(): Promise<SimulationState> {
    const code = returnedNumber(await this.remote.call('sim.getSimulationState'), 0, 'sim.getSimulationState');
    return { code, phase: simulationPhase(code) };
  }

  async getSimulationTime(options?: CallOptions): Promise<number> {
    return returnedNumber(await this.remote.call('sim.getSimulationTime', [], options), 0, 'sim.getSimulationTime');
  }

  /** Stepped mode: the simulation advances only on `step`. Global to the server; ends when the simulation stops. */
  async setStepping(enabled: boolean): Promise<void> {
    await this.remote.call('setStepping', [enabled]);
  }

  /**
   * Advances one simulation step and resolves with the new simulation time. The add-on's `step`
   * only raises a flag, so this polls sim.getSimulationTime until the time moves.
   */
  async step(options: StepOptions = {}): Promise<number> {
    const timeoutMs = options.timeoutMs ?? 2000;
    const pollMs = options.pollIntervalMs ?? 2;
    const before = await this.getSimulationTime();
    await this.remote.call('step');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const now = await this.getSimulationTime();
      if (now > before) return now;
      if (now < before) throw new CoppeliaSimError('remote', `simulation time went back from ${before} s to ${now} s during step: the simulation was stopped or restarted`, 'step');
      if (Date.now() >= deadline) {
        const state = await this.getSimulationState();
        throw new CoppeliaSimError('timeout', `simulation time stayed at ${before} s for ${timeoutMs} ms after step (simulation ${state.phase}, state ${state.code}); is it running in stepped mode?`, 'step');
      }
      await sleep(pollMs);
    }
  }

  async handleVisionSensor(handle: number): Promise<void> {
    await this.remote.call('sim.handleVisionSensor', [handle]);
  }

  /** The sensor's last image, top row first. Always CBOR: in JSON the bytes would break the text frame. */
  async readImage(handle: number): Promise<RgbImage> {
    const ret = await this.remote.call('sim.getVisionSensorImg', [handle], { encoding: 'cbor' });
    return imageFromVisionSensorReply(ret);
  }

  /** Renders an explicitly handled sensor, then reads its image. */
  async captureImage(handle: number): Promise<RgbImage> {
    await this.handleVisionSensor(handle);
    return this.readImage(handle);
  }

  async setJointTargetPosition(joint: number, position: number): Promise<void> {
    await this.remote.call('sim.setJointTargetPosition', [joint, position]);
  }

  async getJointPosition(joint: number): Promise<number> {
    return returnedNumber(await this.remote.call('sim.getJointPosition', [joint]), 0, 'sim.getJointPosition');
  }

  async checkCollision(a: number, b: number): Promise<{ colliding: boolean; handles: readonly number[] }> {
    const ret = await this.remote.call('sim.checkCollision', [a, b]);
    const result = returnedNumber(ret, 0, 'sim.checkCollision');
    const handles = Array.isArray(ret[1]) ? ret[1].filter(isNumber) : [];
    return { colliding: result !== 0, handles };
  }

  /** Minimum distance between two objects, or null when none was measured within `threshold` (0: no limit). */
  async checkDistance(a: number, b: number, threshold = 0): Promise<DistanceResult | null> {
    const ret = await this.remote.call('sim.checkDistance', [a, b, threshold]);
    if (returnedNumber(ret, 0, 'sim.checkDistance') === 0) return null;
    const d = returnedNumbers(ret, 1, 7, 'sim.checkDistance');
    const handles = returnedNumbers(ret, 2, 2, 'sim.checkDistance');
    return { pointA: [d[0], d[1], d[2]], pointB: [d[3], d[4], d[5]], distance: d[6], handles: [handles[0], handles[1]] };
  }

  /**
   * Sets an integer signal such as RG2_open (1 open, 0 close): grippers have no remote interface
   * but read one. From 4.8 signals are scene properties `signal.<name>`.
   */
  async setIntegerSignal(name: string, value: number): Promise<void> {
    if ((await this.programVersion()) >= SIGNALS_AS_PROPERTIES_FROM) {
      await this.remote.call('sim.setIntProperty', [await this.constant('sim.handle_scene'), `signal.${name}`, value]);
    } else {
      await this.remote.call('sim.setInt32Signal', [name, value]);
    }
  }
}
