/**
 * Triangle meshes of the things on the table, in each object's own frame (base centre at the
 * origin, z up, +x towards the spout). Each triangle carries its albedo.
 */
import type { SceneObject } from './types';
import { COLOUR_RGB, WORLD_RGB, type Rgb } from './palette';

export interface Mesh {
  /** x, y, z per vertex. */
  readonly positions: Float32Array;
  /** Three vertex indices per triangle. */
  readonly indices: Uint32Array;
  /** r, g, b (0..1) per triangle. */
  readonly colours: Float32Array;
  /**
   * Open shapes (vessels, plates) are seen from inside too; closed ones wind every triangle
   * counter-clockwise seen from outside, so the rasterizer may skip the faces turned away.
   */
  readonly twoSided: boolean;
}

const TAU = Math.PI * 2;
const darker = (c: Rgb, k: number): Rgb => [c[0] * k, c[1] * k, c[2] * k];
const mix = (a: Rgb, b: Rgb, k: number): Rgb => [a[0] + (b[0] - a[0]) * k, a[1] + (b[1] - a[1]) * k, a[2] + (b[2] - a[2]) * k];

export class MeshBuilder {
  private readonly pos: number[] = [];
  private readonly idx: number[] = [];
  private readonly col: number[] = [];

  get triangleCount(): number {
    return this.idx.length / 3;
  }

  vertex(x: number, y: number, z: number): number {
    this.pos.push(x, y, z);
    return this.pos.length / 3 - 1;
  }

  tri(a: number, b: number, c: number, rgb: Rgb): void {
    this.idx.push(a, b, c);
    this.col.push(rgb[0], rgb[1], rgb[2]);
  }

  quad(a: number, b: number, c: number, d: number, rgb: Rgb): void {
    this.tri(a, b, c, rgb);
    this.tri(a, c, d, rgb);
  }

  /** Box from corner (x0, y0, z0) to (x1, y1, z1). */
  box(x0: number, y0: number, z0: number, x1: number, y1: number, z1: number, rgb: Rgb, top: Rgb = rgb): void {
    const v = [
      this.vertex(x0, y0, z0), this.vertex(x1, y0, z0), this.vertex(x1, y1, z0), this.vertex(x0, y1, z0),
      this.vertex(x0, y0, z1), this.vertex(x1, y0, z1), this.vertex(x1, y1, z1), this.vertex(x0, y1, z1),
    ] as const;
    this.quad(v[4], v[5], v[6], v[7], top);
    this.quad(v[0], v[1], v[5], v[4], rgb);
    this.quad(v[1], v[2], v[6], v[5], rgb);
    this.quad(v[2], v[3], v[7], v[6], rgb);
    this.quad(v[3], v[0], v[4], v[7], rgb);
    this.quad(v[0], v[3], v[2], v[1], rgb);
  }

  /** Box spanning from point a to point b with a square section of side w (world-aligned "up" kept). */
  beam(a: readonly [number, number, number], b: readonly [number, number, number], w: number, rgb: Rgb): void {
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    const dz = b[2] - a[2];
    const len = Math.hypot(dx, dy, dz) || 1e-6;
    const d = [dx / len, dy / len, dz / len] as const;
    const ref = Math.abs(d[2]) < 0.9 ? [0, 0, 1] : [1, 0, 0];
    let ux = d[1] * ref[2]! - d[2] * ref[1]!;
    let uy = d[2] * ref[0]! - d[0] * ref[2]!;
    let uz = d[0] * ref[1]! - d[1] * ref[0]!;
    const ul = Math.hypot(ux, uy, uz);
    ux /= ul; uy /= ul; uz /= ul;
    const vx = d[1] * uz - d[2] * uy;
    const vy = d[2] * ux - d[0] * uz;
    const vz = d[0] * uy - d[1] * ux;
    const h = w / 2;
    const corners: number[] = [];
    for (const p of [a, b]) {
      for (const [su, sv] of [[-1, -1], [1, -1], [1, 1], [-1, 1]] as const) {
        corners.push(this.vertex(p[0] + h * (su * ux + sv * vx), p[1] + h * (su * uy + sv * vy), p[2] + h * (su * uz + sv * vz)));
      }
    }
    const c = corners;
    for (let i = 0; i < 4; i++) {
      const j = (i + 1) % 4;
      this.quad(c[i]!, c[j]!, c[j + 4]!, c[i + 4]!, rgb);
    }
    this.quad(c[3]!, c[2]!, c[1]!, c[0]!, rgb);
    this.quad(c[4]!, c[5]!, c[6]!, c[7]!, rgb);
  }

  /** Side wall of a (possibly tapered) cylinder between heights z0 and z1. */
  wall(r0: number, r1: number, z0: number, z1: number, n: number, rgb: Rgb, cx = 0, cy = 0): void {
    const base = this.pos.length / 3;
    for (let i = 0; i < n; i++) {
      const a = (i / n) * TAU;
      const c = Math.cos(a);
      const s = Math.sin(a);
      this.vertex(cx + r0 * c, cy + r0 * s, z0);
      this.vertex(cx + r1 * c, cy + r1 * s, z1);
    }
    for (let i = 0; i < n; i++) {
      const j = (i + 1) % n;
      this.quad(base + 2 * i, base + 2 * j, base + 2 * j + 1, base + 2 * i + 1, rgb);
    }
  }

  /** Flat ring between radii r0 < r1 at height z (r0 = 0: a disc). */
  ring(r0: number, r1: number, z: number, n: number, rgb: Rgb, cx = 0, cy = 0): void {
    if (r0 <= 0) {
      const centre = this.vertex(cx, cy, z);
      const base = this.pos.length / 3;
      for (let i = 0; i < n; i++) this.vertex(cx + r1 * Math.cos((i / n) * TAU), cy + r1 * Math.sin((i / n) * TAU), z);
      for (let i = 0; i < n; i++) this.tri(centre, base + i, base + ((i + 1) % n), rgb);
      return;
    }
    // Outer edge first keeps the annulus facing up.
    this.wall(r1, r0, z, z, n, rgb, cx, cy);
  }

  build(twoSided = false): Mesh {
    return { positions: Float32Array.from(this.pos), indices: Uint32Array.from(this.idx), colours: Float32Array.from(this.col), twoSided };
  }
}

/** An open vessel: outer and inner wall, rim, inner bottom. */
function openVessel(m: MeshBuilder, r: number, h: number, n: number, rgb: Rgb, bottomR = r): void {
  const wall = Math.max(0.003, r * 0.06);
  m.wall(bottomR, r, 0, h, n, rgb);
  m.wall(bottomR - wall, r - wall, 0.006, h, n, darker(rgb, 0.78));
  m.ring(r - wall, r, h, n, mix(rgb, [1, 1, 1], 0.15));
  m.ring(0, bottomR - wall, 0.006, n, darker(rgb, 0.7));
  m.ring(0, bottomR, 0, n, darker(rgb, 0.6));
}

function gear(m: MeshBuilder, o: SceneObject, rgb: Rgb, lod: number): void {
  const r = o.size[0] / 2;
  const h = o.size[2];
  const teeth = Math.max(8, Math.round((TAU * r) / 0.013));
  const rootR = r - 0.007;
  // Small images get a coarser hub and teeth without side faces; the outline stays the same.
  const coarse = lod <= 12;
  const n = coarse ? teeth : teeth * 2;
  m.wall(rootR, rootR, 0, h, n, darker(rgb, 0.9));
  m.ring(0.006 + r * 0.18, rootR, h, n, rgb);
  m.ring(0, r * 0.18, h, Math.max(8, lod), darker(rgb, 0.35));
  if (!coarse) m.ring(0, rootR, 0, n, darker(rgb, 0.6));
  const defective = o.state === 'defective';
  const missing = 0;
  for (let k = 0; k < teeth; k++) {
    if (defective && k === missing) continue;
    const a = (k / teeth) * TAU;
    const half = (0.45 * TAU) / teeth / 2;
    const ca = Math.cos(a);
    const sa = Math.sin(a);
    const px = -sa;
    const py = ca;
    const w0 = rootR * Math.sin(half) * 1.1;
    const w1 = w0 * 0.7;
    const pts = [
      [rootR * ca - w0 * px, rootR * sa - w0 * py],
      [r * ca - w1 * px, r * sa - w1 * py],
      [r * ca + w1 * px, r * sa + w1 * py],
      [rootR * ca + w0 * px, rootR * sa + w0 * py],
    ] as const;
    const lo = pts.map(([x, y]) => m.vertex(x, y, coarse ? h * 0.3 : 0));
    const hi = pts.map(([x, y]) => m.vertex(x, y, h));
    m.quad(hi[0]!, hi[1]!, hi[2]!, hi[3]!, rgb);
    if (coarse) m.quad(lo[1]!, lo[2]!, hi[2]!, hi[1]!, darker(rgb, 0.85));
    else for (let i = 0; i < 3; i++) m.quad(lo[i]!, lo[i + 1]!, hi[i + 1]!, hi[i]!, darker(rgb, 0.85));
  }
  if (defective) {
    // A dark crack from the hub to the gap where the tooth broke off, wide enough to see from afar.
    const a = 0;
    const spread = 0.2;
    const z = h + 0.0006;
    const c = m.vertex(r * 0.22 * Math.cos(a), r * 0.22 * Math.sin(a), z);
    const p1 = m.vertex(rootR * Math.cos(a - spread), rootR * Math.sin(a - spread), z);
    const mid = m.vertex(r * 0.62 * Math.cos(a + 0.08), r * 0.62 * Math.sin(a + 0.08), z);
    const p2 = m.vertex(rootR * Math.cos(a + spread), rootR * Math.sin(a + spread), z);
    m.tri(c, p1, mid, WORLD_RGB.crack);
    m.tri(c, mid, p2, WORLD_RGB.crack);
    m.tri(p1, p2, mid, WORLD_RGB.crack);
    m.box(rootR - 0.002, -0.004, 0, rootR + 0.001, 0.004, h + 0.0006, WORLD_RGB.crack);
  }
}

/** Mesh of one scene object in its own frame; `lod` is the number of segments around a circle. */
export function buildObjectMesh(o: SceneObject, lod: number): Mesh {
  const m = new MeshBuilder();
  const rgb = COLOUR_RGB[o.colour];
  const [sx, sy, h] = o.size;
  const r = Math.min(sx, sy) / 2;
  const n = lod;
  switch (o.kind) {
    case 'cup':
      openVessel(m, r, h, n, rgb, r * 0.82);
      break;
    case 'mug':
      openVessel(m, r, h, n, rgb);
      m.box(-0.006, r - 0.004, h * 0.25, 0.006, r + 0.022, h * 0.32, rgb);
      m.box(-0.006, r + 0.014, h * 0.25, 0.006, r + 0.022, h * 0.8, rgb);
      m.box(-0.006, r - 0.004, h * 0.73, 0.006, r + 0.022, h * 0.8, rgb);
      break;
    case 'glass':
      openVessel(m, r, h, n, mix(rgb, [1, 1, 1], 0.35), r * 0.9);
      break;
    case 'bowl':
      openVessel(m, r, h, n, rgb, r * 0.55);
      break;
    case 'pitcher': {
      openVessel(m, r, h, n, rgb, r * 0.92);
      const sv = [m.vertex(r * 0.7, -0.022, h - 0.004), m.vertex(r * 0.7, 0.022, h - 0.004), m.vertex(r + 0.02, 0, h + 0.006), m.vertex(r * 0.9, 0, h - 0.03)];
      m.tri(sv[0]!, sv[1]!, sv[2]!, mix(rgb, [1, 1, 1], 0.15));
      m.tri(sv[0]!, sv[2]!, sv[3]!, rgb);
      m.tri(sv[1]!, sv[3]!, sv[2]!, rgb);
      m.box(-r - 0.03, -0.007, h * 0.2, -r + 0.004, 0.007, h * 0.3, rgb);
      m.box(-r - 0.03, -0.007, h * 0.2, -r - 0.018, 0.007, h * 0.85, rgb);
      m.box(-r - 0.03, -0.007, h * 0.75, -r + 0.004, 0.007, h * 0.85, rgb);
      break;
    }
    case 'bottle': {
      const body = h * 0.62;
      m.wall(r, r, 0, body, n, rgb);
      m.wall(r, 0.014, body, h * 0.85, n, rgb);
      m.wall(0.014, 0.014, h * 0.85, h, n, rgb);
      m.wall(0.016, 0.016, h, h + 0.02, n, darker(rgb, 0.45));
      m.ring(0, 0.016, h + 0.02, n, darker(rgb, 0.45));
      break;
    }
    case 'plate':
      m.wall(r * 0.7, r, 0, h, n, rgb);
      m.ring(r * 0.7, r, h, n, mix(rgb, [1, 1, 1], 0.1));
      m.ring(0, r * 0.7, h * 0.4, n, rgb);
      m.wall(r * 0.7, r * 0.7, h * 0.4, h, n, darker(rgb, 0.85));
      break;
    case 'gear':
      gear(m, o, rgb, n);
      break;
    case 'bin': {
      const x = sx / 2;
      const y = sy / 2;
      const w = 0.008;
      const inner = darker(rgb, 0.7);
      m.box(-x, -y, 0, x, y, 0.01, inner);
      m.box(-x, -y, 0, -x + w, y, h, rgb);
      m.box(x - w, -y, 0, x, y, h, rgb);
      m.box(-x, -y, 0, x, -y + w, h, rgb);
      m.box(-x, y - w, 0, x, y, h, rgb);
      break;
    }
    case 'block':
      m.box(-sx / 2, -sy / 2, 0, sx / 2, sy / 2, h, rgb);
      break;
    case 'person':
      m.box(-sx / 2, -sy / 2, 0, sx / 2, sy / 2, h, WORLD_RGB.shirt);
      break;
  }
  const open = o.kind === 'cup' || o.kind === 'mug' || o.kind === 'glass' || o.kind === 'bowl' || o.kind === 'pitcher' || o.kind === 'plate';
  return m.build(open);
}

const cache = new Map<string, Mesh>();

/** Cached mesh for an object (keyed by what changes its shape and colour). */
export function objectMesh(o: SceneObject, lod: number): Mesh {
  const key = `${o.kind}|${o.colour}|${o.state}|${o.size.join(',')}|${lod}`;
  let mesh = cache.get(key);
  if (!mesh) {
    if (cache.size > 5000) cache.clear();
    mesh = buildObjectMesh(o, lod);
    cache.set(key, mesh);
  }
  return mesh;
}
