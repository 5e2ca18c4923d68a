/**
 * Fixed parts of the CoppeliaSim scene: the built-in simulator's world layout and the stand-in arm
 * used when the UR5/RG2 models cannot be loaded.
 */
import { HOME_POSE } from '../sim/motion';
import { ROBOT_BASE, TABLE } from '../sim/world';
import { standInArmLinks } from './arm-links';
import type { Vec3Tuple } from './geometry';
import { call, ConstRef, HandleRef, type PlanStep } from './scene-plan';
import { PRIMITIVE_SHAPE_CONSTANTS, type PrimitiveShape } from './sim-api';

/** The built-in simulator's fixed world (table centred on the origin with its top at z = 0, robot base). */
export const WORLD_LAYOUT = {
  table: TABLE,
  robotBase: ROBOT_BASE,
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

/**
 * A jointless arm of static shapes at its home pose, parented to the robot dummy (which stands at
 * the robot base, unrotated). The bridge poses its links directly each step; it only has to look
 * like the built-in arm to the camera.
 */
export function standInArmSteps(robot: HandleRef): PlanStep[] {
  const b = WORLD_LAYOUT.robotBase;
  return standInArmLinks(HOME_POSE, 0).flatMap((link) => shapeSteps({
    bind: `robot/${link.alias}`, alias: link.alias, shape: link.shape, size: link.size, parent: robot,
    position: [link.position[0] - b.x, link.position[1] - b.y, link.position[2] - b.z], orientation: link.euler,
    rgb: link.rgb, subject: 'stand-in arm',
  }));
}
