/**
 * Kitchen: serve water. The robot takes the pitcher or bottle, pours into the person's cup, puts the
 * source back and hands the cup over or puts it down where the person wants it.
 */
import type { MistakeType, ObjectKind, SceneObject, Vec3 } from '../types';
import type { Rng } from '../rng';
import {
  DEFAULT_LIGHTING,
  PERSON_ID,
  TABLE,
  capacityLitres,
  isDrinkingVessel,
  isSource,
  isVessel,
  openingRadius,
  type KitchenTask,
  type Scene,
} from '../world';
import { FILL_MIN, FILL_TARGET, SPILL_LIMIT } from '../physics';
import { handOverPoint } from '../planner';
import { Layout, makeObject, randomLighting } from '../layout';
import { normalize, sub, vec3 } from '../vec';
import {
  ALL_COLOURS,
  IdMaker,
  deliveryIntent,
  describeObject,
  drawColours,
  layoutOf,
  misplaced,
  mustFind,
  placedPastEdge,
  slippingGrip,
  truthOf,
  type Injection,
  type ScenarioModule,
} from './common';

const DRINK_KINDS: readonly ObjectKind[] = ['cup', 'mug', 'glass'];
const TABLE_AREA = { xMin: -0.24, xMax: 0.32, yMin: -0.5, yMax: 0.5 };
const RELATION_OFFSET = 0.15;

const chestOf = (scene: Scene): Vec3 => scene.person.position;

/** Where "in front of" (towards the person) and "behind" a reference object are. */
function frontAndBehind(scene: Scene, ref: SceneObject): { front: Vec3; behind: Vec3 } {
  const u = normalize(sub(chestOf(scene), ref.position));
  const k = RELATION_OFFSET + 0.5 * ref.size[0];
  return {
    front: vec3(ref.position.x + u.x * k, ref.position.y + u.y * k, 0),
    behind: vec3(ref.position.x - u.x * k, ref.position.y - u.y * k, 0),
  };
}

function generate(rng: Rng, mistake: MistakeType): Scene {
  const ids = new IdMaker();
  const py = rng.range(-0.12, 0.12);
  const person = { position: vec3(0.65, py, 0) };
  const layout = new Layout(rng);
  const objects: SceneObject[] = [];
  const relationTask = mistake === 'wrong_relation' || (mistake === 'none' && rng.chance(0.25));
  const placeTask = relationTask || rng.chance(0.5);

  const sourceKind: ObjectKind = rng.chance(0.6) ? 'pitcher' : 'bottle';
  const st = rng.float();
  const sourceArea = relationTask
    ? { xMin: -0.02, xMax: 0.2, yMin: py - 0.24, yMax: py + 0.24 }
    : { xMin: -0.22, xMax: 0.22, yMin: -0.45, yMax: 0.45 };
  const sourceSize = makeObject({ id: 'x', kind: sourceKind, colour: 'white', state: 'full', t: st, x: 0, y: 0, yaw: 0 }).size;
  const spot = layout.sample(sourceSize[0] / 2, sourceArea, 0.05) ?? { x: 0.05, y: py };
  const sourceYaw = Math.atan2(spot.y, spot.x + 0.55) + rng.range(-0.4, 0.4);
  const source = makeObject({ id: ids.next(sourceKind), kind: sourceKind, colour: rng.pick(ALL_COLOURS), state: 'full', t: st, x: spot.x, y: spot.y, yaw: sourceYaw });
  objects.push(source);
  layout.reserve(source.position.x, source.position.y, source.size[0] / 2);

  let goal: { centre: Vec3; radius: number } | null = null;
  if (relationTask) {
    const { front, behind } = frontAndBehind({ ...emptyScene(person), objects }, source);
    layout.reserve(behind.x, behind.y, 0.07);
    goal = { centre: front, radius: 0.045 };
  } else if (placeTask) {
    goal = { centre: vec3(rng.range(0.2, 0.3), py + rng.range(-0.15, 0.15), 0), radius: 0.05 };
  }
  if (goal) {
    // Keep the goal and the person's way to it clear, so that nothing tall stands in between.
    for (const k of [0, 0.35, 0.7]) {
      layout.reserve(goal.centre.x + (0.65 - goal.centre.x) * k, goal.centre.y + (py - goal.centre.y) * k, 0.07);
    }
  }

  const nCups = rng.int(2, 5);
  const colours = drawColours(rng, nCups, ALL_COLOURS, 0.35);
  for (let i = 0; i < nCups; i++) {
    const kind = rng.pick(DRINK_KINDS);
    const t = rng.float();
    const probe = makeObject({ id: 'x', kind, colour: 'white', state: 'empty', t, x: 0, y: 0, yaw: 0 });
    const at = layout.sample(probe.size[0] / 2, TABLE_AREA, 0.05);
    if (!at) continue;
    objects.push(makeObject({ id: ids.next(kind), kind, colour: colours[i] ?? 'white', state: 'empty', t, x: at.x, y: at.y, yaw: rng.range(-Math.PI, Math.PI) }));
    layout.reserve(at.x, at.y, probe.size[0] / 2);
  }
  const extras: ObjectKind[] = [];
  for (let i = rng.int(0, 1); i > 0; i--) extras.push('bowl');
  for (let i = rng.int(0, 2); i > 0; i--) extras.push('plate');
  for (const kind of extras) {
    const t = rng.float();
    const probe = makeObject({ id: 'x', kind, colour: 'white', state: 'none', t, x: 0, y: 0, yaw: 0 });
    const at = layout.sample(probe.size[0] / 2, TABLE_AREA, 0.04);
    if (!at) continue;
    objects.push(makeObject({ id: ids.next(kind), kind, colour: rng.pick(ALL_COLOURS), state: kind === 'bowl' ? 'empty' : 'none', t, x: at.x, y: at.y, yaw: 0 }));
    layout.reserve(at.x, at.y, probe.size[0] / 2);
  }
  const cups = objects.filter((o) => isDrinkingVessel(o.kind));
  const cup = rng.pick(cups);
  const task: KitchenTask = { scenario: 'kitchen', source: source.id, cup: cup.id, delivery: goal ? 'place' : 'hand_over', goal };
  return { ...emptyScene(person), objects: rng.shuffle(objects), lighting: randomLighting(rng), task };
}

function emptyScene(person: { position: Vec3 }): Scene {
  return {
    scenario: 'kitchen',
    objects: [],
    person,
    robot: { action: 'idle', target: null, heldObject: null },
    lighting: DEFAULT_LIGHTING,
    conveyor: null,
    task: null,
  };
}

function drawTask(scene: Scene, rng: Rng, mistake: MistakeType): KitchenTask | null {
  const sources = scene.objects.filter((o) => isSource(o.kind));
  const cups = scene.objects.filter((o) => isDrinkingVessel(o.kind));
  if (sources.length === 0 || cups.length === 0) return null;
  const source = rng.pick(sources);
  const cup = rng.pick(cups);
  if (mistake === 'wrong_relation') {
    const { front } = frontAndBehind(scene, source);
    return { scenario: 'kitchen', source: source.id, cup: cup.id, delivery: 'place', goal: { centre: front, radius: 0.045 } };
  }
  if (rng.chance(0.5)) return { scenario: 'kitchen', source: source.id, cup: cup.id, delivery: 'hand_over', goal: null };
  const layout = layoutOf(scene, rng);
  const at = layout.sample(0.06, { xMin: 0.14, xMax: 0.36, yMin: scene.person.position.y - 0.2, yMax: scene.person.position.y + 0.2 }, 0.02);
  return at
    ? { scenario: 'kitchen', source: source.id, cup: cup.id, delivery: 'place', goal: { centre: vec3(at.x, at.y, 0), radius: 0.05 } }
    : { scenario: 'kitchen', source: source.id, cup: cup.id, delivery: 'hand_over', goal: null };
}

/** A bare spot next to the cup where poured water lands on the table. */
function besidePoint(scene: Scene, cup: SceneObject, rng: Rng): Vec3 | null {
  for (let i = 0; i < 40; i++) {
    const a = rng.range(-Math.PI, Math.PI);
    const d = rng.range(0.11, 0.15);
    const p = vec3(cup.position.x + Math.cos(a) * d, cup.position.y + Math.sin(a) * d, 0);
    if (Math.abs(p.x) > TABLE.halfX - 0.05 || Math.abs(p.y) > TABLE.halfY - 0.05) continue;
    const clear = scene.objects.every((o) => !isVessel(o.kind) || Math.hypot(o.position.x - p.x, o.position.y - p.y) > 0.5 * o.size[0] + 0.04);
    if (clear) return p;
  }
  return null;
}

function inject(scene: Scene, task: KitchenTask, mistake: MistakeType, rng: Rng): Injection | null {
  const source = mustFind(scene, task.source);
  const cup = mustFind(scene, task.cup);
  const handPoint = handOverPoint(scene);
  const destination = task.delivery === 'place' && task.goal ? task.goal.centre : handPoint;
  const base = deliveryIntent('kitchen', cup.id, 'side', task.delivery, destination, { source: source.id, sourceHome: source.position, pourInto: cup.id });
  const needed = FILL_TARGET * capacityLitres(cup);
  let margin = rng.range(0.05, 0.09);
  const fillsWith = (m: number): Record<string, number> => ({ [source.id]: needed + m });
  const cupName = describeObject(cup);
  const srcName = describeObject(source);
  const fetchTruth = task.delivery === 'hand_over' ? 'hand it to the person' : 'put it down where the person wants it';

  switch (mistake) {
    case 'none':
      return {
        intent: base,
        truth: truthOf({ type: 'none', description: `pours water from the ${srcName} into the ${cupName} and ${fetchTruth}` }),
        visible: null,
        pointOfNoReturn: null,
        fills: fillsWith(margin),
      };
    case 'wrong_object': {
      const others = scene.objects.filter((o) => isDrinkingVessel(o.kind) && o.id !== cup.id);
      const roomy = others.filter((o) => 0.6 * FILL_TARGET * capacityLitres(o) - (1 - FILL_MIN / FILL_TARGET) * needed >= 0.02);
      if (roomy.length === 0) return null;
      const wrong = rng.pick(roomy);
      // The source holds little more than the person's cup needs, so pouring into the wrong cup
      // soon leaves too little for the right one.
      margin = Math.min(margin, 0.6 * FILL_TARGET * capacityLitres(wrong) - (1 - FILL_MIN / FILL_TARGET) * needed);
      const allowance = needed + margin - FILL_MIN * capacityLitres(cup) - 0.004;
      return {
        intent: { ...base, pourInto: wrong.id, item: wrong.id },
        truth: truthOf({
          type: 'wrong_object',
          description: `pours into the ${describeObject(wrong)} instead of the person's ${cupName}`,
          wrongObject: wrong.id,
          target: cup.id,
          correction: { kind: 'retarget', targetObject: cup.id },
          failure: 'wrong_object_delivered',
        }),
        visible: { action: 'transport', target: wrong.id, at: 0.55 },
        pointOfNoReturn: { action: 'pour', target: wrong.id, at: { flow: allowance, measure: 'outflow' } },
        fills: fillsWith(margin),
      };
    }
    case 'wrong_action': {
      if (task.delivery === 'hand_over' && rng.chance(0.5)) return placedPastEdge(base, handPoint, cupName, fillsWith(margin));
      return {
        intent: { ...base, pourFirst: false },
        truth: truthOf({
          type: 'wrong_action',
          description: `hands the ${srcName} over instead of pouring into the ${cupName}`,
          wrongObject: source.id,
          target: cup.id,
          correctAction: 'pour',
          correction: { kind: 'change_action', action: 'pour' },
          failure: 'wrong_object_delivered',
        }),
        visible: { action: 'transport', target: PERSON_ID, at: 0.45 },
        pointOfNoReturn: { action: 'hand_over', at: 'release' },
        fills: fillsWith(margin),
      };
    }
    case 'wrong_region': {
      if (task.delivery === 'place' && task.goal && rng.chance(0.5)) {
        const layout = layoutOf(scene, rng);
        const at = layout.sample(0.05, { xMin: -0.32, xMax: -0.12, yMin: -0.45, yMax: 0.45 }, 0.03);
        if (at) {
          const description = `puts the ${cupName} down out of the person's reach`;
          return misplaced(base, vec3(at.x, at.y, 0), { type: 'wrong_region', description, region: task.goal, failure: 'out_of_reach' }, fillsWith(margin));
        }
      }
      const beside = besidePoint(scene, cup, rng);
      if (!beside) return null;
      const region = { centre: vec3(cup.position.x, cup.position.y, 0), radius: openingRadius(cup) };
      return {
        intent: { ...base, pourPoint: beside },
        truth: truthOf({
          type: 'wrong_region',
          description: `pours beside the ${cupName}, onto the table`,
          target: cup.id,
          region,
          correction: { kind: 'move_region', region },
          failure: 'spill',
        }),
        visible: { action: 'transport', target: cup.id, at: 0.5 },
        pointOfNoReturn: { action: 'pour', target: cup.id, at: { flow: SPILL_LIMIT, measure: 'spilled' } },
        fills: fillsWith(margin),
      };
    }
    case 'wrong_pose': {
      if (rng.chance(0.5)) {
        return slippingGrip(base, cup, 'rim', 'side', `grabs the full ${cupName} by its rim; it will slip out`, fillsWith(margin), 0.5);
      }
      return {
        intent: { ...base, sourceGrasp: 'tilted' },
        truth: truthOf({
          type: 'wrong_pose',
          description: `holds the ${srcName} tilted; water runs out on the way`,
          target: source.id,
          correctGrasp: 'side',
          correction: { kind: 'adjust_pose', grasp: 'side' },
          failure: 'spill',
        }),
        visible: { action: 'reach', target: source.id, at: 0.5 },
        pointOfNoReturn: { action: 'lift', target: source.id, at: { flow: SPILL_LIMIT, measure: 'spilled' } },
        fills: fillsWith(margin),
      };
    }
    case 'wrong_relation': {
      if (task.delivery !== 'place' || !task.goal) return null;
      const { front, behind } = frontAndBehind(scene, source);
      if (Math.hypot(front.x - task.goal.centre.x, front.y - task.goal.centre.y) > 0.01) return null;
      const layout = layoutOf(scene, rng);
      if (!layout.isFree(behind.x, behind.y, 0.5 * cup.size[0], 0.005)) return null;
      return misplaced(
        base,
        behind,
        {
          type: 'wrong_relation',
          description: `puts the ${cupName} behind the ${srcName} instead of in front of it`,
          region: task.goal,
          relation: 'in_front_of',
          referenceObject: source.id,
          failure: 'out_of_reach',
        },
        fillsWith(margin),
      );
    }
  }
}

export const kitchen: ScenarioModule = {
  generate,
  drawTask,
  inject: (scene, task, mistake, rng) => (task.scenario === 'kitchen' ? inject(scene, task, mistake, rng) : null),
};
