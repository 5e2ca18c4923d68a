/**
 * Object instances from the perception network's per-cell predictions: connected regions of
 * attendable cells that share a colour and are not split by a predicted boundary. No instance
 * mask is involved: this is what the robot itself can see.
 */
import { ATTENDABLE_KINDS, PIXEL_COLOURS, PIXEL_KINDS, PIXEL_STATES, TYPICAL_HEIGHT, type PixelKind } from './labels';
import type { PlanePoint } from '../../semantics/spatial';

/** What the visual stage needs of a camera: where an image point lies on (or above) the table. */
export interface TableCamera {
  readonly width: number;
  readonly height: number;
  /** World point (x, y on the table plane) seen at pixel (u, v) on a plane `height` metres above the table. */
  unprojectToTable(u: number, v: number, height: number): { x: number; y: number; z: number };
  /** Pixel where a world point appears, or null behind the camera. */
  project(x: number, y: number, z: number): { u: number; v: number } | null;
}

/** Per-cell probabilities on a grid `stride` image pixels apart, row-major. */
export interface CellPredictions {
  readonly rows: number;
  readonly cols: number;
  readonly stride: number;
  /** [rows*cols*PIXEL_KINDS.length] */
  readonly kind: Float32Array;
  /** [rows*cols*PIXEL_COLOURS.length] */
  readonly colour: Float32Array;
  /** [rows*cols*PIXEL_STATES.length] */
  readonly state: Float32Array;
  /** [rows*cols], probability that a cell lies on the border between two objects. */
  readonly boundary: Float32Array;
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
}

const K = PIXEL_KINDS.length;
const C = PIXEL_COLOURS.length;
const S = PIXEL_STATES.length;
const ATTENDABLE_INDEX = PIXEL_KINDS.map((k) => ATTENDABLE_KINDS.has(k));

function argmax(values: Float32Array, offset: number, length: number): number {
  let best = 0;
  for (let i = 1; i < length; i++) if (values[offset + i] > values[offset + best]) best = i;
  return best;
}

export interface InstanceOptions {
  /** Components smaller than this many cells are fragments: merged into a neighbour, or dropped. */
  readonly minCells: number;
  /** A person is large in every view; smaller person components are misreadings. */
  readonly minPersonCells: number;
  readonly boundaryThreshold: number;
}

export const DEFAULT_INSTANCE_OPTIONS: InstanceOptions = { minCells: 4, minPersonCells: 30, boundaryThreshold: 0.5 };

export function extractInstances(
  predictions: CellPredictions,
  camera: TableCamera,
  options: InstanceOptions = DEFAULT_INSTANCE_OPTIONS,
): PerceivedInstance[] {
  const { rows, cols, stride } = predictions;
  const n = rows * cols;
  const colourOf = new Int16Array(n).fill(-1);
  for (let cell = 0; cell < n; cell++) {
    if (!ATTENDABLE_INDEX[argmax(predictions.kind, cell * K, K)]) continue;
    if (predictions.boundary[cell] > options.boundaryThreshold) continue;
    colourOf[cell] = argmax(predictions.colour, cell * C, C);
  }
  const component = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  const groups: number[][] = [];
  for (let start = 0; start < n; start++) {
    if (colourOf[start] < 0 || component[start] >= 0) continue;
    const id = groups.length;
    const members: number[] = [];
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    component[start] = id;
    while (head < tail) {
      const cell = queue[head++];
      members.push(cell);
      const r = (cell / cols) | 0;
      const c = cell - r * cols;
      const neighbours = [r > 0 ? cell - cols : -1, r < rows - 1 ? cell + cols : -1, c > 0 ? cell - 1 : -1, c < cols - 1 ? cell + 1 : -1];
      for (const next of neighbours) {
        if (next >= 0 && component[next] < 0 && colourOf[next] === colourOf[cell]) {
          component[next] = id;
          queue[tail++] = next;
        }
      }
    }
    groups.push(members);
  }
  mergeFragments(groups, component, rows, cols, options.minCells);
  const instances: PerceivedInstance[] = [];
  for (const members of groups) {
    if (members.length < options.minCells) continue;
    const instance = summarise(instances.length, members, predictions, camera, stride, cols);
    if (instance.kind === 'person' && members.length < options.minPersonCells) continue;
    instances.push(instance);
  }
  return instances;
}

/**
 * Folds each fragment (fewer than minCells cells; edges and shading often read as another colour)
 * into the component it shares the longest border with. Fragments with no neighbour stay small
 * and are dropped by the caller.
 */
function mergeFragments(groups: number[][], component: Int32Array, rows: number, cols: number, minCells: number): void {
  const order = groups.map((members, id) => ({ id, size: members.length })).sort((a, b) => a.size - b.size);
  for (const { id } of order) {
    const members = groups[id];
    if (members.length === 0 || members.length >= minCells) continue;
    const border = new Map<number, number>();
    for (const cell of members) {
      const r = (cell / cols) | 0;
      const c = cell - r * cols;
      for (const next of [r > 0 ? cell - cols : -1, r < rows - 1 ? cell + cols : -1, c > 0 ? cell - 1 : -1, c < cols - 1 ? cell + 1 : -1]) {
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

function summarise(
  index: number,
  members: readonly number[],
  predictions: CellPredictions,
  camera: TableCamera,
  stride: number,
  cols: number,
): PerceivedInstance {
  const kindProbs = new Float32Array(K);
  const colourProbs = new Float32Array(C);
  const stateProbs = new Float32Array(S);
  let su = 0;
  let sv = 0;
  for (const cell of members) {
    for (let i = 0; i < K; i++) kindProbs[i] += predictions.kind[cell * K + i];
    for (let i = 0; i < C; i++) colourProbs[i] += predictions.colour[cell * C + i];
    for (let i = 0; i < S; i++) stateProbs[i] += predictions.state[cell * S + i];
    const r = (cell / cols) | 0;
    const c = cell - r * cols;
    const u = (c + 0.5) * stride;
    su += u;
    sv += (r + 0.5) * stride;
  }
  const count = members.length;
  for (let i = 0; i < K; i++) kindProbs[i] /= count;
  for (let i = 0; i < C; i++) colourProbs[i] /= count;
  for (let i = 0; i < S; i++) stateProbs[i] /= count;
  const kind = PIXEL_KINDS[argmax(kindProbs, 0, K)];
  const u = su / count;
  const v = sv / count;
  const centre = camera.unprojectToTable(u, v, TYPICAL_HEIGHT[kind] / 2);
  // Size from the area seen, at the scale of the image where the object stands.
  const aside = camera.unprojectToTable(u + stride, v, TYPICAL_HEIGHT[kind] / 2);
  const metresPerCell = Math.hypot(aside.x - centre.x, aside.y - centre.y);
  return {
    index,
    cells: Int32Array.from(members),
    u,
    v,
    kindProbs,
    colourProbs,
    stateProbs,
    kind,
    position: { x: centre.x, y: centre.y },
    extent: Math.sqrt(count) * metresPerCell,
  };
}
