/**
 * The Meaning inside a LanguageAttention message, read back with checks: the visual stage runs
 * on what arrives over the graph, and a well-typed message can still carry words no stage knows.
 */
import type { LanguageAttention, ObjectDescription } from '../../graph/messages';
import {
  RELATION_TYPES,
  type Description,
  type DescribedKind,
  type Location,
  type LocationTerm,
  type Meaning,
  type RelationType,
  type ViewpointWord,
} from '../../semantics/meaning';
import { MISTAKE_TYPES, type GraspMode, type MistakeType, type RobotAction } from '../../sim/types';

const KINDS: readonly DescribedKind[] = ['cup', 'mug', 'glass', 'pitcher', 'bottle', 'bowl', 'plate', 'gear', 'bin', 'block', 'person', 'robot', 'table', 'conveyor'];
const TERMS: readonly LocationTerm[] = ['left', 'right', 'front', 'back', 'middle', 'alone'];
const SIZES = ['small', 'big'] as const;
const STATES = ['empty', 'full', 'good', 'defective'] as const;

function viewpoint(text: string, where: string): ViewpointWord {
  if (text === '') return null;
  if (text === 'speaker' || text === 'robot') return text;
  throw new Error(`${where}: viewpoint "${text}" is not speaker, robot or empty`);
}

function description(d: ObjectDescription, where: string): Description {
  const out: { -readonly [K in keyof Description]: Description[K] } = {};
  if (d.kind !== '') {
    if (!(KINDS as readonly string[]).includes(d.kind)) throw new Error(`${where}.kind: "${d.kind}" is not a known kind`);
    out.kind = d.kind as DescribedKind;
  }
  if (d.colour !== '') out.colour = d.colour;
  if (d.size !== '') {
    if (!(SIZES as readonly string[]).includes(d.size)) throw new Error(`${where}.size: "${d.size}" is not small or big`);
    out.size = d.size as 'small' | 'big';
  }
  if (d.state !== '') {
    if (!(STATES as readonly string[]).includes(d.state)) throw new Error(`${where}.state: "${d.state}" is not a known state`);
    out.state = d.state as Description['state'];
  }
  if (d.count > 0) out.count = d.count;
  return out;
}

const isEmpty = (d: Description) => Object.keys(d).length === 0;

/** The Meaning a LanguageAttention message carries; throws naming the offending field. */
export function meaningFromMessage(message: LanguageAttention): Meaning {
  if (!(MISTAKE_TYPES as readonly string[]).includes(message.mistake_type)) {
    throw new Error(`mistake_type: "${message.mistake_type}" is not one of ${MISTAKE_TYPES.join(', ')}`);
  }
  if (message.location.length !== message.location_viewpoint.length) {
    throw new Error(`location has ${message.location.length} entries but location_viewpoint ${message.location_viewpoint.length}`);
  }
  const locations: Location[] = message.location.map((term, i) => {
    if (!(TERMS as readonly string[]).includes(term)) throw new Error(`location[${i}]: "${term}" is not a location term`);
    return { term: term as LocationTerm, viewpoint: viewpoint(message.location_viewpoint[i], `location_viewpoint[${i}]`) };
  });
  let relation: Meaning['relation'] = null;
  if (message.relation !== '') {
    if (!(RELATION_TYPES as readonly string[]).includes(message.relation)) throw new Error(`relation: "${message.relation}" is not a relation`);
    const reference2 = description(message.reference2, 'reference2');
    relation = {
      type: message.relation as RelationType,
      reference: description(message.reference, 'reference'),
      ...(isEmpty(reference2) ? {} : { reference2 }),
      viewpoint: viewpoint(message.relation_viewpoint, 'relation_viewpoint'),
    };
  }
  const avoid = description(message.avoid, 'avoid');
  return {
    mistake: message.mistake_type as MistakeType,
    stop: message.stop,
    urgency: message.urgency,
    target: description(message.target, 'target'),
    avoid: isEmpty(avoid) ? null : avoid,
    avoidCurrent: message.avoid_current,
    locations,
    relation,
    ordinal: message.ordinal,
    action: message.action === '' ? null : (message.action as RobotAction),
    grasp: message.grasp === '' ? null : (message.grasp as GraspMode),
  };
}
