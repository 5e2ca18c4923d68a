/**
 * Features the grounding scorer weighs for every perceived instance: how well it fits what the
 * person said (kind, colour, state, size), what they ruled out, and where it stands (locations and
 * relations, as soft ranks among the instances that fit the description). The geometry is the one
 * the corpus generator uses (semantics/spatial.ts); the scorer learns how to combine it.
 */
import type { Description, Location, Meaning, Relation } from '../../semantics/meaning';
import {
  distance,
  frameOf,
  locationKey,
  relationGeometry,
  scaleFor,
  segmentOffset,
  type PlanePoint,
  type SpatialScale,
  type ViewFrame,
  type Viewers,
} from '../../semantics/spatial';
import { KIND_FIT, PIXEL_COLOURS, PIXEL_KINDS, PIXEL_STATES } from './labels';
import type { PerceivedInstance } from './instances';

/**
 * Every feature is a log-probability-like score, so that evidence adds up: a scorer that weighs
 * each by 1 already does the right thing, and training only has to learn how far to trust each.
 * Superlatives ("the leftmost", "closest to me") are soft argmaxes among the instances that fit
 * the description, weighted by how well they fit.
 */
export const GROUNDING_FEATURES = [
  'objectness',
  'not_person',
  'kind_fit',
  'colour_fit',
  'state_fit',
  'size_fit',
  'avoid_fit',
  'not_current_avoided',
  'not_current_object_mistake',
  'is_current_other_mistake',
  'is_current_no_description',
  'location1_argmax',
  'location2_argmax',
  'ordinal_fit',
  'relation_holds',
  'relation_argmax',
  'superlative_argmax',
  'between_argmax',
  'surrounded_argmax',
] as const;
export const FEATURE_COUNT = GROUNDING_FEATURES.length;

/** What the robot is doing, as far as grounding cares: where its current action is aimed, and what it holds. */
export interface RobotContext {
  readonly currentTarget: PlanePoint | null;
  readonly holding: boolean;
  /** What it holds is still to be poured (a pour is in progress or still to come). */
  readonly pouring: boolean;
  /** Where its gripper is (world frame, m) while it holds something, else null. */
  readonly hand: { readonly x: number; readonly y: number; readonly z: number } | null;
  /** Where the object its task is for stands (the cup it serves), as the robot knows it; null when unknown or carried. */
  readonly task: PlanePoint | null;
}

/**
 * Where the robot's action is aimed: its current target and, while it holds what it is to pour,
 * the vessel it pours into, whose rim the pour's target point stands off from. A wrong object is
 * one of these.
 */
export function aimedPoints(robot: RobotContext): PlanePoint[] {
  const points: PlanePoint[] = [];
  if (robot.currentTarget) points.push(robot.currentTarget);
  if (robot.pouring && robot.task) points.push(robot.task);
  return points;
}

const EPS = 1e-4;
const PERSON = PIXEL_KINDS.indexOf('person');
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

function kindFit(instance: PerceivedInstance, kind: Description['kind']): number {
  if (kind === undefined) return 1;
  const fit = KIND_FIT[kind];
  if (!fit) return EPS;
  let p = 0;
  for (const [k, weight] of Object.entries(fit)) p += (weight ?? 0) * instance.kindProbs[PIXEL_KINDS.indexOf(k as never)];
  return p;
}

function attributeFit(instance: PerceivedInstance, description: Description): { kind: number; colour: number; state: number } {
  const colourIndex = description.colour === undefined ? -1 : PIXEL_COLOURS.indexOf(description.colour as never);
  const stateIndex = description.state === undefined ? -1 : PIXEL_STATES.indexOf(description.state);
  return {
    kind: kindFit(instance, description.kind),
    colour: description.colour === undefined ? 1 : colourIndex < 0 ? EPS : instance.colourProbs[colourIndex],
    state: description.state === undefined ? 1 : stateIndex < 0 ? EPS : instance.stateProbs[stateIndex],
  };
}

/** Probability-like fit of an instance to a description (kind, colour, state). */
export function descriptionFit(instance: PerceivedInstance, description: Description): number {
  const fit = attributeFit(instance, description);
  return fit.kind * fit.colour * fit.state;
}

/**
 * log P(i has the largest key among the candidates), by a softmax over keys / temperature in which
 * each other instance takes part as much as it fits the description (its weight); i itself counts
 * fully. 0 when i clearly has the largest key, very negative when a good candidate beats it.
 */
function logSoftArgmax(keys: readonly number[], weights: readonly number[], i: number, temperature: number): number {
  let total = 1;
  for (let j = 0; j < keys.length; j++) {
    if (j === i) continue;
    total += weights[j] * Math.exp(Math.min(50, (keys[j] - keys[i]) / temperature));
  }
  return -Math.log(total);
}

const logOf = (p: number) => Math.log(Math.max(EPS, p));

/**
 * A candidate fitting less than this share of the best one's fit is no rival in a superlative of
 * place ("the mug on my right"). Relations keep every candidate: the same cut there cost the dense
 * block scenes of the held-out set.
 */
const RIVAL_SHARE = 0.25;

/** Expected number of weighted candidates ahead of i. */
function softPlace(keys: readonly number[], weights: readonly number[], i: number, temperature: number): number {
  let ahead = 0;
  for (let j = 0; j < keys.length; j++) if (j !== i) ahead += weights[j] * sigmoid((keys[j] - keys[i]) / temperature);
  return ahead;
}

/** A point a relation can refer to: a perceived instance, or the person or robot themselves. */
interface ReferencePoint {
  readonly position: PlanePoint;
  readonly instance: number;
  readonly weight: number;
}

function referencePoints(description: Description, instances: readonly PerceivedInstance[], viewers: Viewers): ReferencePoint[] {
  if (description.kind === 'robot') return [{ position: viewers.robot.origin, instance: -1, weight: 1 }];
  if (description.kind === 'person') return [{ position: viewers.speaker.origin, instance: -1, weight: 1 }];
  return instances
    .map((instance) => ({ position: instance.position, instance: instance.index, weight: descriptionFit(instance, description) * (1 - instance.kindProbs[PERSON]) }))
    .filter((r) => r.weight > 0.05);
}

/** The share of the reference's weight on instance i: how likely i is the thing related to. */
function referenceShare(refs: readonly ReferencePoint[], i: number): number {
  let total = 0;
  let own = 0;
  for (const r of refs) {
    total += r.weight;
    if (r.instance === i) own = r.weight;
  }
  return total > 0 ? own / total : 0;
}

function pairRelationScore(type: Relation['type'], subject: PlanePoint, reference: PlanePoint, frame: ViewFrame, scale: SpatialScale): number {
  const g = relationGeometry(subject, reference, frame);
  const t = scale.margin / 2;
  const close = sigmoid((3 * scale.near - g.distance) / scale.near);
  const lateralness = (Math.abs(g.dLateral) - Math.abs(g.dDepth)) / t;
  switch (type) {
    case 'left_of':
      return sigmoid((-g.dLateral - scale.margin) / t) * sigmoid(lateralness) * close;
    case 'right_of':
      return sigmoid((g.dLateral - scale.margin) / t) * sigmoid(lateralness) * close;
    case 'in_front_of':
      return sigmoid((-g.dDepth - scale.margin) / t) * sigmoid(-lateralness) * close;
    case 'behind':
      return sigmoid((g.dDepth - scale.margin) / t) * sigmoid(-lateralness) * close;
    default:
      return sigmoid((scale.near - g.distance) / (0.3 * scale.near));
  }
}

interface RelationFeatures {
  holds: number[];
  argmax: number[];
  superlative: number[];
  between: number[];
  surrounded: number[];
}

function relationFeatures(
  relation: Relation | null,
  instances: readonly PerceivedInstance[],
  candidates: readonly number[],
  viewers: Viewers,
  scale: SpatialScale,
): RelationFeatures {
  const n = instances.length;
  const zeros = () => new Array<number>(n).fill(0);
  const out: RelationFeatures = { holds: zeros(), argmax: zeros(), superlative: zeros(), between: zeros(), surrounded: zeros() };
  if (!relation || relation.type === 'in') return out;
  const refs = referencePoints(relation.reference, instances, viewers);
  if (refs.length === 0) return out;
  const frame = frameOf(viewers, relation.viewpoint);
  const others = (i: number) => refs.filter((r) => r.instance !== i);
  const t = scale.margin / 2;
  switch (relation.type) {
    case 'left_of':
    case 'right_of':
    case 'in_front_of':
    case 'behind':
    case 'next_to': {
      const holds = instances.map((instance, i) => {
        let best = 0;
        for (const r of others(i)) best = Math.max(best, r.weight * pairRelationScore(relation.type, instance.position, r.position, frame, scale));
        return best;
      });
      for (let i = 0; i < n; i++) {
        out.holds[i] = logOf(holds[i]);
        out.argmax[i] = logSoftArgmax(holds, candidates, i, 0.1);
      }
      return out;
    }
    case 'closest_to':
    case 'farthest_from': {
      const sign = relation.type === 'closest_to' ? -1 : 1;
      const keys = instances.map((instance, i) => {
        let weighted = 0;
        let total = 0;
        for (const r of others(i)) {
          const d = distance(instance.position, r.position);
          const w = r.weight * Math.exp(-d / scale.near);
          weighted += w * d;
          total += w;
        }
        return total < EPS ? 0 : sign * (weighted / total);
      });
      // A key says how near i is to the thing related to were that another thing; but the likelier
      // i is that thing itself, the less it can be the one nearest it (or farthest), and the less a
      // rival. The keys alone let the bin meant ("the box nearest the purple bin") tie with its
      // neighbour: its own key was its distance to a faint second match, normalised to count in full.
      const notReference = instances.map((_, i) => 1 - referenceShare(refs, i));
      const rivals = candidates.map((w, i) => w * notReference[i]);
      for (let i = 0; i < n; i++) out.superlative[i] = logSoftArgmax(keys, rivals, i, t) + logOf(notReference[i]);
      return out;
    }
    case 'between': {
      const second = relation.reference2 ? referencePoints(relation.reference2, instances, viewers) : refs;
      const band = instances.map((instance, i) => {
        let best = 0;
        for (const a of others(i)) {
          for (const b of second) {
            if (b.instance === i || b.instance === a.instance) continue;
            const { along, across } = segmentOffset(instance.position, a.position, b.position);
            const inside = sigmoid((0.35 - Math.abs(along - 0.5)) / 0.08) * Math.exp(-((across / (1.5 * scale.margin)) ** 2));
            best = Math.max(best, a.weight * b.weight * inside);
          }
        }
        return best;
      });
      for (let i = 0; i < n; i++) {
        out.holds[i] = logOf(band[i]);
        out.between[i] = logSoftArgmax(band, candidates, i, 0.1);
      }
      return out;
    }
    case 'surrounded_by': {
      const counts = instances.map((instance, i) => {
        let count = 0;
        for (const r of others(i)) count += r.weight * sigmoid((scale.near - distance(instance.position, r.position)) / (0.3 * scale.near));
        return count;
      });
      for (let i = 0; i < n; i++) out.surrounded[i] = logSoftArgmax(counts, candidates, i, 0.5);
      return out;
    }
  }
}

function locationRank(
  location: Location | undefined,
  ordinal: number,
  instances: readonly PerceivedInstance[],
  candidates: readonly number[],
  viewers: Viewers,
  scale: SpatialScale,
): { rank: number[]; ordinalFit: number[] } {
  const n = instances.length;
  if (!location) return { rank: new Array<number>(n).fill(0), ordinalFit: new Array<number>(n).fill(0) };
  const frame = frameOf(viewers, location.viewpoint);
  const things = instances.filter((instance) => instance.kindProbs[PERSON] < 0.5).map((instance) => instance.position);
  const all = things.length > 0 ? things : instances.map((instance) => instance.position);
  const keys = instances.map((instance) => locationKey(location.term, instance.position, frame, all));
  const temperature = location.term === 'alone' ? scale.near / 4 : scale.margin / 2;
  // With an ordinal the extreme candidate is exactly the one not meant, so only ordinalFit speaks.
  const rank = keys.map((_, i) => (ordinal >= 2 ? 0 : logSoftArgmax(keys, candidates, i, temperature)));
  const ordinalFit = keys.map((_, i) => (ordinal >= 2 ? -((softPlace(keys, candidates, i, temperature) - (ordinal - 1)) ** 2) / 0.5 : 0));
  return { rank, ordinalFit };
}

/**
 * "Pour into the blue cup" names its object only as the reference of `in`: attend to that. "Pass
 * it over" names none: what is handed over goes to the person, so attend to them.
 */
export function attendedDescription(meaning: Meaning): Meaning {
  const target = meaning.target;
  const empty = target.kind === undefined && target.colour === undefined && target.state === undefined && target.size === undefined;
  if (meaning.relation?.type === 'in' && empty) return { ...meaning, target: meaning.relation.reference, relation: null };
  if (meaning.action === 'hand_over' && empty && !meaning.relation && meaning.locations.length === 0) return { ...meaning, target: { kind: 'person' } };
  return meaning;
}

/**
 * Feature rows for every instance, [instances.length][FEATURE_COUNT].
 * `robot.currentTarget` is where the robot's current action is aimed, when known.
 */
export function groundingFeatures(
  rawMeaning: Meaning,
  instances: readonly PerceivedInstance[],
  viewers: Viewers,
  robot: RobotContext,
): number[][] {
  const meaning = attendedDescription(rawMeaning);
  const n = instances.length;
  if (n === 0) return [];
  const extents = instances.map((i) => i.extent).sort((a, b) => a - b);
  const scale = scaleFor(Math.max(0.02, extents[Math.floor(n / 2)]));
  const target = meaning.target;
  const fits = instances.map((instance) => attributeFit(instance, target));
  const objectness = instances.map((instance) => 1 - instance.kindProbs[0] - instance.kindProbs[1]);
  const avoidFits = instances.map((instance) => (meaning.avoid ? descriptionFit(instance, meaning.avoid) : 0));
  const candidates = instances.map((instance, i) => {
    const notPerson = target.kind === 'person' ? 1 : 1 - instance.kindProbs[PERSON];
    return Math.max(0, objectness[i]) * fits[i].kind * fits[i].colour * fits[i].state * notPerson * (1 - avoidFits[i]);
  });
  // What fits far worse than the best is no rival in "the mug on my right": a speck recalled from
  // a moment ago, or a bowl, standing further right must not push the mugs out of it.
  const bestCandidate = Math.max(...candidates);
  const rivals = candidates.map((w) => (w < RIVAL_SHARE * bestCandidate ? 0 : w));
  const sizeKeys = instances.map((instance) => (target.size === 'small' ? -instance.extent : instance.extent));
  const sizeFit = sizeKeys.map((_, i) => logSoftArgmax(sizeKeys, candidates, i, scale.margin / 4));
  const first = locationRank(meaning.locations[0], meaning.ordinal, instances, rivals, viewers, scale);
  const second = locationRank(meaning.locations[1], 0, instances, rivals, viewers, scale);
  const relation = relationFeatures(meaning.relation, instances, candidates, viewers, scale);
  const currentAffinity = instances.map((instance) =>
    robot.currentTarget ? Math.exp(-((distance(instance.position, robot.currentTarget) / scale.near) ** 2)) : 0,
  );
  // Whether an instance is the very object aimed at (or a piece of it), not merely beside it.
  const aimed = aimedPoints(robot);
  const aimedAt = instances.map((instance) =>
    Math.max(0, ...aimed.map((point) => Math.exp(-((distance(instance.position, point) / (2 * scale.margin)) ** 2)))),
  );
  const noDescription = target.kind === undefined && target.colour === undefined && target.state === undefined;
  const objectMistake = meaning.mistake === 'wrong_object';
  const otherMistake = meaning.mistake !== 'wrong_object' && meaning.mistake !== 'none';
  return instances.map((instance, i) => [
    Math.log(Math.max(EPS, objectness[i])),
    target.kind === 'person' ? 0 : Math.log(Math.max(EPS, 1 - instance.kindProbs[PERSON])),
    Math.log(Math.max(EPS, fits[i].kind)),
    Math.log(Math.max(EPS, fits[i].colour)),
    Math.log(Math.max(EPS, fits[i].state)),
    target.size === undefined ? 0 : sizeFit[i],
    meaning.avoid ? Math.log(Math.max(EPS, 1 - avoidFits[i])) : 0,
    meaning.avoidCurrent ? logOf(1 - currentAffinity[i]) : 0,
    // A wrong object is the one the robot aims at: what the person wants is elsewhere. As a
    // log-probability this is evidence the monotone scorer can use; as the affinity itself it
    // could only ever favour the wrong object.
    objectMistake && !meaning.avoidCurrent ? logOf(1 - aimedAt[i]) : 0,
    otherMistake ? currentAffinity[i] : 0,
    noDescription ? currentAffinity[i] : 0,
    first.rank[i],
    second.rank[i],
    first.ordinalFit[i],
    relation.holds[i],
    relation.argmax[i],
    relation.superlative[i],
    relation.between[i],
    relation.surrounded[i],
  ]);
}

