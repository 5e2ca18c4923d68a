/**
 * Where the arm's parts are for a tip pose: the built-in renderer draws them, and the CoppeliaSim
 * bridge poses the links of its stand-in arm at the same points, so both cameras see one arm.
 */
import type { EePose } from './motion';
import { ROBOT_BASE, ROBOT_SHOULDER_HEIGHT } from './world';

export type Point3 = readonly [number, number, number];

/** Link lengths of the two-link arm and the wrist-to-tip distance, m. */
export const UPPER_ARM = 0.52;
export const FOREARM = 0.55;
export const GRIPPER = 0.11;
/** Top of the robot's base column above the table, m. */
export const BASE_TOP = 0.08;
/** How far the palm sits behind the tip, and the fingertips in front of it, m. */
const PALM_BEHIND_TIP = 0.05;
const FINGERTIP_AHEAD = 0.015;

export interface Finger {
  /** Where the finger leaves the palm. */
  readonly knuckle: Point3;
  readonly tip: Point3;
}

export interface ArmSkeleton {
  readonly baseTop: Point3;
  readonly shoulder: Point3;
  readonly elbow: Point3;
  readonly wrist: Point3;
  readonly palm: Point3;
  /** Unit vector from the wrist towards the tip. */
  readonly approach: Point3;
  /** The finger on the +lateral side (the robot's left when it faces +x) and the other one. */
  readonly fingers: { readonly left: Finger; readonly right: Finger };
}

/**
 * Elbow of a two-link arm from the shoulder to the wrist: on the circle of possible elbows, the
 * point furthest towards "up and a little to the robot's left", which keeps the arm out of the
 * camera's line of sight.
 */
function elbowOf(shoulder: Point3, wrist: Point3): Point3 {
  let ex = wrist[0] - shoulder[0];
  let ey = wrist[1] - shoulder[1];
  let ez = wrist[2] - shoulder[2];
  const d = Math.min(UPPER_ARM + FOREARM - 1e-3, Math.max(0.05, Math.hypot(ex, ey, ez)));
  const len = Math.hypot(ex, ey, ez) || 1;
  ex /= len;
  ey /= len;
  ez /= len;
  const cosPhi = (UPPER_ARM * UPPER_ARM + d * d - FOREARM * FOREARM) / (2 * UPPER_ARM * d);
  const along = UPPER_ARM * cosPhi;
  const radius = UPPER_ARM * Math.sqrt(Math.max(0, 1 - cosPhi * cosPhi));
  const hl = Math.hypot(ex, ey) || 1;
  const out = 0.35;
  let nx = (-ey / hl) * out;
  let ny = (ex / hl) * out;
  let nz = Math.sqrt(1 - out * out);
  const k = nx * ex + ny * ey + nz * ez;
  nx -= k * ex;
  ny -= k * ey;
  nz -= k * ez;
  const nl = Math.hypot(nx, ny, nz) || 1;
  return [
    shoulder[0] + ex * along + (radius * nx) / nl,
    shoulder[1] + ey * along + (radius * ny) / nl,
    shoulder[2] + ez * along + (radius * nz) / nl,
  ];
}

/** The arm for a tip pose and a gripper closure (0 open .. 1 closed), world frame. */
export function armSkeleton(tip: EePose, gripper: number): ArmSkeleton {
  const b = ROBOT_BASE;
  const shoulder: Point3 = [b.x, b.y, ROBOT_SHOULDER_HEIGHT];
  const ca = Math.cos(tip.pitch);
  const approach: Point3 = [ca * Math.cos(tip.yaw), ca * Math.sin(tip.yaw), -Math.sin(tip.pitch)];
  const p = tip.p;
  const back = (k: number): Point3 => [p.x - k * approach[0], p.y - k * approach[1], p.z - k * approach[2]];
  const wrist = back(GRIPPER);
  const palm = back(PALM_BEHIND_TIP);
  // Fingers open sideways, across the approach direction.
  const lx = -Math.sin(tip.yaw);
  const ly = Math.cos(tip.yaw);
  const half = 0.012 + 0.045 * (1 - gripper);
  const end = back(-FINGERTIP_AHEAD);
  const finger = (s: number): Finger => ({
    knuckle: [palm[0] + s * half * lx, palm[1] + s * half * ly, palm[2]],
    tip: [end[0] + s * half * lx, end[1] + s * half * ly, end[2]],
  });
  return {
    baseTop: [b.x, b.y, BASE_TOP],
    shoulder,
    elbow: elbowOf(shoulder, wrist),
    wrist,
    palm,
    approach,
    fingers: { left: finger(1), right: finger(-1) },
  };
}
