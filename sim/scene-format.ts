/**
 * The SCENE format: a JSON description of a static scene that the simulator builds episodes from
 * and `h2r ground` reads.
 *
 * {
 *   "scenario": "kitchen" | "factory" | "tabletop",
 *   "objects": [ { "id": "cup_1", "kind": "cup", "colour": "red", "state": "empty",
 *                  "position": {"x": 0.1, "y": 0.2, "z": 0} or [0.1, 0.2, 0],
 *                  "size": [0.08, 0.08, 0.09], "yaw": 0 } ],          // metres, radians; yaw optional
 *   "person":   { "position": {"x": 0.65, "y": 0, "z": 0} },          // optional, seated across the table
 *   "robot":    { "action": "reach", "target": "cup_1", "heldObject": null },   // optional
 *   "lighting": { "brightness": 1, "tint": [1, 1, 1], "direction": [-0.35, 0.3, 0.89] },  // optional
 *   "conveyor": { "centreX": 0, "width": 0.17, "height": 0.05, "speed": 0.03, "halfLength": 0.5 }, // factory
 *   "task":     { ... }                                               // optional: what success means
 * }
 *
 * World frame: origin at the table-top centre, +x from the robot towards the person, +y the robot's
 * left, z up. Objects stand on the table (|x| <= 0.45, |y| <= 0.6) and must not overlap unless one
 * stands on the other (its z at the other's top).
 */
import {
  COLOURS,
  OBJECT_KINDS,
  SCENARIOS,
  type Colour,
  type ObjectKind,
  type ObjectState,
  type Region,
  type RobotAction,
  type SceneObject,
  type SpatialRelation,
  type Vec3,
} from './types';
import {
  ACTIONS,
  DEFAULT_LIGHTING,
  DEFAULT_PERSON_POSITION,
  FIXED_ENTITY_IDS,
  PERSON_ID,
  TABLE,
  isVessel,
  type Conveyor,
  type Lighting,
  type Scene,
  type Task,
} from './world';
import { relativeSize, sizeClassOf } from './layout';
import { SceneFormatError, finite, isRecord, join, oneOf, point, record, required, show, str, tuple3 } from './json-check';

export { SceneFormatError };

const OBJECT_FIELDS = ['id', 'kind', 'colour', 'state', 'position', 'size', 'yaw', 'sizeClass'] as const;
const RELATIONS: readonly SpatialRelation[] = [
  'left_of', 'right_of', 'in_front_of', 'behind', 'next_to', 'between', 'in', 'on', 'closest_to', 'farthest_from',
];
export const DEFAULT_CONVEYOR: Conveyor = { centreX: 0.02, width: 0.17, height: 0.05, speed: 0.025, halfLength: 0.5 };

function statesFor(kind: ObjectKind): readonly ObjectState[] {
  if (isVessel(kind)) return ['empty', 'full'];
  if (kind === 'gear') return ['good', 'defective'];
  return ['none'];
}

function parseObject(v: unknown, path: string): SceneObject {
  const r = record(v, path, OBJECT_FIELDS);
  const id = str(required(r, 'id', path), join(path, 'id'));
  if (id.trim() === '') throw new SceneFormatError(join(path, 'id'), 'must not be empty');
  if (id === PERSON_ID || (FIXED_ENTITY_IDS as readonly string[]).includes(id)) {
    throw new SceneFormatError(join(path, 'id'), `"${id}" is reserved (person, ${FIXED_ENTITY_IDS.join(', ')})`);
  }
  const kind = oneOf(required(r, 'kind', path), join(path, 'kind'), OBJECT_KINDS.filter((k) => k !== 'person'), 'an object kind');
  const colour: Colour = oneOf(required(r, 'colour', path), join(path, 'colour'), COLOURS, 'a colour');
  const allowedStates = statesFor(kind);
  const state = oneOf(required(r, 'state', path), join(path, 'state'), allowedStates, `a state of a ${kind}`);
  const position = point(required(r, 'position', path), join(path, 'position'));
  const size = tuple3(required(r, 'size', path), join(path, 'size'));
  size.forEach((s, i) => {
    if (s <= 0 || s > 1) throw new SceneFormatError(join(join(path, 'size'), i), `must be in (0, 1] metres, got ${s}`);
  });
  const yaw = r.yaw === undefined ? 0 : finite(r.yaw, join(path, 'yaw'));
  const sizeClass = r.sizeClass === undefined
    ? sizeClassOf(relativeSize(kind, size))
    : oneOf(r.sizeClass, join(path, 'sizeClass'), ['small', 'medium', 'big'] as const, 'a size class');
  if (Math.abs(position.x) > TABLE.halfX || Math.abs(position.y) > TABLE.halfY) {
    throw new SceneFormatError(
      join(path, 'position'),
      `(${position.x}, ${position.y}) is off the table (x within ±${TABLE.halfX}, y within ±${TABLE.halfY})`,
    );
  }
  if (position.z < -1e-9 || position.z > 0.5) throw new SceneFormatError(join(path, 'position.z'), `must be between 0 and 0.5 m, got ${position.z}`);
  return { id, kind, colour, state, size, sizeClass, position, yaw };
}

/** Radius used for the overlap check: boxes by their inscribed circle, round things by their rim. */
const overlapRadius = (o: SceneObject): number =>
  o.kind === 'bin' || o.kind === 'block' ? 0.5 * Math.min(o.size[0], o.size[1]) : 0.5 * Math.max(o.size[0], o.size[1]);

function checkOverlaps(objects: readonly SceneObject[]): void {
  for (let i = 0; i < objects.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = objects[i] as SceneObject;
      const b = objects[j] as SceneObject;
      const gap = Math.hypot(a.position.x - b.position.x, a.position.y - b.position.y) - overlapRadius(a) - overlapRadius(b);
      const overlaps = gap < -0.006;
      const stacked = a.position.z >= b.position.z + b.size[2] - 0.005 || b.position.z >= a.position.z + a.size[2] - 0.005;
      if (overlaps && !stacked) {
        throw new SceneFormatError(`objects[${i}]`, `${a.id} overlaps objects[${j}] (${b.id}); move one of them apart`);
      }
    }
  }
}

function parseLighting(v: unknown, path: string): Lighting {
  const r = record(v, path, ['brightness', 'tint', 'direction']);
  const brightness = r.brightness === undefined ? 1 : finite(r.brightness, join(path, 'brightness'));
  if (brightness <= 0 || brightness > 3) throw new SceneFormatError(join(path, 'brightness'), `must be in (0, 3], got ${brightness}`);
  const tint = r.tint === undefined ? DEFAULT_LIGHTING.tint : tuple3(r.tint, join(path, 'tint'));
  tint.forEach((c, i) => {
    if (c < 0 || c > 2) throw new SceneFormatError(join(join(path, 'tint'), i), `must be in [0, 2], got ${c}`);
  });
  const d = r.direction === undefined ? DEFAULT_LIGHTING.direction : point(r.direction, join(path, 'direction'));
  const len = Math.hypot(d.x, d.y, d.z);
  if (len < 1e-6 || d.z <= 0) throw new SceneFormatError(join(path, 'direction'), 'must point up from the table (z > 0)');
  const k = Math.abs(len - 1) < 1e-4 ? 1 : 1 / len;
  return { brightness, tint: [tint[0], tint[1], tint[2]], direction: { x: d.x * k, y: d.y * k, z: d.z * k } };
}

function parseConveyor(v: unknown, path: string): Conveyor {
  const r = record(v, path, ['centreX', 'width', 'height', 'speed', 'halfLength']);
  const get = (k: keyof Conveyor): number => (r[k] === undefined ? DEFAULT_CONVEYOR[k] : finite(r[k], join(path, k)));
  const c: Conveyor = { centreX: get('centreX'), width: get('width'), height: get('height'), speed: get('speed'), halfLength: get('halfLength') };
  if (c.width <= 0.05 || c.width > 0.5) throw new SceneFormatError(join(path, 'width'), `must be in (0.05, 0.5] m, got ${c.width}`);
  if (Math.abs(c.speed) > 0.2) throw new SceneFormatError(join(path, 'speed'), `must be within ±0.2 m/s, got ${c.speed}`);
  if (c.halfLength <= 0.1 || c.halfLength > TABLE.halfY) throw new SceneFormatError(join(path, 'halfLength'), `must be in (0.1, ${TABLE.halfY}] m, got ${c.halfLength}`);
  return c;
}

function parseRegion(v: unknown, path: string): Region {
  const r = record(v, path, ['centre', 'radius']);
  const radius = finite(required(r, 'radius', path), join(path, 'radius'));
  if (radius <= 0) throw new SceneFormatError(join(path, 'radius'), `must be positive, got ${radius}`);
  return { centre: point(required(r, 'centre', path), join(path, 'centre')), radius };
}

function parseTask(v: unknown, path: string, ids: ReadonlyMap<string, SceneObject>): Task {
  if (!isRecord(v)) throw new SceneFormatError(path, `expected an object, got ${show(v)}`);
  const scenario = oneOf(required(v, 'scenario', path), join(path, 'scenario'), SCENARIOS, 'a scenario');
  const ref = (key: string, kinds: readonly ObjectKind[]): string => {
    const id = str(required(v, key, path), join(path, key));
    const o = ids.get(id);
    if (!o) throw new SceneFormatError(join(path, key), `"${id}" is not an object of this scene`);
    if (!kinds.includes(o.kind)) throw new SceneFormatError(join(path, key), `"${id}" is a ${o.kind}; expected a ${kinds.join(' or ')}`);
    return id;
  };
  const goal = (): Region | null => (v.goal === undefined || v.goal === null ? null : parseRegion(v.goal, join(path, 'goal')));
  const delivery = (): 'hand_over' | 'place' => oneOf(required(v, 'delivery', path), join(path, 'delivery'), ['hand_over', 'place'] as const, 'a delivery');
  if (scenario === 'kitchen') {
    record(v, path, ['scenario', 'source', 'cup', 'delivery', 'goal']);
    return { scenario, source: ref('source', ['pitcher', 'bottle']), cup: ref('cup', ['cup', 'mug', 'glass']), delivery: delivery(), goal: goal() };
  }
  if (scenario === 'factory') {
    record(v, path, ['scenario', 'defective', 'rejectBin']);
    return { scenario, defective: ref('defective', ['gear']), rejectBin: ref('rejectBin', ['bin']) };
  }
  record(v, path, ['scenario', 'block', 'delivery', 'goal', 'relation']);
  let relation: { relation: SpatialRelation; reference: string } | null = null;
  if (v.relation !== undefined && v.relation !== null) {
    const rp = join(path, 'relation');
    const rr = record(v.relation, rp, ['relation', 'reference']);
    const reference = str(required(rr, 'reference', rp), join(rp, 'reference'));
    if (!ids.has(reference)) throw new SceneFormatError(join(rp, 'reference'), `"${reference}" is not an object of this scene`);
    relation = { relation: oneOf(required(rr, 'relation', rp), join(rp, 'relation'), RELATIONS, 'a relation'), reference };
  }
  return { scenario, block: ref('block', ['block']), delivery: delivery(), goal: goal(), relation };
}

/** Parses and checks a SCENE; throws a SceneFormatError naming the bad field's path. */
export function parseScene(json: unknown): Scene {
  const r = record(json, '', ['scenario', 'objects', 'person', 'robot', 'lighting', 'conveyor', 'task']);
  const scenario = oneOf(required(r, 'scenario', ''), 'scenario', SCENARIOS, 'a scenario');
  const rawObjects = required(r, 'objects', '');
  if (!Array.isArray(rawObjects)) throw new SceneFormatError('objects', `expected an array, got ${show(rawObjects)}`);
  if (rawObjects.length === 0) throw new SceneFormatError('objects', 'must list at least one object');
  const objects = rawObjects.map((o, i) => parseObject(o, `objects[${i}]`));
  const ids = new Map<string, SceneObject>();
  objects.forEach((o, i) => {
    if (ids.has(o.id)) throw new SceneFormatError(`objects[${i}].id`, `"${o.id}" is used twice`);
    ids.set(o.id, o);
  });
  const conveyor = r.conveyor !== undefined && r.conveyor !== null ? parseConveyor(r.conveyor, 'conveyor') : scenario === 'factory' ? DEFAULT_CONVEYOR : null;
  checkOverlaps(objects);
  let personPosition: Vec3 = DEFAULT_PERSON_POSITION;
  if (r.person !== undefined) {
    const p = record(r.person, 'person', ['position']);
    personPosition = point(required(p, 'position', 'person'), 'person.position');
    if (personPosition.x < TABLE.halfX || personPosition.x > 1.2 || Math.abs(personPosition.y) > TABLE.halfY) {
      throw new SceneFormatError('person.position', `the person sits across the table from the robot (x in [${TABLE.halfX}, 1.2], |y| <= ${TABLE.halfY}), got (${personPosition.x}, ${personPosition.y})`);
    }
  }
  let robot: Scene['robot'] = { action: 'idle', target: null, heldObject: null };
  if (r.robot !== undefined) {
    const rr = record(r.robot, 'robot', ['action', 'target', 'heldObject']);
    const action: RobotAction = rr.action === undefined ? 'idle' : oneOf(rr.action, 'robot.action', ACTIONS, 'a robot action');
    const objectRef = (key: 'target' | 'heldObject'): string | null => {
      const value = rr[key];
      if (value === undefined || value === null || value === '') return null;
      const id = str(value, `robot.${key}`);
      if (!ids.has(id) && id !== PERSON_ID) throw new SceneFormatError(`robot.${key}`, `"${id}" is not an object of this scene`);
      return id;
    };
    robot = { action, target: objectRef('target'), heldObject: objectRef('heldObject') };
  }
  const lighting = r.lighting === undefined ? DEFAULT_LIGHTING : parseLighting(r.lighting, 'lighting');
  const task = r.task === undefined || r.task === null ? null : parseTask(r.task, 'task', ids);
  if (task && task.scenario !== scenario) throw new SceneFormatError('task.scenario', `"${task.scenario}" does not match scenario "${scenario}"`);
  return { scenario, objects, person: { position: personPosition }, robot, lighting, conveyor, task };
}

const roundTrip = (v: number): number => Math.round(v * 1e6) / 1e6;
const pointJson = (p: Vec3): { x: number; y: number; z: number } => ({ x: roundTrip(p.x), y: roundTrip(p.y), z: roundTrip(p.z) });

/** A scene as SCENE JSON (plain data, numbers rounded to micrometres). */
export function sceneToJson(scene: Scene): Record<string, unknown> {
  return {
    scenario: scene.scenario,
    objects: scene.objects.map((o) => ({
      id: o.id,
      kind: o.kind,
      colour: o.colour,
      state: o.state,
      position: pointJson(o.position),
      size: o.size.map(roundTrip),
      yaw: roundTrip(o.yaw),
      sizeClass: o.sizeClass,
    })),
    person: { position: pointJson(scene.person.position) },
    robot: { action: scene.robot.action, target: scene.robot.target, heldObject: scene.robot.heldObject },
    lighting: {
      brightness: roundTrip(scene.lighting.brightness),
      tint: scene.lighting.tint.map(roundTrip),
      direction: pointJson(scene.lighting.direction),
    },
    ...(scene.conveyor ? { conveyor: { ...scene.conveyor } } : {}),
    ...(scene.task ? { task: JSON.parse(JSON.stringify(scene.task)) as unknown } : {}),
  };
}
