/**
 * Corrections while an action runs: each edits the robot's intent (or halts/resumes it) and the
 * planner replans from where the robot is. Nothing here decides the outcome; the world does.
 */
import type { CorrectionSpec, GraspMode, RobotAction, SceneObject, Vec3 } from './types';
import { PERSON_ID, findObject, isSource, isVessel, openingRadius, type Scene } from './world';
import type { Intent, MotionTiming } from './intent';
import { binDropPoint, handOverPoint, planFrom, pourDone } from './planner';
import { restingHeight } from './physics';
import type { EpisodeState } from './state';
import { isFinished } from './state';
import { withEvent, type StepContext } from './context';
import { vec3 } from './vec';

export type CorrectionCommand = CorrectionSpec | { readonly kind: 'resume' };

export interface CorrectionResult {
  readonly accepted: boolean;
  /** Applied after the truth's point of no return: it cannot save the episode any more. */
  readonly tooLate: boolean;
  readonly detail: string;
  readonly t: number;
}

export interface CorrectionContext extends StepContext {
  readonly timing: MotionTiming;
}

const GRASPS: readonly GraspMode[] = ['side', 'centre', 'rim', 'tilted', 'off_centre'];

/** How near a pointed spot must be to a vessel's opening for "pour there" to mean that vessel. */
const POUR_SNAP = 0.03;
/** How near a pointed spot must be to a bin's centre for "drop it there" to mean that bin. */
const BIN_SNAP = 0.12;

function describeCommand(c: CorrectionCommand): string {
  switch (c.kind) {
    case 'retarget':
      return `retarget to ${c.targetObject}`;
    case 'move_region':
      return `move to (${c.region.centre.x.toFixed(3)}, ${c.region.centre.y.toFixed(3)}) within ${c.region.radius.toFixed(3)} m`;
    case 'adjust_pose':
      return `grasp ${c.grasp}`;
    case 'change_action':
      return `change action to ${c.action}`;
    case 'halt':
      return 'halt';
    case 'resume':
      return 'resume';
  }
}

/** Why a command cannot be applied to this scene at all, or null. */
export function commandProblem(scene: Scene, c: CorrectionCommand): string | null {
  switch (c.kind) {
    case 'retarget':
      if (c.targetObject !== PERSON_ID && !findObject(scene, c.targetObject)) return `target_object '${c.targetObject}' is not in the scene`;
      return null;
    case 'move_region': {
      const { centre, radius } = c.region;
      if (![centre.x, centre.y, centre.z, radius].every(Number.isFinite)) return 'point/radius must be finite numbers';
      if (radius < 0) return `radius must not be negative, got ${radius}`;
      return null;
    }
    case 'adjust_pose':
      return GRASPS.includes(c.grasp) ? null : `grasp '${c.grasp}' is not one of ${GRASPS.join(', ')}`;
    case 'change_action':
      return ['pour', 'place', 'hand_over', 'drop', 'release', 'retreat'].includes(c.action)
        ? null
        : `action '${c.action}' cannot replace the running action (use pour, place, hand_over, drop, release or retreat)`;
    default:
      return null;
  }
}

function nearestWithin(scene: Scene, p: Vec3, ok: (o: SceneObject) => boolean, reach: (r: number) => number): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const o of scene.objects) {
    if (!ok(o)) continue;
    const d = Math.hypot(o.position.x - p.x, o.position.y - p.y);
    if (d <= reach(openingRadius(o)) && d < bestD) {
      best = o.id;
      bestD = d;
    }
  }
  return best;
}

/** The intent after a correction, or a reason it changes nothing. */
function editIntent(scene: Scene, state: EpisodeState, intent: Intent, c: CorrectionSpec): Intent | string {
  switch (c.kind) {
    case 'retarget': {
      if (c.targetObject === PERSON_ID) return { ...intent, delivery: 'hand_over', destination: handOverPoint(scene) };
      const o = findObject(scene, c.targetObject);
      if (!o) return `no object ${c.targetObject}`;
      if (o.kind === 'bin') return { ...intent, delivery: 'drop', destination: binDropPoint(o), binDestination: binDropPoint(o) };
      if (intent.scenario === 'kitchen' && isSource(o.kind)) return { ...intent, source: o.id, sourceHome: o.position };
      if (intent.scenario === 'kitchen' && isVessel(o.kind)) return { ...intent, pourInto: o.id, pourPoint: null, item: o.id };
      if (o.kind === 'plate') return { ...intent, delivery: 'place', destination: vec3(o.position.x, o.position.y, 0) };
      return { ...intent, item: o.id };
    }
    case 'move_region': {
      const p = c.region.centre;
      if (intent.scenario === 'kitchen' && !pourDone(state, intent) && intent.pourFirst) {
        const vessel = nearestWithin(scene, p, (o) => isVessel(o.kind) && !isSource(o.kind), (r) => r + POUR_SNAP);
        if (vessel) return { ...intent, pourInto: vessel, pourPoint: null, item: vessel };
        return { ...intent, pourPoint: vec3(p.x, p.y, 0) };
      }
      if (intent.scenario === 'factory') {
        const bin = nearestWithin(scene, p, (o) => o.kind === 'bin', () => BIN_SNAP);
        const o = bin ? findObject(scene, bin) : undefined;
        const drop = o ? binDropPoint(o) : vec3(p.x, p.y, 0.2);
        return { ...intent, delivery: 'drop', destination: drop, binDestination: o ? drop : intent.binDestination };
      }
      return { ...intent, delivery: 'place', destination: vec3(p.x, p.y, restingHeight(scene, p.x, p.y)) };
    }
    case 'adjust_pose': {
      const current = state.plan[state.stepIndex];
      const about = state.robot.held ?? (current && (current.action === 'reach' || current.action === 'grasp') ? current.target : null);
      const forSource = about !== null ? about === intent.source : intent.source !== null && !pourDone(state, intent);
      return forSource ? { ...intent, sourceGrasp: c.grasp } : { ...intent, itemGrasp: c.grasp };
    }
    case 'change_action':
      return changeAction(scene, intent, c.action);
    case 'halt':
      return intent;
  }
}

function changeAction(scene: Scene, intent: Intent, action: RobotAction): Intent | string {
  switch (action) {
    case 'pour':
      return intent.source ? { ...intent, pourFirst: true } : 'there is nothing to pour here';
    case 'hand_over':
      return { ...intent, delivery: 'hand_over', destination: handOverPoint(scene) };
    case 'place': {
      if (intent.delivery === 'place') return 'already placing';
      const p = scene.task && 'goal' in scene.task && scene.task.goal ? scene.task.goal.centre : vec3(0.28, scene.person.position.y, 0);
      return { ...intent, delivery: 'place', destination: vec3(p.x, p.y, restingHeight(scene, p.x, p.y)) };
    }
    case 'drop':
      if (intent.binDestination) return { ...intent, delivery: 'drop', destination: intent.binDestination };
      return { ...intent, delivery: 'drop', destination: vec3(intent.destination.x, intent.destination.y, 0.2), dropHover: 0.2 };
    case 'release': {
      const belt = scene.conveyor;
      if (!belt) return { ...intent, delivery: 'release' };
      const end = Math.sign(belt.speed) * (belt.halfLength + 0.04);
      return { ...intent, delivery: 'release', destination: vec3(belt.centreX, end, belt.height) };
    }
    case 'retreat':
      return { ...intent, abandoned: true };
    default:
      return `cannot change to ${action}`;
  }
}

/** Applies a correction now. Rejected corrections leave the state unchanged and say why. */
export function applyCorrection(
  ctx: CorrectionContext,
  state: EpisodeState,
  c: CorrectionCommand,
): { state: EpisodeState; result: CorrectionResult } {
  const t = state.t;
  const reject = (why: string): { state: EpisodeState; result: CorrectionResult } => ({
    state,
    result: { accepted: false, tooLate: false, detail: `${describeCommand(c)} rejected: ${why}`, t },
  });
  if (isFinished(state)) return reject(`the episode is over (${state.status})`);
  const problem = commandProblem(ctx.scene, c);
  if (problem) return reject(problem);
  const tooLate = ctx.pointOfNoReturnAt !== null && t > ctx.pointOfNoReturnAt;
  const lateNote = tooLate ? ` (too late: after the point of no return at ${ctx.pointOfNoReturnAt?.toFixed(2)} s)` : '';

  if (c.kind === 'resume') {
    if (state.status !== 'halted') return reject('the robot is not halted');
    return replanned(ctx, { ...state, status: 'running' }, state.intent, `resume${lateNote}`, tooLate);
  }
  if (c.kind === 'halt') {
    const halted = replanned(ctx, { ...state, status: 'halted' }, state.intent, `halt${lateNote}`, tooLate, true);
    return { state: withEvent(halted.state, 'halted', 'the robot stops and holds'), result: halted.result };
  }
  const edited = editIntent(ctx.scene, state, state.intent, c);
  if (typeof edited === 'string') return reject(edited);
  let robot = state.robot;
  if (c.kind === 'adjust_pose' && robot.grasp && robot.grasp.mode === 'tilted' && c.grasp === 'side') {
    // A tilted hold is fixed by turning the wrist; the fingers stay where they are.
    robot = { ...robot, grasp: { ...robot.grasp, mode: 'side' } };
  }
  return replanned(ctx, { ...state, status: 'running', robot }, edited, `${describeCommand(c)}${lateNote}`, tooLate);
}

function replanned(
  ctx: CorrectionContext,
  state: EpisodeState,
  intent: Intent,
  detail: string,
  tooLate: boolean,
  haltOnly = false,
): { state: EpisodeState; result: CorrectionResult } {
  const base: EpisodeState = { ...state, intent, corrections: state.corrections + 1 };
  let plan = planFrom(ctx.scene, base, intent, ctx.timing);
  // A halted robot only brings a tilted vessel upright, then holds still.
  if (haltOnly) plan = plan.filter((s, i) => i === 0 && s.pour !== null && s.pour.up === 0);
  const next: EpisodeState = {
    ...base,
    plan,
    stepIndex: 0,
    stepStart: state.t,
    stepFrom: state.robot.tip,
    stepGripper: state.robot.gripper,
  };
  return {
    state: withEvent(next, 'correction_applied', detail),
    result: { accepted: true, tooLate, detail, t: state.t },
  };
}
