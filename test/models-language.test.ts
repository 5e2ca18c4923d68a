import * as assert from 'assert';
import { generateCorpus } from '../language/corpus/dataset';
import { DEFAULT_MODEL_DIR, ReminderParser } from '../language/parser';
import { preprocess } from '../language/preprocess';
import { buildVocabulary, encodeExamples, encodeTokens, lengthBucketedBatches, makeBatch } from '../models/language/data';
import { LanguageNetwork } from '../models/language/inference';
import { OUTPUT_NAMES, OUTPUT_SIZES, createLanguageModel, DEFAULT_MODEL_CONFIG } from '../models/language/model';
import { trainLanguageModel } from '../models/language/train';
import { initRuntime, loadModel, seededRandom, tf } from '../models/runtime';

const corpus = generateCorpus({ count: 120, seed: 4 });
const train = corpus.examples.filter((e) => e.split === 'train').slice(0, 64);

describe('models/language', () => {
  before(async () => {
    await initRuntime();
  });

  it('pads a batch to its longest reminder and gives every output its documented shape', () => {
    const vocabulary = buildVocabulary(train);
    const encoded = encodeExamples(train.slice(0, 5), vocabulary, DEFAULT_MODEL_CONFIG.maxTokens);
    const longest = Math.max(...encoded.map((e) => e.tokens.length));
    const { xs, ys } = makeBatch(encoded);
    assert.deepStrictEqual(xs.map((x) => x.shape), [[5, longest], [5, longest], [5, longest, 1]]);
    assert.deepStrictEqual(ys.tags.shape, [5, longest, OUTPUT_SIZES.tags]);
    assert.deepStrictEqual(ys.attention.shape, [5, longest]);
    const model = createLanguageModel({ ...DEFAULT_MODEL_CONFIG, wordCount: vocabulary.words.length, conceptCount: 200, seed: 1 });
    const outputs = model.predict(xs) as tf.Tensor[];
    assert.deepStrictEqual(outputs.map((o) => o.shape), OUTPUT_NAMES.map((name) => ys[name].shape));
    const attention = outputs[1].sum(-1).arraySync() as number[];
    for (const total of attention) assert.ok(Math.abs(total - 1) < 1e-5, 'attention sums to 1 over a reminder');
    tf.dispose([...xs, ...Object.values(ys), ...outputs]);
    model.dispose();
  });

  it('refuses a config with a non-integer size, naming the field', () => {
    assert.throws(() => createLanguageModel({ ...DEFAULT_MODEL_CONFIG, wordCount: 10.5, conceptCount: 10, seed: 1 }), /language model config: wordCount must be a positive integer, got 10.5/);
  });

  it('keeps batches of similar length and covers every example once', () => {
    const lengths = Array.from({ length: 100 }, (_, i) => (i * 37) % 23);
    const batches = lengthBucketedBatches(100, (i) => lengths[i], 10, seededRandom(1));
    assert.deepStrictEqual(batches.flat().sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i));
  });

  it('trains bit-identically twice with the same seed on wasm', async () => {
    const run = async () => {
      const result = await trainLanguageModel({ train, dev: [], seed: 9, epochs: 1, batchSize: 32 });
      const weights = result.model.getWeights().map((w) => Array.from(w.dataSync()));
      result.model.dispose();
      return weights;
    };
    const first = await run();
    const second = await run();
    assert.deepStrictEqual(second, first);
  });
});

describe('models/language/inference', () => {
  it('computes what the TensorFlow.js model computes for a reminder', async () => {
    await initRuntime();
    const parser = await ReminderParser.load();
    const model = await loadModel(DEFAULT_MODEL_DIR);
    const network = new LanguageNetwork(model);
    for (const text of ['no, the blue cup on your left', 'stop', 'put it in front of the big pitcher from my side please']) {
      const encoded = encodeTokens(preprocess(text, new Set(parser.vocabulary.words)), parser.vocabulary, 32);
      const n = encoded.tokens.length;
      const xs = [tf.tensor2d(encoded.wordIds, [1, n], 'int32'), tf.tensor2d(encoded.conceptIds, [1, n], 'int32'), tf.zeros([1, n, 1])];
      const reference = (model.predict(xs) as tf.Tensor[]).map((t) => Array.from(t.dataSync()));
      const fast = network.run(encoded.wordIds, encoded.conceptIds);
      const mine = [
        fast.tags.flatMap((row) => Array.from(row)),
        Array.from(fast.attention),
        ...OUTPUT_NAMES.slice(2).map((name) => Array.from(fast.heads[name as keyof typeof fast.heads])),
      ];
      reference.forEach((values, k) => {
        const worst = Math.max(...values.map((v, i) => Math.abs(v - mine[k][i])));
        assert.ok(worst < 1e-4, `${OUTPUT_NAMES[k]} of "${text}" differs by ${worst}`);
      });
      tf.dispose(xs);
    }
    model.dispose();
  });
});
