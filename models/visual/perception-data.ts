/**
 * Per-cell labels for the perception network, read off the simulator's instance mask (the only
 * place the mask is used besides evaluation and the simulator bridge).
 *
 * A cell is PERCEPTION_STRIDE x PERCEPTION_STRIDE pixels; it takes the entity most of its pixels
 * show. A cell is a boundary when it straddles two attendable objects, or when the cell to its
 * right or below belongs to another attendable object (one side only, so touching objects are
 * split by a one-cell seam).
 */
import { capacityLitres, type Scene } from '../../sim/world';
import type { EpisodeState } from '../../sim/state';
import type { Frame } from '../../sim/render';
import { PIXEL_COLOURS, PIXEL_KINDS, PIXEL_STATES, type PixelKind } from './labels';
import { PERCEPTION_STRIDE } from './perception-model';

export interface CellLabels {
  readonly rows: number;
  readonly cols: number;
  /** [rows*cols] index into PIXEL_KINDS */
  readonly kind: Int32Array;
  /** [rows*cols] index into PIXEL_COLOURS */
  readonly colour: Int32Array;
  /** [rows*cols] index into PIXEL_STATES */
  readonly state: Int32Array;
  /** [rows*cols] 0 or 1 */
  readonly boundary: Float32Array;
  /** [rows*cols] entity index (frame.entityIds) the cell shows */
  readonly entity: Int32Array;
}

interface EntityLabel {
  readonly kind: number;
  readonly colour: number;
  readonly state: number;
  readonly attendable: boolean;
}

const kindIndex = (kind: PixelKind) => PIXEL_KINDS.indexOf(kind);

function entityLabels(frame: Frame, scene: Scene, state: EpisodeState | null): EntityLabel[] {
  const none = PIXEL_COLOURS.indexOf('none');
  return frame.entityIds.map((id) => {
    if (id === '' || id === 'table' || id === 'conveyor') return { kind: kindIndex('surface'), colour: none, state: 0, attendable: false };
    if (id === 'robot') return { kind: kindIndex('robot'), colour: none, state: 0, attendable: false };
    if (id === 'person') return { kind: kindIndex('person'), colour: none, state: 0, attendable: true };
    const index = scene.objects.findIndex((o) => o.id === id);
    const object = scene.objects[index];
    if (!object) throw new Error(`mask entity ${id} is not an object of the scene`);
    let objectState: string = object.state;
    if ((objectState === 'empty' || objectState === 'full') && state) {
      objectState = state.objects[index].fill > 0.3 * capacityLitres(object) ? 'full' : 'empty';
    }
    return {
      kind: kindIndex(object.kind === 'person' ? 'person' : (object.kind as PixelKind)),
      colour: PIXEL_COLOURS.indexOf(object.colour),
      state: Math.max(0, PIXEL_STATES.indexOf(objectState as never)),
      attendable: true,
    };
  });
}

export function cellLabels(frame: Frame, scene: Scene, state: EpisodeState | null): CellLabels {
  const s = PERCEPTION_STRIDE;
  const rows = Math.floor(frame.height / s);
  const cols = Math.floor(frame.width / s);
  const labels = entityLabels(frame, scene, state);
  const n = rows * cols;
  const entity = new Int32Array(n);
  const mixed = new Uint8Array(n);
  const counts = new Map<number, number>();
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      counts.clear();
      let attendableIds = 0;
      let lastAttendable = -1;
      for (let dy = 0; dy < s; dy++) {
        for (let dx = 0; dx < s; dx++) {
          const id = frame.mask[(r * s + dy) * frame.width + c * s + dx];
          counts.set(id, (counts.get(id) ?? 0) + 1);
          if (labels[id].attendable && id !== lastAttendable) {
            if (lastAttendable >= 0) attendableIds = 2;
            else attendableIds = 1;
            lastAttendable = id;
          }
        }
      }
      let best = -1;
      let bestCount = -1;
      for (const [id, count] of counts) if (count > bestCount || (count === bestCount && id > best)) [best, bestCount] = [id, count];
      entity[r * cols + c] = best;
      mixed[r * cols + c] = attendableIds > 1 ? 1 : 0;
    }
  }
  const kind = new Int32Array(n);
  const colour = new Int32Array(n);
  const objectState = new Int32Array(n);
  const boundary = new Float32Array(n);
  for (let cell = 0; cell < n; cell++) {
    const label = labels[entity[cell]];
    kind[cell] = label.kind;
    colour[cell] = label.colour;
    objectState[cell] = label.state;
    if (!label.attendable) continue;
    const c = cell % cols;
    const right = c + 1 < cols ? entity[cell + 1] : -1;
    const below = cell + cols < n ? entity[cell + cols] : -1;
    const differs = (other: number) => other >= 0 && other !== entity[cell] && labels[other].attendable;
    if (mixed[cell] || differs(right) || differs(below)) boundary[cell] = 1;
  }
  return { rows, cols, kind, colour, state: objectState, boundary, entity };
}
