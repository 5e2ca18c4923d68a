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

function apply(layer: Dense, input: Float32Array, relu: boolean): Float32Array {
  const out = Float32Array.from(layer.bias);
  for (let i = 0; i < layer.inputs; i++) {
    const x = input[i];
    if (x === 0) continue;
    const row = i * layer.units;
    for (let j = 0; j < layer.units; j++) out[j] += x * layer.kernel[row + j];
  }
  if (relu) for (let j = 0; j < out.length; j++) if (out[j] < 0) out[j] = 0;
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

  /** One reminder's outputs; word and concept ids as data.encodeTokens gives them. */
  run(wordIds: Int32Array, conceptIds: Int32Array): NetworkOutputs {
    const n = wordIds.length;
    if (n === 0 || conceptIds.length !== n) throw new Error(`LanguageNetwork.run needs as many concept ids as word ids (got ${n} and ${conceptIds.length})`);
    const features = this.#wordDim + this.#conceptDim;
    let h: Float32Array[] = [];
    for (let t = 0; t < n; t++) {
      const x = new Float32Array(features);
      x.set(this.#wordTable.subarray(wordIds[t] * this.#wordDim, (wordIds[t] + 1) * this.#wordDim), 0);
      x.set(this.#conceptTable.subarray(conceptIds[t] * this.#conceptDim, (conceptIds[t] + 1) * this.#conceptDim), this.#wordDim);
      h.push(apply(this.#projection, x, true));
    }
    const channels = this.#projection.units;
    this.#convolutions.forEach((conv, i) => {
      const d = 2 ** i;
      const zeros = new Float32Array(channels);
      h = h.map((current, t) => {
        const window = new Float32Array(3 * channels);
        window.set(t - d >= 0 ? h[t - d] : zeros, 0);
        window.set(current, channels);
        window.set(t + d < n ? h[t + d] : zeros, 2 * channels);
        const out = apply(conv, window, true);
        for (let k = 0; k < channels; k++) out[k] += current[k];
        return out;
      });
    });
    const attention = softmax(Float32Array.from(h, (row) => apply(this.#attentionScore, row, false)[0]));
    const pooled = new Float32Array(2 * channels).fill(-Infinity, channels);
    h.forEach((row, t) => {
      for (let k = 0; k < channels; k++) {
        pooled[k] += attention[t] * row[k];
        if (row[k] > pooled[channels + k]) pooled[channels + k] = row[k];
      }
    });
    const sentence = apply(this.#sentence, pooled, true);
    const tags = h.map((row) => {
      const joined = new Float32Array(channels + sentence.length);
      joined.set(row, 0);
      joined.set(sentence, channels);
      return softmax(apply(this.#tags, joined, false));
    });
    const heads = {} as NetworkOutputs['heads'];
    for (const [name, layer] of this.#heads) {
      const logits = apply(layer, sentence, false);
      heads[name] = OUTPUT_SIZES[name] === 1 ? logits.map((v) => 1 / (1 + Math.exp(-v))) : softmax(logits);
    }
    return { tags, attention, heads, features: sentence };
  }
}
