/**
 * Keeps a built CoppeliaSim scene in step with the built-in simulator's episode state: every
 * object where the episode has it (tilted while poured, parked out of sight once gone), and the arm.
 */
import type { ObjectDyn } from '../sim/physics';
import type { EpisodeState } from '../sim/state';
import type { SceneObject } from '../sim/types';
import { rotateYawTilt } from '../sim/vec';
import { StandInArmMirror, Ur5ArmMirror, type ArmMirror } from './arm-mirror';
import { eulerXYZFromRotation } from './geometry';
import { PoseWriter, type ShapePose } from './pose-writer';
import { shapeCentre, type BuiltScene } from './scene-builder';
import type { CoppeliaSimApi } from './sim-api';

/** Where objects the built-in renderer no longer draws (gone off the belt, on the floor) wait: under the floor. */
export const PARKED: ShapePose = { position: [0, 0, -5], euler: [0, 0, 0] };

/** The pose of an object's main shape for its dynamic state (base, yaw, tilt about its local +y). */
export function objectPose(o: SceneObject, d: Pick<ObjectDyn, 'base' | 'yaw' | 'tilt' | 'place'>): ShapePose {
  if (d.place === 'gone' || d.place === 'floor') return PARKED;
  if (o.kind === 'person') return { position: shapeCentre({ ...o, position: d.base }), euler: [0, 0, 0] };
  const lift = shapeCentre({ ...o, position: { x: 0, y: 0, z: 0 } })[2];
  const offset = rotateYawTilt({ x: 0, y: 0, z: lift }, d.yaw, d.tilt);
  const [cy, sy, ct, st] = [Math.cos(d.yaw), Math.sin(d.yaw), Math.cos(d.tilt), Math.sin(d.tilt)];
  return {
    position: [d.base.x + offset.x, d.base.y + offset.y, d.base.z + offset.z],
    // R = Rz(yaw) * Ry(tilt), as the built-in renderer places objects.
    euler: eulerXYZFromRotation([
      [cy * ct, -sy, cy * st],
      [sy * ct, cy, sy * st],
      [-st, 0, ct],
    ]),
  };
}

export class SceneMirror {
  private constructor(
    readonly poses: PoseWriter,
    readonly objects: readonly { readonly object: SceneObject; readonly handle: number }[],
    readonly arm: ArmMirror | null,
  ) {}

  /**
   * Prepares mirroring into a freshly built scene; `warn` hears why the arm cannot follow (then
   * only the objects move).
   */
  static async create(api: CoppeliaSimApi, built: BuiltScene, objects: readonly SceneObject[], warn: (message: string) => void): Promise<SceneMirror> {
    const poses = new PoseWriter(api, built.root);
    const handles = objects.map((object) => {
      const handle = built.objects.get(object.id);
      if (handle === undefined) throw new Error(`scene object '${object.id}' was not built in CoppeliaSim`);
      return { object, handle };
    });
    let arm: ArmMirror | null;
    if (built.arm === 'stand-in') arm = new StandInArmMirror(poses, built);
    else {
      const ur5 = await Ur5ArmMirror.setUp(api, poses, built);
      if (typeof ur5 === 'string') warn(ur5);
      arm = typeof ur5 === 'string' ? null : ur5;
    }
    return new SceneMirror(poses, handles, arm);
  }

  /** Sends what changed since the last call; resolves once CoppeliaSim has all of it. */
  async mirror(state: EpisodeState): Promise<void> {
    const calls = this.objects.flatMap(({ object, handle }, i) => this.poses.set(handle, objectPose(object, state.objects[i] as ObjectDyn)));
    await Promise.all([...calls, this.arm?.mirror(state.robot.tip, state.robot.gripper)]);
  }

  dispose(): Promise<void> {
    return this.arm?.dispose() ?? Promise.resolve();
  }
}
