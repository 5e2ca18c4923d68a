import * as assert from 'assert';
import { CONCEPT_IDS, FUNCTION_WORDS, LEXICON, WORDNET_ENTRIES } from '../language/lexicon';
import { normalise, preprocess, hesitationsInPhrases, snapToLexicon, tokenize } from '../language/preprocess';

const words = (text: string) => preprocess(text).map((t) => t.word);

describe('language/preprocess', () => {
  it('keeps negation when splitting contractions: "don\'t" becomes "do" "not"', () => {
    assert.deepStrictEqual(tokenize("don't put it down"), ['do', "n't", 'put', 'it', 'down']);
    assert.deepStrictEqual(words("don't put it down"), ['do', 'not', 'put', 'it', 'down']);
    assert.deepStrictEqual(words("isn't that the wrong cup?"), ['is', 'not', 'that', 'the', 'wrong', 'cup', '?']);
  });

  it('lower-cases, straightens typographic apostrophes and spells ordinals and digits as words', () => {
    assert.deepStrictEqual(words('The 2nd one, don\u2019t take 3'), ['the', 'second', 'one', ',', 'do', 'not', 'take', 'three']);
    assert.strictEqual(normalise('1st'), 'first');
  });

  it('keeps , ? and ! as tokens and splits hyphenated words', () => {
    assert.deepStrictEqual(words('Stop! off-centre, please?'), ['stop', '!', 'off', 'centre', ',', 'please', '?']);
  });

  it('gives each word its lexicon concept, including multi-word expressions and plurals', () => {
    const tokens = preprocess('the blue blocks in front of me, by itself');
    const concept = (word: string) => tokens.find((t) => t.word === word)?.concept;
    assert.strictEqual(concept('blue'), 'colour:blue');
    assert.strictEqual(concept('blocks'), 'kind:block');
    assert.strictEqual(concept('in'), 'dir:front', '"in front" is one expression');
    assert.strictEqual(concept('me'), 'vp:speaker');
    assert.strictEqual(concept('itself'), 'loc:alone');
  });

  it('snaps misspellings to the lexicon with a confidence: "the bleu cupp" -> blue cup', () => {
    const tokens = preprocess('the bleu cupp');
    assert.deepStrictEqual(tokens.map((t) => t.word), ['the', 'blue', 'cup']);
    assert.deepStrictEqual(tokens.map((t) => t.concept), [null, 'colour:blue', 'kind:cup']);
    assert.strictEqual(tokens[1].snap?.from, 'bleu');
    assert.ok(tokens[1].snap!.confidence > 0.8 && tokens[1].snap!.confidence <= 1);
  });

  it('reads a phrase whose words were misspelt once they are snapped: "in frobt of" is in front of', () => {
    const tokens = preprocess('it goes in frobt of the bottle');
    assert.deepStrictEqual(tokens.slice(2, 4).map((t) => [t.word, t.concept]), [['in', 'dir:front'], ['front', 'dir:front']]);
    assert.strictEqual(tokens[3].snap?.from, 'frobt');
    assert.strictEqual(preprocess('it goes in the bottle')[2].concept, 'rel:in', 'a plain "in" stays in');
  });

  it('reads a phrase over hesitations and a word said twice: "in um front of", "in in front of"', () => {
    const concepts = (text: string) => preprocess(text).map((t) => t.concept);
    assert.deepStrictEqual(concepts('put it in um front of the ewer').slice(2, 5), ['dir:front', 'filler:uh', 'dir:front']);
    assert.deepStrictEqual(concepts('place it in in front of the bottle').slice(2, 5), ['dir:front', 'dir:front', 'dir:front']);
    assert.deepStrictEqual(concepts('set it in like front of the pitcher').slice(2, 5), ['dir:front', 'filler:uh', 'dir:front'], '"like" as a hesitation');
    assert.deepStrictEqual(concepts('right in hmm frobt of the ewer').slice(1, 4), ['dir:front', 'filler:uh', 'dir:front'], 'and once a misspelt word is snapped');
    assert.deepStrictEqual(concepts('put it in the bottle in front of me').slice(2, 4), ['rel:in', null], 'a word between that is no hesitation breaks it');
    const fluent = (text: string) => {
      const tokens = preprocess(text);
      const skipped = hesitationsInPhrases(tokens);
      return tokens.filter((_, i) => !skipped.has(i)).map((t) => t.word).join(' ');
    };
    assert.strictEqual(fluent('uh put it in , uh , front of the ewer um'), 'uh put it in front of the ewer um', 'what the tagger reads: only hesitations inside a phrase go');
  });

  it('snaps misspelt ordinals and viewpoint words: "the secpnd cube from yoru left"', () => {
    assert.deepStrictEqual(preprocess('the secpnd cube from yoru left').map((t) => t.concept), [null, 'ord:2', 'kind:block', null, 'vp:robot', 'dir:left']);
    assert.strictEqual(snapToLexicon('thrid')?.concept, 'ord:3');
  });

  it('snaps speech-like substitutions by sound: "blew" -> blue, "read" -> red', () => {
    assert.strictEqual(snapToLexicon('blew')?.word, 'blue');
    assert.strictEqual(snapToLexicon('read')?.word, 'red');
  });

  it('never snaps function words, short words or words the caller knows', () => {
    assert.ok(FUNCTION_WORDS.has('it') && FUNCTION_WORDS.has('the'));
    for (const word of ['it', 'the', 'to', 'on', 'go']) assert.strictEqual(snapToLexicon(word), null, word);
    const known = preprocess('the cupp', new Set(['cupp']));
    assert.strictEqual(known[1].word, 'cupp');
    assert.strictEqual(known[1].snap, null);
  });

  it('reports a word it can neither look up nor snap as unknown, with no concept', () => {
    const [, zorblax] = preprocess('the zorblax');
    assert.strictEqual(zorblax.word, 'zorblax');
    assert.strictEqual(zorblax.concept, null);
    assert.strictEqual(zorblax.unknown, true);
    assert.strictEqual(preprocess('the spatula')[1].unknown, true, 'a real word outside the domain is not turned into an object');
  });

  it('reads WordNet synonyms through the generated lexicon: crimson is red, ewer is a pitcher', () => {
    assert.strictEqual(WORDNET_ENTRIES['crimson'], 'colour:red');
    assert.strictEqual(WORDNET_ENTRIES['ewer'], 'kind:pitcher');
    assert.strictEqual(WORDNET_ENTRIES['cogwheel'], 'kind:gear');
    assert.strictEqual(LEXICON['cog'], 'kind:gear', 'hand-written entries stay');
  });

  it('numbers every concept from 2 up, leaving 0 for padding and 1 for words outside the lexicon', () => {
    const ids = [...CONCEPT_IDS.values()];
    assert.strictEqual(Math.min(...ids), 2);
    assert.strictEqual(new Set(ids).size, ids.length);
  });
});
