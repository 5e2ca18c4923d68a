import { strict as assert } from 'node:assert';
import * as fs from 'fs';
import * as path from 'path';
import { repositoryRoot } from '../cli/repo';
import { LM_FILE, readLanguageModelMeta, vocabularyFingerprint } from '../speech/lm/build';
import { domainWords, spokenCorpus } from '../speech/lm/domain-corpus';
import { estimateKneserNey, formatArpa, logProbability, SENTENCE_START, type NgramModel } from '../speech/lm/kneser-ney';
import { interpolateModels } from '../speech/lm/mix';
import { DEFAULT_DICTIONARY } from '../speech/pocketsphinx';
import { spokenWords } from '../speech/text';
import { derivePronunciation, parseDictionary, pronounce, readDictionary } from '../speech/pronunciation';

const SENTENCES = ['no the blue cup', 'no the red cup on your left', 'grab the blue mug', 'stop', 'stop stop', 'the blue cup please', 'grab the red cup'].map((s) => s.split(' '));

function totalProbability(model: NgramModel, history: string[]): number {
  const vocabulary = [...model.logProbabilities[0].keys()].filter((w) => w !== SENTENCE_START);
  return vocabulary.reduce((sum, w) => sum + 10 ** logProbability(model, history, w), 0);
}

describe('speech: n-gram language model estimation', () => {
  const model = estimateKneserNey(SENTENCES, { order: 3, vocabulary: ['crimson', 'ewer'] });

  it('gives every context of the Kneser-Ney model a distribution that sums to 1', () => {
    for (const history of [[], [SENTENCE_START], ['the'], [SENTENCE_START, 'no'], ['the', 'blue'], ['never', 'seen'], ['crimson', 'ewer']]) {
      assert.ok(Math.abs(totalProbability(model, history) - 1) < 1e-9, `history "${history.join(' ')}" sums to ${totalProbability(model, history)}`);
    }
  });

  it('gives vocabulary words the sentences never used a unigram, below every seen word', () => {
    const unigrams = model.logProbabilities[0];
    assert.ok(unigrams.has('crimson') && unigrams.has('ewer'));
    const seen = [...unigrams].filter(([w]) => SENTENCES.some((s) => s.includes(w))).map(([, p]) => p);
    assert.ok(unigrams.get('crimson')! < Math.min(...seen));
  });

  it('prefers a seen continuation to an unseen one in the same context', () => {
    assert.ok(logProbability(model, ['the', 'blue'], 'cup') > logProbability(model, ['the', 'blue'], 'left'));
  });

  it('writes ARPA with counts matching the listed n-grams and <s> at -99', () => {
    const arpa = formatArpa(model);
    const declared = [...arpa.matchAll(/^ngram (\d)=(\d+)$/gm)].map((m) => Number(m[2]));
    const listed = arpa.split(/\\\d-grams:\n/).slice(1).map((section) => section.split('\n\n')[0].trim().split('\n').length);
    assert.deepEqual(listed, declared);
    assert.match(arpa, /^-99\.000000\t<s>\t-?\d+\.\d+$/m);
    assert.ok(arpa.trimEnd().endsWith('\\end\\'));
  });

  it('refuses words with spaces and sentence marks inside a sentence', () => {
    assert.throws(() => estimateKneserNey([['a b']], { order: 2 }), /^Error: bad word "a b" in sentence "a b"$/);
    assert.throws(() => estimateKneserNey([['</s>']], { order: 2 }), /bad word "<\/s>"/);
  });

  it('interpolates two models into one whose contexts still sum to 1', () => {
    const other = estimateKneserNey([['grab', 'the', 'crimson', 'ewer'], ['looks', 'good']], { order: 2 });
    const mixed = interpolateModels([{ model, weight: 0.7 }, { model: other, weight: 0.3 }]);
    for (const history of [[], ['the'], ['grab', 'the'], ['looks']]) assert.ok(Math.abs(totalProbability(mixed, history) - 1) < 1e-6, history.join(' '));
    assert.throws(() => interpolateModels([{ model, weight: 0.7 }, { model: other, weight: 0.2 }]), /weights must be positive and sum to 1/);
  });
});

describe('speech: pronunciations', () => {
  const dictionary = parseDictionary('cog K AO G\nwheel W IY L\nmug M AH G\ngrey G R EY\nbox B AA K S\n', 'test.dict');

  it('derives compounds, suffixes and possessives from known words', () => {
    assert.equal(derivePronunciation('cogwheel', dictionary), 'K AO G W IY L');
    assert.equal(derivePronunciation("mug's", dictionary), 'M AH G Z');
    assert.equal(derivePronunciation('boxs', dictionary), 'B AA K S IH Z');
    assert.equal(derivePronunciation('greyish', dictionary), 'G R EY IH SH');
    assert.equal(derivePronunciation('erm', dictionary), null);
  });

  it('reports words it cannot pronounce instead of guessing', () => {
    assert.deepEqual(pronounce(['mug', 'erm', 'cogwheel'], dictionary).unpronounceable, ['erm']);
  });

  it('names the file and line of a malformed dictionary entry', () => {
    assert.throws(() => parseDictionary('cup K AH P\nbroken\n', 'x.dict'), { message: 'x.dict:2: expected "word PHONES", got "broken"' });
  });
});

describe('speech: committed domain language model (models/speech)', () => {
  const directory = path.join(repositoryRoot(), 'models', 'speech');
  const meta = readLanguageModelMeta(directory);
  const vocabulary = new Set(meta.vocabulary);
  const stale = 'models/speech is stale: run `h2r speech build-lm` and commit the result';

  it('lists exactly the unigrams of domain.lm in domain.json, with a matching fingerprint', () => {
    const arpa = fs.readFileSync(path.join(directory, LM_FILE), 'utf8');
    const unigrams = arpa.split('\\1-grams:\n')[1].split('\n\n')[0].trim().split('\n').map((line) => line.split('\t')[1]);
    assert.deepEqual(unigrams.filter((w) => w !== '<s>' && w !== '</s>').sort(), [...vocabulary].sort());
    assert.equal(vocabularyFingerprint(vocabulary), meta.vocabularyFingerprint);
  });

  it('has a unigram for every pronounceable word of the lexicon and the generator word lists', () => {
    const pronounceable = pronounce(domainWords(), readDictionary(DEFAULT_DICTIONARY)).entries;
    const missing = [...pronounceable.keys()].filter((w) => !vocabulary.has(w));
    assert.deepEqual(missing, [], stale);
  });

  // Slot words (colours, kinds, ...) must be lexicon words, checked above; this catches template
  // words. Contraction pieces ("'s") are spoken as part of the word before them.
  it('has a unigram for every pronounceable template word of freshly generated training-family reminders', () => {
    const probe = spokenCorpus({ count: 3000, seed: 4242, familySplits: ['train'], exampleSplits: ['train'] });
    const words = new Set(probe.reminders.flatMap((r) => r.example.tokens.filter((t, i) => r.example.tags[i] === 'O' && !/^'|^n't$/i.test(t)).flatMap((t) => spokenWords(t))));
    const pronounceable = pronounce(words, readDictionary(DEFAULT_DICTIONARY)).entries;
    const missing = [...pronounceable.keys()].filter((w) => !vocabulary.has(w));
    assert.deepEqual(missing, [], stale);
  });
});
