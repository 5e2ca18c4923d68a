/**
 * What a person watching an episode would mean when they speak up: the Meaning of a reminder for
 * an episode's ground truth, with the target singled out the way describe.referencesTo allows in
 * that very scene. The corpus realiser turns it into words; the trial and the visual stage's
 * training data use it so that every reminder is true of the scene it is said in.
 */
import type { MistakeTruth, SceneObject } from '../sim/types';
import { attributeDescriptions, matches, referencesTo, type Describable, type Reference } from './describe';
import { EMPTY_MEANING, RELATION_TYPES, type Description, type DescribedKind, type Meaning, type RelationType } from './meaning';
import { viewersFor, type PlanePoint, type Viewers } from './spatial';

export interface EpisodeView {
  readonly objects: readonly Describable[];
  readonly viewers: Viewers;
  readonly truth: MistakeTruth;
}

/** A uniform random number in [0, 1), seeded by the caller. */
export type Random = () => number;

export const PERSON_ID = 'person';
export const ROBOT_ID = 'robot';
const ROBOT_BASE: PlanePoint = { x: -0.55, y: 0 };

/**
 * "Big" and "small" as people use them: relative to the other things of the same kind in view,
 * and only when the difference shows (a quarter larger or smaller than every other one).
 */
export function visibleSizeClass(object: SceneObject, objects: readonly SceneObject[]): 'small' | 'medium' | 'big' {
  const extent = Math.max(object.size[0], object.size[1]);
  const others = objects.filter((o) => o !== object && o.kind === object.kind).map((o) => Math.max(o.size[0], o.size[1]));
  if (others.length === 0) return 'medium';
  if (others.every((e) => extent >= 1.25 * e)) return 'big';
  if (others.every((e) => extent <= 0.8 * e)) return 'small';
  return 'medium';
}

/** Scene objects (at their current positions) plus the person and the robot, as the generator sees them. */
export function describablesOf(
  objects: readonly SceneObject[],
  person: PlanePoint,
  positions: ReadonlyMap<string, PlanePoint> = new Map(),
): Describable[] {
  const things: Describable[] = objects.map((o) => ({
    id: o.id,
    kind: o.kind as DescribedKind,
    colour: o.colour,
    sizeClass: visibleSizeClass(o, objects),
    state: o.state,
    position: positions.get(o.id) ?? { x: o.position.x, y: o.position.y },
    extent: Math.max(o.size[0], o.size[1]),
  }));
  return [
    ...things,
    { id: PERSON_ID, kind: 'person', colour: '', sizeClass: 'medium', state: 'none', position: person, extent: 0.4 },
    { id: ROBOT_ID, kind: 'robot', colour: '', sizeClass: 'medium', state: 'none', position: ROBOT_BASE, extent: 0.3 },
  ];
}

export function defaultViewers(person: PlanePoint): Viewers {
  return viewersFor(person, ROBOT_BASE);
}

function pickWeighted<T extends { weight: number }>(items: readonly T[], random: Random): T {
  const total = items.reduce((sum, item) => sum + item.weight, 0);
  let r = random() * total;
  for (const item of items) {
    r -= item.weight;
    if (r <= 0) return item;
  }
  return items[items.length - 1];
}

/** A reference to `id`, or a bare kind when the scene offers no unique one. */
export function chooseReference(view: EpisodeView, id: string, random: Random): Reference {
  const references = referencesTo(view.objects, id, view.viewers);
  if (references.length > 0) return pickWeighted(references, random);
  const object = view.objects.find((o) => o.id === id);
  return { target: object ? { kind: object.kind } : {}, locations: [], relation: null, ordinal: 0, weight: 1 };
}

/** The plainest attribute description that singles out `id` among all objects, if any. */
function uniqueName(view: EpisodeView, id: string): Description | null {
  const object = view.objects.find((o) => o.id === id);
  if (!object) return null;
  if (object.kind === 'person' || object.kind === 'robot') return { kind: object.kind };
  return attributeDescriptions(object).find((d) => view.objects.filter((o) => matches(o, d)).length === 1) ?? null;
}

function referenceMeaning(reference: Reference): Pick<Meaning, 'target' | 'locations' | 'relation' | 'ordinal'> {
  return { target: reference.target, locations: reference.locations, relation: reference.relation, ordinal: reference.ordinal };
}

function kindOf(view: EpisodeView, id: string | null): Description {
  const object = id ? view.objects.find((o) => o.id === id) : undefined;
  return object ? { kind: object.kind } : {};
}

/** The reminder's Meaning for an episode's ground truth. Stop and urgency are left to the caller. */
export function episodeMeaning(view: EpisodeView, random: Random): Meaning {
  const truth = view.truth;
  const base = { ...EMPTY_MEANING, mistake: truth.type };
  switch (truth.type) {
    case 'none':
      return base;
    case 'wrong_object': {
      if (!truth.target) return base;
      const meaning: Meaning = { ...base, ...referenceMeaning(chooseReference(view, truth.target, random)) };
      const r = random();
      if (r < 0.3) return { ...meaning, avoidCurrent: true };
      if (r < 0.55 && truth.wrongObject) {
        const wrong = uniqueName(view, truth.wrongObject);
        const target = view.objects.find((o) => o.id === truth.target);
        if (wrong && target && !matches(target, wrong)) return { ...meaning, avoid: wrong };
      }
      return meaning;
    }
    case 'wrong_region': {
      // People name where it should go: "pour it INTO the blue cup", "the RED bin", "in front of ME".
      if (!truth.target) return { ...base, relation: { type: 'in_front_of', reference: { kind: 'person' }, viewpoint: null } };
      const reference = uniqueName(view, truth.target) ?? kindOf(view, truth.target);
      return { ...base, relation: { type: 'in', reference, viewpoint: null } };
    }
    case 'wrong_pose':
      return { ...base, target: random() < 0.6 ? {} : kindOf(view, truth.target), grasp: truth.correctGrasp };
    case 'wrong_action': {
      // "Hand it to ME", "pour it INTO the cup first", "drop it IN the red bin": the action and where it goes.
      if (truth.target === PERSON_ID) return { ...base, target: { kind: 'person' }, action: truth.correctAction };
      if (truth.target) {
        const reference = uniqueName(view, truth.target) ?? kindOf(view, truth.target);
        return { ...base, relation: { type: 'in', reference, viewpoint: null }, action: truth.correctAction };
      }
      return { ...base, action: truth.correctAction };
    }
    case 'wrong_relation': {
      if (!truth.relation || !truth.referenceObject || !(RELATION_TYPES as readonly string[]).includes(truth.relation)) return base;
      const reference = uniqueName(view, truth.referenceObject) ?? kindOf(view, truth.referenceObject);
      const relation = { type: truth.relation as RelationType, reference, viewpoint: random() < 0.3 ? ('speaker' as const) : null };
      const target = truth.target ? kindOf(view, truth.target) : random() < 0.6 ? {} : kindOf(view, truth.wrongObject);
      return { ...base, target, relation };
    }
  }
}
