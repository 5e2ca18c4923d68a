/**
 * Objects from the perception networks: the cell network's connected regions of object (or
 * person) cells that share a colour and are not split by a predicted boundary, then each region's
 * kind and state from the object classifier. No instance mask is involved: this is what the
 * robot itself can see.
 */
import { CELL_CLASSES, PIXEL_COLOURS, PIXEL_KINDS, TYPICAL_HEIGHT, type PixelKind } from './labels';
import type { PlanePoint } from '../../semantics/spatial';

/** What the visual stage needs of a camera: image size, projection and back-projection. */
export interface TableCamera {
  readonly width: number;
  readonly height: number;
  /** World point (x, y on the table plane) seen at pixel (u, v) on a plane `height` metres above the table. */
  unprojectToTable(u: number, v: number, height: number): { x: number; y: number; z: number };
  /** Pixel where a world point appears, or null behind the camera. */
  project(x: number, y: number, z: number): { u: number; v: number } | null;
}

/** The cell network's predictions on a grid `stride` image pixels apart, row-major. */
export interface CellPredictions {
  readonly rows: number;
  readonly cols: number;
  readonly stride: number;
  /** [rows*cols*CELL_CLASSES.length] class scores (logits; only their order is read: a cell's class is its highest). */
  readonly cellClass: Float32Array;
  /** [rows*cols*PIXEL_COLOURS.length]; may be all zero for a cell of neither object nor person class. */
  readonly colour: Float32Array;
  /** [rows*cols], probability that a cell lies on the border between two objects; may be zero for a cell of neither object nor person class. */
  readonly boundary: Float32Array;
}

/** A connected region of object cells: one object, as far as the cell network can tell. */
export interface Region {
  /** Cell indices (row*cols+col). */
  readonly cells: Int32Array;
  /** Centre in image pixels. */
  readonly u: number;
  readonly v: number;
  /** Bounding box in image pixels, end exclusive. */
  readonly box: { readonly u0: number; readonly v0: number; readonly u1: number; readonly v1: number };
  readonly colourProbs: Float32Array;
  /** The cell network sees a person here (no classifier needed). */
  readonly person: boolean;
}

/** The object classifier's answer for one region. */
export interface ObjectClasses {
  /** [PIXEL_KINDS.length] */
  readonly kindProbs: Float32Array;
  /** [PIXEL_STATES.length] */
  readonly stateProbs: Float32Array;
}

export interface PerceivedInstance {
  readonly index: number;
  /** Cell indices (row*cols+col) of the instance. */
  readonly cells: Int32Array;
  /** Centre of the instance in image pixels. */
  readonly u: number;
  readonly v: number;
  readonly kindProbs: Float32Array;
  readonly colourProbs: Float32Array;
  readonly stateProbs: Float32Array;
  /** Most likely kind. */
  readonly kind: PixelKind;
  /** Centre on the table plane, world frame. */
  readonly position: PlanePoint;
  /** Approximate footprint size in metres. */
  readonly extent: number;
  /**
   * Not in this frame: hidden now (behind the arm), seen in the frame stamped this (ms) a moment
   * ago; its cells are where it was seen there.
   */
  readonly recalledFrom?: number;
}

const CLASSES = CELL_CLASSES.length;
const COLOURS = PIXEL_COLOURS.length;
const OBJECT = CELL_CLASSES.indexOf('object');
const PERSON = CELL_CLASSES.indexOf('person');

function argmax(values: Float32Array, offset: number, length: number): number {
  let best = 0;
  for (let i = 1; i < length; i++) if (values[offset + i] > values[offset + best]) best = i;
  return best;
}

export interface RegionOptions {
  /** Regions smaller than this many cells are fragments: merged into a neighbour, or dropped. */
  readonly minCells: number;
  readonly boundaryThreshold: number;
}

export const DEFAULT_REGION_OPTIONS: RegionOptions = { minCells: 3, boundaryThreshold: 0.5 };

let scratch: { label: Int16Array; component: Int32Array; queue: Int32Array } | undefined;

/**
 * Working arrays of extractRegions, kept from frame to frame: 50 KB of fresh array buffers a frame
 * otherwise, which bring V8's full collections nearer (see reusedCellArrays in perception.ts).
 */
function regionScratch(cells: number): NonNullable<typeof scratch> {
  if (scratch?.label.length !== cells) scratch = { label: new Int16Array(cells), component: new Int32Array(cells), queue: new Int32Array(cells) };
  return scratch;
}

/** Connected regions of object or person cells, split by colour and predicted boundaries. */
export function extractRegions(predictions: CellPredictions, options: RegionOptions = DEFAULT_REGION_OPTIONS): Region[] {
  const { rows, cols } = predictions;
  const n = rows * cols;
  // One label per cell: -1 nothing, COLOURS for a person, else its colour.
  const { label, component, queue } = regionScratch(n);
  label.fill(-1);
  component.fill(-1);
  for (let cell = 0; cell < n; cell++) {
    const cls = argmax(predictions.cellClass, cell * CLASSES, CLASSES);
    if (cls === PERSON) label[cell] = COLOURS;
    else if (cls === OBJECT && predictions.boundary[cell] <= options.boundaryThreshold) label[cell] = argmax(predictions.colour, cell * COLOURS, COLOURS);
  }
  const groups: number[][] = [];
  for (let start = 0; start < n; start++) {
    if (label[start] < 0 || component[start] >= 0) continue;
    const id = groups.length;
    const members: number[] = [];
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    component[start] = id;
    while (head < tail) {
      const cell = queue[head++];
      members.push(cell);
      for (let side = 0; side < 4; side++) {
        const next = neighbour(cell, side, rows, cols);
        if (next >= 0 && component[next] < 0 && label[next] === label[cell]) {
          component[next] = id;
          queue[tail++] = next;
        }
      }
    }
    groups.push(members);
  }
  mergeFragments(groups, component, rows, cols, options.minCells);
  return groups.filter((members) => members.length >= options.minCells).map((members) => summarise(members, predictions, label[members[0]] === COLOURS));
}

/** The cell above, below, left or right of `cell` (side 0..3), or -1 past the grid's edge; no array a call, as it runs for every object cell. */
function neighbour(cell: number, side: number, rows: number, cols: number): number {
  const r = (cell / cols) | 0;
  const c = cell - r * cols;
  if (side === 0) return r > 0 ? cell - cols : -1;
  if (side === 1) return r < rows - 1 ? cell + cols : -1;
  if (side === 2) return c > 0 ? cell - 1 : -1;
  return c < cols - 1 ? cell + 1 : -1;
}

/**
 * Folds each fragment (fewer than minCells cells; edges and shading often read as another colour)
 * into the region it shares the longest border with. Fragments with no neighbour stay small and
 * are dropped by the caller.
 */
function mergeFragments(groups: number[][], component: Int32Array, rows: number, cols: number, minCells: number): void {
  const order = groups.map((members, id) => ({ id, size: members.length })).sort((a, b) => a.size - b.size);
  for (const { id } of order) {
    const members = groups[id];
    if (members.length === 0 || members.length >= minCells) continue;
    const border = new Map<number, number>();
    for (const cell of members) {
      for (let side = 0; side < 4; side++) {
        const next = neighbour(cell, side, rows, cols);
        const other = next >= 0 ? component[next] : -1;
        if (other >= 0 && other !== id) border.set(other, (border.get(other) ?? 0) + 1);
      }
    }
    let target = -1;
    let longest = 0;
    for (const [other, length] of border) if (length > longest) [target, longest] = [other, length];
    if (target < 0) continue;
    for (const cell of members) component[cell] = target;
    groups[target].push(...members);
    groups[id] = [];
  }
}

function summarise(members: readonly number[], predictions: CellPredictions, person: boolean): Region {
  const { cols, stride } = predictions;
  const colourProbs = new Float32Array(COLOURS);
  let su = 0;
  let sv = 0;
  let u0 = Infinity;
  let v0 = Infinity;
  let u1 = -Infinity;
  let v1 = -Infinity;
  for (const cell of members) {
    for (let i = 0; i < COLOURS; i++) colourProbs[i] += predictions.colour[cell * COLOURS + i];
    const r = (cell / cols) | 0;
    const c = cell - r * cols;
    su += (c + 0.5) * stride;
    sv += (r + 0.5) * stride;
    u0 = Math.min(u0, c * stride);
    v0 = Math.min(v0, r * stride);
    u1 = Math.max(u1, (c + 1) * stride);
    v1 = Math.max(v1, (r + 1) * stride);
  }
  for (let i = 0; i < COLOURS; i++) colourProbs[i] /= members.length;
  return { cells: Int32Array.from(members), u: su / members.length, v: sv / members.length, box: { u0, v0, u1, v1 }, colourProbs, person };
}

/** Instances from regions and the object classifier's answer for each (same order). */
export function toInstances(regions: readonly Region[], classes: readonly ObjectClasses[], camera: TableCamera, stride: number): PerceivedInstance[] {
  return regions.map((region, index) => {
    const { kindProbs, stateProbs } = classes[index];
    const kind = PIXEL_KINDS[argmax(kindProbs, 0, kindProbs.length)];
    return {
      index,
      cells: region.cells,
      u: region.u,
      v: region.v,
      kindProbs,
      colourProbs: region.colourProbs,
      stateProbs,
      kind,
      ...placeOnTable(region.u, region.v, region.cells.length, kind, camera, stride),
    };
  });
}

/**
 * Where an object seen at pixel (u, v) over `cellCount` cells stands on the table, and its
 * footprint: read at half the height its kind typically has.
 */
export function placeOnTable(u: number, v: number, cellCount: number, kind: PixelKind, camera: TableCamera, stride: number): Pick<PerceivedInstance, 'position' | 'extent'> {
  const lift = TYPICAL_HEIGHT[kind] / 2;
  const centre = camera.unprojectToTable(u, v, lift);
  // Size from the area seen, at the scale of the image where the object stands.
  const aside = camera.unprojectToTable(u + stride, v, lift);
  const metresPerCell = Math.hypot(aside.x - centre.x, aside.y - centre.y);
  return { position: { x: centre.x, y: centre.y }, extent: Math.sqrt(cellCount) * metresPerCell };
}

/** The square crop (image pixels) the object classifier sees for a region: its box, squared and padded. */
export function cropBox(region: Region, margin = 1.3): { u0: number; v0: number; u1: number; v1: number } {
  const side = Math.max(region.box.u1 - region.box.u0, region.box.v1 - region.box.v0) * margin;
  const cu = (region.box.u0 + region.box.u1) / 2;
  const cv = (region.box.v0 + region.box.v1) / 2;
  return { u0: cu - side / 2, v0: cv - side / 2, u1: cu + side / 2, v1: cv + side / 2 };
}

/** Side in metres, on the table where a region stands, of the whole-object crop (a cup with some table around it). */
export const WHOLE_OBJECT_CROP_METRES = 0.13;

/** A region whose own crop spans less than this (m) is taken for a fragment of an object. */
export const FRAGMENT_CROP_METRES = 0.085;

/**
 * A second crop for a region too small to be a whole object: WHOLE_OBJECT_CROP_METRES across,
 * centred on the region. The cell network often splits a cup into its body and the water in it,
 * or cuts off the side the arm shades; the region's own crop then shows a fragment that may as
 * well be a glass, while this one shows the whole cup. Null for a region of an object's size.
 */
export function wholeObjectCropBox(region: Region, camera: TableCamera): { u0: number; v0: number; u1: number; v1: number } | null {
  const box = cropBox(region);
  const cu = (box.u0 + box.u1) / 2;
  const cv = (box.v0 + box.v1) / 2;
  const metresPerPixel = cropMetresPerPixel(camera, cu, cv);
  if (!((box.u1 - box.u0) * metresPerPixel < FRAGMENT_CROP_METRES)) return null;
  const side = WHOLE_OBJECT_CROP_METRES / metresPerPixel;
  return { u0: cu - side / 2, v0: cv - side / 2, u1: cu + side / 2, v1: cv + side / 2 };
}

/** Typical height above the table of an object's middle, where a crop's scale is measured. */
const CROP_SCALE_HEIGHT = 0.04;

/** Metres a pixel spans at (u, v), on the plane of an object's middle. */
export function cropMetresPerPixel(camera: TableCamera, u: number, v: number): number {
  const centre = camera.unprojectToTable(u, v, CROP_SCALE_HEIGHT);
  const aside = camera.unprojectToTable(u + 1, v, CROP_SCALE_HEIGHT);
  return Math.hypot(aside.x - centre.x, aside.y - centre.y);
}

/** How far (m) from where the person sits a region may be and still be the person (their reach across the table). */
const PERSON_REACH = 0.4;
const PERSON_KIND = PIXEL_KINDS.indexOf('person');

/**
 * There is one person, and the robot knows where they sit: a region read as the person far from
 * there is something else (on training scenes 113 of 115 such regions were a bin, the robot, the
 * belt, the table or a plate). Its kind is read again without the person.
 */
export function withPersonWhereTheySit(instances: readonly PerceivedInstance[], person: PlanePoint): PerceivedInstance[] {
  return instances.map((instance) => {
    const far = Math.hypot(instance.position.x - person.x, instance.position.y - person.y) > PERSON_REACH;
    if (!far || instance.kindProbs[PERSON_KIND] === 0) return instance;
    const kindProbs = Float32Array.from(instance.kindProbs);
    const rest = 1 - kindProbs[PERSON_KIND];
    kindProbs[PERSON_KIND] = 0;
    if (rest > 1e-6) for (let k = 0; k < kindProbs.length; k++) kindProbs[k] /= rest;
    else kindProbs[0] = 1; // nothing else it could be: a patch of surface
    let best = 0;
    for (let k = 1; k < kindProbs.length; k++) if (kindProbs[k] > kindProbs[best]) best = k;
    return { ...instance, kindProbs, kind: PIXEL_KINDS[best] };
  });
}

/** Blocks the classifier is this sure of... */
const SURE_BLOCK = 0.9;
/** ...this many of them or more, with other objects fewer than a third as many, make a frame of blocks. */
const BLOCK_SCENE_MIN = 4;
/** In a frame of blocks a region is this much likelier a block than its own crop says. */
const BLOCK_SCENE_PRIOR = 100;
const BLOCK_KIND = PIXEL_KINDS.indexOf('block');
const NOT_OBJECTS: readonly PixelKind[] = ['person', 'surface', 'robot'];

/**
 * In a frame of blocks, a region the classifier reads as something else is most likely a block
 * too: a black block read as a bottle or a mug, a grey one as the table. Every region but the
 * person's is read again with the block's odds multiplied by BLOCK_SCENE_PRIOR: one read as a
 * block at 0.33 (the rest table or arm) is then a full rival in "the second blue block from the
 * left"; a region whose crop is sure of another kind keeps it.
 */
export function blocksAmongBlocks(instances: readonly PerceivedInstance[]): PerceivedInstance[] {
  const sure = instances.filter((instance) => instance.kind === 'block' && instance.kindProbs[BLOCK_KIND] >= SURE_BLOCK).length;
  const others = instances.filter((instance) => instance.kind !== 'block' && !NOT_OBJECTS.includes(instance.kind)).length;
  if (sure < BLOCK_SCENE_MIN || 3 * others > sure) return [...instances];
  return instances.map((instance) => {
    if (instance.kind === 'person') return instance;
    const kindProbs = Float32Array.from(instance.kindProbs);
    kindProbs[BLOCK_KIND] *= BLOCK_SCENE_PRIOR;
    const total = kindProbs.reduce((sum, p) => sum + p, 0);
    for (let k = 0; k < kindProbs.length; k++) kindProbs[k] /= total;
    const kind = PIXEL_KINDS[argmax(kindProbs, 0, kindProbs.length)];
    return { ...instance, kindProbs, kind };
  });
}
