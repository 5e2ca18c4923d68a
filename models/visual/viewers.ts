/**
 * Where the speaker and the robot are, as the robot knows it: its own base from calibration, the
 * person from the camera image (the person's perceived instance gives their left-right position;
 * their distance is the seat's), falling back to the seat when the person is not seen.
 */
import { viewersFor, type PlanePoint, type Viewers } from '../../semantics/spatial';
import type { PerceivedInstance } from './instances';
import { PIXEL_KINDS } from './labels';

export const ROBOT_BASE: PlanePoint = { x: -0.55, y: 0 };
export const DEFAULT_SEAT: PlanePoint = { x: 0.65, y: 0 };

const PERSON = PIXEL_KINDS.indexOf('person');

export function perceivedViewers(instances: readonly PerceivedInstance[], seat: PlanePoint = DEFAULT_SEAT): Viewers {
  let person: PerceivedInstance | null = null;
  for (const instance of instances) {
    if (instance.kind === 'person' && (!person || instance.cells.length > person.cells.length)) person = instance;
  }
  const y = person && person.kindProbs[PERSON] > 0.5 && Math.abs(person.position.y) < 0.6 ? person.position.y : seat.y;
  return viewersFor({ x: seat.x, y }, ROBOT_BASE);
}
