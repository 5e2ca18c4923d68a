/**
 * Scenes from the tabletop block-reference benchmark (NLI corpus, scenes.json): 15 blocks with
 * colour and image centroid in a 756x660 picture taken from the speaker's side.
 *
 * The speaker is our person (at +x), the listener (the silhouette at the top of the picture) is our
 * robot (at -x). So image right is the person's right, world +y, and image down is towards the
 * person, world +x. A homography from the table top's four corners in the picture to the table's
 * corners maps every centroid onto the table.
 */
import { COLOURS, type Colour, type SceneObject } from './types';
import { DEFAULT_LIGHTING, DEFAULT_PERSON_POSITION, TABLE, type Scene } from './world';
import { relativeSize, sizeClassOf } from './layout';
import { vec3 } from './vec';

/** Table-top corners in Configuration_NN.png (measured once on Configuration_01.png): far-left, far-right, near-right, near-left. */
export const NLI_IMAGE_TABLE_CORNERS: readonly (readonly [number, number])[] = [
  [32, 351.5],
  [723.5, 351.5],
  [752.5, 635],
  [3, 635],
];
/** The same corners on our table: far edge at the robot (x = -halfX), image left at world -y. */
const WORLD_TABLE_CORNERS: readonly (readonly [number, number])[] = [
  [-TABLE.halfX, -TABLE.halfY],
  [-TABLE.halfX, TABLE.halfY],
  [TABLE.halfX, TABLE.halfY],
  [TABLE.halfX, -TABLE.halfY],
];
export const NLI_BLOCK_SIZE = 0.048;

export interface NliBlock {
  readonly id: number;
  readonly color: string;
  readonly cx: number;
  readonly cy: number;
}

export interface NliConfiguration {
  readonly configuration: number;
  readonly blocks: readonly NliBlock[];
}

/** 3x3 homography (row-major) taking the four `from` points to the four `to` points. */
export function homography(from: readonly (readonly [number, number])[], to: readonly (readonly [number, number])[]): number[] {
  if (from.length !== 4 || to.length !== 4) throw new Error('homography: needs exactly four point pairs');
  const a: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i] as readonly [number, number];
    const [u, v] = to[i] as readonly [number, number];
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  // Gaussian elimination with partial pivoting on the 8x9 augmented matrix.
  for (let c = 0; c < 8; c++) {
    let pivot = c;
    for (let r = c + 1; r < 8; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[pivot]![c]!)) pivot = r;
    if (Math.abs(a[pivot]![c]!) < 1e-12) throw new Error('homography: the points are degenerate');
    [a[c], a[pivot]] = [a[pivot]!, a[c]!];
    for (let r = 0; r < 8; r++) {
      if (r === c) continue;
      const k = a[r]![c]! / a[c]![c]!;
      for (let j = c; j < 9; j++) a[r]![j]! -= k * a[c]![j]!;
    }
  }
  const h = a.map((row, i) => row[8]! / row[i]!);
  return [...h, 1];
}

export function applyHomography(h: readonly number[], x: number, y: number): [number, number] {
  const w = h[6]! * x + h[7]! * y + h[8]!;
  return [(h[0]! * x + h[1]! * y + h[2]!) / w, (h[3]! * x + h[4]! * y + h[5]!) / w];
}

const IMAGE_TO_TABLE = homography(NLI_IMAGE_TABLE_CORNERS, WORLD_TABLE_CORNERS);

/** World (x, y) on the table of a pixel in a study-2 image. */
export function nliPixelToTable(cx: number, cy: number): [number, number] {
  return applyHomography(IMAGE_TO_TABLE, cx, cy);
}

function checkEntry(entry: unknown): NliConfiguration {
  const where = (s: string): string => `tabletopSceneFromNli: ${s}`;
  if (typeof entry !== 'object' || entry === null) throw new Error(where('expected a scenes.json entry (an object)'));
  const e = entry as { configuration?: unknown; blocks?: unknown };
  if (!Array.isArray(e.blocks) || e.blocks.length === 0) throw new Error(where('entry.blocks must be a non-empty array'));
  e.blocks.forEach((b: unknown, i) => {
    const bb = b as Partial<NliBlock> | null;
    if (typeof bb !== 'object' || bb === null) throw new Error(where(`blocks[${i}] must be an object`));
    if (!Number.isInteger(bb.id)) throw new Error(where(`blocks[${i}].id must be an integer`));
    if (typeof bb.color !== 'string' || !(COLOURS as readonly string[]).includes(bb.color)) throw new Error(where(`blocks[${i}].color ${JSON.stringify(bb.color)} is not a colour`));
    if (!Number.isFinite(bb.cx) || !Number.isFinite(bb.cy)) throw new Error(where(`blocks[${i}].cx/cy must be finite numbers`));
  });
  return { configuration: typeof e.configuration === 'number' ? e.configuration : 0, blocks: e.blocks as NliBlock[] };
}

/**
 * Pushes blocks apart that the picture shows touching (their centroids are a little closer than a
 * block), moving each pair along the line between them so that left/right/near/far order stays.
 */
function separate(points: [number, number][], minDistance: number): void {
  for (let iter = 0; iter < 60; iter++) {
    let moved = false;
    for (let i = 0; i < points.length; i++) {
      for (let j = 0; j < i; j++) {
        const p = points[i] as [number, number];
        const q = points[j] as [number, number];
        const dx = p[0] - q[0];
        const dy = p[1] - q[1];
        const d = Math.hypot(dx, dy);
        if (d >= minDistance) continue;
        const push = (minDistance - d) / 2 + 1e-5;
        const ux = d > 1e-9 ? dx / d : 1;
        const uy = d > 1e-9 ? dy / d : 0;
        p[0] += ux * push;
        p[1] += uy * push;
        q[0] -= ux * push;
        q[1] -= uy * push;
        moved = true;
      }
    }
    if (!moved) return;
  }
}

/** A tabletop SCENE from one scenes.json entry: blocks `block_<id>`, no task. */
export function tabletopSceneFromNli(entry: unknown): Scene {
  const config = checkEntry(entry);
  const points = config.blocks.map((b) => nliPixelToTable(b.cx, b.cy));
  separate(points, NLI_BLOCK_SIZE + 0.002);
  const size: [number, number, number] = [NLI_BLOCK_SIZE, NLI_BLOCK_SIZE, NLI_BLOCK_SIZE];
  const objects: SceneObject[] = config.blocks.map((b, i) => {
    const [x, y] = points[i] as [number, number];
    return {
      id: `block_${b.id}`,
      kind: 'block',
      colour: b.color as Colour,
      state: 'none',
      size,
      sizeClass: sizeClassOf(relativeSize('block', size)),
      position: vec3(x, y, 0),
      yaw: 0,
    };
  });
  return {
    scenario: 'tabletop',
    objects,
    person: { position: DEFAULT_PERSON_POSITION },
    robot: { action: 'idle', target: null, heldObject: null },
    lighting: DEFAULT_LIGHTING,
    conveyor: null,
    task: null,
  };
}
