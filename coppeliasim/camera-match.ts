/**
 * The CoppeliaSim camera that sees what the built-in camera sees: same eye, same line of sight,
 * same image size and field of view. The visual stage is trained on the built-in view, so the
 * bridge must not change it.
 */
import type { CameraModel } from '../sim/camera';
import type { CameraSpec } from './scene-builder';

/** Clipping planes of the vision sensor, m (the built-in rasterizer clips at 0.03 m). */
export const CAMERA_NEAR = 0.03;
export const CAMERA_FAR = 6;

/**
 * CoppeliaSim's perspective angle spans the LARGER image side; the built-in camera's field of view
 * spans the height (square pixels, fx = fy). For 480x360 at 52 degrees vertical this is 64.6 degrees.
 */
export function visionSensorViewAngle(width: number, height: number, fovYDeg: number): number {
  const halfHeight = Math.tan((fovYDeg * Math.PI) / 360);
  return 2 * Math.atan((halfHeight * Math.max(width, height)) / height);
}

/** The vision sensor for a built-in camera, in the simulator's world frame (the `/h2r` frame). */
export function cameraSpecFor(camera: CameraModel): CameraSpec {
  const { position: p, forward: f } = camera;
  return {
    eye: [p.x, p.y, p.z],
    target: [p.x + f.x, p.y + f.y, p.z + f.z],
    width: camera.width,
    height: camera.height,
    viewAngle: visionSensorViewAngle(camera.width, camera.height, camera.fovYDeg),
    near: CAMERA_NEAR,
    far: CAMERA_FAR,
  };
}
