/**
 * Factory: gears ride a belt along y; the robot picks the defective one (missing tooth, crack) off
 * the moving belt and drops it into the reject bin, one of two or three bins of different colours.
 */
import type { Colour, MistakeType, SceneObject, SpatialRelation } from '../types';
import type { Rng } from '../rng';
import type { Conveyor, FactoryTask, Scene } from '../world';
import { binInnerHalf, onBelt } from '../physics';
import { binDropPoint } from '../planner';
import { makeObject, randomLighting } from '../layout';
import { vec3 } from '../vec';
import { IdMaker, deliveryIntent, describeObject, mustFind, slippingGrip, truthOf, type Injection, type ScenarioModule } from './common';

const GEAR_COLOURS: readonly Colour[] = ['grey', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'white', 'black'];
const BIN_COLOURS: readonly Colour[] = ['red', 'green', 'blue', 'yellow', 'black', 'grey', 'orange', 'purple'];
/** Seconds the defective gear must stay on the belt, so that a late correction can still catch it. */
const DEFECTIVE_TIME_ON_BELT = 17;

function generate(rng: Rng, mistake: MistakeType): Scene {
  const ids = new IdMaker();
  const speed = rng.range(0.015, 0.032) * (rng.chance(0.5) ? 1 : -1);
  const conveyor: Conveyor = { centreX: rng.range(-0.05, 0.1), width: rng.range(0.15, 0.19), height: 0.05, speed, halfLength: 0.5 };
  const dir = Math.sign(speed);
  const objects: SceneObject[] = [];

  const nBins = mistake === 'wrong_relation' ? 3 : rng.int(2, 3);
  const farSide = rng.chance(0.5);
  const binColours = rng.shuffle(BIN_COLOURS).slice(0, nBins);
  const binT = rng.float();
  const probe = makeObject({ id: 'x', kind: 'bin', colour: 'red', state: 'none', t: binT, x: 0, y: 0, yaw: 0 });
  const bx = farSide
    ? conveyor.centreX + conveyor.width / 2 + 0.04 + probe.size[0] / 2
    : conveyor.centreX - conveyor.width / 2 - 0.04 - probe.size[0] / 2;
  const spacing = probe.size[1] + rng.range(0.06, 0.12);
  const y0 = rng.range(-0.1, 0.1) - ((nBins - 1) * spacing) / 2;
  for (let i = 0; i < nBins; i++) {
    objects.push(makeObject({ id: ids.next('bin'), kind: 'bin', colour: binColours[i] as Colour, state: 'none', t: binT, x: bx, y: y0 + i * spacing, yaw: 0 }));
  }

  // Gears spaced along the belt; the defective one upstream enough to stay a while.
  const nGears = rng.int(3, 6);
  const defectiveIndex = rng.int(0, nGears - 1);
  const upstream = -dir * conveyor.halfLength;
  const latest = dir * (conveyor.halfLength - DEFECTIVE_TIME_ON_BELT * Math.abs(speed));
  let y = upstream + dir * rng.range(0.02, 0.08);
  const gears: SceneObject[] = [];
  for (let i = 0; i < nGears; i++) {
    const t = rng.float();
    const size = makeObject({ id: 'x', kind: 'gear', colour: 'grey', state: 'good', t, x: 0, y: 0, yaw: 0 }).size;
    y += dir * size[0] / 2;
    const defective = i === defectiveIndex || (i === nGears - 1 && !gears.some((g) => g.state === 'defective'));
    if (defective && dir * y > dir * latest) break;
    if (Math.abs(y) > conveyor.halfLength - size[0] / 2 - 0.02) break;
    const x = conveyor.centreX + rng.range(-0.25, 0.25) * (conveyor.width - size[0]);
    gears.push(makeObject({ id: ids.next('gear'), kind: 'gear', colour: rng.pick(GEAR_COLOURS), state: defective ? 'defective' : 'good', t, x, y, z: conveyor.height, yaw: rng.range(0, 2 * Math.PI) }));
    y += dir * (size[0] / 2 + rng.range(0.05, 0.14));
  }
  if (!gears.some((g) => g.state === 'defective')) {
    // The defective one was drawn too far downstream: the most upstream gear is the defective one.
    gears[0] = { ...(gears[0] as SceneObject), state: 'defective' };
  }
  objects.push(...gears);
  const defective = gears.find((g) => g.state === 'defective') as SceneObject;
  const bins = objects.filter((o) => o.kind === 'bin');
  const rejectBin = mistake === 'wrong_relation' ? (rng.chance(0.5) ? bins[0] : bins[2]) as SceneObject : rng.pick(bins);
  const task: FactoryTask = { scenario: 'factory', defective: defective.id, rejectBin: rejectBin.id };
  return {
    scenario: 'factory',
    objects: rng.shuffle(objects),
    person: { position: vec3(0.65, rng.range(-0.1, 0.1), 0) },
    robot: { action: 'idle', target: null, heldObject: null },
    lighting: randomLighting(rng),
    conveyor,
    task,
  };
}

function drawTask(scene: Scene, rng: Rng): FactoryTask | null {
  const defective = scene.objects.filter((o) => o.kind === 'gear' && o.state === 'defective');
  const bins = scene.objects.filter((o) => o.kind === 'bin');
  if (defective.length === 0 || bins.length < 2 || !scene.conveyor) return null;
  return { scenario: 'factory', defective: rng.pick(defective).id, rejectBin: rng.pick(bins).id };
}

/** Speaker's left/right of bin b relative to bin ref: the person faces -x, so their right is +y. */
function sideOf(b: SceneObject, ref: SceneObject): SpatialRelation {
  return b.position.y > ref.position.y ? 'right_of' : 'left_of';
}

function inject(scene: Scene, task: FactoryTask, mistake: MistakeType, rng: Rng): Injection | null {
  const belt = scene.conveyor;
  if (!belt) return null;
  const gear = mustFind(scene, task.defective);
  const reject = mustFind(scene, task.rejectBin);
  const drop = binDropPoint(reject);
  const base = deliveryIntent('factory', gear.id, 'centre', 'drop', drop, { binDestination: drop, dropHover: rng.range(0.25, 0.45) });
  const rejectRegion = { centre: vec3(reject.position.x, reject.position.y, 0), radius: 0.8 * binInnerHalf(reject) };
  const gearName = describeObject(gear);
  const otherBins = scene.objects.filter((o) => o.kind === 'bin' && o.id !== reject.id);
  switch (mistake) {
    case 'none':
      return { intent: base, truth: truthOf({ type: 'none', description: `drops the defective ${gearName} into the ${reject.colour} reject bin` }), visible: null, pointOfNoReturn: null, fills: {} };
    case 'wrong_object': {
      const good = scene.objects.filter(
        (o) => o.kind === 'gear' && o.state === 'good' && onBelt(belt, o.position.x, o.position.y) && belt.halfLength - Math.sign(belt.speed) * o.position.y > 0.35,
      );
      if (good.length === 0) return null;
      const wrong = rng.pick(good);
      return {
        intent: { ...base, item: wrong.id },
        truth: truthOf({
          type: 'wrong_object',
          description: `picks the good ${describeObject(wrong)} instead of the defective ${gearName}`,
          wrongObject: wrong.id,
          target: gear.id,
          correction: { kind: 'retarget', targetObject: gear.id },
          failure: 'good_part_rejected',
        }),
        visible: { action: 'reach', target: wrong.id, at: 0.7 },
        pointOfNoReturn: { action: 'drop', at: 'release' },
        fills: {},
      };
    }
    case 'wrong_action': {
      const end = Math.sign(belt.speed) * (belt.halfLength + 0.04);
      return {
        intent: { ...base, delivery: 'release', destination: vec3(belt.centreX, end, belt.height) },
        truth: truthOf({
          type: 'wrong_action',
          description: `puts the defective ${gearName} back on the belt's outgoing end instead of dropping it into the reject bin`,
          target: reject.id,
          correctAction: 'drop',
          correction: { kind: 'change_action', action: 'drop' },
          failure: 'defective_left',
        }),
        visible: { action: 'transport', occurrence: 'last', at: 0.4 },
        pointOfNoReturn: { action: 'release', occurrence: 'last', at: 'release' },
        fills: {},
      };
    }
    case 'wrong_region': {
      const wrongBin = rng.pick(otherBins);
      return {
        intent: { ...base, destination: binDropPoint(wrongBin), binDestination: binDropPoint(wrongBin) },
        truth: truthOf({
          type: 'wrong_region',
          description: `heads for the ${wrongBin.colour} bin instead of the ${reject.colour} reject bin`,
          wrongObject: wrongBin.id,
          target: reject.id,
          region: rejectRegion,
          correction: { kind: 'move_region', region: rejectRegion },
          failure: 'wrong_bin',
        }),
        visible: { action: 'transport', occurrence: 'last', at: 0.3 },
        pointOfNoReturn: { action: 'drop', at: 'release' },
        fills: {},
      };
    }
    case 'wrong_pose':
      return slippingGrip(base, gear, 'off_centre', 'centre', `grips the ${gearName} off-centre; it will slip out when lifted`);
    case 'wrong_relation': {
      // The reject bin is named by its side of a neighbouring bin; the robot takes the other side.
      const sorted = scene.objects.filter((o) => o.kind === 'bin').sort((a, b) => a.position.y - b.position.y);
      const k = sorted.findIndex((b) => b.id === reject.id);
      const ref = sorted[k === 0 ? 1 : k === sorted.length - 1 ? sorted.length - 2 : -1];
      if (!ref) return null;
      const mirrored = sorted.find((b) => b.id !== reject.id && b.id !== ref.id && sideOf(b, ref) !== sideOf(reject, ref));
      if (!mirrored) return null;
      const relation = sideOf(reject, ref);
      return {
        intent: { ...base, destination: binDropPoint(mirrored), binDestination: binDropPoint(mirrored) },
        truth: truthOf({
          type: 'wrong_relation',
          description: `drops into the bin ${relation === 'left_of' ? 'right' : 'left'} of the ${ref.colour} bin instead of the one ${relation === 'left_of' ? 'left' : 'right'} of it`,
          wrongObject: mirrored.id,
          target: reject.id,
          region: rejectRegion,
          relation,
          referenceObject: ref.id,
          correction: { kind: 'move_region', region: rejectRegion },
          failure: 'wrong_bin',
        }),
        visible: { action: 'transport', occurrence: 'last', at: 0.3 },
        pointOfNoReturn: { action: 'drop', at: 'release' },
        fills: {},
      };
    }
  }
}

export const factory: ScenarioModule = {
  generate,
  drawTask: (scene, rng) => drawTask(scene, rng),
  inject: (scene, task, mistake, rng) => (task.scenario === 'factory' ? inject(scene, task, mistake, rng) : null),
};
