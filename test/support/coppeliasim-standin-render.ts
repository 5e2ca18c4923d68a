/**
 * What the stand-in's vision sensors see in 'scene' mode (tests only): every shape drawn as its
 * box (cylinders and spheroids too) in its flat colour, the nearest one winning, stored bottom row
 * first as CoppeliaSim stores images.
 *
 * Sensor frame as CoppeliaSim defines it: the sensor looks along its +Z, +Y is up in the image,
 * and +X (= Y x Z) points to the image's left; the perspective angle spans the larger image side.
 * A pixel nobody covers is black.
 */
import { multiply3, rotate, transpose3, type Mat3, type Vec3Tuple } from '../../coppeliasim/geometry';
import type { StandInObject, StandInWorld } from './coppeliasim-standin-world';

interface SensorOptics {
  readonly width: number;
  readonly height: number;
  readonly viewAngle: number;
  readonly near: number;
  readonly far: number;
}

interface PixelRect {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

/** Pixels the box can cover: the bounds of its projected corners, or everything when one is behind the near plane. */
function coveredRect(optics: SensorOptics, focal: number, toSensor: (p: Vec3Tuple) => Vec3Tuple, corners: readonly Vec3Tuple[]): PixelRect | null {
  const { width: w, height: h } = optics;
  let [left, right, top, bottom] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const corner of corners) {
    const s = toSensor(corner);
    if (s[2] <= optics.near) return { left: 0, right: w - 1, top: 0, bottom: h - 1 };
    const u = w / 2 - (focal * s[0]) / s[2];
    const v = h / 2 - (focal * s[1]) / s[2];
    [left, right, top, bottom] = [Math.min(left, u), Math.max(right, u), Math.min(top, v), Math.max(bottom, v)];
  }
  const rect = { left: Math.max(0, Math.floor(left)), right: Math.min(w - 1, Math.ceil(right)), top: Math.max(0, Math.floor(top)), bottom: Math.min(h - 1, Math.ceil(bottom)) };
  return rect.left > rect.right || rect.top > rect.bottom ? null : rect;
}

/** Distance along the sensor's +Z to where the ray enters the box, or Infinity (slab test in the box frame). */
function entryDepth(origin: Vec3Tuple, direction: Vec3Tuple, half: Vec3Tuple): number {
  let enter = -Infinity;
  let exit = Infinity;
  for (let i = 0; i < 3; i++) {
    if (Math.abs(direction[i]) < 1e-12) {
      if (Math.abs(origin[i]) > half[i]) return Infinity;
      continue;
    }
    const a = (-half[i] - origin[i]) / direction[i];
    const b = (half[i] - origin[i]) / direction[i];
    enter = Math.max(enter, Math.min(a, b));
    exit = Math.min(exit, Math.max(a, b));
  }
  return exit >= enter ? enter : Infinity;
}

function drawBox(world: StandInWorld, shape: StandInObject, optics: SensorOptics, sensorPose: { position: Vec3Tuple; rotation: Mat3 }, image: Uint8Array, depth: Float32Array): void {
  const { size, rgb } = shape.shape!;
  const half: Vec3Tuple = [size[0] / 2, size[1] / 2, size[2] / 2];
  const box = world.worldPose(shape.handle);
  const { width: w, height: h } = optics;
  const focal = Math.max(w, h) / 2 / Math.tan(optics.viewAngle / 2);
  const toSensorRotation = transpose3(sensorPose.rotation);
  const toSensor = (p: Vec3Tuple): Vec3Tuple =>
    rotate(toSensorRotation, [p[0] - sensorPose.position[0], p[1] - sensorPose.position[1], p[2] - sensorPose.position[2]]);
  const corners: Vec3Tuple[] = [];
  for (const sx of [-1, 1]) for (const sy of [-1, 1]) for (const sz of [-1, 1]) {
    const offset = rotate(box.rotation, [sx * half[0], sy * half[1], sz * half[2]]);
    corners.push([box.position[0] + offset[0], box.position[1] + offset[1], box.position[2] + offset[2]]);
  }
  const rect = coveredRect(optics, focal, toSensor, corners);
  if (!rect) return;
  const toBox = transpose3(box.rotation);
  const origin = rotate(toBox, [sensorPose.position[0] - box.position[0], sensorPose.position[1] - box.position[1], sensorPose.position[2] - box.position[2]]);
  const sensorToBox = multiply3(toBox, sensorPose.rotation);
  const colour = rgb.map((c) => Math.round(Math.max(0, Math.min(1, c)) * 255));
  for (let row = rect.top; row <= rect.bottom; row++) {
    const ys = (h / 2 - (row + 0.5)) / focal;
    for (let col = rect.left; col <= rect.right; col++) {
      const xs = -(col + 0.5 - w / 2) / focal;
      const t = entryDepth(origin, rotate(sensorToBox, [xs, ys, 1]), half);
      const stored = (h - 1 - row) * w + col;
      if (t < optics.near || t > optics.far || t >= depth[stored]!) continue;
      depth[stored] = t;
      image.set(colour, stored * 3);
    }
  }
}

/** Renders every shape of the world into the sensor's image. */
export function renderScene(world: StandInWorld, sensor: StandInObject, optics: SensorOptics): void {
  const image = sensor.sensor!.image;
  image.fill(0);
  const depth = new Float32Array(optics.width * optics.height).fill(Infinity);
  const pose = world.worldPose(sensor.handle);
  for (const object of world.objects.values()) {
    if (object.shape) drawBox(world, object, optics, pose, image, depth);
  }
}
