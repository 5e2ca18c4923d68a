/**
 * Labels for the perception networks, read off the simulator's instance mask (the only place the
 * mask is used besides evaluation and the simulator bridge).
 *
 * Cells: a cell is PERCEPTION_STRIDE x PERCEPTION_STRIDE pixels and takes the entity most of its
 * pixels show. A cell is a boundary when it straddles two attendable objects, or when the cell to
 * its right or below belongs to another attendable object (one side only, so touching objects are
 * split by a one-cell seam).
 *
 * Objects: every attendable entity seen with enough pixels gives one labelled crop box (its mask
 * box, squared and padded like the classifier's crops at run time, with jitter for training).
 */
import { capacityLitres, type Scene } from '../../sim/world';
import type { EpisodeState } from '../../sim/state';
import type { Frame } from '../../sim/render';
import { CELL_CLASSES, PIXEL_COLOURS, PIXEL_KINDS, PIXEL_STATES, type PixelKind } from './labels';
import { PERCEPTION_STRIDE } from './perception-model';
import { cropBox, type Region } from './instances';

export interface CellLabels {
  readonly rows: number;
  readonly cols: number;
  /** [rows*cols] index into CELL_CLASSES */
  readonly cellClass: Int32Array;
  /** [rows*cols] index into PIXEL_COLOURS */
  readonly colour: Int32Array;
  /** [rows*cols] 0 or 1 */
  readonly boundary: Float32Array;
  /** [rows*cols] entity index (frame.entityIds) the cell shows */
  readonly entity: Int32Array;
}

/** What an entity of the mask is, for labels. */
export interface EntityLabel {
  readonly cellClass: number;
  readonly kind: number;
  readonly colour: number;
  readonly state: number;
  readonly attendable: boolean;
}

const cellClass = (name: (typeof CELL_CLASSES)[number]) => CELL_CLASSES.indexOf(name);
const personClass = cellClass('person');
const kindIndex = (kind: PixelKind) => PIXEL_KINDS.indexOf(kind);

export function entityLabels(frame: Frame, scene: Scene, state: EpisodeState | null): EntityLabel[] {
  const none = PIXEL_COLOURS.indexOf('none');
  return frame.entityIds.map((id) => {
    if (id === '' || id === 'table' || id === 'conveyor') return { cellClass: cellClass('surface'), kind: kindIndex('surface'), colour: none, state: 0, attendable: false };
    if (id === 'robot') return { cellClass: cellClass('robot'), kind: kindIndex('robot'), colour: none, state: 0, attendable: false };
    if (id === 'person') return { cellClass: cellClass('person'), kind: kindIndex('person'), colour: none, state: 0, attendable: true };
    const index = scene.objects.findIndex((o) => o.id === id);
    const object = scene.objects[index];
    if (!object) throw new Error(`mask entity ${id} is not an object of the scene`);
    let objectState: string = object.state;
    if ((objectState === 'empty' || objectState === 'full') && state) {
      objectState = state.objects[index].fill > 0.3 * capacityLitres(object) ? 'full' : 'empty';
    }
    return {
      cellClass: cellClass('object'),
      kind: kindIndex(object.kind as PixelKind),
      colour: PIXEL_COLOURS.indexOf(object.colour),
      state: Math.max(0, PIXEL_STATES.indexOf(objectState as never)),
      attendable: true,
    };
  });
}

export function cellLabels(frame: Frame, scene: Scene, state: EpisodeState | null, labels = entityLabels(frame, scene, state)): CellLabels {
  const s = PERCEPTION_STRIDE;
  const rows = Math.floor(frame.height / s);
  const cols = Math.floor(frame.width / s);
  const n = rows * cols;
  const entity = new Int32Array(n);
  const mixed = new Uint8Array(n);
  const counts = new Map<number, number>();
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      counts.clear();
      let firstAttendable = -1;
      let severalAttendable = false;
      for (let dy = 0; dy < s; dy++) {
        for (let dx = 0; dx < s; dx++) {
          const id = frame.mask[(r * s + dy) * frame.width + c * s + dx];
          counts.set(id, (counts.get(id) ?? 0) + 1);
          if (labels[id].attendable) {
            if (firstAttendable < 0) firstAttendable = id;
            else if (id !== firstAttendable) severalAttendable = true;
          }
        }
      }
      let best = -1;
      let bestCount = -1;
      for (const [id, count] of counts) if (count > bestCount || (count === bestCount && id > best)) [best, bestCount] = [id, count];
      entity[r * cols + c] = best;
      mixed[r * cols + c] = severalAttendable ? 1 : 0;
    }
  }
  const classes = new Int32Array(n);
  const colour = new Int32Array(n);
  const boundary = new Float32Array(n);
  for (let cell = 0; cell < n; cell++) {
    const label = labels[entity[cell]];
    classes[cell] = label.cellClass;
    colour[cell] = label.colour;
    if (!label.attendable) continue;
    const c = cell % cols;
    const right = c + 1 < cols ? entity[cell + 1] : -1;
    const below = cell + cols < n ? entity[cell + cols] : -1;
    const differs = (other: number) => other >= 0 && other !== entity[cell] && labels[other].attendable;
    if (mixed[cell] || differs(right) || differs(below)) boundary[cell] = 1;
  }
  return { rows, cols, cellClass: classes, colour, boundary, entity };
}

/** A crop box with the kind and state of what it shows. */
export interface ObjectExample {
  /** Image pixels; may reach past the frame (the crop is padded with black there). */
  readonly box: { readonly u0: number; readonly v0: number; readonly u1: number; readonly v1: number };
  readonly kind: number;
  readonly state: number;
}

/**
 * One example per region the cell network found (people aside, which it tells itself), boxed
 * as the classifier will see it at run time and labelled by the entity most of its cells show.
 */
export function regionExamples(regions: readonly Region[], cells: CellLabels, labels: readonly EntityLabel[]): ObjectExample[] {
  const out: ObjectExample[] = [];
  for (const region of regions) {
    if (region.person) continue;
    const votes = new Map<number, number>();
    for (const cell of region.cells) votes.set(cells.entity[cell], (votes.get(cells.entity[cell]) ?? 0) + 1);
    const [entity] = [...votes].reduce((best, next) => (next[1] > best[1] ? next : best));
    const label = labels[entity];
    if (label.cellClass === personClass) continue;
    out.push({ box: cropBox(region), kind: label.kind, state: label.attendable ? label.state : 0 });
  }
  return out;
}

/**
 * One example per attendable entity seen with at least `minPixels` pixels, plus a few boxes of
 * bare table and robot (labelled surface and robot), so the classifier can turn down a region
 * that is no object at all. `random` jitters the boxes (pass null for none).
 */
export function objectExamples(frame: Frame, labels: readonly EntityLabel[], random: (() => number) | null, minPixels = 12): ObjectExample[] {
  const boxes = new Map<number, { u0: number; v0: number; u1: number; v1: number; count: number }>();
  for (let v = 0; v < frame.height; v++) {
    for (let u = 0; u < frame.width; u++) {
      const id = frame.mask[v * frame.width + u];
      let box = boxes.get(id);
      if (!box) boxes.set(id, (box = { u0: u, v0: v, u1: u + 1, v1: v + 1, count: 0 }));
      box.u0 = Math.min(box.u0, u);
      box.v0 = Math.min(box.v0, v);
      box.u1 = Math.max(box.u1, u + 1);
      box.v1 = Math.max(box.v1, v + 1);
      box.count++;
    }
  }
  const jitter = (amount: number) => (random ? (random() * 2 - 1) * amount : 0);
  const out: ObjectExample[] = [];
  for (const [id, box] of boxes) {
    const label = labels[id];
    // People are told by the cell network; the classifier is for the things on the table.
    if (!label.attendable || label.cellClass === personClass || box.count < minPixels) continue;
    const side = Math.max(box.u1 - box.u0, box.v1 - box.v0) * (1.3 + jitter(0.2));
    const cu = (box.u0 + box.u1) / 2 + jitter(0.12) * side;
    const cv = (box.v0 + box.v1) / 2 + jitter(0.12) * side;
    out.push({ box: { u0: cu - side / 2, v0: cv - side / 2, u1: cu + side / 2, v1: cv + side / 2 }, kind: label.kind, state: label.state });
  }
  if (random) {
    // Regions of table, belt or arm that the cell network might mistake for an object.
    for (let k = 0; k < 2; k++) {
      const side = 8 + random() * 24;
      const cu = random() * frame.width;
      const cv = random() * frame.height;
      const id = frame.mask[Math.floor(cv) * frame.width + Math.floor(cu)];
      const label = labels[id];
      if (label.attendable) continue;
      out.push({ box: { u0: cu - side / 2, v0: cv - side / 2, u1: cu + side / 2, v1: cv + side / 2 }, kind: label.kind, state: 0 });
    }
  }
  return out;
}
