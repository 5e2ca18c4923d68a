/**
 * Tabletop: coloured blocks. The robot picks the block the person means and puts it where they
 * want it (a spot, or beside another block) or hands it over.
 */
import type { Colour, MistakeType, SceneObject, SpatialRelation, Vec3 } from '../types';
import type { Rng } from '../rng';
import { TABLE, type Scene, type TabletopTask } from '../world';
import { handOverPoint } from '../planner';
import { Layout, makeObject, randomLighting } from '../layout';
import { vec3 } from '../vec';
import { IdMaker, deliveryIntent, describeObject, drawColours, layoutOf, misplaced, mustFind, placedPastEdge, slippingGrip, truthOf, type Injection, type ScenarioModule } from './common';

const BLOCK_COLOURS: readonly Colour[] = ['red', 'orange', 'yellow', 'green', 'blue', 'purple', 'pink', 'white', 'black', 'brown'];
const AREA = { xMin: -0.26, xMax: 0.32, yMin: -0.46, yMax: 0.46 };
const GOAL_RADIUS = 0.045;
const RELATION_OFFSET = 0.1;

/** Unit direction of a relation in the speaker's view: the person faces -x, their right is +y. */
export function relationDirection(r: SpatialRelation): Vec3 | null {
  switch (r) {
    case 'left_of':
      return vec3(0, -1, 0);
    case 'right_of':
      return vec3(0, 1, 0);
    case 'in_front_of':
      return vec3(1, 0, 0);
    case 'behind':
      return vec3(-1, 0, 0);
    default:
      return null;
  }
}

const OPPOSITE: Partial<Record<SpatialRelation, SpatialRelation>> = {
  left_of: 'right_of',
  right_of: 'left_of',
  in_front_of: 'behind',
  behind: 'in_front_of',
};

const onTable = (p: Vec3, margin: number): boolean => Math.abs(p.x) <= TABLE.halfX - margin && Math.abs(p.y) <= TABLE.halfY - margin;

function relationSpot(ref: SceneObject, r: SpatialRelation): Vec3 {
  const d = relationDirection(r) as Vec3;
  const k = RELATION_OFFSET + 0.5 * ref.size[0];
  return vec3(ref.position.x + d.x * k, ref.position.y + d.y * k, 0);
}

function generate(rng: Rng): Scene {
  const ids = new IdMaker();
  const layout = new Layout(rng);
  const n = rng.int(5, 10);
  const colours = drawColours(rng, n, BLOCK_COLOURS, 0.4);
  const objects: SceneObject[] = [];
  for (let i = 0; i < n; i++) {
    const t = rng.float();
    const probe = makeObject({ id: 'x', kind: 'block', colour: 'red', state: 'none', t, x: 0, y: 0, yaw: 0 });
    const r = 0.5 * Math.hypot(probe.size[0], probe.size[1]);
    const at = layout.sample(r, AREA, 0.03);
    if (!at) continue;
    layout.reserve(at.x, at.y, r);
    objects.push(makeObject({ id: ids.next('block'), kind: 'block', colour: colours[i] as Colour, state: 'none', t, x: at.x, y: at.y, yaw: rng.range(-0.6, 0.6) }));
  }
  const scene: Scene = {
    scenario: 'tabletop',
    objects: rng.shuffle(objects),
    person: { position: vec3(0.65, rng.range(-0.1, 0.1), 0) },
    robot: { action: 'idle', target: null, heldObject: null },
    lighting: randomLighting(rng),
    conveyor: null,
    task: null,
  };
  return scene;
}

/** A free goal for `block`: beside another block (by a relation) or a free spot. */
function drawTask(scene: Scene, rng: Rng, mistake: MistakeType): TabletopTask | null {
  const blocks = scene.objects.filter((o) => o.kind === 'block');
  if (blocks.length === 0) return null;
  const block = rng.pick(blocks);
  const layout = layoutOf(scene, rng);
  const wantsPlace = mistake === 'wrong_relation' || mistake === 'wrong_region' || rng.chance(0.65);
  if (!wantsPlace) return { scenario: 'tabletop', block: block.id, delivery: 'hand_over', goal: null, relation: null };
  const wantsRelation = mistake === 'wrong_relation' || (mistake !== 'wrong_region' && rng.chance(0.5));
  // A block to place by is one the person can name by its colour: "left of the block" among
  // five blocks, or "the black block" among two, names no place.
  const landmarks = blocks.filter((b) => b.id !== block.id && scene.objects.filter((o) => o.colour === b.colour).length === 1);
  if (wantsRelation && landmarks.length > 0) {
    for (let i = 0; i < 30; i++) {
      const ref = rng.pick(landmarks);
      const relation = rng.pick<SpatialRelation>(['left_of', 'right_of', 'in_front_of', 'behind']);
      const spot = relationSpot(ref, relation);
      const other = relationSpot(ref, OPPOSITE[relation] as SpatialRelation);
      const freeHere = (p: Vec3): boolean =>
        onTable(p, 0.06) && scene.objects.every((o) => o.id === block.id || Math.hypot(o.position.x - p.x, o.position.y - p.y) > 0.06 + 0.5 * o.size[0]);
      if (!freeHere(spot) || (mistake === 'wrong_relation' && !freeHere(other))) continue;
      return { scenario: 'tabletop', block: block.id, delivery: 'place', goal: { centre: spot, radius: GOAL_RADIUS }, relation: { relation, reference: ref.id } };
    }
  }
  if (mistake === 'wrong_relation') return null;
  // A place named by no block is "in front of me", as a person says it: straight ahead of them,
  // within easy reach (a free spot anywhere on the table is one no reminder could name).
  const py = scene.person.position.y;
  const r = 0.07;
  // The kitchen's "in front of me" (centre 0.22-0.28 m out, 6 cm); sample() keeps the whole disc
  // inside the area it is given, hence the area widened by r.
  const at = layout.sample(r, { xMin: 0.22 - r, xMax: 0.28 + r, yMin: py - 0.03 - r, yMax: py + 0.03 + r }, 0.0);
  if (!at) return mistake === 'wrong_region' ? null : { scenario: 'tabletop', block: block.id, delivery: 'hand_over', goal: null, relation: null };
  return { scenario: 'tabletop', block: block.id, delivery: 'place', goal: { centre: vec3(at.x, at.y, 0), radius: 0.06 }, relation: null };
}

function inject(scene: Scene, task: TabletopTask, mistake: MistakeType, rng: Rng): Injection | null {
  const block = mustFind(scene, task.block);
  const name = describeObject(block);
  const dest = task.delivery === 'place' && task.goal ? task.goal.centre : handOverPoint(scene);
  const base = deliveryIntent('tabletop', block.id, 'centre', task.delivery, dest);
  const deliveryStep = task.delivery === 'place' ? 'place' : 'hand_over';
  switch (mistake) {
    case 'none':
      return { intent: base, truth: truthOf({ type: 'none', description: `takes the ${name} and ${task.delivery === 'place' ? 'puts it where the person wants it' : 'hands it over'}` }), visible: null, pointOfNoReturn: null, fills: {} };
    case 'wrong_object': {
      const others = scene.objects.filter((o) => o.kind === 'block' && o.id !== block.id && (!task.relation || o.id !== task.relation.reference));
      if (others.length === 0) return null;
      const wrong = rng.pick(others);
      return {
        intent: { ...base, item: wrong.id },
        truth: truthOf({
          type: 'wrong_object',
          description: `takes the ${describeObject(wrong)} instead of the ${name}`,
          wrongObject: wrong.id,
          target: block.id,
          correction: { kind: 'retarget', targetObject: block.id },
          failure: 'wrong_object_delivered',
        }),
        visible: { action: 'reach', target: wrong.id, at: 0.85 },
        pointOfNoReturn: { action: deliveryStep, occurrence: 'last', at: 'release' },
        fills: {},
      };
    }
    case 'wrong_action':
      if (task.delivery === 'hand_over') return placedPastEdge(base, dest, name);
      return {
        intent: { ...base, delivery: 'drop', destination: vec3(dest.x, dest.y, 0.2), dropHover: rng.range(1.2, 1.8) },
        truth: truthOf({
          type: 'wrong_action',
          description: `lets the ${name} fall from above instead of putting it down`,
          // What the person attends to: where it should be put down (the kitchen's is the cup to
          // pour into, the factory's the reject bin).
          region: task.goal,
          correctAction: 'place',
          correction: { kind: 'change_action', action: 'place' },
          failure: 'drop',
        }),
        visible: { action: 'drop', at: 0.15 },
        pointOfNoReturn: { action: 'drop', at: 'release' },
        fills: {},
      };
    case 'wrong_region': {
      if (task.delivery !== 'place' || !task.goal) return null;
      const goal = task.goal;
      const layout = layoutOf(scene, rng);
      let spot: { x: number; y: number } | null = null;
      for (let i = 0; i < 40 && !spot; i++) {
        const at = layout.sample(0.04, AREA, 0.01);
        if (at && Math.hypot(at.x - goal.centre.x, at.y - goal.centre.y) > 0.18) spot = at;
      }
      if (!spot) return null;
      return misplaced(base, vec3(spot.x, spot.y, 0), { type: 'wrong_region', description: `puts the ${name} down in the wrong place`, region: goal, failure: 'not_delivered' });
    }
    case 'wrong_pose':
      return slippingGrip(base, block, 'off_centre', 'centre', `grips the ${name} at its edge; it will slip out when lifted`);
    case 'wrong_relation': {
      if (!task.relation || !task.goal) return null;
      const ref = mustFind(scene, task.relation.reference);
      const opposite = OPPOSITE[task.relation.relation];
      if (!opposite) return null;
      const wrongSpot = relationSpot(ref, opposite);
      if (!onTable(wrongSpot, 0.05)) return null;
      const words = (r: SpatialRelation): string => r.replace(/_/g, ' ');
      return misplaced(base, wrongSpot, {
        type: 'wrong_relation',
        description: `puts the ${name} ${words(opposite)} the ${describeObject(ref)} instead of ${words(task.relation.relation)} it`,
        region: task.goal,
        relation: task.relation.relation,
        referenceObject: ref.id,
        failure: 'not_delivered',
      });
    }
  }
}

export const tabletop: ScenarioModule = {
  generate: (rng) => generate(rng),
  drawTask,
  inject: (scene, task, mistake, rng) => (task.scenario === 'tabletop' ? inject(scene, task, mistake, rng) : null),
};
