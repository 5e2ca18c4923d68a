/**
 * The domain lexicon: surface words to concepts. The tagger sees a word's concept next to the
 * word itself, which is what lets it read a synonym it never saw in training ("crimson" is
 * colour:red), and the decoder turns tagged words into Meaning fields through their concepts.
 *
 * Hand-written entries cover what people say at the three tables; `lexicon-wordnet.json` adds
 * WordNet synonyms and hyponyms of the colour/kind/size/state words (generated offline by
 * wordnet-expand.ts). A word has one concept; its sense in context is the tagger's job ("right"
 * is dir:right, tagged O in "that's right").
 */
import wordnetDocument from './lexicon-wordnet.json';
import { COLOURS } from '../sim/types';

export type ConceptCategory =
  | 'colour' | 'kind' | 'size' | 'state' | 'dir' | 'loc' | 'rel' | 'vp' | 'ord' | 'num' | 'neg' | 'stop'
  | 'approve' | 'act' | 'grasp' | 'urgent' | 'wrong' | 'filler' | 'conj' | 'punct' | 'func';
export type Concept = `${ConceptCategory}:${string}`;

export function conceptCategory(concept: Concept): ConceptCategory {
  return concept.slice(0, concept.indexOf(':')) as ConceptCategory;
}
export function conceptValue(concept: Concept): string {
  return concept.slice(concept.indexOf(':') + 1);
}

function all(concept: Concept, words: string): Record<string, Concept> {
  return Object.fromEntries(words.split(' ').map((w) => [w, concept]));
}

export const HAND_WRITTEN_ENTRIES: Readonly<Record<string, Concept>> = {
  ...Object.fromEntries(COLOURS.map((c) => [c, `colour:${c}` as Concept])),
  ...all('colour:grey', 'gray'),
  ...all('colour:purple', 'violet'),
  ...all('kind:cup', 'cup teacup'),
  ...all('kind:mug', 'mug'),
  ...all('kind:glass', 'glass tumbler'),
  ...all('kind:pitcher', 'pitcher jug'),
  ...all('kind:bottle', 'bottle'),
  ...all('kind:bowl', 'bowl'),
  ...all('kind:plate', 'plate dish saucer'),
  ...all('kind:gear', 'gear cog gearwheel'),
  ...all('kind:bin', 'bin box container crate tray'),
  ...all('kind:block', 'block cube brick'),
  ...all('kind:table', 'table'),
  ...all('kind:conveyor', 'conveyor belt'),
  ...all('kind:person', 'person'),
  ...all('kind:robot', 'robot'),
  ...all('kind:thing', 'one thing object piece part'),
  ...all('size:big', 'big large huge bigger larger biggest largest tall'),
  ...all('size:small', 'small little tiny smaller smallest'),
  ...all('state:empty', 'empty'),
  ...all('state:full', 'full filled'),
  ...all('state:good', 'good fine intact ok okay undamaged'),
  ...all('state:defective', 'defective cracked broken damaged faulty bad chipped bent'),
  ...all('dir:left', 'left leftmost'),
  ...all('dir:right', 'right rightmost'),
  ...all('dir:front', 'front'),
  ...all('dir:back', 'back rear'),
  ...all('loc:middle', 'middle centre center'),
  ...all('loc:alone', 'alone itself isolated lone own apart'),
  ...all('rel:next_to', 'next beside near'),
  ...all('rel:behind', 'behind'),
  ...all('rel:between', 'between'),
  ...all('rel:closest', 'closest nearest closer nearer'),
  ...all('rel:farthest', 'farthest furthest farther further'),
  ...all('rel:surrounded', 'surrounded encircled ringed around'),
  ...all('rel:in', 'in into inside'),
  ...all('vp:speaker', 'my me i mine myself'),
  ...all('vp:robot', 'your you yours yourself'),
  ...all('ord:1', 'first'),
  ...all('ord:2', 'second'),
  ...all('ord:3', 'third'),
  ...all('ord:4', 'fourth'),
  ...all('num:2', 'two both pair'),
  ...all('num:3', 'three'),
  ...all('num:4', 'four'),
  ...all('num:5', 'five'),
  ...all('neg:not', 'not no nope never nah'),
  ...all('stop:now', 'stop wait halt freeze'),
  ...all('approve:yes', 'yes yeah yep correct perfect great exactly nice continue'),
  ...all('act:pour', 'pour pouring poured fill'),
  ...all('act:place', 'put place set putting placing'),
  ...all('act:hand_over', 'hand give pass bring handing giving'),
  ...all('act:drop', 'drop toss throw dump discard dropping'),
  ...all('act:grasp', 'grab pick take get grasp grip hold grabbing picking taking holding'),
  ...all('act:lift', 'lift raise'),
  ...all('act:release', 'release'),
  ...all('grasp:side', 'handle side upright straight level vertical'),
  ...all('grasp:rim', 'rim edge lip'),
  ...all('grasp:tilted', 'tilted tilt angle slanted sideways'),
  ...all('urgent:now', 'careful watch hey quick quickly whoa oops hurry'),
  ...all('wrong:wrong', 'wrong other another instead mistake incorrect'),
  ...all('filler:uh', 'uh um umm hmm er erm uhm ah oh well like so please just actually'),
  ...all('conj:and', 'and but or'),
  ...all('punct:comma', ','),
  ...all('punct:question', '?'),
  ...all('punct:exclamation', '!'),
  ...all('punct:period', '.'),
};

/** Multi-word expressions: every token of a matched phrase takes the phrase's concept. */
export const PHRASES: ReadonlyArray<{ readonly words: readonly string[]; readonly concept: Concept }> = [
  { words: ['hold', 'on'], concept: 'stop:now' },
  { words: ['hang', 'on'], concept: 'stop:now' },
  { words: ['by', 'itself'], concept: 'loc:alone' },
  { words: ['on', 'its', 'own'], concept: 'loc:alone' },
  { words: ['in', 'front'], concept: 'dir:front' },
  { words: ['next', 'to'], concept: 'rel:next_to' },
  { words: ['in', 'between'], concept: 'rel:between' },
  { words: ['let', 'go'], concept: 'act:release' },
  { words: ['off', 'centre'], concept: 'grasp:off_centre' },
  { words: ['off', 'center'], concept: 'grasp:off_centre' },
];

/**
 * Words that are never snapped to a lexicon word however close they are (they are real words
 * with their own job: "the" is not "tea", "it" is not "tilt"): English function words plus the
 * domain's own glue words.
 */
export const FUNCTION_WORDS: ReadonlySet<string> = new Set(
  ('a an the this that these those it its it\'s is are was were be been am do does did done not to of on at by for ' +
    'from with without up down over under out off here there where what which who whom whose why how when then than ' +
    'too very also just only can could would should will shall may might must have has had having go going goes ' +
    'keep keeping carry let lets make made see look want wanted need meant mean said say told use one ones they them ' +
    'their he she him her his we us our all any some each every other no yes if as about again more most much many ' +
    'into onto upon after before while because s re ll ve d m t now that\'s there\'s what\'s let\'s around near ' +
    'still yet already soon back way side end top bit lot thing things stuff instead sorry thanks thank okay ok')
    .split(' '),
);

interface WordnetDocument {
  readonly entries: Record<string, string>;
}

function isConcept(value: string): value is Concept {
  return /^(colour|kind|size|state):[a-z_]+$/.test(value);
}

/** WordNet entries, checked: a malformed generated file fails loudly, naming the entry. */
export const WORDNET_ENTRIES: Readonly<Record<string, Concept>> = (() => {
  const out: Record<string, Concept> = {};
  for (const [word, concept] of Object.entries((wordnetDocument as WordnetDocument).entries)) {
    if (!isConcept(concept)) throw new Error(`language/lexicon-wordnet.json: entry "${word}" has bad concept "${concept}"`);
    if (!(word in HAND_WRITTEN_ENTRIES)) out[word] = concept;
  }
  return out;
})();

/** Every single-word entry, hand-written entries first (they win). */
export const LEXICON: Readonly<Record<string, Concept>> = { ...WORDNET_ENTRIES, ...HAND_WRITTEN_ENTRIES };

/** Categories whose words may be targets of spelling snapping (content words only). */
export const SNAPPABLE_CATEGORIES: ReadonlySet<ConceptCategory> = new Set([
  'colour', 'kind', 'size', 'state', 'dir', 'loc', 'rel', 'act', 'grasp', 'stop', 'wrong', 'approve', 'urgent', 'ord', 'vp',
]);

/** Concept ids for the network: 0 = padding, 1 = not in the lexicon, then every concept, sorted. */
export const CONCEPT_IDS: ReadonlyMap<string, number> = (() => {
  const concepts = [...new Set([...Object.values(LEXICON), ...PHRASES.map((p) => p.concept)])].sort();
  return new Map(concepts.map((c, i) => [c, i + 2]));
})();
export const CONCEPT_PAD = 0;
export const CONCEPT_NONE = 1;
export const CONCEPT_COUNT = CONCEPT_IDS.size + 2;
