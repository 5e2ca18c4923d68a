/**
 * Roles of whole phrases that the tagger reads word by word and sometimes gets wrong, put right
 * from the shape of the sentence: "not the green beaker, THE MUG", "the empty TUMBLER left of the
 * bottle", "the mug nearest ME", "the WRONG MUG". Each rule acts only on a shape that has one
 * reading in English, and leaves every other reminder's tags as they were.
 */
import type { SlotTag } from '../semantics/meaning';
import { conceptCategory } from './lexicon';
import type { Token } from './preprocess';

export const TARGET_TAGS: readonly SlotTag[] = ['COLOUR', 'OBJECT', 'ATTRIBUTE'];

/** The target tag a describing word takes by its concept ("green" COLOUR, "mug" OBJECT); null for any other word. */
function targetTagOf(token: Token): SlotTag | null {
  const category = token.concept ? conceptCategory(token.concept) : null;
  if (category === 'kind') return 'OBJECT';
  if (category === 'colour') return 'COLOUR';
  if (category === 'size' || category === 'state') return 'ATTRIBUTE';
  return null;
}

const negates = (token: Token, tag: SlotTag) => tag === 'NEGATION' || token.concept?.startsWith('neg:') === true;
const isDeterminer = (token: Token) => token.word === 'the' || token.word === 'a' || token.word === 'an';

/** [start, end) of every run of tokens with one of the tags. */
export function runs(tags: readonly SlotTag[], wanted: (tag: SlotTag) => boolean): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < tags.length; ) {
    if (!wanted(tags[i])) {
      i++;
      continue;
    }
    let end = i;
    while (end < tags.length && wanted(tags[end])) end++;
    out.push([i, end]);
    i = end;
  }
  return out;
}

function retagAsTarget(tokens: readonly Token[], tags: SlotTag[], start: number, end: number): void {
  for (let i = start; i < end; i++) tags[i] = targetTagOf(tokens[i]) ?? 'O';
}

/**
 * A phrase is ruled out by a word that rules it out: "not", "never", "don't", "wrong", "instead".
 * An avoided phrase with none in its clause is the one wanted, however the tagger read it: "not
 * the green beaker, THE MUG", "wrong beaker! choose THE MUG". ("Not the green beaker, not the
 * mug" rules out both.) A clause starts after punctuation, or, since a speech recogniser writes
 * none, at an article right after a thing's kind or "that": "not the green teacup THE GLASS",
 * "not that THE BLACK CUBE".
 */
export function unnegatedAvoid(tokens: readonly Token[], tags: SlotTag[]): void {
  const pronoun = (token: Token) => token.word === 'that' || token.word === 'this';
  // "Not that the black cube": "that" is a whole phrase of its own, the next one starts after it.
  tokens.forEach((token, i) => {
    if (pronoun(token) && tags[i] === 'AVOID' && tokens[i + 1] && isDeterminer(tokens[i + 1])) tags[i] = 'O';
  });
  const afterKind = (i: number) => i > 0 && isDeterminer(tokens[i]) && (tokens[i - 1].concept?.startsWith('kind:') === true || pronoun(tokens[i - 1]));
  for (const [start, end] of runs(tags, (tag) => tag === 'AVOID')) {
    if (!tokens.slice(start, end).some((t) => targetTagOf(t) !== null)) continue;
    let clause = start;
    while (clause > 0 && !tokens[clause - 1].concept?.startsWith('punct:') && !afterKind(clause)) clause--;
    const ruledOut = (t: Token, i: number) => (negates(t, tags[i]) && !answersRobot(tokens, i)) || t.concept?.startsWith('wrong:') === true;
    if (tokens.slice(clause, end).some((t, k) => ruledOut(t, clause + k))) continue;
    retagAsTarget(tokens, tags, start, end);
  }
}

const INTERJECTIONS: ReadonlySet<string> = new Set(['no', 'nope', 'nah']);

/** "Nope THE BLACK CUBE", "no no the mug": a "no" right before a thing answers the robot; it rules nothing out. */
function answersRobot(tokens: readonly Token[], i: number): boolean {
  if (!INTERJECTIONS.has(tokens[i].word)) return false;
  let k = i + 1;
  while (k < tokens.length && (INTERJECTIONS.has(tokens[k].word) || isFiller(tokens[k]))) k++;
  return k < tokens.length && isDeterminer(tokens[k]);
}

/**
 * "The empty TUMBLER just to the left of the bottle": a thing tagged as a reference before any
 * relation word, with the relation's own reference after it, is the head of the wanted phrase.
 */
export function targetBeforeRelation(tokens: readonly Token[], tags: SlotTag[]): void {
  if (tokens.some((t, i) => tags[i] === 'OBJECT' && targetTagOf(t) === 'OBJECT')) return;
  const relations = runs(tags, (tag) => tag === 'RELATION');
  const references = runs(tags, (tag) => tag === 'REFERENCE');
  if (relations.length === 0 || references.length < 2) return;
  const [start, end] = references[0];
  const relationStart = relations[0][0];
  if (end > relationStart || !references.some(([s]) => s > relationStart)) return;
  if (!tokens.slice(start, end).some((t) => targetTagOf(t) === 'OBJECT')) return;
  retagAsTarget(tokens, tags, start, end);
}

/**
 * "The mug nearest me", "closest to uh you": a relation with no reference tagged, ending in "me" or
 * "you" or followed by one (a filler between), is said of the speaker or the robot.
 */
export function pronounReference(tokens: readonly Token[], tags: SlotTag[]): void {
  if (tags.includes('REFERENCE')) return;
  const isPronoun = (token: Token | undefined) => token?.word === 'me' || token?.word === 'you';
  for (const [start, end] of runs(tags, (tag) => tag === 'RELATION')) {
    if (end - start > 1 && isPronoun(tokens[end - 1])) {
      tags[end - 1] = 'REFERENCE';
      continue;
    }
    let next = end;
    while (next < tokens.length && tags[next] === 'O' && isFiller(tokens[next])) next++;
    if (tags[next] === 'O' && isPronoun(tokens[next])) tags[next] = 'REFERENCE';
  }
}

/**
 * "In front of YOU" with "you" tagged as a reference: a location ending in "of" and followed by
 * "me" or "you" is seen from that one, as when the tagger keeps the pronoun in the location.
 */
export function locationOfPronoun(tokens: readonly Token[], tags: SlotTag[]): void {
  for (const [, end] of runs(tags, (tag) => tag === 'LOCATION')) {
    if (tokens[end - 1].word !== 'of') continue;
    let next = end;
    while (next < tokens.length && isFiller(tokens[next])) next++;
    if (tokens[next]?.word === 'me' || tokens[next]?.word === 'you') tags[next] = 'LOCATION';
  }
}

const FETCHING: ReadonlySet<string> = new Set(['get', 'bring', 'fetch']);

/**
 * "Get ME the empty tumbler": "me" or "you" right after a verb of fetching is who receives, never
 * a word of the thing. ("Hand me the cup" hands over to the person, whom it names.)
 */
export function beneficiary(tokens: readonly Token[], tags: SlotTag[]): void {
  tokens.forEach((token, i) => {
    if ((token.word === 'me' || token.word === 'you') && i > 0 && FETCHING.has(tokens[i - 1].word) && TARGET_TAGS.includes(tags[i])) tags[i] = 'O';
  });
}

/** Things a location is said on, not relative to: "on the left of the table" is a location. */
const SURFACES: ReadonlySet<string> = new Set(['kind:table', 'kind:conveyor']);

/**
 * "In front OF THE EWER", with "in front" tagged as a location: a side followed by "of" and a
 * thing is a relation to that thing. A filler may come before the "of" ("in front uh of the ewer").
 */
export function sideOfReference(tokens: readonly Token[], tags: SlotTag[]): void {
  for (const [start, end] of runs(tags, (tag) => tag === 'LOCATION')) {
    let of = end - 1;
    if (tokens[of].word !== 'of') {
      of = end;
      while (of < tokens.length && isFiller(tokens[of])) of++;
    }
    if (tokens[of]?.word !== 'of') continue;
    if (!tokens.slice(start, of).some((t) => t.concept?.startsWith('dir:'))) continue;
    let k = of + 1;
    while (k < tokens.length && isDeterminer(tokens[k]) && tags[k] !== 'REFERENCE') k++;
    let last = k;
    while (last < tokens.length && tags[last] === 'REFERENCE') last++;
    const named = tokens.slice(k, last).filter((t) => t.concept && conceptCategory(t.concept) === 'kind');
    if (named.length === 0 || named.some((t) => SURFACES.has(t.concept as string))) continue;
    for (let i = start; i <= of; i++) tags[i] = 'RELATION';
  }
}

/** "You're pouring BESIDE me", with "beside" tagged as an object: a relation word before a reference relates. */
export function relationWordAsObject(tokens: readonly Token[], tags: SlotTag[]): void {
  tokens.forEach((token, i) => {
    if (tags[i] === 'OBJECT' && token.concept?.startsWith('rel:') && tags[i + 1] === 'REFERENCE') tags[i] = 'RELATION';
  });
}

/**
 * Indices of the words of "the wrong mug" (the words after "wrong" up to the kind): they describe
 * what the robot is taking, not what it should take ("is that the wrong mug? it should be the
 * beaker"), however the tagger tagged them.
 */
export function wrongObjectWords(tokens: readonly Token[], tags: readonly SlotTag[]): ReadonlySet<number> {
  const words = new Set<number>();
  tokens.forEach((token, i) => {
    if (token.word !== 'wrong') return;
    for (let j = i + 1; j < tokens.length && TARGET_TAGS.includes(tags[j]); j++) {
      words.add(j);
      if (tags[j] === 'OBJECT') break;
    }
  });
  return words;
}

/** Words between "you" and the pour in "you are / you will / you're about to / you're going to pour". */
const POUR_AUXILIARIES: ReadonlySet<string> = new Set(['are', 'will', 'about', 'going', 'gonna']);
/** Words that put a pour off its vessel: "pouring OUTSIDE the cup". */
const MISSED_PLACES: ReadonlySet<string> = new Set(['outside', 'past', 'beside', 'next', 'behind', 'near', 'by', 'around']);
const isFiller = (token: Token) => token.concept?.startsWith('filler:') === true;

/**
 * "You're pouring beside the cup", "you'll pour behind me": what the robot does, said to show
 * where it goes wrong. The place named is the one the pour misses, so the pour goes into that
 * vessel (or, the person named, within their reach). Tags the place word RELATION and the phrase
 * after it REFERENCE, whatever the tagger made of them, and says whether the shape was found. "I
 * want you to pour beside the mug" and "you should pour beside it" ask for a place: not this shape.
 */
export function missedPourPlace(tokens: readonly Token[], tags: SlotTag[]): boolean {
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].word !== 'you') continue;
    let k = i + 1;
    while (k < tokens.length && (isFiller(tokens[k]) || POUR_AUXILIARIES.has(tokens[k].word) || (tokens[k].word === 'to' && ['about', 'going'].includes(tokens[k - 1].word)))) k++;
    if (k === i + 1 || tokens[k]?.concept !== 'act:pour') continue;
    k++;
    while (k < tokens.length && isFiller(tokens[k])) k++;
    if (!tokens[k] || !MISSED_PLACES.has(tokens[k].word)) continue;
    const placeStart = k;
    k += tokens[k].word === 'next' && tokens[k + 1]?.word === 'to' ? 2 : 1;
    let end = k;
    while (end < tokens.length && !tokens[end].concept?.startsWith('punct:')) end++;
    const phrase = tokens.slice(k, end);
    if (!phrase.some((t) => t.word === 'me' || targetTagOf(t) === 'OBJECT')) continue;
    for (let j = placeStart; j < k; j++) tags[j] = 'RELATION';
    for (let j = k; j < end; j++) tags[j] = tokens[j].word === 'me' || targetTagOf(tokens[j]) !== null ? 'REFERENCE' : 'O';
    return true;
  }
  return false;
}

/**
 * "Reach for the CRIMSON beaker", with "crimson" tagged as a reference: describing words without
 * a kind, tagged as a reference and followed at once by the target's kind, describe the target.
 */
export function describerBeforeTarget(tokens: readonly Token[], tags: SlotTag[]): void {
  for (const [start, end] of runs(tags, (tag) => tag === 'REFERENCE')) {
    if (tags[end] !== 'OBJECT' || targetTagOf(tokens[end]) !== 'OBJECT') continue;
    if (tokens.slice(start, end).some((t) => targetTagOf(t) === 'OBJECT' || t.word === 'me' || t.word === 'you')) continue;
    retagAsTarget(tokens, tags, start, end);
  }
}

/**
 * "Can you go for the TUMBLER?" with the thing tagged as a reference, when no relation is heard
 * (no relation word, nothing from the relation head): a reference to nothing is the target.
 */
export function referenceWithoutRelation(tokens: readonly Token[], tags: SlotTag[], relationHeard: boolean): void {
  if (relationHeard || tags.includes('RELATION')) return;
  if (tokens.some((t, i) => tags[i] === 'OBJECT' && targetTagOf(t) === 'OBJECT')) return;
  for (const [start, end] of runs(tags, (tag) => tag === 'REFERENCE')) {
    if (tokens.slice(start, end).some((t) => targetTagOf(t) === 'OBJECT')) retagAsTarget(tokens, tags, start, end);
  }
}

/** Words after which "me" is where something goes or is measured from, not what is meant: "to me", "hand me", "get me the cup". */
const NOT_MEANT_AFTER = new Set(['to', 'of', 'from', 'at', 'by', 'for', 'near', 'get', 'bring']);

/** "Me" said as the thing meant: not after a preposition or a verb of giving, nor before another thing named. */
export function speakerAsObject(tokens: readonly Token[]): boolean {
  return tokens.some((token, i) => {
    if (token.word !== 'me') return false;
    let k = i - 1;
    while (k >= 0 && tokens[k].concept?.startsWith('filler:')) k--;
    const before = tokens[k];
    if (before && (NOT_MEANT_AFTER.has(before.word) || before.concept === 'act:hand_over' || before.concept?.startsWith('rel:') || before.concept?.startsWith('dir:'))) return false;
    return !tokens.slice(i + 1).some((t) => (t.concept?.startsWith('kind:') && t.concept !== 'kind:thing') || t.concept?.startsWith('colour:'));
  });
}

/** Words that say where a thing belongs: "the cup SHOULD be beside the bowl", "it GOES left of the bin". */
const BELONGS = new Set(['should', 'must', 'needs', 'goes', 'go', 'belongs']);

/**
 * Whether the words place what the robot holds: "put", "set", "drop", "move" before the target
 * ("set the cube left of the bin"), or a word of where it belongs anywhere.
 */
export function placingWords(tokens: readonly Token[], tags: readonly SlotTag[]): boolean {
  const first = tags.findIndex((tag) => TARGET_TAGS.includes(tag));
  const placing = (t: Token) => t.concept === 'act:place' || t.concept === 'act:drop' || /^mov(e|es|ed|ing)$/.test(t.word);
  return tokens.slice(0, first < 0 ? tokens.length : first).some(placing) || tokens.some((t) => BELONGS.has(t.word));
}
