/**
 * Sends object poses to CoppeliaSim relative to the scene root, skipping a pose that is what was
 * sent last for that object: most objects stand still most of the time.
 */
import type { Vec3Tuple } from './geometry';
import type { CoppeliaSimApi } from './sim-api';

export interface ShapePose {
  /** Centre of the shape and its Euler angles (CoppeliaSim's XYZ), simulator world frame. */
  readonly position: Vec3Tuple;
  readonly euler: Vec3Tuple;
}

/** Poses closer than this (m, rad) to the last one sent are not sent again. */
const RESOLUTION = 1e-6;
const key = (pose: ShapePose): string =>
  [...pose.position, ...pose.euler].map((v) => Math.round(v / RESOLUTION)).join(',');

export class PoseWriter {
  readonly #sent = new Map<number, string>();

  constructor(readonly api: CoppeliaSimApi, readonly root: number) {}

  /** The calls that move `handle` to `pose` (none when it is there already); send them together. */
  set(handle: number, pose: ShapePose): Promise<void>[] {
    const k = key(pose);
    if (this.#sent.get(handle) === k) return [];
    this.#sent.set(handle, k);
    return [
      this.api.setObjectPosition(handle, pose.position, this.root),
      this.api.setObjectOrientation(handle, pose.euler, this.root),
    ];
  }
}
