import type { Vec3 } from './types';

export const vec3 = (x: number, y: number, z: number): Vec3 => ({ x, y, z });
export const ORIGIN: Vec3 = vec3(0, 0, 0);

export const add = (a: Vec3, b: Vec3): Vec3 => vec3(a.x + b.x, a.y + b.y, a.z + b.z);
export const sub = (a: Vec3, b: Vec3): Vec3 => vec3(a.x - b.x, a.y - b.y, a.z - b.z);
export const scale = (a: Vec3, k: number): Vec3 => vec3(a.x * k, a.y * k, a.z * k);
export const lerp = (a: Vec3, b: Vec3, t: number): Vec3 =>
  vec3(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t, a.z + (b.z - a.z) * t);
export const dot = (a: Vec3, b: Vec3): number => a.x * b.x + a.y * b.y + a.z * b.z;
export const cross = (a: Vec3, b: Vec3): Vec3 =>
  vec3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x);
export const length = (a: Vec3): number => Math.sqrt(dot(a, a));
export const distance = (a: Vec3, b: Vec3): number => length(sub(a, b));
export const distanceXY = (a: Vec3, b: Vec3): number => Math.hypot(a.x - b.x, a.y - b.y);
export const withZ = (a: Vec3, z: number): Vec3 => vec3(a.x, a.y, z);
export const normalize = (a: Vec3): Vec3 => {
  const l = length(a);
  return l > 0 ? scale(a, 1 / l) : vec3(0, 0, 0);
};
export const isFiniteVec = (a: Vec3): boolean =>
  Number.isFinite(a.x) && Number.isFinite(a.y) && Number.isFinite(a.z);

/** Rotates v about +z by yaw, then tilts it by `tilt` about the rotated local +y axis. */
export function rotateYawTilt(v: Vec3, yaw: number, tilt: number): Vec3 {
  // Tilt about local +y first (in the object's frame), then yaw about world +z.
  const ct = Math.cos(tilt);
  const st = Math.sin(tilt);
  const x1 = v.x * ct + v.z * st;
  const z1 = -v.x * st + v.z * ct;
  const cy = Math.cos(yaw);
  const sy = Math.sin(yaw);
  return vec3(x1 * cy - v.y * sy, x1 * sy + v.y * cy, z1);
}

/** Smooth 0..1 ramp with zero velocity at both ends (minimum-jerk profile). */
export function minJerk(s: number): number {
  const t = s <= 0 ? 0 : s >= 1 ? 1 : s;
  return t * t * t * (10 + t * (-15 + 6 * t));
}

export const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);

/** Shortest signed angle from a to b. */
export function angleDelta(a: number, b: number): number {
  let d = (b - a) % (2 * Math.PI);
  if (d > Math.PI) d -= 2 * Math.PI;
  if (d < -Math.PI) d += 2 * Math.PI;
  return d;
}
