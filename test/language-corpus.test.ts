import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateCorpus, readDataset, writeDataset } from '../language/corpus/dataset';
import { FAMILIES } from '../language/corpus/families';
import { sampleMeaning } from '../language/corpus/meaning-sampler';
import { realise } from '../language/corpus/realise';
import { Rng } from '../language/corpus/utterance';
import { HELD_OUT_WORDS } from '../language/corpus/vocabulary';
import { tokenize } from '../language/preprocess';
import { referencesTo, type Describable } from '../semantics/describe';
import { EMPTY_MEANING } from '../semantics/meaning';
import { viewersFor } from '../semantics/spatial';

const corpus = generateCorpus({ count: 4000, seed: 7 });

describe('language/corpus', () => {
  it('keeps every held-out family and word out of the training split', () => {
    const heldOutFamilies = new Set(FAMILIES.filter((f) => f.split !== 'train').map((f) => f.id));
    const train = corpus.examples.filter((e) => e.split === 'train');
    assert.ok(train.length > 2500);
    const leakedFamily = train.find((e) => heldOutFamilies.has(e.family));
    assert.strictEqual(leakedFamily, undefined, `training example from held-out family: ${leakedFamily?.family}`);
    const leakedWord = train.flatMap((e) => e.tokens.map((t) => t.toLowerCase())).find((t) => HELD_OUT_WORDS[t] !== undefined);
    assert.strictEqual(leakedWord, undefined, `held-out word in training: ${leakedWord}`);
  });

  it('puts something unseen in every dev and test example: a held-out family or word of its split', () => {
    for (const example of corpus.examples.filter((e) => e.split !== 'train')) {
      const family = FAMILIES.find((f) => f.id === example.family)!;
      const word = example.tokens.some((t) => HELD_OUT_WORDS[t.toLowerCase()] === example.split);
      assert.ok(family.split === example.split || word, `${example.split} example without held-out material: ${example.text}`);
      assert.ok(family.split === 'train' || family.split === example.split, `${example.split} example from a ${family.split} family`);
    }
  });

  it('names its split in meta.json: families and words by name, seed and counts', () => {
    const { meta } = corpus;
    assert.strictEqual(meta.seed, 7);
    assert.strictEqual(meta.count, 4000);
    assert.ok(meta.families.test.includes('wo_could_you') && meta.families.dev.includes('wo_want'));
    assert.ok(meta.heldOutWords.test.includes('crimson') && meta.heldOutWords.dev.includes('scarlet'));
    assert.strictEqual(meta.counts.train + meta.counts.dev + meta.counts.test, corpus.examples.length);
  });

  it('generates the same corpus for the same seed and another for another seed', () => {
    const again = generateCorpus({ count: 200, seed: 7 });
    assert.deepStrictEqual(again.examples, generateCorpus({ count: 200, seed: 7 }).examples);
    assert.notDeepStrictEqual(again.examples.map((e) => e.text), generateCorpus({ count: 200, seed: 8 }).examples.map((e) => e.text));
  });

  it('tags every token of the text once, tokens as the parser tokenizes them', () => {
    for (const example of corpus.examples.slice(0, 500)) {
      assert.deepStrictEqual(example.tokens, tokenize(example.text));
      assert.strictEqual(example.tags.length, example.tokens.length);
    }
  });

  it('realises meanings of every mistake type and scenario with words for each field it records', () => {
    const rng = new Rng(3);
    for (const scenario of ['kitchen', 'factory', 'tabletop'] as const) {
      for (const kind of ['none', 'wrong_object', 'wrong_action', 'wrong_region', 'wrong_pose', 'wrong_relation', 'stop'] as const) {
        const realisation = realise(sampleMeaning(rng, scenario, kind), rng, 'train');
        const m = realisation.meaning;
        if (m.target.colour) assert.ok(realisation.tags.includes('COLOUR'), realisation.text);
        if (m.relation) assert.ok(realisation.tags.includes('RELATION') || realisation.tags.includes('REFERENCE'), realisation.text);
        if (m.locations.length > 0) assert.ok(realisation.tags.includes('LOCATION'), realisation.text);
        if (kind === 'stop') assert.strictEqual(m.stop, true);
      }
    }
  });

  it('realises the true descriptions describe.referencesTo finds in a scene', () => {
    const block = (id: string, colour: string, x: number, y: number): Describable => ({ id, kind: 'block', colour, sizeClass: 'medium', state: 'none', position: { x, y }, extent: 0.05 });
    const scene = [block('a', 'yellow', 0, 0), block('b', 'orange', 0.08, 0), block('c', 'orange', -0.08, 0), block('d', 'orange', 0, 0.08), block('e', 'orange', 0, -0.08), block('f', 'yellow', 0.3, 0.3)];
    const references = referencesTo(scene, 'a', viewersFor({ x: 0.65, y: 0 }, { x: -0.55, y: 0 }));
    const surrounded = references.find((r) => r.relation?.type === 'surrounded_by');
    assert.ok(surrounded, 'the scene has a surrounded-by reference');
    const rng = new Rng(5);
    for (const reference of references) {
      const plan = { meaning: { ...EMPTY_MEANING, mistake: 'wrong_object' as const, ...reference }, context: { scenario: 'tabletop' as const, currentAction: 'reach' as const, wrongKind: 'block' as const } };
      const realisation = realise(plan, rng, 'train');
      assert.strictEqual(realisation.meaning.relation?.type ?? null, reference.relation?.type ?? null, realisation.text);
      assert.deepStrictEqual(realisation.meaning.locations, reference.locations, realisation.text);
    }
  });

  it('writes and reads the dataset format back, and names file, line and field of a bad row', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'h2r-corpus-'));
    try {
      const small = generateCorpus({ count: 50, seed: 2 });
      writeDataset(dir, small);
      assert.deepStrictEqual(readDataset(dir).length, small.examples.length);
      assert.ok(fs.existsSync(path.join(dir, 'meta.json')));
      const good = JSON.stringify(small.examples[0]);
      fs.writeFileSync(path.join(dir, 'extra.jsonl'), `${good}\n${JSON.stringify({ ...small.examples[0], tags: ['O'] })}\n`);
      assert.throws(() => readDataset(dir), new RegExp(`extra\\.jsonl:2: field "tags" must have one tag per token`));
      fs.writeFileSync(path.join(dir, 'extra.jsonl'), `${JSON.stringify({ ...small.examples[0], meaning: { ...small.examples[0].meaning, mistake: 'oops' } })}\n`);
      assert.throws(() => readDataset(dir), /extra\.jsonl:1: field "meaning\.mistake" is not a mistake type/);
      fs.writeFileSync(path.join(dir, 'extra.jsonl'), '{ nope\n');
      assert.throws(() => readDataset(dir), /extra\.jsonl:1: not JSON/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
