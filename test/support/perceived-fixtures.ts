/** Perceived instances and a camera for tests of the visual stage's logic, without networks. */
import { PIXEL_COLOURS, PIXEL_KINDS, PIXEL_STATES } from '../../models/visual/labels';
import type { PerceivedInstance, TableCamera } from '../../models/visual/instances';

export function oneHot(labels: readonly string[], value: string): Float32Array {
  const out = new Float32Array(labels.length);
  out[labels.indexOf(value)] = 1;
  return out;
}

/** An instance the classifier is sure of, at (x, y) on the table. */
export function thing(index: number, kind: string, colour: string, x: number, y: number, state = 'none', extent = 0.08): PerceivedInstance {
  return {
    index, cells: new Int32Array(10), u: 0, v: 0, kind: kind as PerceivedInstance['kind'], position: { x, y }, extent,
    kindProbs: oneHot(PIXEL_KINDS, kind), colourProbs: oneHot(PIXEL_COLOURS, colour), stateProbs: oneHot(PIXEL_STATES, state),
  };
}

/** A camera looking straight down: 200 pixels a metre, the table centre at (80, 60). */
export const topDownCamera: TableCamera = {
  width: 160, height: 120,
  project: (x, y) => ({ u: 80 + 200 * y, v: 60 - 200 * x }),
  unprojectToTable: (u, v, height) => ({ x: (60 - v) / 200, y: (u - 80) / 200, z: height }),
};

/** An instance where topDownCamera sees it. */
export const seenAt = (t: PerceivedInstance): PerceivedInstance => ({ ...t, u: 80 + 200 * t.position.y, v: 60 - 200 * t.position.x });
