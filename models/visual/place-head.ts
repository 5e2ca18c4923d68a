/**
 * The place head: when the person means a place rather than an object ("put it in front of the
 * pitcher", "to the left of the red block"), where on the table that is. The reference object is
 * found among the perceived instances like any target; the place lies along the relation's
 * direction at a distance learned from simulated episodes: per relation and kind of reference
 * where that kind was seen often enough, else a + b x the reference's size, fitted by least squares.
 */
import type { Meaning, RelationType } from '../../semantics/meaning';
import { frameOf, type PlanePoint, type Viewers } from '../../semantics/spatial';
import { descriptionFit, type RobotContext } from './grounding-features';
import type { PerceivedInstance } from './instances';
import { PIXEL_KINDS, type PixelKind } from './labels';

export type PlaceRelation = Extract<RelationType, 'left_of' | 'right_of' | 'in_front_of' | 'behind' | 'next_to'>;
export const PLACE_RELATIONS: readonly PlaceRelation[] = ['left_of', 'right_of', 'in_front_of', 'behind', 'next_to'];

/**
 * Distance of the place from its reference: a + b * extent (metres), per relation and per kind of
 * reference: an object on the table ("left_of"), or the person or robot themselves
 * ("in_front_of:viewer", as in "in front of me", which means much farther out).
 */
export type PlaceDistances = Readonly<Record<string, { readonly a: number; readonly b: number }>>;

export function placeKey(type: PlaceRelation, referenceIsViewer: boolean): string {
  return referenceIsViewer ? `${type}:viewer` : type;
}

export const PLACE_KEYS: readonly string[] = PLACE_RELATIONS.flatMap((r) => [placeKey(r, false), placeKey(r, true)]);

/**
 * The key of a place relative to a reference of one kind ("in_front_of@pitcher"): its distance is
 * that kind's mean. The perceived extent is a poor measure of a thing's size (a pitcher seen in
 * pieces past the arm, a bottle's tall side): fitted across kinds, a + b x extent had learnt the
 * size of a kitchen's pitchers and bottles, and put places by a small block too far out.
 */
export function kindPlaceKey(key: string, kind: PixelKind): string {
  return `${key}@${kind}`;
}

/** Kind keys fitted only from at least this many observations; others fall back to the relation's fit. */
const MIN_KIND_OBSERVATIONS = 3;

export const INITIAL_PLACE_DISTANCES: PlaceDistances = Object.fromEntries(
  PLACE_KEYS.map((key) => [key, key.endsWith(':viewer') ? { a: 0.35, b: 0 } : { a: 0.1, b: 0.5 }]),
);

const PERSON = PIXEL_KINDS.indexOf('person');

/** References whose description fits differ by less than this fit equally well. */
const TIED_FIT = 0.05;
/** A region that fits at least this share as well as the reference, and stands this close to it (m), is a piece of it. */
const PIECE_FIT = 0.4;
const PIECE_REACH = 0.08;

/**
 * Whether a Meaning asks for a place: a placement mistake with a directional relation, said while
 * the robot holds something to put down, and no object of its own to find ("the bin left of the
 * red one" is an object). "The cup left of the pitcher" said while the robot holds nothing names
 * a cup, however the mistake was read. Nor while the robot is about to pour what it holds (see
 * `pourIntoMeaning`).
 */
export function meansPlace(meaning: Meaning, robot: Pick<RobotContext, 'holding' | 'pouring'>): boolean {
  return robot.holding && !robot.pouring && wordsPlaceSomething(meaning);
}

function wordsPlaceSomething(meaning: Meaning): boolean {
  if ((meaning.mistake !== 'wrong_relation' && meaning.mistake !== 'wrong_region') || !meaning.relation) return false;
  if (!(PLACE_RELATIONS as readonly string[]).includes(meaning.relation.type)) return false;
  return meaning.target.kind !== 'bin';
}

/**
 * "No, the cup left of the greyish beaker", said while the robot is about to pour what it holds:
 * water goes into a vessel, not onto a spot, so the words pick another vessel to pour into, found
 * as a wrong object is. Null when the words place nothing or nothing is to be poured.
 */
export function pourIntoMeaning(meaning: Meaning, robot: Pick<RobotContext, 'holding' | 'pouring'>): Meaning | null {
  if (!robot.holding || !robot.pouring || !wordsPlaceSomething(meaning)) return null;
  return { ...meaning, mistake: 'wrong_object' };
}

/**
 * "Put it (the gear) left of the orange bin": parts go into bins, not beside them, so a place named
 * from a bin is the bin on that side of it, found like any described object ("the bin left of the
 * orange bin"; what the words said of the thing held is not a description of that bin). Null when
 * the reference is no bin.
 */
export function receptacleMeaning(meaning: Meaning): Meaning | null {
  if (meaning.relation?.reference.kind !== 'bin') return null;
  return { ...meaning, target: { kind: 'bin' } };
}

export interface PlaceReference {
  readonly position: PlanePoint;
  readonly extent: number;
  /** How well the best reference fits the description, 0..1. */
  readonly fit: number;
  readonly instance: number;
}

export function findReference(meaning: Meaning, instances: readonly PerceivedInstance[], viewers: Viewers): PlaceReference | null {
  const relation = meaning.relation;
  if (!relation) return null;
  if (relation.reference.kind === 'person') return { position: viewers.speaker.origin, extent: 0.3, fit: 1, instance: -1 };
  if (relation.reference.kind === 'robot') return { position: viewers.robot.origin, extent: 0.3, fit: 1, instance: -1 };
  const fits = instances.map((instance) => descriptionFit(instance, relation.reference) * (1 - instance.kindProbs[PERSON]));
  const bestFit = Math.max(...fits);
  if (!Number.isFinite(bestFit)) return null;
  // Of references that fit about as well, the largest: a tall bottle is often seen as two
  // regions, and its cap, unprojected as if it stood on the table, lies well behind it.
  let best = -1;
  fits.forEach((fit, i) => {
    if (fit >= bestFit - TIED_FIT && (best < 0 || instances[i].cells.length > instances[best].cells.length)) best = i;
  });
  const instance = instances[best];
  // The other pieces of it (a pitcher seen past the arm in three regions, one after another): where
  // it stands is where its pieces stand together, each counted by its size and how well it fits.
  const pieces = [best];
  for (let k = 0; k < pieces.length; k++) {
    const from = instances[pieces[k]].position;
    fits.forEach((fit, i) => {
      const near = Math.hypot(instances[i].position.x - from.x, instances[i].position.y - from.y) <= PIECE_REACH;
      if (near && fit >= PIECE_FIT * fits[best] && !pieces.includes(i)) pieces.push(i);
    });
  }
  let weight = 0;
  let x = 0;
  let y = 0;
  let extent = 0;
  for (const i of pieces) {
    const w = fits[i] * instances[i].cells.length;
    weight += w;
    x += w * instances[i].position.x;
    y += w * instances[i].position.y;
    extent = Math.max(extent, instances[i].extent);
  }
  const position = weight > 0 ? { x: x / weight, y: y / weight } : instance.position;
  return { position, extent, fit: fits[best], instance: instance.index };
}

/** Unit direction on the table of a relation from its reference, in the frame the person meant. */
export function placeDirection(type: PlaceRelation, reference: PlanePoint, meaning: Meaning, viewers: Viewers): PlanePoint {
  const frame = frameOf(viewers, meaning.relation?.viewpoint ?? null);
  const right = { x: frame.forward.y, y: -frame.forward.x };
  switch (type) {
    case 'left_of':
      return { x: -right.x, y: -right.y };
    case 'right_of':
      return right;
    case 'in_front_of':
    case 'next_to':
    case 'behind': {
      const sign = type === 'behind' ? -1 : 1;
      if (Math.hypot(frame.origin.x - reference.x, frame.origin.y - reference.y) < 0.05) {
        // "In front of me": the viewer is the reference; the place lies ahead of them.
        return { x: sign * frame.forward.x, y: sign * frame.forward.y };
      }
      // "In front of" the pitcher faces the viewer: from the reference towards them.
      const dx = frame.origin.x - reference.x;
      const dy = frame.origin.y - reference.y;
      const length = Math.hypot(dx, dy) || 1;
      return { x: (sign * dx) / length, y: (sign * dy) / length };
    }
  }
}

export interface PlaceEstimate {
  readonly point: PlanePoint;
  readonly reference: PlaceReference;
  readonly confidence: number;
}

export function estimatePlace(
  meaning: Meaning,
  instances: readonly PerceivedInstance[],
  viewers: Viewers,
  distances: PlaceDistances,
): PlaceEstimate | null {
  if (!meaning.relation || !(PLACE_RELATIONS as readonly string[]).includes(meaning.relation.type)) return null;
  const reference = findReference(meaning, instances, viewers);
  if (!reference) return null;
  const type = meaning.relation.type as PlaceRelation;
  const direction = placeDirection(type, reference.position, meaning, viewers);
  const key = placeKey(type, reference.instance < 0);
  const kind = instances.find((instance) => instance.index === reference.instance)?.kind;
  const { a, b } = (kind && distances[kindPlaceKey(key, kind)]) || (distances[key] ?? INITIAL_PLACE_DISTANCES[key]);
  const d = a + b * reference.extent;
  return {
    point: { x: reference.position.x + d * direction.x, y: reference.position.y + d * direction.y },
    reference,
    confidence: reference.fit,
  };
}

/** One observed place: where the reference was seen and where the place truly was. */
export interface PlaceObservation {
  /** placeKey of the relation and reference. */
  readonly key: string;
  readonly reference: PlanePoint;
  readonly extent: number;
  readonly direction: PlanePoint;
  readonly truth: PlanePoint;
  /** The reference's perceived kind; absent for a viewer. */
  readonly kind?: PixelKind;
}

/** How far along its direction the observed place lay from its reference. */
function observedDistance(o: PlaceObservation): number {
  return (o.truth.x - o.reference.x) * o.direction.x + (o.truth.y - o.reference.y) * o.direction.y;
}

/**
 * Least-squares a, b per relation from observations. A relation never observed keeps `prior`, but
 * "beside me" takes the distance of "in front of me" when only that was observed: beside a
 * person across the table is the table's edge before them (placeDirection points both there).
 */
export function fitPlaceDistances(observations: readonly PlaceObservation[], prior: PlaceDistances = INITIAL_PLACE_DISTANCES): PlaceDistances {
  const fitted: Record<string, { a: number; b: number }> = { ...prior };
  const besideViewer = placeKey('next_to', true);
  const beforeViewer = placeKey('in_front_of', true);
  const observed = (key: string) => observations.filter((o) => o.key === key).length >= 3;
  for (const key of PLACE_KEYS) {
    const rows = observations.filter((o) => o.key === (key === besideViewer && !observed(key) ? beforeViewer : key));
    if (rows.length < 3) continue;
    // d_i = (truth - reference) . direction; solve [1 e_i] [a b]^T = d_i.
    let n = 0, se = 0, see = 0, sd = 0, sed = 0;
    for (const o of rows) {
      const d = observedDistance(o);
      n++;
      se += o.extent;
      see += o.extent * o.extent;
      sd += d;
      sed += o.extent * d;
    }
    const det = n * see - se * se;
    // A constant extent (the person) leaves b undetermined: then only a is fitted.
    if (Math.abs(det) < 1e-9 * n * n) fitted[key] = { a: sd / n, b: 0 };
    else fitted[key] = { a: (see * sd - se * sed) / det, b: (n * sed - se * sd) / det };
  }
  const byKind = new Map<string, number[]>();
  for (const o of observations) {
    if (!o.kind) continue;
    const key = kindPlaceKey(o.key, o.kind);
    byKind.set(key, [...(byKind.get(key) ?? []), observedDistance(o)]);
  }
  for (const [key, distances] of [...byKind].sort(([x], [y]) => (x < y ? -1 : 1))) {
    if (distances.length >= MIN_KIND_OBSERVATIONS) fitted[key] = { a: distances.reduce((sum, d) => sum + d, 0) / distances.length, b: 0 };
  }
  return fitted;
}
