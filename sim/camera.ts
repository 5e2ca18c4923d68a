/**
 * The pinhole camera behind and above the robot, looking over the table at the person.
 * Camera frame: x right, y down, z forward (optical axis); pixels: u right, v down, origin at the
 * top-left corner of the image, pixel (i, j) covering [i, i+1) x [j, j+1).
 */
import type { Vec3 } from './types';
import { Rng } from './rng';
import { cross, normalize, sub, vec3 } from './vec';

export interface CameraModel {
  readonly width: number;
  readonly height: number;
  /** Focal lengths and principal point, pixels. */
  readonly fx: number;
  readonly fy: number;
  readonly cx: number;
  readonly cy: number;
  /** Camera centre, world frame. */
  readonly position: Vec3;
  /** Rows of the world-to-camera rotation: the camera's right, down and forward axes in world coordinates. */
  readonly right: Vec3;
  readonly down: Vec3;
  readonly forward: Vec3;
  readonly fovYDeg: number;
}

export interface CameraOptions {
  readonly width: number;
  readonly height: number;
  /** Vertical field of view, degrees (default 52). */
  readonly fovYDeg?: number;
  readonly position?: Vec3;
  readonly lookAt?: Vec3;
  /** Random offset of position and aim up to this many metres, drawn from `jitterSeed`. */
  readonly jitter?: number;
  readonly jitterSeed?: number;
}

export const DEFAULT_CAMERA_POSITION: Vec3 = vec3(-1.0, -0.2, 1.15);
export const DEFAULT_LOOK_AT: Vec3 = vec3(0.15, 0.0, 0.1);
export const DEFAULT_FOV_Y_DEG = 52;

export function makeCamera(options: CameraOptions): CameraModel {
  const { width, height } = options;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 8 || height < 8 || width > 4096 || height > 4096) {
    throw new Error(`camera: image size must be whole pixels between 8 and 4096, got ${width}x${height}`);
  }
  const fovYDeg = options.fovYDeg ?? DEFAULT_FOV_Y_DEG;
  if (!(fovYDeg > 5 && fovYDeg < 150)) throw new Error(`camera: fovYDeg must be in (5, 150), got ${fovYDeg}`);
  let position = options.position ?? DEFAULT_CAMERA_POSITION;
  let lookAt = options.lookAt ?? DEFAULT_LOOK_AT;
  const jitter = options.jitter ?? 0;
  if (jitter > 0) {
    const rng = Rng.derive(options.jitterSeed ?? 0, 'camera-jitter');
    const j = (): number => rng.range(-jitter, jitter);
    position = vec3(position.x + j(), position.y + j(), position.z + j());
    lookAt = vec3(lookAt.x + j(), lookAt.y + j(), lookAt.z + j() * 0.5);
  }
  const forward = normalize(sub(lookAt, position));
  const right = normalize(cross(forward, vec3(0, 0, 1)));
  const down = cross(forward, right);
  const fy = height / 2 / Math.tan((fovYDeg * Math.PI) / 360);
  return { width, height, fx: fy, fy, cx: width / 2, cy: height / 2, position, right, down, forward, fovYDeg };
}

export interface Pixel {
  readonly u: number;
  readonly v: number;
  /** Distance along the optical axis, metres. */
  readonly depth: number;
}

/** Pixel coordinates of a world point; null when it is behind the camera. */
export function project(cam: CameraModel, p: Vec3): Pixel | null {
  const dx = p.x - cam.position.x;
  const dy = p.y - cam.position.y;
  const dz = p.z - cam.position.z;
  const zc = dx * cam.forward.x + dy * cam.forward.y + dz * cam.forward.z;
  if (zc <= 1e-6) return null;
  const xc = dx * cam.right.x + dy * cam.right.y + dz * cam.right.z;
  const yc = dx * cam.down.x + dy * cam.down.y + dz * cam.down.z;
  return { u: cam.cx + (cam.fx * xc) / zc, v: cam.cy + (cam.fy * yc) / zc, depth: zc };
}

/** Unit ray direction (world frame) through pixel coordinates (u, v). */
export function pixelRay(cam: CameraModel, u: number, v: number): Vec3 {
  const x = (u - cam.cx) / cam.fx;
  const y = (v - cam.cy) / cam.fy;
  return normalize(
    vec3(
      cam.forward.x + x * cam.right.x + y * cam.down.x,
      cam.forward.y + x * cam.right.y + y * cam.down.y,
      cam.forward.z + x * cam.right.z + y * cam.down.z,
    ),
  );
}

/**
 * The point where the ray through pixel (u, v) meets the horizontal plane z = height (the table top
 * by default); null when the ray does not go down to it.
 */
export function unprojectToTable(cam: CameraModel, u: number, v: number, height = 0): Vec3 | null {
  const d = pixelRay(cam, u, v);
  if (Math.abs(d.z) < 1e-9) return null;
  const k = (height - cam.position.z) / d.z;
  if (k <= 0) return null;
  return vec3(cam.position.x + k * d.x, cam.position.y + k * d.y, height);
}

/** Intrinsic matrix K, row-major 3x3 (as in sensor_msgs/CameraInfo). */
export function intrinsics(cam: CameraModel): number[] {
  return [cam.fx, 0, cam.cx, 0, cam.fy, cam.cy, 0, 0, 1];
}

/** World-to-camera extrinsics: rotation R (row-major 3x3) and translation t, with x_cam = R x_world + t. */
export function extrinsics(cam: CameraModel): { rotation: number[]; translation: number[] } {
  const r = [cam.right, cam.down, cam.forward];
  const rotation = r.flatMap((a) => [a.x, a.y, a.z]);
  const p = cam.position;
  const translation = r.map((a) => -(a.x * p.x + a.y * p.y + a.z * p.z));
  return { rotation, translation };
}
