/** Building blocks for random scenes: object sizes by kind, free-spot sampling, lighting. */
import type { Colour, ObjectKind, ObjectState, SceneObject, SizeClass, Vec3 } from './types';
import type { Rng } from './rng';
import type { Lighting } from './world';
import { normalize, vec3 } from './vec';

/** Nominal size ranges: [diameter or side lo, hi], [height lo, hi]. */
const SIZE_RANGES: Readonly<Record<ObjectKind, readonly [number, number, number, number]>> = {
  cup: [0.064, 0.086, 0.075, 0.098],
  mug: [0.074, 0.09, 0.085, 0.1],
  glass: [0.058, 0.074, 0.1, 0.128],
  pitcher: [0.09, 0.11, 0.16, 0.2],
  bottle: [0.062, 0.078, 0.2, 0.26],
  bowl: [0.12, 0.17, 0.05, 0.07],
  plate: [0.17, 0.24, 0.018, 0.022],
  gear: [0.07, 0.11, 0.016, 0.024],
  bin: [0.15, 0.18, 0.08, 0.11],
  block: [0.04, 0.058, 0.04, 0.058],
  person: [0.4, 0.4, 0.8, 0.8],
};

export function sizeClassOf(t: number): SizeClass {
  return t < 0.34 ? 'small' : t > 0.66 ? 'big' : 'medium';
}

/** Size for a kind at relative size t in [0, 1] (0 smallest, 1 biggest). */
export function sizeFor(kind: ObjectKind, t: number): [number, number, number] {
  const [d0, d1, h0, h1] = SIZE_RANGES[kind];
  const d = d0 + (d1 - d0) * t;
  const h = kind === 'block' ? d : h0 + (h1 - h0) * t;
  return [d, d, h];
}

/** Relative size (0..1) of an object's footprint within its kind's range. */
export function relativeSize(kind: ObjectKind, size: readonly [number, number, number]): number {
  const [d0, d1] = SIZE_RANGES[kind];
  return d1 > d0 ? Math.max(0, Math.min(1, (Math.max(size[0], size[1]) - d0) / (d1 - d0))) : 0.5;
}

export interface ObjectDraft {
  readonly id: string;
  readonly kind: ObjectKind;
  readonly colour: Colour;
  readonly state: ObjectState;
  readonly t: number;
  readonly x: number;
  readonly y: number;
  readonly z?: number;
  readonly yaw: number;
}

export function makeObject(d: ObjectDraft): SceneObject {
  const size = sizeFor(d.kind, d.t);
  return {
    id: d.id,
    kind: d.kind,
    colour: d.colour,
    state: d.state,
    size,
    sizeClass: sizeClassOf(d.t),
    position: vec3(d.x, d.y, d.z ?? 0),
    yaw: d.yaw,
  };
}

export interface Area {
  readonly xMin: number;
  readonly xMax: number;
  readonly yMin: number;
  readonly yMax: number;
}

/** Keeps track of taken discs on the table and finds free spots. */
export class Layout {
  private readonly taken: { x: number; y: number; r: number }[] = [];

  constructor(private readonly rng: Rng) {}

  reserve(x: number, y: number, r: number): void {
    this.taken.push({ x, y, r });
  }

  isFree(x: number, y: number, r: number, gap: number): boolean {
    return this.taken.every((c) => Math.hypot(c.x - x, c.y - y) >= c.r + r + gap);
  }

  /** A random free spot for a disc of radius r, or null after `tries` attempts. */
  sample(r: number, area: Area, gap: number, tries = 300): { x: number; y: number } | null {
    for (let i = 0; i < tries; i++) {
      const x = this.rng.range(area.xMin + r, area.xMax - r);
      const y = this.rng.range(area.yMin + r, area.yMax - r);
      if (this.isFree(x, y, r, gap)) return { x, y };
    }
    return null;
  }
}

/** Lighting that differs from seed to seed but always shows colours clearly. */
export function randomLighting(rng: Rng): Lighting {
  const azimuth = rng.range(-Math.PI, Math.PI);
  const elevation = rng.range(0.75, 1.35);
  const dir: Vec3 = normalize(vec3(Math.cos(azimuth) * Math.cos(elevation), Math.sin(azimuth) * Math.cos(elevation), Math.sin(elevation)));
  const warm = rng.range(-0.08, 0.08);
  return {
    brightness: rng.range(0.8, 1.2),
    tint: [1 + warm + rng.range(-0.03, 0.03), 1 + rng.range(-0.03, 0.03), 1 - warm + rng.range(-0.03, 0.03)],
    direction: dir,
  };
}
