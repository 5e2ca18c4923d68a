/**
 * The trained language network's forward pass for one reminder in plain TypeScript.
 *
 * Why: the network is tiny (about 250k multiply-adds for a ten-word reminder), and through
 * TensorFlow.js one parse runs ~170 kernels whose per-call overhead alone is several
 * milliseconds; the 5 ms p99 budget needs a direct pass. The weights come from the LayersModel by
 * layer name (model.ts defines the network once); a test checks that the two agree.
 */
import { tf } from '../runtime';
import { OUTPUT_NAMES, OUTPUT_SIZES, SENTENCE_LAYER, type OutputName } from './model';

interface Dense {
  readonly kernel: Float32Array;
  readonly bias: Float32Array;
  readonly inputs: number;
  readonly units: number;
}

export interface NetworkOutputs {
  /** Tag probabilities, one row of 10 per token. */
  readonly tags: Float32Array[];
  readonly attention: Float32Array;
  readonly heads: Record<Exclude<OutputName, 'tags' | 'attention'>, Float32Array>;
  readonly features: Float32Array;
}

function denseOf(model: tf.LayersModel, name: string): Dense {
  const [kernel, bias] = model.getLayer(name).getWeights();
  if (!kernel || !bias || kernel.shape.length !== 2) throw new Error(`layer ${name} is not a dense layer with a bias`);
  return { kernel: kernel.dataSync() as Float32Array, bias: bias.dataSync() as Float32Array, inputs: kernel.shape[0]!, units: kernel.shape[1]! };
}

/** out[at..at+units) = the layer on input[from..from+inputs), ReLU'd when asked (every sum kept as float32). */
function applyInto(layer: Dense, input: Float32Array, from: number, out: Float32Array, at: number, relu: boolean): void {
  const { kernel, bias, inputs, units } = layer;
  for (let j = 0; j < units; j++) out[at + j] = bias[j];
  for (let i = 0; i < inputs; i++) {
    const x = input[from + i];
    if (x === 0) continue;
    const row = i * units;
    for (let j = 0; j < units; j++) out[at + j] += x * kernel[row + j];
  }
  if (relu) for (let j = 0; j < units; j++) if (out[at + j] < 0) out[at + j] = 0;
}

function apply(layer: Dense, input: Float32Array, relu: boolean): Float32Array {
  const out = new Float32Array(layer.units);
  applyInto(layer, input, 0, out, 0, relu);
  return out;
}

function softmax(values: Float32Array): Float32Array {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  let sum = 0;
  const out = values.map((v) => {
    const e = Math.exp(v - max);
    sum += e;
    return e;
  });
  for (let i = 0; i < out.length; i++) out[i] /= sum;
  return out;
}

export class LanguageNetwork {
  readonly #wordTable: Float32Array;
  readonly #conceptTable: Float32Array;
  readonly #wordDim: number;
  readonly #conceptDim: number;
  readonly #projection: Dense;
  readonly #convolutions: Dense[];
  readonly #attentionScore: Dense;
  readonly #sentence: Dense;
  readonly #tags: Dense;
  readonly #heads: [Exclude<OutputName, 'tags' | 'attention'>, Dense][];

  constructor(model: tf.LayersModel) {
    const table = (name: string) => {
      const [weights] = model.getLayer(name).getWeights();
      return { data: weights.dataSync() as Float32Array, dim: weights.shape[1]! };
    };
    const words = table('word_embedding');
    const concepts = table('concept_embedding');
    this.#wordTable = words.data;
    this.#wordDim = words.dim;
    this.#conceptTable = concepts.data;
    this.#conceptDim = concepts.dim;
    this.#projection = denseOf(model, 'token_projection');
    this.#convolutions = [];
    for (let i = 0; model.layers.some((l) => l.name === `conv_${i}`); i++) this.#convolutions.push(denseOf(model, `conv_${i}`));
    this.#attentionScore = denseOf(model, 'attention_score');
    this.#sentence = denseOf(model, SENTENCE_LAYER);
    this.#tags = denseOf(model, 'tags');
    this.#heads = OUTPUT_NAMES.slice(2).map((name) => [name as Exclude<OutputName, 'tags' | 'attention'>, denseOf(model, name)]);
  }

  /**
   * Working rows, reused from reminder to reminder: a parse made over a hundred small arrays
   * otherwise, each with its own backing store.
   */
  #scratch = { tokens: new Float32Array(0), h: new Float32Array(0), next: new Float32Array(0), window: new Float32Array(0), score: new Float32Array(1) };

  /** One reminder's outputs; word and concept ids as data.encodeTokens gives them. */
  run(wordIds: Int32Array, conceptIds: Int32Array): NetworkOutputs {
    const n = wordIds.length;
    if (n === 0 || conceptIds.length !== n) throw new Error(`LanguageNetwork.run needs as many concept ids as word ids (got ${n} and ${conceptIds.length})`);
    const features = this.#wordDim + this.#conceptDim;
    const channels = this.#projection.units;
    const scratch = this.#scratch;
    if (scratch.h.length < n * channels) {
      scratch.tokens = new Float32Array(n * features);
      scratch.h = new Float32Array(n * channels);
      scratch.next = new Float32Array(n * channels);
      scratch.window = new Float32Array(3 * channels);
    }
    const { tokens, window, score } = scratch;
    let { h, next } = scratch;
    for (let t = 0; t < n; t++) {
      tokens.set(this.#wordTable.subarray(wordIds[t] * this.#wordDim, (wordIds[t] + 1) * this.#wordDim), t * features);
      tokens.set(this.#conceptTable.subarray(conceptIds[t] * this.#conceptDim, (conceptIds[t] + 1) * this.#conceptDim), t * features + this.#wordDim);
      applyInto(this.#projection, tokens, t * features, h, t * channels, true);
    }
    this.#convolutions.forEach((conv, i) => {
      const d = 2 ** i;
      for (let t = 0; t < n; t++) {
        if (t - d >= 0) window.set(h.subarray((t - d) * channels, (t - d + 1) * channels), 0);
        else window.fill(0, 0, channels);
        window.set(h.subarray(t * channels, (t + 1) * channels), channels);
        if (t + d < n) window.set(h.subarray((t + d) * channels, (t + d + 1) * channels), 2 * channels);
        else window.fill(0, 2 * channels, 3 * channels);
        applyInto(conv, window, 0, next, t * channels, true);
        for (let k = 0; k < channels; k++) next[t * channels + k] += h[t * channels + k];
      }
      [h, next] = [next, h];
    });
    const scores = new Float32Array(n);
    for (let t = 0; t < n; t++) {
      applyInto(this.#attentionScore, h, t * channels, score, 0, false);
      scores[t] = score[0];
    }
    const attention = softmax(scores);
    const pooled = new Float32Array(2 * channels).fill(-Infinity, channels);
    for (let t = 0; t < n; t++) {
      for (let k = 0; k < channels; k++) {
        const value = h[t * channels + k];
        pooled[k] += attention[t] * value;
        if (value > pooled[channels + k]) pooled[channels + k] = value;
      }
    }
    const sentence = apply(this.#sentence, pooled, true);
    const joined = new Float32Array(channels + sentence.length);
    joined.set(sentence, channels);
    const tags: Float32Array[] = [];
    for (let t = 0; t < n; t++) {
      joined.set(h.subarray(t * channels, (t + 1) * channels), 0);
      tags.push(softmax(apply(this.#tags, joined, false)));
    }
    const heads = {} as NetworkOutputs['heads'];
    for (const [name, layer] of this.#heads) {
      const logits = apply(layer, sentence, false);
      heads[name] = OUTPUT_SIZES[name] === 1 ? logits.map((v) => 1 / (1 + Math.exp(-v))) : softmax(logits);
    }
    return { tags, attention, heads, features: sentence };
  }
}
