/**
 * Seeded sampler of plausible reminder Meanings for every scenario and mistake type. The
 * realiser takes ANY Meaning (e.g. one built from describe.referencesTo on a simulated scene);
 * this sampler only provides a broad, balanced supply for training.
 */
import type { Description, DescribedKind, Location, LocationTerm, Meaning, Relation, RelationType, ViewpointWord } from '../../semantics/meaning';
import { EMPTY_MEANING } from '../../semantics/meaning';
import { COLOURS, type GraspMode, type MistakeType, type RobotAction, type Scenario } from '../../sim/types';
import type { Rng } from './utterance';

/** What the realiser may know beyond the Meaning: where and what the robot is doing. */
export interface ReminderContext {
  readonly scenario: Scenario;
  /** The action the robot is carrying out when the person speaks. */
  readonly currentAction: RobotAction;
  /** The kind of object the robot wrongly acts on, when there is one. */
  readonly wrongKind?: DescribedKind;
}

export interface Plan {
  readonly meaning: Meaning;
  readonly context: ReminderContext;
}

/** What the sampler draws: a mistake type, or a bare stop command. */
export type PlanKind = MistakeType | 'stop';

const VESSELS: readonly DescribedKind[] = ['cup', 'mug', 'glass', 'bowl'];
const KITCHEN_REFERENCES: readonly DescribedKind[] = ['pitcher', 'bottle', 'bowl', 'plate', 'cup', 'mug', 'glass'];
const BIN_COLOURS = ['red', 'green', 'blue', 'yellow', 'grey', 'black'] as const;

function someColour(rng: Rng, palette: readonly string[] = COLOURS): string {
  return rng.pick(palette);
}

/** A description with the given kind and a random subset of attributes (at least one when `atLeastOne`). */
function describe(rng: Rng, kind: DescribedKind | undefined, scenario: Scenario, atLeastOne: boolean): Description {
  const d: { -readonly [K in keyof Description]: Description[K] } = {};
  if (kind) d.kind = kind;
  const vessel = kind !== undefined && ['cup', 'mug', 'glass', 'bowl', 'pitcher', 'bottle'].includes(kind);
  for (let attempt = 0; attempt < 4; attempt++) {
    if (rng.chance(scenario === 'tabletop' ? 0.9 : 0.55)) d.colour = someColour(rng);
    if (rng.chance(0.25)) d.size = rng.pick(['small', 'big'] as const);
    if (vessel && rng.chance(0.2)) d.state = rng.pick(['empty', 'full'] as const);
    if (kind === 'gear' && rng.chance(0.3)) d.state = rng.pick(['good', 'defective'] as const);
    if (!atLeastOne || d.colour || d.size || d.state) break;
  }
  return d;
}

function someLocation(rng: Rng, scenario: Scenario): Location {
  const terms: LocationTerm[] = scenario === 'tabletop' ? ['left', 'right', 'front', 'back', 'middle', 'alone'] : ['left', 'right', 'front', 'back'];
  const term = rng.pick(terms);
  const viewpoint = term === 'middle' || term === 'alone' ? null : rng.weighted<ViewpointWord>([[null, 0.45], ['speaker', 0.3], ['robot', 0.25]]);
  return { term, viewpoint };
}

function referenceFor(rng: Rng, scenario: Scenario, targetKind: DescribedKind | undefined): Description {
  if (scenario === 'tabletop') return { kind: rng.chance(0.6) ? 'block' : undefined, colour: someColour(rng) };
  if (scenario === 'factory') return rng.pick<Description>([{ kind: 'bin', colour: rng.pick(BIN_COLOURS) }, { kind: 'conveyor' }, { kind: 'gear', ...describe(rng, 'gear', scenario, true) }]);
  const kind = rng.pick(KITCHEN_REFERENCES.filter((k) => k !== targetKind));
  return describe(rng, kind, scenario, false);
}

function someRelation(rng: Rng, scenario: Scenario, targetKind: DescribedKind | undefined, forPlacing: boolean): Relation {
  const types: RelationType[] = ['left_of', 'right_of', 'in_front_of', 'behind', 'next_to', 'closest_to', 'farthest_from'];
  if (!forPlacing && scenario === 'tabletop') types.push('between', 'between', 'surrounded_by', 'surrounded_by');
  const type = rng.pick(types);
  const viewer = (type === 'closest_to' || type === 'farthest_from') && rng.chance(0.55);
  const reference: Description = viewer ? { kind: rng.chance(0.6) ? 'person' : 'robot' } : referenceFor(rng, scenario, targetKind);
  const directional = ['left_of', 'right_of', 'in_front_of', 'behind'].includes(type);
  const viewpoint = directional ? rng.weighted<ViewpointWord>([[null, 0.6], ['speaker', 0.2], ['robot', 0.2]]) : null;
  if (type === 'between') {
    if (rng.chance(0.5)) return { type, reference: { ...reference, count: 2 }, viewpoint: null };
    const colour2 = someColour(rng, COLOURS.filter((c) => c !== reference.colour));
    return { type, reference, reference2: { kind: reference.kind, colour: colour2 }, viewpoint: null };
  }
  if (type === 'surrounded_by') return { type, reference: { kind: rng.chance(0.7) ? 'block' : undefined, colour: someColour(rng), count: rng.int(3, 5) }, viewpoint: null };
  return { type, reference, viewpoint };
}

function urgencyFor(rng: Rng, mistake: MistakeType): number {
  if (mistake === 'none') return 0;
  return rng.weighted([[0, 0.4], [0.5, 0.4], [1, 0.2]]);
}

const CURRENT_ACTIONS: Readonly<Record<Scenario, readonly RobotAction[]>> = {
  kitchen: ['reach', 'grasp', 'transport', 'pour', 'place'],
  factory: ['reach', 'grasp', 'transport', 'place', 'drop'],
  tabletop: ['reach', 'grasp', 'transport', 'place'],
};

const TARGET_KINDS: Readonly<Record<Scenario, readonly (DescribedKind | undefined)[]>> = {
  kitchen: [...VESSELS, 'pitcher', 'bottle', 'plate', undefined],
  factory: ['gear', 'gear', undefined],
  tabletop: ['block', 'block', undefined],
};

const GRASPS: Readonly<Record<Scenario, readonly GraspMode[]>> = {
  kitchen: ['side', 'side', 'rim', 'centre', 'tilted'],
  factory: ['centre', 'centre', 'off_centre', 'side'],
  tabletop: ['centre', 'side', 'rim', 'off_centre'],
};

const REQUESTED_ACTIONS: Readonly<Record<Scenario, readonly RobotAction[]>> = {
  kitchen: ['hand_over', 'hand_over', 'place', 'pour', 'release'],
  factory: ['drop', 'drop', 'place', 'release', 'lift'],
  tabletop: ['place', 'hand_over', 'release', 'lift', 'grasp'],
};

/** One plausible Meaning (and context) for a scenario and mistake type (or a bare stop). */
export function sampleMeaning(rng: Rng, scenario: Scenario, kind: PlanKind): Plan {
  const currentAction = rng.pick(CURRENT_ACTIONS[scenario]);
  const mistake: MistakeType = kind === 'stop' ? 'none' : kind;
  const base = { ...EMPTY_MEANING, mistake, urgency: kind === 'stop' ? 1 : urgencyFor(rng, mistake) };
  const stop = kind === 'stop' || (mistake !== 'none' && rng.chance(0.12));
  const targetKind = rng.pick(TARGET_KINDS[scenario]);
  let meaning: Meaning = { ...base, stop, urgency: stop ? 1 : base.urgency };
  let wrongKind: DescribedKind | undefined = targetKind ?? (scenario === 'tabletop' ? 'block' : scenario === 'factory' ? 'gear' : 'cup');
  switch (kind) {
    case 'wrong_object': {
      let target = describe(rng, targetKind, scenario, true);
      if (scenario === 'factory' && rng.chance(0.7)) target = { ...target, kind: 'gear', state: 'defective' };
      const locations: Location[] = [];
      let relation: Relation | null = null;
      let ordinal = 0;
      const where = rng.weighted([['none', scenario === 'tabletop' ? 0.2 : 0.5], ['location', 0.35], ['relation', 0.35]] as const);
      if (where === 'location') {
        locations.push(someLocation(rng, scenario));
        if (rng.chance(0.2)) {
          const second = someLocation(rng, scenario);
          if (second.term !== locations[0].term && ['front', 'back'].includes(second.term) !== ['front', 'back'].includes(locations[0].term)) locations.push(second);
        }
        if ((locations[0].term === 'left' || locations[0].term === 'right') && locations.length === 1 && rng.chance(0.3)) ordinal = rng.int(1, 3);
      } else if (where === 'relation') {
        relation = someRelation(rng, scenario, targetKind, false);
      }
      const avoidChoice = rng.weighted([['none', 0.5], ['description', 0.25], ['current', 0.25]] as const);
      let avoid: Description | null = null;
      if (avoidChoice === 'description') {
        avoid = scenario === 'factory' && target.state === 'defective' ? { kind: 'gear', state: 'good' } : { ...(target.kind ? { kind: target.kind } : {}), colour: someColour(rng, COLOURS.filter((c) => c !== target.colour)) };
      }
      meaning = { ...meaning, target, locations, relation, ordinal, avoid, avoidCurrent: avoidChoice === 'current' };
      break;
    }
    case 'wrong_region': {
      const reference: Description = scenario === 'factory'
        ? { kind: 'bin', colour: rng.pick(BIN_COLOURS) }
        : describe(rng, rng.pick(scenario === 'kitchen' ? VESSELS : (['bowl', 'bin', 'plate'] as const)), scenario, rng.chance(0.7));
      meaning = { ...meaning, relation: { type: 'in', reference, viewpoint: null } };
      wrongKind = undefined;
      break;
    }
    case 'wrong_pose':
      meaning = { ...meaning, grasp: rng.pick(GRASPS[scenario]), target: targetKind && rng.chance(0.6) ? { kind: targetKind } : {} };
      break;
    case 'wrong_action': {
      const action = rng.pick(REQUESTED_ACTIONS[scenario]);
      let relation: Relation | null = null;
      if (action === 'drop' && rng.chance(0.6)) relation = { type: 'in', reference: { kind: 'bin' }, viewpoint: null };
      meaning = { ...meaning, action, relation };
      wrongKind = undefined;
      break;
    }
    case 'wrong_relation': {
      const useLocation = rng.chance(0.35);
      meaning = {
        ...meaning,
        target: targetKind && rng.chance(0.5) ? { kind: targetKind } : {},
        relation: useLocation ? null : someRelation(rng, scenario, targetKind, true),
        locations: useLocation ? [someLocation(rng, scenario === 'tabletop' ? 'kitchen' : scenario)] : [],
      };
      wrongKind = undefined;
      break;
    }
    case 'none':
      if (rng.chance(0.3)) meaning = { ...meaning, target: describe(rng, targetKind, scenario, true) };
      wrongKind = undefined;
      break;
    case 'stop':
      wrongKind = undefined;
      break;
  }
  return { meaning, context: { scenario, currentAction, ...(wrongKind ? { wrongKind } : {}) } };
}

export const PLAN_KINDS: readonly PlanKind[] = ['none', 'wrong_object', 'wrong_action', 'wrong_region', 'wrong_pose', 'wrong_relation', 'stop'];
