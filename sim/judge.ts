/**
 * How an episode ends, decided from the world alone: what the person holds, where things lie, how
 * much water is on the table. The mistake label is never read here.
 */
import type { FailureKind, SceneObject, Vec3 } from './types';
import { capacityLitres, isDrinkingVessel, type Scene, type Task } from './world';
import { FILL_MIN, type ObjectDyn, type Support } from './physics';
import type { EpisodeState } from './state';

/** How far a seated person reaches across the table from their chest, metres. */
export const PERSON_REACH = 0.62;
/** Objects at least this tall block the person's arm when they stand in the way. */
export const BLOCKING_HEIGHT = 0.1;

function segmentPointDistance(ax: number, ay: number, bx: number, by: number, px: number, py: number): number {
  const vx = bx - ax;
  const vy = by - ay;
  const len2 = vx * vx + vy * vy;
  const k = len2 > 0 ? Math.max(0, Math.min(1, ((px - ax) * vx + (py - ay) * vy) / len2)) : 0;
  return Math.hypot(ax + k * vx - px, ay + k * vy - py);
}

/**
 * Why the seated person cannot take an object standing at `at`: too far from their chest, or a tall
 * object stands between their chest and it. Null when they can.
 */
export function personReachProblem(
  scene: Scene,
  objects: readonly ObjectDyn[],
  selfId: string,
  at: Vec3,
): string | null {
  const chest = scene.person.position;
  const d = Math.hypot(at.x - chest.x, at.y - chest.y);
  if (d > PERSON_REACH) return `${d.toFixed(2)} m from the person (reach ${PERSON_REACH} m)`;
  for (let i = 0; i < objects.length; i++) {
    const o = objects[i] as ObjectDyn;
    const so = scene.objects[i] as SceneObject;
    if (o.id === selfId || so.size[2] < BLOCKING_HEIGHT || o.place === 'held' || o.place === 'gone') continue;
    const r = 0.5 * Math.max(so.size[0], so.size[1]);
    if (segmentPointDistance(chest.x, chest.y, at.x, at.y, o.base.x, o.base.y) < r + 0.01) {
      return `the ${so.colour} ${so.kind} stands between the person and it`;
    }
  }
  return null;
}

export interface Verdict {
  readonly failure: FailureKind | null;
  readonly detail: string;
}

const ok = (detail: string): Verdict => ({ failure: null, detail });
const fail = (failure: FailureKind, detail: string): Verdict => ({ failure, detail });

function describe(o: SceneObject): string {
  return `${o.colour} ${o.kind} (${o.id})`;
}

/** The robot let go of `objectId` as its delivery: by hand-over or by putting it down. */
export function judgeDelivery(
  scene: Scene,
  task: Task,
  state: EpisodeState,
  objectIndex: number,
  how: 'hand_over' | 'place',
): Verdict {
  const d = state.objects[objectIndex] as ObjectDyn;
  const o = scene.objects[objectIndex] as SceneObject;
  if (task.scenario === 'kitchen') {
    if (o.id !== task.cup) return fail('wrong_object_delivered', `served the ${describe(o)}, not the person's cup`);
    const need = FILL_MIN * capacityLitres(o);
    if (d.fill < need) return fail('not_delivered', `the cup holds ${(d.fill * 1000).toFixed(0)} ml, needs ${(need * 1000).toFixed(0)} ml`);
    if (how === 'place') {
      const problem = personReachProblem(scene, state.objects, o.id, d.base);
      if (problem) return fail('out_of_reach', `the cup was put down ${problem}`);
      if (task.goal && Math.hypot(d.base.x - task.goal.centre.x, d.base.y - task.goal.centre.y) > task.goal.radius) {
        return fail('not_delivered', 'the cup was put down away from where the person wanted it');
      }
    }
    return ok(`served the person's ${describe(o)} with ${(d.fill * 1000).toFixed(0)} ml`);
  }
  if (task.scenario === 'tabletop') {
    if (o.id !== task.block) return fail('wrong_object_delivered', `delivered the ${describe(o)}, not the block the person meant`);
    if (how === 'place' && task.goal) {
      const off = Math.hypot(d.base.x - task.goal.centre.x, d.base.y - task.goal.centre.y);
      if (off > task.goal.radius) return fail('not_delivered', `the block was put down ${off.toFixed(2)} m from where it belongs`);
    }
    if (how === 'place' && !task.goal) {
      const problem = personReachProblem(scene, state.objects, o.id, d.base);
      if (problem) return fail('out_of_reach', `the block was put down ${problem}`);
    }
    return ok(`delivered the ${describe(o)}`);
  }
  // Factory parts are judged where they land.
  return ok(`let go of the ${describe(o)}`);
}

/** An object came to rest on `support` after falling `fallHeight` metres. */
export function judgeLanding(scene: Scene, task: Task, o: SceneObject, support: Support, fallHeight: number): Verdict {
  if (task.scenario === 'factory' && o.kind === 'gear') {
    const defective = o.state === 'defective';
    if (support.kind === 'bin') {
      if (support.bin === task.rejectBin) {
        return defective ? ok(`the defective gear went into the reject bin`) : fail('good_part_rejected', `the good ${describe(o)} went into the reject bin`);
      }
      return fail('wrong_bin', `the ${describe(o)} went into ${support.bin}, not the reject bin ${task.rejectBin}`);
    }
    if (support.kind === 'output') {
      return defective ? fail('defective_left', `the defective ${describe(o)} went out with the good parts`) : ok('a good gear went out');
    }
  }
  if (support.kind === 'output' || support.kind === 'bin') return ok(`the ${describe(o)} went into ${support.kind === 'bin' ? support.bin : 'the chute'}`);
  if (fallHeight > 0.03) {
    const where = support.kind === 'floor' ? 'onto the floor' : `${fallHeight.toFixed(2)} m onto the ${support.kind === 'on_object' ? support.object : support.kind}`;
    return fail('drop', `the ${describe(o)} fell ${where}`);
  }
  return ok(`the ${describe(o)} rests on the ${support.kind}`);
}

/** A part rode off the end of the belt. */
export function judgeBeltExit(o: SceneObject): Verdict {
  return o.state === 'defective'
    ? fail('defective_left', `the defective ${describe(o)} left on the belt`)
    : ok(`the good ${describe(o)} left on the belt`);
}

/**
 * The plan is over: success when the task's goal holds in the world, else why not. 'wait' when the
 * outcome is still open (a defective gear still riding on the belt).
 */
export function judgeEnd(scene: Scene, task: Task, state: EpisodeState): Verdict | 'wait' {
  if (task.scenario === 'factory') {
    const i = state.objects.findIndex((o) => o.id === task.defective);
    const d = state.objects[i] as ObjectDyn;
    if (d.place === 'bin' && d.bin === task.rejectBin) return ok('the defective gear is in the reject bin');
    if (d.place === 'belt' || d.place === 'falling' || d.place === 'held') return 'wait';
    return fail('defective_left', `the defective gear ended up ${d.place === 'bin' ? `in ${d.bin}` : `on the ${d.place}`}`);
  }
  const wanted = task.scenario === 'kitchen' ? task.cup : task.block;
  if (!state.delivered || state.delivered.object !== wanted) {
    return fail('not_delivered', `the ${wanted} never reached the person`);
  }
  const i = state.objects.findIndex((o) => o.id === wanted);
  const o = scene.objects[i] as SceneObject;
  if (isDrinkingVessel(o.kind) && (state.objects[i] as ObjectDyn).fill < FILL_MIN * capacityLitres(o)) {
    return fail('not_delivered', 'the cup lost its water');
  }
  return ok(`delivered the ${describe(o)}`);
}
