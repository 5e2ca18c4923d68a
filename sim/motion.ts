/**
 * Plan steps and the end-effector trajectory inside each: where the tip is at a given progress,
 * how far the gripper is closed, and when it lets go. The arm is kinematic; what matters is the
 * tip's pose through time.
 */
import type { GraspMode, RobotAction, SceneObject, Vec3 } from './types';
import { ROBOT_BASE, ROBOT_HOME } from './world';
import { spoutLocal, type ObjectDyn } from './physics';
import { add, angleDelta, lerp, minJerk, rotateYawTilt, sub, vec3 } from './vec';

/** End-effector pose: tip position, heading about z, pitch (0 horizontal, pi/2 pointing down), tilt. */
export interface EePose {
  readonly p: Vec3;
  readonly yaw: number;
  readonly pitch: number;
  /** Tilt of the held object about the horizontal axis across the heading (pouring tilt). */
  readonly tilt: number;
}

export const HOME_POSE: EePose = { p: ROBOT_HOME, yaw: 0, pitch: 0.6, tilt: 0 };

/** How an object sits in the gripper, fixed when the fingers close. */
export interface GraspRecord {
  readonly object: string;
  readonly mode: GraspMode;
  /** The grip point in the object's own frame. */
  readonly gripLocal: Vec3;
  /** Object heading minus tip heading. */
  readonly yawOffset: number;
  /** Tip height when the fingers closed; the load is taken as the tip rises above it. */
  readonly graspZ: number;
}

export interface PourProfile {
  /** Where the stream leaves the vessel; the wrist turns about this point so it stays put. */
  readonly spout: Vec3;
  readonly from: number;
  readonly peak: number;
  /** Seconds tilting up, holding, tilting back. */
  readonly up: number;
  readonly hold: number;
  readonly down: number;
}

export interface PlanStep {
  readonly action: RobotAction;
  /** The object the action is about ('person' for a hand-over), or null. */
  readonly target: string | null;
  readonly duration: number;
  /** Where the action goes: the tip's goal, or for place/release the object's base goal. */
  readonly point: Vec3;
  readonly yaw: number;
  readonly tilt: number;
  readonly grasp: GraspMode | null;
  /** Progress at which the gripper lets go (place, release, drop, hand-over); 2 when it does not. */
  readonly releaseAt: number;
  readonly pour: PourProfile | null;
  /** Bin a drop is aimed at, for the execution state. */
  readonly bin: string | null;
  /** The robot's task ends with this let-go: the item is then delivered and no longer replanned. */
  readonly deliver: boolean;
}

export const NEVER = 2;
/** The tilt at which a wrongly held vessel is carried (beyond where water runs out). */
export const TILTED_CARRY_MIN = 1.35;

export function approachYaw(p: Vec3): number {
  return Math.atan2(p.y - ROBOT_BASE.y, p.x - ROBOT_BASE.x);
}

/** Tip pose that grasps object `o` (at its current pose `d`) in the given mode. */
export function graspPose(o: SceneObject, d: ObjectDyn, mode: GraspMode): EePose {
  const yaw = approachYaw(d.base);
  const r = 0.5 * Math.min(o.size[0], o.size[1]);
  const h = o.size[2];
  const c = Math.cos(yaw);
  const s = Math.sin(yaw);
  switch (mode) {
    case 'side':
      return { p: add(d.base, vec3(0, 0, Math.min(0.55 * h, 0.09))), yaw, pitch: 0, tilt: 0 };
    case 'tilted':
      return { p: add(d.base, vec3(0, 0, Math.min(0.55 * h, 0.09))), yaw, pitch: 0.7, tilt: 0 };
    case 'rim':
      return { p: add(d.base, vec3(-c * (r - 0.004), -s * (r - 0.004), h - 0.008)), yaw, pitch: Math.PI / 2, tilt: 0 };
    case 'centre':
      return { p: add(d.base, vec3(0, 0, h * 0.7)), yaw, pitch: Math.PI / 2, tilt: 0 };
    case 'off_centre':
      return { p: add(d.base, vec3(-s * 0.75 * r, c * 0.75 * r, h * 0.7)), yaw, pitch: Math.PI / 2, tilt: 0 };
  }
}

/** Held object's pose from the tip pose and the grasp. */
export function heldObjectPose(ee: EePose, g: GraspRecord): { base: Vec3; yaw: number; tilt: number } {
  const yaw = ee.yaw + g.yawOffset;
  return { base: sub(ee.p, rotateYawTilt(g.gripLocal, yaw, ee.tilt)), yaw, tilt: ee.tilt };
}

/** Tip position that puts a held object's spout at `spout` with the given heading and tilt. */
export function tipForSpout(source: SceneObject, g: GraspRecord, spout: Vec3, objectYaw: number, tilt: number): Vec3 {
  return sub(spout, rotateYawTilt(sub(spoutLocal(source), g.gripLocal), objectYaw, tilt));
}

/** Tilt of a pour profile after `tau` seconds. */
export function pourTilt(p: PourProfile, tau: number): number {
  if (tau < p.up) return p.from + (p.peak - p.from) * (p.up > 0 ? tau / p.up : 1);
  if (tau < p.up + p.hold) return p.peak;
  const k = p.down > 0 ? (tau - p.up - p.hold) / p.down : 1;
  return p.peak * (1 - Math.min(1, k));
}

const lerpPose = (a: EePose, b: EePose, k: number): EePose => ({
  p: lerp(a.p, b.p, k),
  yaw: a.yaw + angleDelta(a.yaw, b.yaw) * k,
  pitch: a.pitch + (b.pitch - a.pitch) * k,
  tilt: a.tilt + (b.tilt - a.tilt) * k,
});

/** What the trajectory needs to know about the world at this instant. */
export interface MotionContext {
  /** Grasp pose of the step's target as it is now (it may ride on the belt). */
  readonly trackedGrasp: EePose | null;
  readonly grasp: GraspRecord | null;
  readonly heldObject: SceneObject | null;
}

/** The tip pose at progress s (0..1) of a step that started at pose `from`. */
export function tipPoseAt(step: PlanStep, from: EePose, s: number, ctx: MotionContext): EePose {
  if (step.pour) {
    // Pouring, or levelling a tilted vessel: the wrist turns about the spout so the stream stays put.
    if (!ctx.grasp || !ctx.heldObject) return from;
    const tilt = pourTilt(step.pour, s * step.duration);
    const p = tipForSpout(ctx.heldObject, ctx.grasp, step.pour.spout, from.yaw + ctx.grasp.yawOffset, tilt);
    return { p, yaw: from.yaw, pitch: from.pitch, tilt };
  }
  const fixedGoal: EePose = { p: step.point, yaw: step.yaw, pitch: from.pitch, tilt: step.tilt };
  switch (step.action) {
    case 'reach':
      return ctx.trackedGrasp ? lerpPose(from, ctx.trackedGrasp, minJerk(s)) : from;
    case 'grasp':
      return ctx.trackedGrasp ? lerpPose(from, ctx.trackedGrasp, minJerk(Math.min(1, s * 3))) : from;
    case 'lift': {
      // A loosely held object swings to its hanging tilt early in the lift.
      const pose = lerpPose(from, fixedGoal, minJerk(s));
      return step.tilt === from.tilt ? pose : { ...pose, tilt: from.tilt + (step.tilt - from.tilt) * minJerk(Math.min(1, s / 0.4)) };
    }
    case 'transport':
      return lerpPose(from, fixedGoal, minJerk(s));
    case 'hand_over':
    case 'drop':
      return lerpPose(from, fixedGoal, minJerk(Math.min(1, s / 0.45)));
    case 'retreat':
      return lerpPose(from, HOME_POSE, minJerk(s));
    case 'place':
    case 'release': {
      if (!ctx.grasp) return from;
      const goal: EePose = {
        p: add(step.point, rotateYawTilt(ctx.grasp.gripLocal, step.yaw + ctx.grasp.yawOffset, 0)),
        yaw: step.yaw,
        pitch: from.pitch,
        tilt: 0,
      };
      return lerpPose(from, goal, minJerk(Math.min(1, s / step.releaseAt)));
    }
    default:
      return from;
  }
}

/** Gripper closure 0 (open) .. 1 (closed) at progress s, starting from closure g0. */
export function gripperAt(step: PlanStep, g0: number, s: number): number {
  switch (step.action) {
    case 'reach':
    case 'retreat':
      return g0 * (1 - minJerk(Math.min(1, s / 0.3)));
    case 'grasp':
      return g0 + (1 - g0) * minJerk(Math.min(1, s / 0.85));
    case 'place':
    case 'release':
    case 'drop':
    case 'hand_over':
      return s < step.releaseAt ? g0 : g0 * (1 - minJerk(Math.min(1, (s - step.releaseAt) / 0.12)));
    default:
      return g0;
  }
}

/** Progress at which the tip has risen `rise` metres in a lift of `total` metres. */
export function liftProgressAt(rise: number, total: number): number {
  if (total <= rise) return NEVER;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (minJerk(mid) * total < rise) lo = mid;
    else hi = mid;
  }
  return hi;
}
