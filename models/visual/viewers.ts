/**
 * Where the speaker and the robot are, as the robot knows it: its own base from calibration, the
 * person from the camera image (the person's perceived instance gives their left-right position;
 * their distance is the seat's), falling back to the seat when the person is not seen.
 */
import { viewersFor, type PlanePoint, type Viewers } from '../../semantics/spatial';
import type { PerceivedInstance, TableCamera } from './instances';
import { PIXEL_KINDS } from './labels';

export const ROBOT_BASE: PlanePoint = { x: -0.55, y: 0 };
export const DEFAULT_SEAT: PlanePoint = { x: 0.65, y: 0 };

/**
 * How far beyond the seat's edge the person's visible torso and head stand, m (fitted on training
 * scenes). Their pixels are read on that upright plane: projected onto the table at an assumed
 * height instead, a person seated off the camera's axis came out 6 cm towards it on average.
 */
const PERSON_DEPTH = 0.1;

const PERSON = PIXEL_KINDS.indexOf('person');

/** Left-right position of what is seen at pixel (u, v) on the upright plane x = planeX. */
function lateralOnPlane(camera: TableCamera, u: number, v: number, planeX: number): number | null {
  const low = camera.unprojectToTable(u, v, 0);
  const high = camera.unprojectToTable(u, v, 0.5);
  if (Math.abs(high.x - low.x) < 1e-6) return null;
  const t = (planeX - low.x) / (high.x - low.x);
  return low.y + t * (high.y - low.y);
}

export function perceivedViewers(instances: readonly PerceivedInstance[], camera: TableCamera, seat: PlanePoint = DEFAULT_SEAT): Viewers {
  let person: PerceivedInstance | null = null;
  for (const instance of instances) {
    if (instance.kind === 'person' && (!person || instance.cells.length > person.cells.length)) person = instance;
  }
  const seen = person && person.kindProbs[PERSON] > 0.5 ? lateralOnPlane(camera, person.u, person.v, seat.x + PERSON_DEPTH) : null;
  const y = seen !== null && Math.abs(seen) < 0.6 ? seen : seat.y;
  return viewersFor({ x: seat.x, y }, ROBOT_BASE);
}
