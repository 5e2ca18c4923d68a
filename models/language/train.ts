/**
 * Training of the language network: seeded, batched, with per-epoch loss and held-out (dev)
 * accuracy. The test split is never looked at here; evaluate.ts reports it after training.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Example } from '../../language/corpus/dataset';
import { CONCEPT_IDS } from '../../language/lexicon';
import { VOCABULARY_FILE } from '../../language/parser';
import { initRuntime, saveModel, seededRandom, tf, type RuntimeInfo } from '../runtime';
import { buildVocabulary, CONCEPT_COUNT, encodeExamples, lengthBucketedBatches, makeBatch, type EncodedExample, type Vocabulary } from './data';
import { MISTAKE_LABELS } from './labels';
import { compileLanguageModel, createLanguageModel, DEFAULT_MODEL_CONFIG, OUTPUT_NAMES, type LanguageModelConfig } from './model';

/** Learning rate multiplier per epoch. */
export const LEARNING_RATE_DECAY = 0.7;

export interface TrainOptions {
  readonly train: readonly Example[];
  /** Monitored each epoch (accuracy only; nothing is selected on it). */
  readonly dev: readonly Example[];
  readonly seed: number;
  readonly epochs: number;
  readonly batchSize?: number;
  readonly learningRate?: number;
  readonly wordDropout?: number;
  /** Share of training reminders that get one unknown word inserted (tag O). */
  readonly unknownInsertion?: number;
  /** Directory for model.json, weights.bin and vocab.json; nothing is written when absent. */
  readonly outDir?: string;
  readonly onBatch?: (epoch: number, batch: number, batches: number, loss: number) => void;
  readonly onEpoch?: (epoch: EpochRecord) => void;
}

export interface EpochRecord {
  readonly epoch: number;
  readonly loss: number;
  readonly devMistakeAccuracy: number;
  readonly devTagAccuracy: number;
  readonly seconds: number;
}

export interface TrainResult {
  readonly model: tf.LayersModel;
  readonly vocabulary: Vocabulary;
  readonly config: LanguageModelConfig;
  readonly history: EpochRecord[];
  readonly seconds: number;
  readonly samplesPerSecond: number;
  readonly runtime: RuntimeInfo;
}

export async function trainLanguageModel(options: TrainOptions): Promise<TrainResult> {
  if (options.train.length === 0) throw new Error('no training examples (split "train" is empty)');
  if (!Number.isInteger(options.epochs) || options.epochs < 1) throw new Error(`epochs must be a positive integer, got ${options.epochs}`);
  const runtime = await initRuntime();
  const batchSize = options.batchSize ?? 128;
  const vocabulary = buildVocabulary(options.train);
  const config: LanguageModelConfig = { ...DEFAULT_MODEL_CONFIG, wordCount: vocabulary.words.length, conceptCount: CONCEPT_COUNT, seed: options.seed };
  const train = encodeExamples(options.train, vocabulary, config.maxTokens);
  const dev = encodeExamples(options.dev, vocabulary, config.maxTokens);
  const model = createLanguageModel(config);
  const learningRate = options.learningRate ?? 3e-3;
  compileLanguageModel(model, learningRate);
  const random = seededRandom(options.seed ^ 0x5eed);
  const history: EpochRecord[] = [];
  const started = Date.now();
  let samples = 0;
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    const epochStart = Date.now();
    // step decay: big steps first, fine ones at the end (the last epochs otherwise bounce)
    (model.optimizer as unknown as { learningRate: number }).learningRate = learningRate * LEARNING_RATE_DECAY ** (epoch - 1);
    const plan = lengthBucketedBatches(train.length, (i) => train[i].tokens.length, batchSize, random);
    const batches = plan.length;
    let lossSum = 0;
    for (let b = 0; b < batches; b++) {
      const batch = plan[b].map((i) => train[i]);
      const { xs, ys } = makeBatch(batch, random, options.wordDropout ?? 0.25, options.unknownInsertion ?? 0.15);
      const result = await model.trainOnBatch(xs, OUTPUT_NAMES.map((name) => ys[name]));
      const loss = Array.isArray(result) ? result[0] : result;
      tf.dispose([...xs, ...Object.values(ys)]);
      lossSum += loss;
      samples += batch.length;
      options.onBatch?.(epoch, b + 1, batches, loss);
    }
    const accuracy = quickAccuracy(model, dev);
    const record = { epoch, loss: lossSum / batches, devMistakeAccuracy: accuracy.mistake, devTagAccuracy: accuracy.tags, seconds: (Date.now() - epochStart) / 1000 };
    history.push(record);
    options.onEpoch?.(record);
  }
  const seconds = (Date.now() - started) / 1000;
  if (options.outDir) await saveLanguageModel(model, vocabulary, config, options.outDir);
  return { model, vocabulary, config, history, seconds, samplesPerSecond: samples / seconds, runtime };
}

/** model.json + weights.bin (runtime.saveModel) and vocab.json, which the parser needs too. */
export async function saveLanguageModel(model: tf.LayersModel, vocabulary: Vocabulary, config: LanguageModelConfig, dir: string): Promise<void> {
  await saveModel(model, dir);
  const file = { words: vocabulary.words, concepts: [...CONCEPT_IDS.keys()], maxTokens: config.maxTokens, config };
  fs.writeFileSync(path.join(dir, VOCABULARY_FILE), JSON.stringify(file) + '\n');
}

/** Mistake-type and token-tag accuracy straight from the network (no decoding), for monitoring. */
function quickAccuracy(model: tf.LayersModel, examples: readonly EncodedExample[]): { mistake: number; tags: number } {
  if (examples.length === 0) return { mistake: NaN, tags: NaN };
  let mistakeRight = 0;
  let tagRight = 0;
  let tagCount = 0;
  for (let start = 0; start < examples.length; start += 256) {
    const batch = examples.slice(start, start + 256);
    const { xs, ys } = makeBatch(batch);
    const outputs = model.predict(xs) as tf.Tensor[];
    const [predictedTags, goldTags, predictedMistakes] = tf.tidy(() => [
      outputs[0].argMax(-1).arraySync() as number[][],
      ys.tags.argMax(-1).arraySync() as number[][],
      outputs[2].argMax(-1).arraySync() as number[],
    ]) as [number[][], number[][], number[]];
    batch.forEach((e, row) => {
      if (MISTAKE_LABELS[predictedMistakes[row]] === e.example.meaning.mistake) mistakeRight++;
      for (let i = 0; i < e.tokens.length; i++) {
        tagCount++;
        if (predictedTags[row][i] === goldTags[row][i]) tagRight++;
      }
    });
    tf.dispose([...xs, ...Object.values(ys), ...outputs]);
  }
  return { mistake: mistakeRight / examples.length, tags: tagRight / Math.max(1, tagCount) };
}
