/**
 * Touching objects of one colour that the cell network saw as one region. Nothing in the pixels
 * parts two red blocks side by side, but their area does: a region of the frame's blocks
 * covering about twice the table of the others is two of them. Such a region is cut across its
 * long axis into as many instances as it holds objects, each keeping the classifier's answer.
 */
import { placeOnTable, type PerceivedInstance, type TableCamera } from './instances';
import type { PixelKind } from './labels';

export interface SplitOptions {
  /** Kinds whose objects are all alike in size within a scene (the blocks of a tabletop). */
  readonly kinds: readonly PixelKind[];
  /** A region at least this many times the median footprint of its kind in the frame is several objects. */
  readonly areaRatio: number;
  /** The median is read only from this many instances of the kind or more (the region among them). */
  readonly minPeers: number;
  /** At most this many objects are read into one region. */
  readonly maxParts: number;
  /** Cells the smallest part must keep. */
  readonly minCells: number;
}

export const DEFAULT_SPLIT_OPTIONS: SplitOptions = {
  kinds: ['block'],
  areaRatio: 1.8,
  minPeers: 4,
  maxParts: 4,
  minCells: 3,
};

export function splitMergedInstances(
  instances: readonly PerceivedInstance[],
  camera: TableCamera,
  stride: number,
  cols: number,
  options: SplitOptions = DEFAULT_SPLIT_OPTIONS,
): PerceivedInstance[] {
  const medianArea = new Map<PixelKind, number>();
  for (const kind of options.kinds) {
    const areas = instances.filter((instance) => instance.kind === kind).map((instance) => instance.extent * instance.extent);
    if (areas.length < options.minPeers) continue;
    areas.sort((a, b) => a - b);
    medianArea.set(kind, areas[areas.length >> 1]);
  }
  if (medianArea.size === 0) return [...instances];
  const out: PerceivedInstance[] = [];
  for (const instance of instances) {
    const median = medianArea.get(instance.kind);
    const ratio = median ? (instance.extent * instance.extent) / median : 0;
    const parts = Math.min(options.maxParts, Math.round(ratio), Math.floor(instance.cells.length / options.minCells));
    if (instance.recalledFrom !== undefined || ratio < options.areaRatio || parts < 2) {
      out.push({ ...instance, index: out.length });
      continue;
    }
    for (const cells of cutAlongLongAxis(instance.cells, cols, parts)) {
      let su = 0;
      let sv = 0;
      for (const cell of cells) {
        su += ((cell % cols) + 0.5) * stride;
        sv += (((cell / cols) | 0) + 0.5) * stride;
      }
      const u = su / cells.length;
      const v = sv / cells.length;
      out.push({ ...instance, index: out.length, cells, u, v, ...placeOnTable(u, v, cells.length, instance.kind, camera, stride) });
    }
  }
  return out;
}

/** The cells in `parts` runs of equal count along the direction they spread most (their principal axis). */
export function cutAlongLongAxis(cells: Int32Array, cols: number, parts: number): Int32Array[] {
  const n = cells.length;
  let mr = 0;
  let mc = 0;
  for (const cell of cells) {
    mr += (cell / cols) | 0;
    mc += cell % cols;
  }
  mr /= n;
  mc /= n;
  let srr = 0;
  let scc = 0;
  let src = 0;
  for (const cell of cells) {
    const dr = ((cell / cols) | 0) - mr;
    const dc = (cell % cols) - mc;
    srr += dr * dr;
    scc += dc * dc;
    src += dr * dc;
  }
  // Direction of the larger eigenvalue of the 2x2 covariance.
  const angle = 0.5 * Math.atan2(2 * src, scc - srr);
  const ac = Math.cos(angle);
  const ar = Math.sin(angle);
  const order = Array.from(cells).sort((a, b) => {
    const pa = (a % cols) * ac + ((a / cols) | 0) * ar;
    const pb = (b % cols) * ac + ((b / cols) | 0) * ar;
    return pa - pb || a - b;
  });
  return Array.from({ length: parts }, (_, i) => Int32Array.from(order.slice(Math.round((i * n) / parts), Math.round(((i + 1) * n) / parts))));
}
