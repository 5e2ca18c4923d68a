/**
 * The language network (first stage of the stacked network), defined in this one place.
 *
 * Per token: word embedding (training vocabulary, UNK, word dropout) + lexicon concept embedding
 * -> three residual dilated convolutions of width 3 (dilations 1, 2, 4: each token sees 7
 * neighbours each side, enough for "not the big red one" or "in front of the big pitcher")
 * -> per-token slot tags, and an attention score per token. Attention pooling (plus max pooling)
 * gives the sentence vector that feeds the sentence heads, is broadcast back to every token for
 * the tags, and is handed to the visual stage as `features`.
 *
 * Convolutional rather than a BiLSTM: far faster on wasm, for the 5 ms p99 parse budget and the
 * 10 minute training budget. Each convolution is written as shifted copies of the sequence
 * (TokenShift) concatenated and mixed by a dense layer: that trains through matMul alone, where
 * wasm's Conv2DBackpropInput is slow and tfjs has no gradient for dilated convolutions.
 * Nothing is built on import: call createLanguageModel.
 */
import { tf } from '../runtime';
import { ACTION_LABELS, GRASP_LABELS, MISTAKE_LABELS, RELATION_LABELS, TAG_LABELS, URGENCY_LEVELS } from './labels';

/** Shifts a [batch, tokens, channels] sequence by `shift` tokens (positive: towards the end), zero-filled. */
export class TokenShift extends tf.layers.Layer {
  static readonly className = 'TokenShift';
  readonly shift: number;
  constructor(args: { shift: number; name?: string }) {
    super(args);
    if (!Number.isInteger(args.shift)) throw new Error(`TokenShift: shift must be an integer, got ${args.shift}`);
    this.shift = args.shift;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
    return tf.tidy(() => {
      const [b, L, c] = x.shape;
      const k = Math.min(Math.abs(this.shift), L);
      if (k === 0) return x.clone();
      const zeros = tf.zeros([b, k, c]);
      return this.shift > 0
        ? tf.concat([zeros, tf.slice(x, [0, 0, 0], [b, L - k, c])], 1)
        : tf.concat([tf.slice(x, [0, k, 0], [b, L - k, c]), zeros], 1);
    });
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), shift: this.shift };
  }
}
tf.serialization.registerClass(TokenShift);

/** [sentence [batch, c], tokens [batch, L, any]] -> the sentence vector at every token [batch, L, c]. */
export class SentencePerToken extends tf.layers.Layer {
  static readonly className = 'SentencePerToken';
  override computeOutputShape(inputShape: tf.Shape[]): tf.Shape {
    return [inputShape[1][0], inputShape[1][1], inputShape[0][1]];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [sentence, tokens] = inputs as tf.Tensor[];
    return tf.tidy(() => tf.tile(tf.expandDims(sentence, 1), [1, tokens.shape[1]!, 1]));
  }
}
tf.serialization.registerClass(SentencePerToken);

export interface LanguageModelConfig {
  /** Longest reminder in tokens; longer ones are cut (the parser reports it). The network itself
   *  takes any length: batches are padded to their longest reminder only. */
  readonly maxTokens: number;
  readonly wordCount: number;
  readonly conceptCount: number;
  readonly wordDim: number;
  readonly conceptDim: number;
  readonly channels: number;
  /** Number of width-3 convolutions, with dilations 1, 2, 4, ... */
  readonly dilations: number;
  readonly seed: number;
}

export const DEFAULT_MODEL_CONFIG: Omit<LanguageModelConfig, 'wordCount' | 'conceptCount' | 'seed'> = {
  maxTokens: 32,
  wordDim: 32,
  conceptDim: 24,
  channels: 48,
  dilations: 3,
};

/** Output names in model order; data.ts builds targets under the same names. */
export const OUTPUT_NAMES = ['tags', 'attention', 'mistake', 'stop', 'urgency', 'avoid_current', 'action', 'grasp', 'relation'] as const;
export type OutputName = (typeof OUTPUT_NAMES)[number];
export const SENTENCE_LAYER = 'sentence';

export const OUTPUT_SIZES: Readonly<Record<OutputName, number>> = {
  tags: TAG_LABELS.length,
  attention: 1,
  mistake: MISTAKE_LABELS.length,
  stop: 1,
  urgency: URGENCY_LEVELS.length,
  avoid_current: 1,
  action: ACTION_LABELS.length,
  grasp: GRASP_LABELS.length,
  relation: RELATION_LABELS.length,
};

export const LOSS_WEIGHTS: Readonly<Record<OutputName, number>> = {
  tags: 1, attention: 0.2, mistake: 1, stop: 0.5, urgency: 0.3, avoid_current: 0.5, action: 0.5, grasp: 0.5, relation: 0.7,
};

function checkConfig(config: LanguageModelConfig): void {
  for (const [name, value] of Object.entries(config)) {
    if (!Number.isInteger(value) || value < (name === 'seed' ? 0 : 1)) {
      throw new Error(`language model config: ${name} must be a positive integer, got ${value}`);
    }
  }
}

/**
 * Inputs (L = the batch's longest reminder): words [batch, L] int32, concepts [batch, L] int32,
 * maskBias [batch, L, 1] float32 (0 for a token, -1e4 for padding).
 * Outputs (OUTPUT_NAMES order): tags [batch, L, 10] softmax, attention [batch, L]
 * softmax over tokens, then one softmax (or sigmoid for the binary heads) per sentence head.
 */
export function createLanguageModel(config: LanguageModelConfig): tf.LayersModel {
  checkConfig(config);
  let seed = config.seed;
  const init = () => tf.initializers.glorotUniform({ seed: seed++ });
  const words = tf.input({ shape: [null], dtype: 'int32', name: 'words' });
  const concepts = tf.input({ shape: [null], dtype: 'int32', name: 'concepts' });
  const maskBias = tf.input({ shape: [null, 1], name: 'mask_bias' });
  const wordVectors = tf.layers.embedding({
    inputDim: config.wordCount, outputDim: config.wordDim, name: 'word_embedding',
    embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: seed++ }),
  }).apply(words) as tf.SymbolicTensor;
  const conceptVectors = tf.layers.embedding({
    inputDim: config.conceptCount, outputDim: config.conceptDim, name: 'concept_embedding',
    embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: seed++ }),
  }).apply(concepts) as tf.SymbolicTensor;
  let h = tf.layers.concatenate({ name: 'token_features' }).apply([wordVectors, conceptVectors]) as tf.SymbolicTensor;
  h = tf.layers.dense({ units: config.channels, activation: 'relu', kernelInitializer: init(), name: 'token_projection' }).apply(h) as tf.SymbolicTensor;
  for (let i = 0; i < config.dilations; i++) {
    const d = 2 ** i;
    const before = new TokenShift({ shift: d, name: `shift_${i}_before` }).apply(h) as tf.SymbolicTensor;
    const after = new TokenShift({ shift: -d, name: `shift_${i}_after` }).apply(h) as tf.SymbolicTensor;
    const window = tf.layers.concatenate({ name: `window_${i}` }).apply([before, h, after]) as tf.SymbolicTensor;
    const conv = tf.layers.dense({ units: config.channels, activation: 'relu', kernelInitializer: init(), name: `conv_${i}` }).apply(window) as tf.SymbolicTensor;
    h = tf.layers.add({ name: `residual_${i}` }).apply([h, conv]) as tf.SymbolicTensor;
  }
  const score = tf.layers.dense({ units: 1, kernelInitializer: init(), name: 'attention_score' }).apply(h) as tf.SymbolicTensor;
  const maskedScore = tf.layers.add({ name: 'attention_masked' }).apply([score, maskBias]) as tf.SymbolicTensor;
  // softmax over tokens: tfjs only takes a softmax along the last axis, hence the reshapes
  const logits = tf.layers.reshape({ targetShape: [-1], name: 'attention_logits' }).apply(maskedScore) as tf.SymbolicTensor;
  const attention = tf.layers.softmax({ name: 'attention' }).apply(logits) as tf.SymbolicTensor;
  const attentionColumn = tf.layers.reshape({ targetShape: [-1, 1], name: 'attention_column' }).apply(attention) as tf.SymbolicTensor;
  const attended = tf.layers.dot({ axes: 1, name: 'attention_pool' }).apply([attentionColumn, h]) as tf.SymbolicTensor;
  const pooled = tf.layers.flatten({ name: 'attention_flat' }).apply(attended) as tf.SymbolicTensor;
  // padding never wins the max: its bias is -1e4 (batches are padded to their longest reminder)
  const maskedTokens = tf.layers.add({ name: 'max_pool_masked' }).apply([h, maskBias]) as tf.SymbolicTensor;
  const maxPooled = tf.layers.globalMaxPooling1d({ name: 'max_pool' }).apply(maskedTokens) as tf.SymbolicTensor;
  const joined = tf.layers.concatenate({ name: 'pooled' }).apply([pooled, maxPooled]) as tf.SymbolicTensor;
  const sentence = tf.layers.dense({ units: config.channels, activation: 'relu', kernelInitializer: init(), name: SENTENCE_LAYER }).apply(joined) as tf.SymbolicTensor;
  const context = new SentencePerToken({ name: 'sentence_per_token' }).apply([sentence, h]) as tf.SymbolicTensor;
  const tokenAndSentence = tf.layers.concatenate({ name: 'token_and_sentence' }).apply([h, context]) as tf.SymbolicTensor;
  const tags = tf.layers.dense({ units: OUTPUT_SIZES.tags, activation: 'softmax', kernelInitializer: init(), name: 'tags' }).apply(tokenAndSentence) as tf.SymbolicTensor;
  const head = (name: OutputName) =>
    tf.layers.dense({
      units: OUTPUT_SIZES[name], activation: OUTPUT_SIZES[name] === 1 ? 'sigmoid' : 'softmax', kernelInitializer: init(), name,
    }).apply(sentence) as tf.SymbolicTensor;
  const outputs = [tags, attention, ...OUTPUT_NAMES.slice(2).map(head)];
  return tf.model({ inputs: [words, concepts, maskBias], outputs, name: 'reminder_parser' });
}

/**
 * Compiles for training: per output a cross-entropy scaled by LOSS_WEIGHTS (tfjs-layers has no
 * lossWeights argument, so the weight is folded into each output's loss function).
 */
export function compileLanguageModel(model: tf.LayersModel, learningRate: number): void {
  const loss: Record<string, (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor> = {};
  for (const name of OUTPUT_NAMES) {
    const weight = LOSS_WEIGHTS[name];
    const base = OUTPUT_SIZES[name] === 1 ? tf.metrics.binaryCrossentropy : tf.metrics.categoricalCrossentropy;
    loss[name] = (yTrue, yPred) => tf.mul(tf.mean(base(yTrue, yPred)), weight);
  }
  model.compile({ optimizer: tf.train.adam(learningRate), loss });
}
