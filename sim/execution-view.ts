/** What the robot is doing now, in the terms of h2r_interfaces/ExecutionState (without ROS types). */
import type { GraspMode, RobotAction, Scenario, Vec3 } from './types';
import { NEVER, graspPose, liftProgressAt, type EePose, type PlanStep } from './motion';
import { SLIP_HEIGHT, flowThreshold, type ObjectDyn } from './physics';
import type { EpisodeState } from './state';
import { objectIndexOf, type StepContext } from './context';

export interface Quaternion {
  readonly x: number;
  readonly y: number;
  readonly z: number;
  readonly w: number;
}

export interface ExecutionSnapshot {
  readonly episodeId: string;
  readonly scenario: Scenario;
  /** Sim seconds since the episode started. */
  readonly time: number;
  readonly action: RobotAction;
  readonly targetObject: string;
  readonly heldObject: string;
  readonly targetPoint: Vec3;
  readonly endEffector: { readonly position: Vec3; readonly orientation: Quaternion };
  readonly grasp: GraspMode | '';
  readonly progress: number;
  /** Progress in the current action after which it cannot be undone; 2 when never. */
  readonly pointOfNoReturn: number;
  readonly status: EpisodeState['status'];
  /** Actions still to come after the current one. */
  readonly plan: readonly RobotAction[];
  /** What the task is for as the robot understands it (the cup it fills, the item it moves); '' when none. */
  readonly taskObject: string;
  readonly taskPoint: Vec3;
}

/** Orientation of the tip: heading about z, then pitch down, then the held object's tilt (roll). */
export function tipOrientation(tip: EePose): Quaternion {
  const hy = tip.yaw / 2;
  const hp = tip.pitch / 2;
  const hr = tip.tilt / 2;
  const cy = Math.cos(hy), sy = Math.sin(hy);
  const cp = Math.cos(hp), sp = Math.sin(hp);
  const cr = Math.cos(hr), sr = Math.sin(hr);
  // q = qz(yaw) * qy(pitch) * qx(roll)
  return {
    w: cy * cp * cr + sy * sp * sr,
    x: cy * cp * sr - sy * sp * cr,
    y: cy * sp * cr + sy * cp * sr,
    z: sy * cp * cr - cy * sp * sr,
  };
}

/** Where the current action commits: water starts to run, the fingers open, the load comes on. */
function commitProgress(ctx: StepContext, state: EpisodeState, step: PlanStep): number {
  if (step.releaseAt < NEVER) return step.releaseAt;
  if (step.pour && step.pour.up > 0 && state.robot.held) {
    const i = objectIndexOf(ctx.scene, state.robot.held);
    const d = state.objects[i] as ObjectDyn;
    const threshold = flowThreshold(ctx.scene.objects[i]!, d.fill);
    const { from, peak, up } = step.pour;
    if (threshold <= from) return 0;
    if (threshold >= peak) return NEVER;
    return (up * (threshold - from)) / (peak - from) / step.duration;
  }
  if (step.action === 'lift' && state.robot.grasp) {
    const rise = step.point.z - state.robot.grasp.graspZ;
    return liftProgressAt(SLIP_HEIGHT, rise);
  }
  return NEVER;
}

/** The vessel the robot means to fill, else the item it means to deliver, and where it is now. */
function taskOf(ctx: StepContext, state: EpisodeState): { taskObject: string; taskPoint: Vec3 } {
  const id = state.intent.pourInto ?? state.intent.item;
  const i = objectIndexOf(ctx.scene, id);
  if (i < 0) return { taskObject: '', taskPoint: { x: 0, y: 0, z: 0 } };
  return { taskObject: id, taskPoint: (state.objects[i] as ObjectDyn).base };
}

export function executionView(ctx: StepContext & { readonly id: string; readonly scenario: Scenario }, state: EpisodeState): ExecutionSnapshot {
  const step = state.plan[state.stepIndex];
  const tip = state.robot.tip;
  const finished = state.status === 'succeeded' || state.status === 'failed' || state.status === 'interrupted';
  let targetPoint = tip.p;
  if (step) {
    targetPoint = step.point;
    if ((step.action === 'reach' || step.action === 'grasp') && step.target && step.grasp) {
      const i = objectIndexOf(ctx.scene, step.target);
      if (i >= 0) targetPoint = graspPose(ctx.scene.objects[i]!, state.objects[i] as ObjectDyn, step.grasp).p;
    }
  }
  const progress = step && step.duration > 0 ? Math.max(0, Math.min(1, (state.t - state.stepStart) / step.duration)) : 0;
  const grasp = state.robot.grasp?.mode ?? step?.grasp ?? state.plan.slice(state.stepIndex).find((s) => s.grasp)?.grasp ?? '';
  return {
    episodeId: ctx.id,
    scenario: ctx.scenario,
    time: state.t,
    action: finished ? 'done' : step ? step.action : state.status === 'halted' ? 'idle' : 'done',
    targetObject: step?.target ?? '',
    heldObject: state.robot.held ?? '',
    targetPoint,
    endEffector: { position: tip.p, orientation: tipOrientation(tip) },
    grasp,
    progress,
    pointOfNoReturn: step && !finished ? commitProgress(ctx, state, step) : NEVER,
    status: state.status,
    plan: state.plan.slice(state.stepIndex + 1).map((s) => s.action),
    ...taskOf(ctx, state),
  };
}
