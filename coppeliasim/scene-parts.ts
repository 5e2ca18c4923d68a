/**
 * Fixed parts of the CoppeliaSim scene: the built-in simulator's world layout and the stand-in arm
 * used when the UR5/RG2 models cannot be loaded.
 */
import type { Vec3 } from '../sim/types';
import type { Vec3Tuple } from './geometry';
import { call, ConstRef, HandleRef, type PlanStep } from './scene-plan';
import { PRIMITIVE_SHAPE_CONSTANTS, type PrimitiveShape } from './sim-api';

/**
 * Mirrors the built-in simulator's fixed world (table centred on the origin with its top at z = 0,
 * robot base at x = -0.55). Phase 2 takes these from sim/world.ts once that is merged.
 */
export const WORLD_LAYOUT = {
  table: { halfX: 0.45, halfY: 0.6, thickness: 0.04, floorZ: -0.74 },
  robotBase: { x: -0.55, y: 0, z: 0 } satisfies Vec3,
  tableRgb: [0.62, 0.47, 0.33] as Vec3Tuple,
  conveyorRgb: [0.22, 0.22, 0.24] as Vec3Tuple,
};

const STATIC_PARAM = new ConstRef('sim.shapeintparam_static');

export interface ShapeSpec {
  readonly bind: string;
  readonly alias: string;
  readonly shape: PrimitiveShape;
  readonly size: Vec3Tuple;
  readonly parent: HandleRef;
  /** Position and Euler angles relative to the parent. */
  readonly position: Vec3Tuple;
  readonly orientation?: Vec3Tuple;
  readonly rgb: Vec3Tuple;
  /** The scene entity this shape belongs to, for error messages. */
  readonly subject: string;
}

/** The calls that make one static, coloured primitive shape and put it in place. */
export function shapeSteps(s: ShapeSpec): PlanStep[] {
  const self = new HandleRef(s.bind);
  return [
    call('sim.createPrimitiveShape', [new ConstRef(PRIMITIVE_SHAPE_CONSTANTS[s.shape]), [...s.size], 0], s.subject, s.bind),
    call('sim.setObjectAlias', [self, s.alias], s.subject),
    call('sim.setObjectParent', [self, s.parent, true], s.subject),
    call('sim.setObjectPosition', [self, [...s.position], s.parent], s.subject),
    call('sim.setObjectOrientation', [self, [...(s.orientation ?? [0, 0, 0])], s.parent], s.subject),
    call('sim.setShapeColor', [self, '', 0, [...s.rgb]], s.subject),
    call('sim.setObjectInt32Param', [self, STATIC_PARAM, 1], s.subject),
  ];
}

const ARM_RGB: Vec3Tuple = [0.72, 0.74, 0.78];
const JOINT_RGB: Vec3Tuple = [0.2, 0.3, 0.45];
const FINGER_RGB: Vec3Tuple = [0.15, 0.15, 0.15];

/**
 * A jointless arm of static shapes at its home pose (hand 0.25 m in front of the base, shoulder
 * 0.32 m up). The bridge poses its links directly; it only has to look like an arm to the camera.
 */
export function standInArmSteps(robot: HandleRef): PlanStep[] {
  const links: readonly [string, 'cylinder' | 'cuboid', Vec3Tuple, Vec3Tuple, Vec3Tuple][] = [
    ['base', 'cylinder', [0.16, 0.16, 0.1], [0, 0, 0.05], JOINT_RGB],
    ['column', 'cylinder', [0.1, 0.1, 0.22], [0, 0, 0.21], ARM_RGB],
    ['upper_arm', 'cuboid', [0.15, 0.07, 0.07], [0.075, 0, 0.32], ARM_RGB],
    ['forearm', 'cuboid', [0.1, 0.06, 0.06], [0.2, 0, 0.32], ARM_RGB],
    ['palm', 'cuboid', [0.03, 0.08, 0.03], [0.265, 0, 0.32], JOINT_RGB],
    ['finger_left', 'cuboid', [0.05, 0.012, 0.02], [0.305, 0.03, 0.32], FINGER_RGB],
    ['finger_right', 'cuboid', [0.05, 0.012, 0.02], [0.305, -0.03, 0.32], FINGER_RGB],
  ];
  return links.flatMap(([alias, shape, size, position, rgb]) =>
    shapeSteps({ bind: `robot/${alias}`, alias, shape, size, parent: robot, position, rgb, subject: 'stand-in arm' }));
}
