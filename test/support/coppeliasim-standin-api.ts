/**
 * The functions the CoppeliaSim stand-in answers (tests only): the add-on's own globals
 * (`wsRemoteApi.require`, `setStepping`, `step`) and the `sim.*` calls the client uses, over a
 * StandInWorld. Each returns its Lua return values; an empty list is what the server sends as `{}`.
 */
import type { Vec3Tuple } from '../../coppeliasim/geometry';
import type { WireValue } from '../../coppeliasim/ws-protocol';
import { arg, LuaError, num, SIMULATION, STANDIN_CONSTANTS, str, vec, type StandInIkElement, type StandInWorld } from './coppeliasim-standin-world';

export type StandInFunction = (world: StandInWorld, args: readonly WireValue[]) => WireValue[];

const v3 = (v: readonly number[]): Vec3Tuple => [v[0], v[1], v[2]];
const rel = (func: string, args: readonly WireValue[], i: number): number => num(func, args, i, -1);

/** Axis-aligned box of a shape in world coordinates (rotation ignored: good enough for a stand-in). */
function box(world: StandInWorld, handle: number): { lo: Vec3Tuple; hi: Vec3Tuple } {
  const o = world.get('sim.checkCollision', handle);
  const size = o.shape?.size ?? [0, 0, 0];
  const p = world.worldPose(handle).position;
  return { lo: [p[0] - size[0] / 2, p[1] - size[1] / 2, p[2] - size[2] / 2], hi: [p[0] + size[0] / 2, p[1] + size[1] / 2, p[2] + size[2] / 2] };
}

function gap(world: StandInWorld, a: number, b: number): { d: number; pa: Vec3Tuple; pb: Vec3Tuple } {
  const A = box(world, a);
  const B = box(world, b);
  const pa: number[] = [];
  const pb: number[] = [];
  for (let i = 0; i < 3; i++) {
    if (A.hi[i] < B.lo[i]) (pa[i] = A.hi[i]), (pb[i] = B.lo[i]);
    else if (B.hi[i] < A.lo[i]) (pa[i] = A.lo[i]), (pb[i] = B.hi[i]);
    else pa[i] = pb[i] = (Math.max(A.lo[i], B.lo[i]) + Math.min(A.hi[i], B.hi[i])) / 2;
  }
  return { d: Math.hypot(pa[0] - pb[0], pa[1] - pb[1], pa[2] - pb[2]), pa: v3(pa), pb: v3(pb) };
}

const SIGNALS_AS_PROPERTIES_FROM = 40800;

function ikEnvironment(w: StandInWorld, func: string, args: readonly WireValue[]): Map<number, StandInIkElement[]> {
  const environment = w.ikEnvironments.get(num(func, args, 0));
  if (!environment) throw new LuaError(`invalid environment handle. (in function '${func}')`);
  return environment;
}

export const STANDIN_FUNCTIONS: Readonly<Record<string, StandInFunction>> = {
  setStepping: (w, args) => {
    w.stepping = args[0] === true;
    w.stepRequested = false;
    return [];
  },
  step: (w) => {
    w.stepRequested = true;
    return [];
  },
  'sim.getObject': (w, args) => {
    const f = 'sim.getObject';
    const path = str(f, args, 0);
    const options = args[1];
    const opts = options !== undefined && options !== null && typeof options === 'object' && !Array.isArray(options) && !(options instanceof Uint8Array)
      ? (options as Record<string, WireValue>)
      : {};
    const handle = w.resolve(path, typeof opts.index === 'number' ? opts.index : 0);
    if (handle < 0 && opts.noError !== true) throw new LuaError(`Object does not exist. (in function '${f}')`);
    return [handle];
  },
  'sim.createPrimitiveShape': (w, args) => {
    const f = 'sim.createPrimitiveShape';
    const primitive = num(f, args, 0);
    if (![2, 3, 4, 5].includes(primitive)) throw new LuaError(`Invalid type. (in function '${f}')`);
    const o = w.add('shape', 'Shape', -1);
    o.shape = { primitive, size: v3(vec(f, args, 1)), rgb: [1, 1, 1], isStatic: false };
    return [o.handle];
  },
  'sim.createDummy': (w, args) => {
    num('sim.createDummy', args, 0);
    return [w.add('dummy', 'Dummy', -1).handle];
  },
  'sim.createVisionSensor': (w, args) => {
    const f = 'sim.createVisionSensor';
    num(f, args, 0);
    const [width, height] = vec(f, args, 1, 2);
    const [near, far, viewAngle] = vec(f, args, 2, 11);
    const o = w.add('visionSensor', 'Vision_sensor', -1);
    o.sensor = { width, height, viewAngle, near, far, image: new Uint8Array(width * height * 3), renders: 0 };
    return [o.handle];
  },
  'sim.setObjectAlias': (w, args) => {
    w.get('sim.setObjectAlias', args[0]).alias = str('sim.setObjectAlias', args, 1);
    return [];
  },
  'sim.getObjectAlias': (w, args) => [w.get('sim.getObjectAlias', args[0]).alias],
  'sim.setObjectPosition': (w, args) => {
    const f = 'sim.setObjectPosition';
    w.setPosition(w.get(f, args[0]), v3(vec(f, args, 1)), rel(f, args, 2));
    return [];
  },
  'sim.getObjectPosition': (w, args) => {
    const f = 'sim.getObjectPosition';
    return [[...w.relativePose(w.get(f, args[0]).handle, rel(f, args, 1)).position]];
  },
  'sim.setObjectOrientation': (w, args) => {
    const f = 'sim.setObjectOrientation';
    w.setOrientation(w.get(f, args[0]), v3(vec(f, args, 1)), rel(f, args, 2));
    return [];
  },
  'sim.getObjectOrientation': (w, args) => {
    const f = 'sim.getObjectOrientation';
    return [[...w.orientation(w.get(f, args[0]).handle, rel(f, args, 1))]];
  },
  'sim.getObjectPose': (w, args) => {
    const f = 'sim.getObjectPose';
    return [w.poseList(w.get(f, args[0]).handle, rel(f, args, 1))];
  },
  'sim.setShapeColor': (w, args) => {
    const f = 'sim.setShapeColor';
    const o = w.get(f, args[0]);
    if (!o.shape) throw new LuaError(`Object is not a shape. (in function '${f}')`);
    o.shape.rgb = v3(vec(f, args, 3));
    return [];
  },
  'sim.getShapeColor': (w, args) => {
    const f = 'sim.getShapeColor';
    const o = w.get(f, args[0]);
    if (!o.shape) throw new LuaError(`Object is not a shape. (in function '${f}')`);
    return [1, [...o.shape.rgb]];
  },
  'sim.setObjectParent': (w, args) => {
    const f = 'sim.setObjectParent';
    const parent = num(f, args, 1);
    if (parent !== -1) w.get(f, parent);
    w.setParent(w.get(f, args[0]), parent, args[2] !== false);
    return [];
  },
  'sim.getObjectParent': (w, args) => [w.get('sim.getObjectParent', args[0]).parent],
  'sim.setObjectInt32Param': (w, args) => {
    const f = 'sim.setObjectInt32Param';
    const o = w.get(f, args[0]);
    if (num(f, args, 1) === STANDIN_CONSTANTS['sim.shapeintparam_static'] && o.shape) o.shape.isStatic = num(f, args, 2) !== 0;
    return [];
  },
  'sim.getObjectsInTree': (w, args) => [w.tree(w.get('sim.getObjectsInTree', args[0]).handle).map((o) => o.handle)],
  'sim.removeObjects': (w, args) => {
    const f = 'sim.removeObjects';
    const handles = args[0];
    if (!Array.isArray(handles)) throw new LuaError(`One of the function's argument type is not correct. (in function '${f}')`);
    const objects = handles.map((h: WireValue) => w.get(f, h));
    for (const o of objects) w.remove(o);
    return [];
  },
  'sim.loadModel': (w, args) => {
    const f = 'sim.loadModel';
    const model = w.models.get(str(f, args, 0));
    if (!model) throw new LuaError(`Model could not be read. (in function '${f}')`);
    const base = w.add('shape', 'Model', -1);
    base.shape = { primitive: 3, size: [0.1, 0.1, 0.1], rgb: [0.6, 0.6, 0.6], isStatic: true };
    model(w, base);
    return [base.handle];
  },
  'sim.startSimulation': (w) => (w.startSimulation(), []),
  'sim.stopSimulation': (w) => (w.stopSimulation(), []),
  'sim.pauseSimulation': (w) => {
    if (w.state === SIMULATION.running) w.state = SIMULATION.paused;
    return [];
  },
  'sim.getSimulationState': (w) => [w.state],
  'sim.getSimulationTime': (w) => [w.time],
  'sim.getInt32Param': (w, args) => {
    if (num('sim.getInt32Param', args, 0) !== STANDIN_CONSTANTS['sim.intparam_program_version']) throw new LuaError("Invalid parameter. (in function 'sim.getInt32Param')");
    return [w.version];
  },
  'sim.handleVisionSensor': (w, args) => {
    const o = w.get('sim.handleVisionSensor', args[0]);
    if (!o.sensor) throw new LuaError("Object is not a vision sensor. (in function 'sim.handleVisionSensor')");
    w.render(o);
    return [0];
  },
  'sim.getVisionSensorImg': (w, args) => {
    const o = w.get('sim.getVisionSensorImg', args[0]);
    if (!o.sensor) throw new LuaError("Object is not a vision sensor. (in function 'sim.getVisionSensorImg')");
    return [o.sensor.image.slice(), [o.sensor.width, o.sensor.height]];
  },
  'sim.setJointTargetPosition': (w, args) => {
    const f = 'sim.setJointTargetPosition';
    const o = w.get(f, args[0]);
    if (!o.joint) throw new LuaError(`Object is not a joint. (in function '${f}')`);
    o.joint.target = num(f, args, 1);
    return [];
  },
  'sim.getJointPosition': (w, args) => {
    const o = w.get('sim.getJointPosition', args[0]);
    if (!o.joint) throw new LuaError("Object is not a joint. (in function 'sim.getJointPosition')");
    return [o.joint.position];
  },
  'sim.checkCollision': (w, args) => {
    const f = 'sim.checkCollision';
    const [a, b] = [w.get(f, args[0]).handle, w.get(f, args[1]).handle];
    return gap(w, a, b).d === 0 ? [1, [a, b]] : [0, []];
  },
  'sim.checkDistance': (w, args) => {
    const f = 'sim.checkDistance';
    const [a, b] = [w.get(f, args[0]).handle, w.get(f, args[1]).handle];
    const threshold = num(f, args, 2, 0);
    const { d, pa, pb } = gap(w, a, b);
    if (threshold > 0 && d > threshold) return [0, [], []];
    return [1, [...pa, ...pb, d], [a, b]];
  },
  'sim.setInt32Signal': (w, args) => {
    if (w.version >= SIGNALS_AS_PROPERTIES_FROM) throw new LuaError('No such function: sim.setInt32Signal');
    w.signals.set(str('sim.setInt32Signal', args, 0), num('sim.setInt32Signal', args, 1));
    return [];
  },
  'simIK.createEnvironment': (w) => {
    const environment = w.newHandle();
    w.ikEnvironments.set(environment, new Map());
    return [environment];
  },
  'simIK.createGroup': (w, args) => {
    const group = w.newHandle();
    ikEnvironment(w, 'simIK.createGroup', args).set(group, []);
    return [group];
  },
  'simIK.addElementFromScene': (w, args) => {
    const f = 'simIK.addElementFromScene';
    const group = ikEnvironment(w, f, args).get(num(f, args, 1));
    if (!group) throw new LuaError(`invalid group handle. (in function '${f}')`);
    const [base, tip, target] = [2, 3, 4].map((i) => w.get(f, args[i]).handle);
    group.push({ base, tip, target, constraints: num(f, args, 5) });
    // The element handle, then the sim-to-IK and IK-to-sim handle maps (Lua tables, sent as maps).
    return [w.newHandle(), {}, {}];
  },
  'simIK.handleGroups': (w, args) => {
    const f = 'simIK.handleGroups';
    const environment = ikEnvironment(w, f, args);
    const groups = args[1];
    arg(f, Array.isArray(groups));
    const elements = (groups as WireValue[]).flatMap((g) => {
      const group = typeof g === 'number' ? environment.get(g) : undefined;
      if (!group) throw new LuaError(`invalid group handle. (in function '${f}')`);
      return group;
    });
    // No solver here: the call is recorded with where each target was, and reported as solved.
    w.ikSolves.push(elements.map((e) => w.worldPose(e.target).position));
    return [STANDIN_CONSTANTS['simIK.result_success'], 0, [0, 0]];
  },
  'simIK.eraseEnvironment': (w, args) => {
    ikEnvironment(w, 'simIK.eraseEnvironment', args);
    w.ikEnvironments.delete(num('simIK.eraseEnvironment', args, 0));
    return [];
  },
  'sim.setIntProperty': (w, args) => {
    const f = 'sim.setIntProperty';
    if (w.version < SIGNALS_AS_PROPERTIES_FROM) throw new LuaError(`No such function: ${f}`);
    if (num(f, args, 0) !== STANDIN_CONSTANTS['sim.handle_scene']) throw new LuaError(`Invalid target. (in function '${f}')`);
    const name = str(f, args, 1);
    if (!name.startsWith('signal.')) throw new LuaError(`Unknown property. (in function '${f}')`);
    w.signals.set(name.slice('signal.'.length), num(f, args, 2));
    return [];
  },
};

/** `eval`: the stand-in knows dotted constant names only; an unknown `sim.x` is nil, so nothing comes back. */
export function evaluate(expression: string): WireValue[] {
  const value = STANDIN_CONSTANTS[expression];
  if (value !== undefined) return [value];
  if (/^sim\.[A-Za-z_][A-Za-z0-9_]*$/.test(expression)) return [];
  throw new LuaError(`[string "return ${expression}"]:1: the stand-in evaluates constant names only`);
}
