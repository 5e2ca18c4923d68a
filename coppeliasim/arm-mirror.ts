/**
 * Puts CoppeliaSim's arm where the built-in simulator has it. The stand-in arm's links are posed
 * directly; a loaded UR5 follows an IK target dummy (simIK, position and orientation) and its RG2
 * opens and closes through the integer signal `RG2_open`.
 */
import type { EePose } from '../sim/motion';
import { STAND_IN_LINK_ALIASES, standInArmLinks } from './arm-links';
import { CoppeliaSimError } from './errors';
import { eulerXYZFromRotation, cross3, type Vec3Tuple } from './geometry';
import type { PoseWriter, ShapePose } from './pose-writer';
import { ROOT_ALIAS, type BuiltScene } from './scene-builder';
import { returnedHandle, type CoppeliaSimApi } from './sim-api';
import type { WireValue } from './ws-protocol';

export interface ArmMirror {
  readonly kind: 'stand-in' | 'ur5';
  /** Moves the arm to the tip pose and gripper closure (0 open .. 1 closed). */
  mirror(tip: EePose, gripper: number): Promise<void>;
  /** Frees what the mirror created in CoppeliaSim (best effort: the link may be gone). */
  dispose(): Promise<void>;
}

export class StandInArmMirror implements ArmMirror {
  readonly kind = 'stand-in';
  /** Link handles in the order standInArmLinks lists the links. */
  readonly #handles: readonly number[];

  constructor(readonly poses: PoseWriter, scene: BuiltScene) {
    this.#handles = STAND_IN_LINK_ALIASES.map((alias) => {
      const handle = scene.handles.get(`robot/${alias}`);
      if (handle === undefined) throw new Error(`the stand-in arm in CoppeliaSim has no link '${alias}'`);
      return handle;
    });
  }

  async mirror(tip: EePose, gripper: number): Promise<void> {
    const links = standInArmLinks(tip, gripper);
    await Promise.all(this.#handles.flatMap((handle, i) => this.poses.set(handle, links[i] as ShapePose)));
  }

  async dispose(): Promise<void> {}
}

/**
 * Distance from the UR5's `connection` (the flange) to the RG2's fingertips, m. The built-in tip
 * pose is the fingertips, so the flange target sits this far back along the approach direction.
 */
export const RG2_REACH = 0.2;
export const RG2_SIGNAL = 'RG2_open';

/** Flange target for a tip pose: +z along the approach, +x across it (the fingers' opening), rolled by the tilt. */
export function flangePose(tip: EePose): ShapePose {
  const cp = Math.cos(tip.pitch);
  const z: Vec3Tuple = [cp * Math.cos(tip.yaw), cp * Math.sin(tip.yaw), -Math.sin(tip.pitch)];
  const across: Vec3Tuple = [-Math.sin(tip.yaw), Math.cos(tip.yaw), 0];
  const side = cross3(z, across);
  const c = Math.cos(tip.tilt);
  const s = Math.sin(tip.tilt);
  const x: Vec3Tuple = [c * across[0] + s * side[0], c * across[1] + s * side[1], c * across[2] + s * side[2]];
  const y = cross3(z, x);
  return {
    position: [tip.p.x - RG2_REACH * z[0], tip.p.y - RG2_REACH * z[1], tip.p.z - RG2_REACH * z[2]],
    euler: eulerXYZFromRotation([
      [x[0], y[0], z[0]],
      [x[1], y[1], z[1]],
      [x[2], y[2], z[2]],
    ]),
  };
}

export class Ur5ArmMirror implements ArmMirror {
  readonly kind = 'ur5';
  #gripperOpen: number | null = null;

  private constructor(
    readonly api: CoppeliaSimApi,
    readonly poses: PoseWriter,
    readonly target: number,
    readonly environment: number,
    readonly group: number,
  ) {}

  /**
   * Creates the IK target under the robot and an IK group from the UR5 base to its `connection`.
   * Resolves with the reason instead when CoppeliaSim has no simIK or the UR5 no `connection`.
   */
  static async setUp(api: CoppeliaSimApi, poses: PoseWriter, scene: BuiltScene): Promise<Ur5ArmMirror | string> {
    const base = scene.handles.get('ur5');
    const robot = scene.handles.get('robot');
    if (base === undefined || robot === undefined) return 'the scene has no UR5 to move';
    const tipPath = `/${ROOT_ALIAS}/robot/UR5/connection`;
    const tip = await api.getObject(tipPath, { noError: true });
    if (tip < 0) return `the UR5 has no ${tipPath}; the arm stays in its loaded pose`;
    const target = await api.createDummy(0.01);
    await api.setObjectAlias(target, 'ik_target');
    await api.setObjectParent(target, robot, true);
    try {
      const ik = (func: string, args: readonly WireValue[]): Promise<WireValue[]> => api.remote.call(func, args);
      const environment = returnedHandle(await ik('simIK.createEnvironment', []), 0, 'simIK.createEnvironment');
      const group = returnedHandle(await ik('simIK.createGroup', [environment]), 0, 'simIK.createGroup');
      await ik('simIK.addElementFromScene', [environment, group, base, tip, target, await api.constant('simIK.constraint_pose')]);
      return new Ur5ArmMirror(api, poses, target, environment, group);
    } catch (err) {
      if (!(err instanceof CoppeliaSimError) || err.kind !== 'remote') throw err;
      return `simIK is not usable (${err.remoteMessage ?? err.message}); the arm stays in its loaded pose`;
    }
  }

  async mirror(tip: EePose, gripper: number): Promise<void> {
    await Promise.all(this.poses.set(this.target, flangePose(tip)));
    await this.api.remote.call('simIK.handleGroups', [this.environment, [this.group], { syncWorlds: true, allowError: true }]);
    const open = gripper < 0.5 ? 1 : 0;
    if (open !== this.#gripperOpen) {
      await this.api.setIntegerSignal(RG2_SIGNAL, open);
      this.#gripperOpen = open;
    }
  }

  async dispose(): Promise<void> {
    try {
      await this.api.remote.call('simIK.eraseEnvironment', [this.environment]);
    } catch {
      // The environment goes with the connection or the simulation anyway.
    }
  }
}
