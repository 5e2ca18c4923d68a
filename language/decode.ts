/**
 * Deterministic decoding of the network's outputs into a Meaning.
 *
 * Tags say which words play which part; the lexicon concept of each word says its value; the
 * sentence heads give what is a property of the whole reminder (mistake type, stop, urgency,
 * "not that one", requested action and grasp, and whether a relation is meant). So:
 * - OBJECT/COLOUR/ATTRIBUTE words -> target kind/colour/size/state by their concepts;
 * - AVOID words -> avoid; REFERENCE words -> reference, split at "and" into reference2;
 * - LOCATION spans -> location terms, with a my/your/me/you inside the span as viewpoint, and an
 *   ordinal word ("second") as the ordinal;
 * - RELATION words name the relation through their concepts ("beside" -> next_to), so unseen
 *   synonyms decode; the relation head decides only when no word names one ("with orange blocks
 *   all around it"); they also carry the relation's viewpoint ("from my side").
 * A word without a usable concept never becomes a value: an unknown word tagged OBJECT leaves the
 * kind unset, and lowers the parse confidence.
 */
import type { Description, DescribedKind, Location, LocationTerm, Meaning, Relation, RelationType, SlotTag, ViewpointWord } from '../semantics/meaning';
import type { GraspMode, MistakeType, RobotAction } from '../sim/types';
import { conceptCategory, conceptValue } from './lexicon';
import type { Token } from './preprocess';
import {
  beneficiary, describerBeforeTarget, locationOfPronoun, missedPourPlace, placingWords, pronounReference, referenceWithoutRelation, relationWordAsObject, runs,
  sideOfReference, speakerAsObject, targetBeforeRelation, TARGET_TAGS, unnegatedAvoid, wrongObjectWords,
} from './phrase-roles';
import { ACTION_LABELS, GRASP_LABELS, MISTAKE_LABELS, RELATION_LABELS, URGENCY_LEVELS } from '../models/language/labels';

/** Sentence head outputs for one reminder (probabilities). */
export interface HeadOutputs {
  readonly mistake: ArrayLike<number>;
  readonly stop: number;
  readonly urgency: ArrayLike<number>;
  readonly avoidCurrent: number;
  readonly action: ArrayLike<number>;
  readonly grasp: ArrayLike<number>;
  readonly relation: ArrayLike<number>;
}

export interface Decoded {
  /** Writable so that lexicon rules (the stop fast path) can override the network. */
  meaning: Meaning;
  readonly mistakeConfidence: number;
  /** Words in a slot (tagged non-O) whose concept could not fill it. */
  readonly unfilledSlotWords: string[];
}

function argmax(values: ArrayLike<number>): number {
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

/**
 * Location terms of the LOCATION-tagged words, each with its own viewpoint: a possessive right
 * before a term is that term's ("to MY left"); any other viewpoint word belongs to the term before
 * it ("on the left FROM MY SIDE", "in front of ME"), or to the next one when none precedes.
 */
function decodeLocations(tokens: readonly Token[], tags: readonly SlotTag[]): { locations: Location[]; ordinal: number } {
  const words = spans(tokens, tags, new Set<SlotTag>(['LOCATION'])).flat();
  const terms: { term: LocationTerm; at: number; viewpoint: ViewpointWord }[] = [];
  let ordinal = 0;
  words.forEach((token, i) => {
    const term = termOf(token, words[i + 1]);
    if (term && !terms.some((t) => t.term === term)) terms.push({ term, at: i, viewpoint: null });
    if (token.concept?.startsWith('ord:') && ordinal === 0) ordinal = Number(conceptValue(token.concept));
  });
  words.forEach((token, i) => {
    const viewpoint: ViewpointWord = token.concept === 'vp:speaker' ? 'speaker' : token.concept === 'vp:robot' ? 'robot' : null;
    if (!viewpoint || terms.length === 0) return;
    const next = terms.find((t) => t.at === i + 1);
    const before = [...terms].reverse().find((t) => t.at < i);
    const owner = next ?? before ?? terms.find((t) => t.at > i);
    if (owner && owner.viewpoint === null) owner.viewpoint = viewpoint;
  });
  const locations = terms.map(({ term, viewpoint }) => ({ term, viewpoint: term === 'middle' || term === 'alone' ? null : viewpoint }));
  // "the second crate from my left": the ordinal often stands outside the location span
  const outside = tokens.find((t, i) => t.concept?.startsWith('ord:') && tags[i] !== 'REFERENCE');
  if (ordinal === 0 && outside?.concept) ordinal = Number(conceptValue(outside.concept));
  return { locations, ordinal: locations.length > 0 ? ordinal : 0 };
}

/**
 * The target's kind when the tagger left every word of it O ("the BIN on your right"): the
 * first kind word before any reference, with the colour/size/state words right before it; not
 * "one", and not after a placing verb ("put THE BOX left of ...": that is the carried object).
 */
function untaggedHeadNoun(tokens: readonly Token[], tags: readonly SlotTag[]): Description {
  const firstReference = tags.indexOf('REFERENCE');
  const end = firstReference < 0 ? tokens.length : firstReference;
  const heads = tokens.flatMap((t, i) => (i < end && tags[i] === 'O' && t.concept?.startsWith('kind:') === true && t.concept !== 'kind:thing' ? [i] : []));
  // "You're going for the wrong teacup, it should be THE MUG": what is called wrong is the one
  // to take only when nothing else is named ("is that the wrong mug?": another mug).
  const head = heads.find((i) => !calledWrong(tokens, i)) ?? heads[0] ?? -1;
  if (head < 0 || tokens.slice(0, head).some((t) => t.concept === 'act:place' || t.concept === 'act:drop')) return {};
  let start = head;
  while (start > 0 && tags[start - 1] === 'O' && /^(colour|size|state):/.test(tokens[start - 1].concept ?? '')) start--;
  return describeTokens(tokens.slice(start, head + 1)).description;
}

/** Whether "wrong" opens the phrase of the word at `index` ("the wrong brown TEACUP"). */
function calledWrong(tokens: readonly Token[], index: number): boolean {
  let i = index - 1;
  while (i >= 0 && /^(colour|size|state):/.test(tokens[i].concept ?? '')) i--;
  return i >= 0 && tokens[i].word === 'wrong';
}

/**
 * The action asked for. The words name it when exactly one action verb stands outside a negation
 * ("never hand it to me, POUR into the cup"); the sentence head, which reads the whole reminder,
 * decides otherwise, except that an action the person just forbade is never the one asked for.
 */
function actionFromWords(tokens: readonly Token[], tags: readonly SlotTag[], headAction: (typeof ACTION_LABELS)[number]): (typeof ACTION_LABELS)[number] {
  const asked = new Set<string>();
  const forbidden = new Set<string>();
  let negated = false;
  tokens.forEach((token, i) => {
    if (tags[i] !== 'ACTION') {
      negated = tags[i] === 'NEGATION';
      return;
    }
    if (!token.concept?.startsWith('act:')) return;
    const value = conceptValue(token.concept);
    if (!(ACTION_LABELS as readonly string[]).includes(value)) return;
    (negated ? forbidden : asked).add(value);
  });
  if (asked.size === 1) return [...asked][0] as (typeof ACTION_LABELS)[number];
  return forbidden.has(headAction) ? 'none' : headAction;
}

/** "RIGHT in front of me", "JUST next to it": an intensifier before a preposition names no place. */
function withoutIntensifiers(tokens: readonly Token[], tags: readonly SlotTag[]): SlotTag[] {
  return tags.map((tag, i) => {
    const next = tokens[i + 1];
    const intensifier = tokens[i].word === 'right' || tokens[i].word === 'just';
    return intensifier && (tag === 'RELATION' || tag === 'LOCATION') && next !== undefined && PREPOSITIONS.has(next.word) ? 'O' : tag;
  });
}

/**
 * "Nice, keep it up": praise with nothing wrong named. An approving word, no negation or "wrong",
 * and no object, place or location in the words: whatever the mistake head read into a verb.
 */
function approvesOnly(tokens: readonly Token[], tags: readonly SlotTag[], target: Description, locations: readonly Location[]): boolean {
  const approves = tokens.some((t) => t.concept?.startsWith('approve:'));
  // A phrase of praise before an instruction ("well done, now pour it") still asks for the action.
  const asks = tokens.some((t, i) => tags[i] === 'ACTION' && t.concept?.startsWith('act:'));
  if (!approves && !(saysApprovingPhrase(tokens) && !asks)) return false;
  if (tokens.some((t, i) => tags[i] === 'NEGATION' || t.concept?.startsWith('wrong:') || t.concept?.startsWith('neg:'))) return false;
  if (tags.some((t) => t === 'REFERENCE' || t === 'RELATION' || t === 'AVOID')) return false;
  return Object.keys(target).length === 0 && locations.length === 0;
}

/** Phrases of praise whose words alone approve nothing ("done", "going", "like that"). */
const APPROVING_PHRASES: readonly (readonly string[])[] = [['well', 'done'], ['good', 'job'], ['keep', 'going'], ['carry', 'on'], ['just', 'like', 'that']];

function saysApprovingPhrase(tokens: readonly Token[]): boolean {
  const words = tokens.map((t) => t.word);
  return APPROVING_PHRASES.some((phrase) => words.some((_, i) => phrase.every((w, k) => words[i + k] === w)));
}

/** Words that open an approval of what the robot does ("good, the blue cup", "right, that one"). */
const APPROVING_OPENERS = new Set(['good', 'right', 'fine', 'ok', 'okay', 'alright', 'lovely', 'super', 'brilliant', 'excellent', 'well', 'thanks']);

/**
 * "The mug", "I meant the beaker, please": a thing named by a reminder that neither opens with
 * approval nor approves anywhere, nor stops the robot, is the thing to take instead.
 */
function namesWithoutApproving(tokens: readonly Token[], target: Description): boolean {
  if (target.kind === undefined || target.kind === 'person') return false;
  if (tokens.some((t) => t.concept?.startsWith('approve:') || t.concept?.startsWith('stop:'))) return false;
  const first = tokens.find((t) => /[a-z]/.test(t.word) && !t.concept?.startsWith('filler:'));
  return first !== undefined && !APPROVING_OPENERS.has(first.word);
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

const DESCRIBING = /^(colour|kind|size|state|num):/;

/**
 * Slot tags from the tagger's probabilities, with one role per noun phrase: a run of words the
 * tagger splits between the ruled-out object and the target ("not THE/avoid RED/colour
 * ONE/object") takes the role with the larger summed probability over the run, so a phrase is
 * never half avoided and half wanted; and a described phrase right after "not" is the ruled-out
 * one ("not the red one"), as the Meaning defines it.
 */
export function harmoniseTags(tokens: readonly Token[], probabilities: readonly ArrayLike<number>[], labels: readonly SlotTag[]): SlotTag[] {
  const tags = probabilities.map((p) => labels[argmax(p)]);
  const avoid = labels.indexOf('AVOID');
  const targets = TARGET_TAGS.map((t) => labels.indexOf(t));
  const inPhrase = (tag: SlotTag) => tag === 'AVOID' || TARGET_TAGS.includes(tag);
  for (const [start, end] of runs(tags, inPhrase)) {
    const run = tags.slice(start, end);
    if (run.includes('AVOID') && run.some((t) => t !== 'AVOID')) {
      let avoidMass = 0;
      let targetMass = 0;
      for (let i = start; i < end; i++) {
        avoidMass += probabilities[i][avoid];
        for (const t of targets) targetMass += probabilities[i][t];
      }
      for (let i = start; i < end; i++) {
        if (avoidMass >= targetMass) tags[i] = 'AVOID';
        else if (tags[i] === 'AVOID') {
          const best = targets.reduce((a, b) => (probabilities[i][b] > probabilities[i][a] ? b : a));
          tags[i] = DESCRIBING.test(tokens[i].concept ?? '') ? labels[best] : 'O';
        }
      }
    }
  }
  // "not the red one": a described phrase right after "not" is what is ruled out
  for (let i = 0; i < tags.length; i++) {
    if (tokens[i].word !== 'not' || tags[i] !== 'NEGATION') continue;
    let k = i + 1;
    while (k < tags.length && DETERMINERS.has(tokens[k].word) && tags[k] !== 'AVOID') k++;
    if (k >= tags.length || !TARGET_TAGS.includes(tags[k])) continue;
    for (let j = i + 1; j < tags.length && (j < k || TARGET_TAGS.includes(tags[j])); j++) tags[j] = 'AVOID';
  }
  return tags;
}

const DETERMINERS = new Set(['the', 'a', 'an', 'that', 'this', 'those', 'these']);

const DIRECTIONAL: ReadonlySet<RelationType> = new Set(['left_of', 'right_of', 'in_front_of', 'behind']);

const RELATION_BY_CONCEPT: Readonly<Record<string, RelationType>> = {
  'rel:next_to': 'next_to', 'rel:behind': 'behind', 'rel:between': 'between', 'rel:closest': 'closest_to',
  'rel:farthest': 'farthest_from', 'rel:surrounded': 'surrounded_by', 'rel:in': 'in',
  'dir:left': 'left_of', 'dir:right': 'right_of', 'dir:front': 'in_front_of', 'dir:back': 'behind',
};

/**
 * The relation a RELATION-tagged phrase names, read off its words' concepts ("beside" ->
 * next_to), so that a synonym never seen in training still decodes; null when no word names one.
 * "right" before a preposition is an intensifier ("right next to").
 */
export function relationFromWords(words: readonly Token[]): RelationType | null {
  for (let i = 0; i < words.length; i++) {
    const concept = words[i].concept;
    if (!concept) continue;
    if (concept === 'dir:right' && words[i + 1] && PREPOSITIONS.has(words[i + 1].word)) continue;
    const type = RELATION_BY_CONCEPT[concept];
    if (type) return type;
  }
  return null;
}

export function decodeMeaning(tokens: readonly Token[], taggerTags: readonly SlotTag[], heads: HeadOutputs): Decoded {
  const tags = withoutIntensifiers(tokens, taggerTags);
  unnegatedAvoid(tokens, tags);
  sideOfReference(tokens, tags);
  locationOfPronoun(tokens, tags);
  beneficiary(tokens, tags);
  relationWordAsObject(tokens, tags);
  targetBeforeRelation(tokens, tags);
  describerBeforeTarget(tokens, tags);
  pronounReference(tokens, tags);
  const missedPour = missedPourPlace(tokens, tags);
  const headRelation = RELATION_LABELS[argmax(heads.relation)];
  referenceWithoutRelation(tokens, tags, headRelation !== 'none');
  const unfilled: Token[] = [];
  const pick = (wanted: readonly SlotTag[]) => tokens.filter((_, i) => wanted.includes(tags[i]));
  const mistakeIndex = argmax(heads.mistake);
  let mistake = missedPour ? 'wrong_region' : MISTAKE_LABELS[mistakeIndex] as MistakeType;
  const describeTarget = (skipped: ReadonlySet<number>) => {
    const described = describeTokens(tokens.filter((_, i) => !skipped.has(i) && TARGET_TAGS.includes(tags[i])));
    // A region reminder names its place by an object ("you're pouring next to THE CUP"): no target.
    if (described.description.kind === undefined && mistake !== 'wrong_region') Object.assign(described.description, untaggedHeadNoun(tokens, tags));
    return described;
  };
  let target = describeTarget(new Set());
  // "Is that the wrong mug? it should be the beaker": the beaker. "Is that the wrong mug?" alone
  // says no more than that the one to take is another mug.
  const wrongWords = mistake === 'wrong_object' ? wrongObjectWords(tokens, tags) : new Set<number>();
  if (wrongWords.size > 0) {
    const named = describeTarget(wrongWords);
    // Another thing named: not "get me the red one", whose "me" is no object to take; but "the
    // wrong ewer, me please" means the person.
    if (named.description.kind !== undefined && named.description.kind !== 'person') target = named;
    else if (speakerAsObject(tokens)) target = { description: { kind: 'person' }, unfilled: [] };
  }
  unfilled.push(...target.unfilled);
  delete target.description.count;
  const avoidTokens = describeTokens(pick(['AVOID']));
  unfilled.push(...avoidTokens.unfilled);
  delete avoidTokens.description.count;
  const avoid = Object.keys(avoidTokens.description).length > 0 ? avoidTokens.description : null;
  let { locations, ordinal } = decodeLocations(tokens, tags);
  if (approvesOnly(tokens, tags, target.description, locations)) mistake = 'none';
  else if (mistake === 'none' && namesWithoutApproving(tokens, target.description)) mistake = 'wrong_object';
  const relationWords = pick(['RELATION']);
  // The head knows the phrasings that name a region by what is wrong with it ("you're pouring
  // next to the cup" means into the cup), as does the rule for a missed pour; otherwise the words
  // name the relation, so that unseen synonyms decode, and the head decides only when no word names one.
  // A thing to take, placed by words of its own ("the box BESIDE the black box"), is not "in".
  const ownRelation = mistake !== 'wrong_region' && target.description.kind !== undefined && relationFromWords(relationWords) !== null;
  const relationType: RelationType | 'none' =
    missedPour || (headRelation === 'in' && !ownRelation) ? 'in'
      : relationWords.length === 0 && headRelation === 'none' ? 'none'
        : relationFromWords(relationWords) ?? headRelation;
  let relation: Relation | null = null;
  const { groups } = decodeReferences(tokens, tags);
  // A side or a distance the head heard but no word names, relative to nothing named ("can you
  // reach for the blue cup"): no relation. "In" alone ("pour it in") keeps its vessel to be found.
  const unanchored = groups.length === 0 && relationType !== 'in' && relationFromWords(relationWords) === null;
  if (relationType !== 'none' && !unanchored) {
    const described = groups.map((g) => describeTokens(g));
    for (const d of described) unfilled.push(...d.unfilled);
    const reference = described[0]?.description ?? {};
    // A pour that misses the person ("you're pouring beside me") goes within their reach, not into them.
    const type = missedPour && reference.kind === 'person' ? 'next_to' : relationType;
    const reference2 = type === 'between' ? described[1]?.description : undefined;
    const viewpoint = DIRECTIONAL.has(type) ? viewpointOf(relationWords) : null;
    relation = { type, reference, viewpoint, ...(reference2 ? { reference2 } : {}) };
  }
  // "The gear to the left of the red bin": a thing named, related to another, with no placing word
  // before it, is the object to take, not the held one to put somewhere.
  if (mistake === 'wrong_relation' && target.description.kind !== undefined && target.description.kind !== 'person' && relation && Object.keys(relation.reference).length > 0 && !placingWords(tokens, tags)) {
    mistake = 'wrong_object';
  }
  // "The water should go in front of me": a wrong grasp with no grasp word but a place by a thing
  // or the person is the next likeliest mistake.
  const placeNamed = relation !== null || (locations.length === 1 && locations[0].term === 'front' && (locations[0].viewpoint === 'speaker' || tokens.some((t) => t.word === 'me')));
  if (mistake === 'wrong_pose' && placeNamed && !tokens.some((t) => t.concept?.startsWith('grasp:'))) {
    const pose = MISTAKE_LABELS.indexOf('wrong_pose');
    mistake = MISTAKE_LABELS[argmax(Array.from(heads.mistake, (p, i) => (i === pose ? -Infinity : p)))] as MistakeType;
  }
  // "(put it) in front of me": the place is in front of the person, whom the words name.
  const place = mistake === 'wrong_region' || mistake === 'wrong_relation';
  if (place && relation === null && Object.keys(target.description).length === 0 && locations.length === 1 && locations[0].term === 'front' && (locations[0].viewpoint === 'speaker' || tokens.some((t) => t.word === 'me'))) {
    relation = { type: 'in_front_of', reference: { kind: 'person' }, viewpoint: null };
    locations = [];
    ordinal = 0;
  }
  // "I meant me", "no no, me": nothing else named, the speaker is the one meant.
  const described = Object.keys(target.description).length > 0 || relation !== null || locations.length > 0;
  const onlyTaking = tokens.every((t) => !t.concept?.startsWith('act:') || t.concept === 'act:grasp');
  if (!described && speakerAsObject(tokens) && (mistake === 'none' || mistake === 'wrong_object' || (mistake === 'wrong_action' && onlyTaking))) {
    mistake = 'wrong_object';
    target.description.kind = 'person';
  }
  // Only a wrong-action reminder asks for an action; elsewhere a verb ("grab the cup") is no request.
  const headAction = ACTION_LABELS[argmax(heads.action)];
  const action = mistake === 'wrong_action' ? actionFromWords(tokens, tags, headAction) : headAction;
  // "You're pouring beside me": no other action asked for, but a place by the person: a wrong place.
  if (mistake === 'wrong_action' && action === 'none' && relation && relation.type !== 'in' && relation.reference.kind === 'person' && (target.description.kind ?? 'person') === 'person') mistake = 'wrong_region';
  const grasp = GRASP_LABELS[argmax(heads.grasp)];
  const meaning: Meaning = {
    mistake,
    // Urgency without a halting word ("oops, perfect, go ahead") is no stop.
    stop: heads.stop >= 0.5 && tokens.some((t) => t.concept?.startsWith('stop:')),
    urgency: URGENCY_LEVELS[argmax(heads.urgency)],
    target: target.description,
    avoid,
    // "not that one" rules out an object: only a wrong-object reminder can say it
    avoidCurrent: heads.avoidCurrent >= 0.5 && mistake === 'wrong_object',
    locations,
    relation,
    ordinal,
    action: action === 'none' ? null : (action as RobotAction),
    grasp: grasp === 'none' ? null : (grasp as GraspMode),
  };
  return { meaning, mistakeConfidence: heads.mistake[mistakeIndex], unfilledSlotWords: unfilled.map((t) => t.word) };
}
