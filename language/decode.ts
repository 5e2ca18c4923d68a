/**
 * Deterministic decoding of the network's outputs into a Meaning.
 *
 * Tags say which words play which part; the lexicon concept of each word says its value; the
 * sentence heads give what is a property of the whole reminder (mistake type, stop, urgency,
 * "not that one", requested action and grasp, relation type). So:
 * - OBJECT/COLOUR/ATTRIBUTE words -> target kind/colour/size/state by their concepts;
 * - AVOID words -> avoid; REFERENCE words -> reference, split at "and" into reference2;
 * - LOCATION spans -> location terms, with a my/your/me/you inside the span as viewpoint, and an
 *   ordinal word ("second") as the ordinal;
 * - RELATION words carry the relation's viewpoint ("from my side").
 * A word without a usable concept never becomes a value: an unknown word tagged OBJECT leaves the
 * kind unset, and lowers the parse confidence.
 */
import type { Description, DescribedKind, Location, LocationTerm, Meaning, Relation, RelationType, SlotTag, ViewpointWord } from '../semantics/meaning';
import type { GraspMode, MistakeType, RobotAction } from '../sim/types';
import { conceptCategory, conceptValue } from './lexicon';
import type { Token } from './preprocess';
import { ACTION_LABELS, GRASP_LABELS, MISTAKE_LABELS, RELATION_LABELS, URGENCY_LEVELS } from '../models/language/labels';

/** Sentence head outputs for one reminder (probabilities). */
export interface HeadOutputs {
  readonly mistake: readonly number[];
  readonly stop: number;
  readonly urgency: readonly number[];
  readonly avoidCurrent: number;
  readonly action: readonly number[];
  readonly grasp: readonly number[];
  readonly relation: readonly number[];
}

export interface Decoded {
  readonly meaning: Meaning;
  readonly mistakeConfidence: number;
  /** Words in a slot (tagged non-O) whose concept could not fill it. */
  readonly unfilledSlotWords: string[];
}

function argmax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

type MutableDescription = { -readonly [K in keyof Description]: Description[K] };

/** A description from its words' concepts; words that fit no field are returned as unfilled. */
export function describeTokens(tokens: readonly Token[]): { description: MutableDescription; unfilled: Token[] } {
  const description: MutableDescription = {};
  const unfilled: Token[] = [];
  for (const token of tokens) {
    const concept = token.concept;
    if (!concept) {
      if (/[a-z]/.test(token.word) && token.unknown) unfilled.push(token);
      continue;
    }
    const value = conceptValue(concept);
    switch (conceptCategory(concept)) {
      case 'kind':
        if (value !== 'thing') description.kind ??= value as DescribedKind;
        break;
      case 'vp':
        description.kind ??= value === 'speaker' ? 'person' : 'robot';
        break;
      case 'colour':
        description.colour ??= value;
        break;
      case 'size':
        description.size ??= value as 'small' | 'big';
        break;
      case 'state':
        description.state ??= value as Description['state'];
        break;
      case 'num':
        description.count ??= Number(value);
        break;
      default:
        break;
    }
  }
  return { description, unfilled };
}

const PREPOSITIONS = new Set(['in', 'at', 'on', 'next', 'behind', 'by', 'beside', 'near']);

function termOf(token: Token, next: Token | undefined): LocationTerm | null {
  if (!token.concept) return null;
  const category = conceptCategory(token.concept);
  const value = conceptValue(token.concept);
  if (category === 'dir') {
    // "right in the middle", "right at the back": "right" as an intensifier, not a side
    if (value === 'right' && next && PREPOSITIONS.has(next.word)) return null;
    return value as LocationTerm;
  }
  if (category === 'rel' && value === 'behind') return 'back';
  if (category === 'loc') return value as LocationTerm;
  return null;
}

function viewpointOf(tokens: readonly Token[]): ViewpointWord {
  for (const token of tokens) {
    if (token.concept === 'vp:speaker') return 'speaker';
    if (token.concept === 'vp:robot') return 'robot';
  }
  return null;
}

/** Contiguous runs of tokens with one of the tags. */
function spans(tokens: readonly Token[], tags: readonly SlotTag[], wanted: ReadonlySet<SlotTag>): Token[][] {
  const out: Token[][] = [];
  let current: Token[] = [];
  tokens.forEach((token, i) => {
    if (wanted.has(tags[i])) current.push(token);
    else if (current.length > 0 && token.concept?.startsWith('filler:')) return; // "in front, uh, of me"
    else if (current.length > 0) {
      out.push(current);
      current = [];
    }
  });
  if (current.length > 0) out.push(current);
  return out;
}

function decodeLocations(tokens: readonly Token[], tags: readonly SlotTag[]): { locations: Location[]; ordinal: number } {
  const locations: Location[] = [];
  let ordinal = 0;
  let previousSpanStart = -1;
  for (const span of spans(tokens, tags, new Set<SlotTag>(['LOCATION']))) {
    const viewpoint = viewpointOf(span);
    const terms: LocationTerm[] = [];
    span.forEach((token, i) => {
      const term = termOf(token, span[i + 1]);
      if (term && !terms.includes(term)) terms.push(term);
      if (token.concept?.startsWith('ord:') && ordinal === 0) ordinal = Number(conceptValue(token.concept));
    });
    if (terms.length === 0 && viewpoint && previousSpanStart >= 0) {
      // "in front ... of me": the viewpoint belongs to the span before
      for (let i = previousSpanStart; i < locations.length; i++) {
        if (locations[i].viewpoint === null) locations[i] = { ...locations[i], viewpoint };
      }
      continue;
    }
    if (terms.length > 0) previousSpanStart = locations.length;
    for (const term of terms) {
      const v = term === 'middle' || term === 'alone' ? null : viewpoint;
      if (!locations.some((l) => l.term === term)) locations.push({ term, viewpoint: v });
    }
  }
  return { locations, ordinal: locations.length > 0 ? ordinal : 0 };
}

function decodeReferences(tokens: readonly Token[], tags: readonly SlotTag[]): { groups: Token[][] } {
  const groups: Token[][] = [];
  for (const span of spans(tokens, tags, new Set<SlotTag>(['REFERENCE']))) {
    let current: Token[] = [];
    for (const token of span) {
      if (token.concept === 'conj:and') {
        if (current.length > 0) groups.push(current);
        current = [];
      } else current.push(token);
    }
    if (current.length > 0) groups.push(current);
  }
  return { groups };
}

const DIRECTIONAL: ReadonlySet<RelationType> = new Set(['left_of', 'right_of', 'in_front_of', 'behind']);

export function decodeMeaning(tokens: readonly Token[], tags: readonly SlotTag[], heads: HeadOutputs): Decoded {
  const unfilled: Token[] = [];
  const pick = (wanted: readonly SlotTag[]) => tokens.filter((_, i) => wanted.includes(tags[i]));
  const target = describeTokens(pick(['OBJECT', 'COLOUR', 'ATTRIBUTE']));
  unfilled.push(...target.unfilled);
  delete target.description.count;
  const avoidTokens = describeTokens(pick(['AVOID']));
  unfilled.push(...avoidTokens.unfilled);
  delete avoidTokens.description.count;
  const avoid = Object.keys(avoidTokens.description).length > 0 ? avoidTokens.description : null;
  const { locations, ordinal } = decodeLocations(tokens, tags);

  const mistakeIndex = argmax(heads.mistake);
  const relationType = RELATION_LABELS[argmax(heads.relation)];
  let relation: Relation | null = null;
  if (relationType !== 'none') {
    const { groups } = decodeReferences(tokens, tags);
    const described = groups.map((g) => describeTokens(g));
    for (const d of described) unfilled.push(...d.unfilled);
    const reference = described[0]?.description ?? {};
    const reference2 = relationType === 'between' ? described[1]?.description : undefined;
    const viewpoint = DIRECTIONAL.has(relationType) ? viewpointOf(pick(['RELATION'])) : null;
    relation = { type: relationType, reference, viewpoint, ...(reference2 ? { reference2 } : {}) };
  }
  const action = ACTION_LABELS[argmax(heads.action)];
  const grasp = GRASP_LABELS[argmax(heads.grasp)];
  const meaning: Meaning = {
    mistake: MISTAKE_LABELS[mistakeIndex] as MistakeType,
    stop: heads.stop >= 0.5,
    urgency: URGENCY_LEVELS[argmax(heads.urgency)],
    target: target.description,
    avoid,
    avoidCurrent: heads.avoidCurrent >= 0.5,
    locations,
    relation,
    ordinal,
    action: action === 'none' ? null : (action as RobotAction),
    grasp: grasp === 'none' ? null : (grasp as GraspMode),
  };
  return { meaning, mistakeConfidence: heads.mistake[mistakeIndex], unfilledSlotWords: unfilled.map((t) => t.word) };
}
