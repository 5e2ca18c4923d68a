/**
 * The robot's camera as the visual stage is trained for: above and a little to the right of the
 * robot's base, looking down across the table at the person, 320x240. The simulator node and the
 * attention node both take these values from the same launch parameters.
 */
import { DEFAULT_CAMERA_POSITION, DEFAULT_FOV_Y_DEG, DEFAULT_LOOK_AT, makeCamera, project, unprojectToTable, type CameraModel } from '../../sim/camera';
import type { TableCamera } from './instances';

export const NETWORK_IMAGE = { width: 320, height: 240 } as const;

export const ROBOT_CAMERA = {
  position: DEFAULT_CAMERA_POSITION,
  lookAt: DEFAULT_LOOK_AT,
  fovYDeg: DEFAULT_FOV_Y_DEG,
} as const;

export interface CameraSettings {
  readonly width: number;
  readonly height: number;
  readonly position: { readonly x: number; readonly y: number; readonly z: number };
  readonly lookAt: { readonly x: number; readonly y: number; readonly z: number };
  readonly fovYDeg: number;
}

export const DEFAULT_CAMERA_SETTINGS: CameraSettings = { ...NETWORK_IMAGE, ...ROBOT_CAMERA };

export function robotCamera(settings: CameraSettings = DEFAULT_CAMERA_SETTINGS, jitter = 0, jitterSeed = 0): CameraModel {
  return makeCamera({ ...settings, jitter, jitterSeed });
}

/** The camera as the visual stage needs it: image size and back-projection onto the table. */
export function tableCamera(camera: CameraModel): TableCamera {
  return {
    width: camera.width,
    height: camera.height,
    unprojectToTable(u, v, height) {
      const p = unprojectToTable(camera, u, v, height);
      if (p) return p;
      // Above the horizon: clamp to a far point on the ray's side of the table.
      return { x: 2, y: 0, z: height };
    },
    project(x, y, z) {
      const pixel = project(camera, { x, y, z });
      return pixel ? { u: pixel.u, v: pixel.v } : null;
    },
  };
}
