/**
 * Phrase renderers shared by the template families: noun phrases for the target, the avoided
 * object and relation references; location, relation, action and grasp phrases. Each appends
 * tagged words to the utterance and records what it said in the utterance's Meaning.
 */
import type { Description, Location, Relation, SlotTag, ViewpointWord } from '../../semantics/meaning';
import type { Colour, GraspMode, RobotAction } from '../../sim/types';
import type { Utterance } from './utterance';
import { COLOUR_WORDS, KIND_WORDS, NUMBER_WORDS, ORDINAL_WORDS, SIZE_WORDS, STATE_WORDS } from './vocabulary';

export type NounRole = 'target' | 'avoid' | 'reference';

interface NounOptions {
  readonly determiner?: string;
  /** Render the ordinal ("the second green block"); the location phrase carries the rest. */
  readonly ordinal?: number;
  /** "one" when no kind is given (default true); false leaves a bare adjective ("the blue"). */
  readonly pronounOne?: boolean;
}

function tagFor(role: NounRole, slot: 'colour' | 'attribute' | 'object' | 'other'): SlotTag {
  if (role === 'avoid') return 'AVOID';
  if (role === 'reference') return 'REFERENCE';
  return slot === 'colour' ? 'COLOUR' : slot === 'attribute' ? 'ATTRIBUTE' : slot === 'object' ? 'OBJECT' : 'O';
}

/** "the big empty blue cup", "the two yellow ones", "me"; records the description for its role. */
export function nounPhrase(u: Utterance, d: Description, role: NounRole, options: NounOptions = {}): Description {
  const said: { -readonly [K in keyof Description]: Description[K] } = {};
  if (d.kind === 'person' || d.kind === 'robot') {
    u.say(d.kind === 'person' ? 'me' : 'you', role === 'target' ? 'OBJECT' : tagFor(role, 'object'));
    said.kind = d.kind;
    return said;
  }
  const plural = d.count !== undefined && d.count > 1;
  const determiner = options.determiner ?? 'the';
  if (determiner) u.say(determiner, tagFor(role, 'other'));
  if (options.ordinal) u.sayOne(ORDINAL_WORDS[options.ordinal] ?? [`${options.ordinal}th`], 'LOCATION');
  if (d.count !== undefined && d.count > 1 && !(role === 'reference' && u.rng.chance(0.3))) {
    u.sayOne(NUMBER_WORDS[d.count] ?? ['several'], tagFor(role, 'other'));
    said.count = d.count;
  }
  const stateAfter = d.state !== undefined && d.kind !== undefined && role === 'target' && u.rng.chance(0.15);
  if (d.size) {
    u.sayOne(SIZE_WORDS[d.size], tagFor(role, 'attribute'));
    said.size = d.size;
  }
  if (d.state && !stateAfter) {
    u.sayOne(STATE_WORDS[d.state], tagFor(role, 'attribute'));
    said.state = d.state;
  }
  if (d.colour) {
    u.sayOne(COLOUR_WORDS[d.colour as Colour] ?? [d.colour], tagFor(role, 'colour'));
    said.colour = d.colour;
  }
  if (d.kind) {
    const forms = KIND_WORDS[d.kind];
    if (!forms) throw new Error(`no words for kind "${d.kind}"`);
    const singular = u.word(forms.map(([one]) => one));
    const form = forms.find(([one]) => one === singular)!;
    u.say(plural ? form[1] : form[0], tagFor(role, 'object'));
    said.kind = d.kind;
  } else if (options.pronounOne !== false) {
    u.say(plural ? 'ones' : 'one', tagFor(role, 'object'));
  }
  if (stateAfter && d.state) {
    u.say(u.rng.pick(["that's", 'that is', 'which is']));
    u.sayOne(STATE_WORDS[d.state], 'ATTRIBUTE');
    said.state = d.state;
  }
  if (role === 'target') u.target = { ...u.target, ...said };
  if (role === 'avoid') u.avoid = { ...(u.avoid ?? {}), ...said };
  return said;
}

const SIDE_WORDS: Readonly<Record<'left' | 'right', readonly string[]>> = { left: ['left'], right: ['right'] };

function viewpointTail(u: Utterance, viewpoint: ViewpointWord, tag: SlotTag): void {
  if (viewpoint === 'speaker') u.sayOne(['from my side', 'from where I sit', 'as I see it', 'from where I am', 'from my view'], tag);
  if (viewpoint === 'robot') u.sayOne(['from your side', 'from where you are', 'from your view', 'as you see it'], tag);
}

/** "on my left", "in front of you", "at the back", "by itself"; `fromForm` for ordinals. */
export function locationPhrase(u: Utterance, location: Location, ordinal = 0): void {
  const { term, viewpoint } = location;
  const L = 'LOCATION';
  const possessive = viewpoint === 'speaker' ? 'my' : viewpoint === 'robot' ? 'your' : 'the';
  if (term === 'left' || term === 'right') {
    const side = u.word(SIDE_WORDS[term]);
    if (ordinal > 0) {
      u.say(`from ${possessive} ${side}`, L);
    } else if (viewpoint === null || u.rng.chance(0.6)) {
      u.oneOf(
        () => u.say(`on ${possessive} ${side}`, L),
        () => u.say(`to ${possessive} ${side}`, L),
        () => u.say(`on ${possessive} ${side} side`, L),
        () => u.say(`furthest to ${possessive} ${side}`.replace('furthest', u.word(['furthest', 'farthest', 'most'])), L),
      );
    } else {
      u.say(`on the ${side}`, L);
      viewpointTail(u, viewpoint, L);
    }
  } else if (term === 'front') {
    if (viewpoint === 'speaker' && u.rng.chance(0.6)) u.say('in front of me', L);
    else if (viewpoint === 'robot' && u.rng.chance(0.6)) u.say('in front of you', L);
    else {
      u.sayOne(['at the front', 'in front', 'in the front', 'at the very front'], L);
      viewpointTail(u, viewpoint, L);
    }
  } else if (term === 'back') {
    u.say(u.rng.pick(['at the', 'in the', 'all the way at the']), L).sayOne(['back', 'rear'], L);
    viewpointTail(u, viewpoint, L);
  } else if (term === 'middle') {
    u.sayOne(['in the middle', 'in the centre', 'in the center', 'right in the middle'], L);
  } else {
    u.sayOne(['by itself', 'on its own', 'all alone', 'off by itself', 'off on its own', 'alone', 'sitting alone'], L);
  }
  u.locations.push({ term, viewpoint });
  if (ordinal > 0 && u.ordinal === 0) u.ordinal = ordinal;
}

/** "to the left of the pitcher", "between the red block and the blue one", "closest to me". */
export function relationPhrase(u: Utterance, relation: Relation): void {
  const R = 'RELATION';
  let reference2: Description | undefined;
  let reference: Description;
  const ref = (d: Description) => nounPhrase(u, d, 'reference');
  switch (relation.type) {
    case 'left_of':
    case 'right_of': {
      const side = relation.type === 'left_of' ? 'left' : 'right';
      u.sayOne([`to the ${side} of`, `${side} of`, `just ${side} of`, `on the ${side} of`, `just to the ${side} of`], R);
      reference = ref(relation.reference);
      break;
    }
    case 'in_front_of':
      u.sayOne(['in front of', 'just in front of', 'right in front of'], R);
      reference = ref(relation.reference);
      break;
    case 'behind':
      u.sayOne(['behind', 'just behind', 'right behind'], R);
      reference = ref(relation.reference);
      break;
    case 'next_to':
      u.sayOne(['next to', 'beside', 'near', 'right next to', 'close to'], R);
      reference = ref(relation.reference);
      break;
    case 'between':
      u.sayOne(['between', 'in between'], R);
      reference = ref(relation.reference);
      if (relation.reference2) {
        u.say('and', 'REFERENCE');
        reference2 = ref(relation.reference2);
      }
      break;
    case 'closest_to':
      u.sayOne(['closest to', 'nearest to', 'nearest', 'closer to', 'nearer to'], R);
      reference = ref(relation.reference);
      break;
    case 'farthest_from':
      u.sayOne(['farthest from', 'furthest from', 'farther from', 'furthest away from', 'farthest away from'], R);
      reference = ref(relation.reference);
      break;
    case 'surrounded_by':
    {
      const withForm = u.rng.chance(0.2);
      u.sayOne(withForm ? ['with'] : ['surrounded by', 'encircled by', 'ringed by'], R);
      const determiner = u.rng.chance(0.6) ? '' : 'the';
      reference = nounPhrase(u, { ...relation.reference, count: relation.reference.count ?? 3 }, 'reference', { determiner });
      if (withForm) u.say('all around it', R);
      break;
    }
    case 'in':
      u.sayOne(['in', 'into', 'inside'], R);
      reference = ref(relation.reference);
      break;
  }
  const directional = ['left_of', 'right_of', 'in_front_of', 'behind'].includes(relation.type);
  const viewpoint = directional ? relation.viewpoint : null;
  if (viewpoint) viewpointTail(u, viewpoint, R);
  u.relation = { type: relation.type, reference, viewpoint, ...(reference2 ? { reference2 } : {}) };
}

/** The verb phrase asking for an action (wrong_action), recorded as the requested action. */
export function actionPhrase(u: Utterance, action: RobotAction): void {
  const A = 'ACTION';
  switch (action) {
    case 'hand_over':
      u.oneOf(
        () => u.sayOne(['hand', 'give', 'pass'], A).say('it to', A).say('me', 'OBJECT'),
        () => u.sayOne(['hand', 'give', 'pass'], A).say('it over', A),
        () => u.sayOne(['hand', 'give', 'pass'], A).say('me', 'OBJECT').say(u.rng.pick(['that', 'that one', 'it'])),
        () => u.say('bring it', A).sayOne(['to me', 'here', 'over to me'], A),
      );
      if (u.pieces.some((p) => p.word === 'me' && p.tag === 'OBJECT')) u.target = { ...u.target, kind: 'person' };
      break;
    case 'place':
      u.sayOne(['put it down', 'set it down', 'place it down', 'put it on the table', 'just put it down', 'set it on the table'], A);
      break;
    case 'pour':
      u.sayOne(['pour', 'pour it', 'pour the water', 'fill it up', 'start pouring'], A);
      break;
    case 'drop':
      u.sayOne(['drop it', 'toss it', 'throw it', 'drop that', 'dump it'], A);
      break;
    case 'release':
      u.sayOne(['let go', 'let it go', 'release it', 'let go of it', 'open your hand'], A);
      break;
    case 'lift':
      u.sayOne(['lift it', 'lift it up', 'raise it', 'pick it up higher'], A);
      break;
    case 'grasp':
      u.sayOne(['pick it up', 'grab it', 'take it', 'pick it up first'], A);
      break;
    default:
      u.sayOne([action.replace('_', ' ')], A);
  }
  u.action = action;
}

/** The wrong current action, negated: "don't put it down", "not on the belt". */
export function negatedAction(u: Utterance, current: RobotAction): void {
  u.sayOne(["don't", 'do not', 'never', 'no need to'], 'NEGATION');
  const phrases: Partial<Record<RobotAction, readonly string[]>> = {
    place: ['put it down', 'set it down', 'put it back'],
    pour: ['pour yet', 'pour', 'pour now'],
    transport: ['move it', 'carry it away', 'take it away'],
    release: ['let go', 'drop it'],
    hand_over: ['hand it to me', 'give it to me'],
    grasp: ['grab it', 'pick it up'],
    drop: ['drop it', 'throw it away'],
  };
  u.sayOne(phrases[current] ?? ['do that'], 'ACTION');
}

/** "by the handle", "in the middle", "upright": recorded as the requested grasp. */
export function graspPhrase(u: Utterance, grasp: GraspMode): void {
  const A = 'ACTION';
  const options: Record<GraspMode, readonly string[]> = {
    side: ['by the handle', 'by its handle', 'from the side', 'by the side', 'upright', 'straight', 'level'],
    centre: ['in the middle', 'in the centre', 'at the center', 'by the middle', 'right in the middle', 'at its centre'],
    rim: ['by the rim', 'by the edge', 'at the rim', 'by the lip', 'at the edge'],
    tilted: ['tilted', 'at an angle', 'tilted a bit', 'slanted'],
    off_centre: ['off centre', 'a bit off centre', 'off center', 'slightly off centre'],
  };
  u.sayOne(options[grasp], A);
  u.grasp = grasp;
}
