/**
 * A z-buffered triangle rasterizer with flat shading: draws meshes through a camera into an RGB
 * image and an instance mask at the same time.
 */
import type { CameraModel } from './camera';
import type { Mesh } from './mesh';
import type { Lighting } from './world';

/** Rotation (row-major 3x3) and translation taking mesh coordinates to world coordinates. */
export interface Placement3 {
  readonly r: readonly number[];
  readonly t: readonly [number, number, number];
}

export const IDENTITY: Placement3 = { r: [1, 0, 0, 0, 1, 0, 0, 0, 1], t: [0, 0, 0] };

/** Placement of an object frame: yaw about z, then tilt about the yawed y axis, then translation. */
export function placement(x: number, y: number, z: number, yaw: number, tilt: number): Placement3 {
  const cy = Math.cos(yaw);
  const sy = Math.sin(yaw);
  const ct = Math.cos(tilt);
  const st = Math.sin(tilt);
  // R = Rz(yaw) * Ry(tilt)
  return {
    r: [cy * ct, -sy, cy * st, sy * ct, cy, sy * st, -st, 0, ct],
    t: [x, y, z],
  };
}

const AMBIENT = 0.5;
const DIFFUSE = 0.55;
const SKY = 0.12;
const NEAR = 0.03;

/**
 * The depth buffer and the vertex scratch outlive a frame: a camera renders ten frames a second,
 * and fresh ones would be most of a megabyte of garbage each time. Rendering is synchronous, so
 * one set serves every rasterizer.
 */
const shared = {
  depth: new Float32Array(0),
  sx: new Float32Array(1024),
  sy: new Float32Array(1024),
  cx: new Float32Array(1024),
  cyy: new Float32Array(1024),
  cz: new Float32Array(1024),
};

export class Rasterizer {
  readonly rgb: Uint8Array;
  readonly mask: Uint16Array;
  private readonly depth: Float32Array;
  private sx = shared.sx;
  private sy = shared.sy;
  private cx = shared.cx;
  private cyy = shared.cyy;
  private cz = shared.cz;
  private readonly light: [number, number, number];
  private readonly up: [number, number, number];
  private readonly gain: [number, number, number];

  constructor(
    private readonly cam: CameraModel,
    lighting: Lighting,
  ) {
    const n = cam.width * cam.height;
    this.rgb = new Uint8Array(n * 3);
    this.mask = new Uint16Array(n);
    if (shared.depth.length !== n) shared.depth = new Float32Array(n);
    this.depth = shared.depth;
    this.depth.fill(0);
    const toCam = (v: { x: number; y: number; z: number }): [number, number, number] => [
      v.x * cam.right.x + v.y * cam.right.y + v.z * cam.right.z,
      v.x * cam.down.x + v.y * cam.down.y + v.z * cam.down.z,
      v.x * cam.forward.x + v.y * cam.forward.y + v.z * cam.forward.z,
    ];
    this.light = toCam(lighting.direction);
    this.up = toCam({ x: 0, y: 0, z: 1 });
    const b = lighting.brightness * 255;
    this.gain = [b * lighting.tint[0], b * lighting.tint[1], b * lighting.tint[2]];
  }

  /** Fills the image with a wall-to-floor gradient (mask 0) and clears the depth buffer. */
  background(top: readonly number[], bottom: readonly number[]): void {
    const { width, height } = this.cam;
    for (let j = 0; j < height; j++) {
      const k = j / Math.max(1, height - 1);
      const r = Math.min(255, (top[0]! + (bottom[0]! - top[0]!) * k) * this.gain[0]);
      const g = Math.min(255, (top[1]! + (bottom[1]! - top[1]!) * k) * this.gain[1]);
      const b = Math.min(255, (top[2]! + (bottom[2]! - top[2]!) * k) * this.gain[2]);
      let p = j * width * 3;
      for (let i = 0; i < width; i++) {
        this.rgb[p++] = r;
        this.rgb[p++] = g;
        this.rgb[p++] = b;
      }
    }
    this.depth.fill(0);
    this.mask.fill(0);
  }

  draw(mesh: Mesh, where: Placement3, maskId: number): void {
    const cam = this.cam;
    const pos = mesh.positions;
    const nv = pos.length / 3;
    if (this.sx.length < nv) {
      const size = 1 << Math.ceil(Math.log2(nv));
      this.sx = shared.sx = new Float32Array(size);
      this.sy = shared.sy = new Float32Array(size);
      this.cx = shared.cx = new Float32Array(size);
      this.cyy = shared.cyy = new Float32Array(size);
      this.cz = shared.cz = new Float32Array(size);
    }
    // Combined mesh -> camera transform.
    const r = where.r;
    const t = where.t;
    const R = cam.right;
    const D = cam.down;
    const F = cam.forward;
    const px = t[0] - cam.position.x;
    const py = t[1] - cam.position.y;
    const pz = t[2] - cam.position.z;
    const a00 = R.x * r[0]! + R.y * r[3]! + R.z * r[6]!;
    const a01 = R.x * r[1]! + R.y * r[4]! + R.z * r[7]!;
    const a02 = R.x * r[2]! + R.y * r[5]! + R.z * r[8]!;
    const a10 = D.x * r[0]! + D.y * r[3]! + D.z * r[6]!;
    const a11 = D.x * r[1]! + D.y * r[4]! + D.z * r[7]!;
    const a12 = D.x * r[2]! + D.y * r[5]! + D.z * r[8]!;
    const a20 = F.x * r[0]! + F.y * r[3]! + F.z * r[6]!;
    const a21 = F.x * r[1]! + F.y * r[4]! + F.z * r[7]!;
    const a22 = F.x * r[2]! + F.y * r[5]! + F.z * r[8]!;
    const b0 = R.x * px + R.y * py + R.z * pz;
    const b1 = D.x * px + D.y * py + D.z * pz;
    const b2 = F.x * px + F.y * py + F.z * pz;
    const { fx, fy } = cam;
    const ccx = cam.cx;
    const ccy = cam.cy;
    const sx = this.sx;
    const sy = this.sy;
    const cxs = this.cx;
    const cys = this.cyy;
    const czs = this.cz;
    for (let i = 0; i < nv; i++) {
      const x = pos[3 * i]!;
      const y = pos[3 * i + 1]!;
      const z = pos[3 * i + 2]!;
      const xc = a00 * x + a01 * y + a02 * z + b0;
      const yc = a10 * x + a11 * y + a12 * z + b1;
      const zc = a20 * x + a21 * y + a22 * z + b2;
      cxs[i] = xc;
      cys[i] = yc;
      czs[i] = zc;
      const iz = zc > NEAR ? 1 / zc : 0;
      sx[i] = ccx + fx * xc * iz;
      sy[i] = ccy + fy * yc * iz;
    }
    const idx = mesh.indices;
    const col = mesh.colours;
    const [lx, ly, lz] = this.light;
    const [ux, uy, uz] = this.up;
    const [g0, g1, g2] = this.gain;
    const nt = idx.length / 3;
    const cull = !mesh.twoSided;
    for (let k = 0; k < nt; k++) {
      const i0 = idx[3 * k]!;
      const i1 = idx[3 * k + 1]!;
      const i2 = idx[3 * k + 2]!;
      const z0 = czs[i0]!;
      const z1 = czs[i1]!;
      const z2 = czs[i2]!;
      if (z0 <= NEAR || z1 <= NEAR || z2 <= NEAR) continue;
      // Flat shading from the camera-space face normal, turned towards the viewer (two-sided).
      const e1x = cxs[i1]! - cxs[i0]!;
      const e1y = cys[i1]! - cys[i0]!;
      const e1z = z1 - z0;
      const e2x = cxs[i2]! - cxs[i0]!;
      const e2y = cys[i2]! - cys[i0]!;
      const e2z = z2 - z0;
      let nx = e1y * e2z - e1z * e2y;
      let ny = e1z * e2x - e1x * e2z;
      let nz = e1x * e2y - e1y * e2x;
      const nl = Math.sqrt(nx * nx + ny * ny + nz * nz);
      if (nl < 1e-20) continue;
      const facing = nx * cxs[i0]! + ny * cys[i0]! + nz * z0;
      if (facing > 0 && cull) continue;
      const s = facing > 0 ? -1 / nl : 1 / nl;
      nx *= s;
      ny *= s;
      nz *= s;
      const diffuse = nx * lx + ny * ly + nz * lz;
      const sky = nx * ux + ny * uy + nz * uz;
      const shade = AMBIENT + DIFFUSE * (diffuse > 0 ? diffuse : 0) + SKY * (sky > 0 ? sky : 0);
      const cr = Math.min(255, col[3 * k]! * shade * g0);
      const cg = Math.min(255, col[3 * k + 1]! * shade * g1);
      const cb = Math.min(255, col[3 * k + 2]! * shade * g2);
      this.fill(sx[i0]!, sy[i0]!, 1 / z0, sx[i1]!, sy[i1]!, 1 / z1, sx[i2]!, sy[i2]!, 1 / z2, cr, cg, cb, maskId);
    }
  }

  private fill(
    x0: number, y0: number, w0: number,
    x1: number, y1: number, w1: number,
    x2: number, y2: number, w2: number,
    r: number, g: number, b: number, id: number,
  ): void {
    const W = this.cam.width;
    const H = this.cam.height;
    let area = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0);
    if (area === 0) return;
    if (area < 0) {
      // Make the winding counter-clockwise in pixel coordinates.
      let t = x1; x1 = x2; x2 = t;
      t = y1; y1 = y2; y2 = t;
      t = w1; w1 = w2; w2 = t;
      area = -area;
    }
    let minX = Math.floor(Math.min(x0, x1, x2));
    let maxX = Math.ceil(Math.max(x0, x1, x2));
    let minY = Math.floor(Math.min(y0, y1, y2));
    let maxY = Math.ceil(Math.max(y0, y1, y2));
    if (minX < 0) minX = 0;
    if (minY < 0) minY = 0;
    if (maxX > W) maxX = W;
    if (maxY > H) maxY = H;
    if (minX >= maxX || minY >= maxY) return;
    const inv = 1 / area;
    // Edge functions at the first pixel centre, and their steps per pixel.
    const a0 = y1 - y2, b0 = x2 - x1;
    const a1 = y2 - y0, b1 = x0 - x2;
    const a2 = y0 - y1, b2 = x1 - x0;
    const px = minX + 0.5;
    const py = minY + 0.5;
    let row0 = (px - x1) * a0 + (py - y1) * b0;
    let row1 = (px - x2) * a1 + (py - y2) * b1;
    let row2 = (px - x0) * a2 + (py - y0) * b2;
    const depth = this.depth;
    const rgb = this.rgb;
    const mask = this.mask;
    const dz = (a0 * w0 + a1 * w1 + a2 * w2) * inv;
    for (let y = minY; y < maxY; y++) {
      // The span of this row inside all three edges, so thin triangles cost little.
      let lo = minX;
      let hi = maxX;
      let skip = false;
      if (a0 > 0) { if (row0 < 0) lo = Math.max(lo, minX + Math.ceil(-row0 / a0) - 1); } else if (a0 < 0) hi = Math.min(hi, minX + Math.floor(row0 / -a0) + 2); else if (row0 < 0) skip = true;
      if (a1 > 0) { if (row1 < 0) lo = Math.max(lo, minX + Math.ceil(-row1 / a1) - 1); } else if (a1 < 0) hi = Math.min(hi, minX + Math.floor(row1 / -a1) + 2); else if (row1 < 0) skip = true;
      if (a2 > 0) { if (row2 < 0) lo = Math.max(lo, minX + Math.ceil(-row2 / a2) - 1); } else if (a2 < 0) hi = Math.min(hi, minX + Math.floor(row2 / -a2) + 2); else if (row2 < 0) skip = true;
      if (!skip && lo < hi) {
        const k0 = lo - minX;
        let e0 = row0 + a0 * k0;
        let e1 = row1 + a1 * k0;
        let e2 = row2 + a2 * k0;
        let z = (e0 * w0 + e1 * w1 + e2 * w2) * inv;
        let p = y * W + lo;
        for (let x = lo; x < hi; x++, p++) {
          if (e0 >= 0 && e1 >= 0 && e2 >= 0 && z > depth[p]!) {
            depth[p] = z;
            mask[p] = id;
            const q = p * 3;
            rgb[q] = r;
            rgb[q + 1] = g;
            rgb[q + 2] = b;
          }
          e0 += a0;
          e1 += a1;
          e2 += a2;
          z += dz;
        }
      }
      row0 += b0;
      row1 += b1;
      row2 += b2;
    }
  }
}
