/**
 * The stand-in arm built when UR5/RG2 cannot be loaded: one static shape per part of the built-in
 * simulator's arm (sim/arm-pose.ts), posed each step at the points the built-in renderer draws, so
 * that CoppeliaSim's camera sees the arm where the instance mask has it.
 */
import { armSkeleton, BASE_TOP, type ArmSkeleton, type Point3 } from '../sim/arm-pose';
import { HOME_POSE, type EePose } from '../sim/motion';
import { ROBOT_BASE, TABLE } from '../sim/world';
import { eulerXYZFromRotation, normalize3, cross3, sub3, type Vec3Tuple } from './geometry';

export interface LinkPose {
  readonly alias: string;
  readonly shape: 'cylinder' | 'cuboid';
  /** Along the link (x), then across it. */
  readonly size: Vec3Tuple;
  readonly rgb: Vec3Tuple;
  /** Centre and orientation in the simulator's world frame. */
  readonly position: Vec3Tuple;
  readonly euler: Vec3Tuple;
}

const ARM_RGB: Vec3Tuple = [0.72, 0.74, 0.78];
const JOINT_RGB: Vec3Tuple = [0.2, 0.3, 0.45];
const FINGER_RGB: Vec3Tuple = [0.15, 0.15, 0.15];
const BASE_RADIUS = 0.08;

type Segment = (arm: ArmSkeleton) => readonly [Point3, Point3];

/** The links above the base, each a cuboid from one skeleton point to the next, with its width and colour. */
const SEGMENTS: readonly (readonly [string, Segment, number, Vec3Tuple])[] = [
  ['column', (a) => [a.baseTop, a.shoulder], 0.065, ARM_RGB],
  ['upper_arm', (a) => [a.shoulder, a.elbow], 0.05, ARM_RGB],
  ['forearm', (a) => [a.elbow, a.wrist], 0.04, ARM_RGB],
  ['palm', (a) => [a.wrist, a.palm], 0.05, JOINT_RGB],
  ['finger_left', (a) => [a.fingers.left.knuckle, a.fingers.left.tip], 0.014, FINGER_RGB],
  ['finger_right', (a) => [a.fingers.right.knuckle, a.fingers.right.tip], 0.014, FINGER_RGB],
];

/** Aliases of the stand-in's links under `/h2r/robot`, in the order standInArmLinks lists them. */
export const STAND_IN_LINK_ALIASES: readonly string[] = ['base', ...SEGMENTS.map(([alias]) => alias)];

const HOME_ARM = armSkeleton(HOME_POSE, 0);
const length = (from: Point3, to: Point3): number => Math.hypot(to[0] - from[0], to[1] - from[1], to[2] - from[2]);

/** Orientation whose local +x runs from `from` to `to` (roll chosen so local +y stays horizontal). */
function alongSegment(from: Point3, to: Point3): Vec3Tuple {
  const x = normalize3(sub3(to, from), 'arm link');
  const reference: Vec3Tuple = Math.abs(x[2]) < 0.9 ? [0, 0, 1] : [1, 0, 0];
  const y = normalize3(cross3(reference, x), 'arm link side');
  const z = cross3(x, y);
  return eulerXYZFromRotation([
    [x[0], y[0], z[0]],
    [x[1], y[1], z[1]],
    [x[2], y[2], z[2]],
  ]);
}

/** Every stand-in link at a tip pose and gripper closure; link lengths are those of the home pose. */
export function standInArmLinks(tip: EePose, gripper: number): LinkPose[] {
  const arm = armSkeleton(tip, gripper);
  const b = ROBOT_BASE;
  const base: LinkPose = {
    alias: 'base', shape: 'cylinder', size: [2 * BASE_RADIUS, 2 * BASE_RADIUS, BASE_TOP - TABLE.floorZ], rgb: JOINT_RGB,
    position: [b.x, b.y, (BASE_TOP + TABLE.floorZ) / 2], euler: [0, 0, 0],
  };
  return [
    base,
    ...SEGMENTS.map(([alias, segment, width, rgb]): LinkPose => {
      const [from, to] = segment(arm);
      const [homeFrom, homeTo] = segment(HOME_ARM);
      return {
        alias, shape: 'cuboid', size: [length(homeFrom, homeTo), width, width], rgb,
        position: [(from[0] + to[0]) / 2, (from[1] + to[1]) / 2, (from[2] + to[2]) / 2],
        euler: alongSegment(from, to),
      };
    }),
  ];
}
