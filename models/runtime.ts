/**
 * The TensorFlow.js runtime every model in the suite shares: backend choice, the training kernels
 * the wasm backend lacks, seeded randomness, and model files without tfjs-node.
 *
 * Backend order: `tensorflow` (tfjs-node, when its native library loads), then `wasm` with our
 * UnsortedSegmentSum, Conv2DBackpropFilter and depthwise gradient kernels registered (without them
 * no embedding and no convolution can be trained there), then the pure-JS `cpu` backend (correct, very slow).
 *
 * Reproducibility: with the same seed, weight initialisation, shuffling and dropout are the same.
 * On `cpu` and `wasm` a training run is bit-reproducible on the same machine and backend (all
 * kernels are single-threaded and deterministic; ours sum in a fixed order). Across backends the
 * results differ in the last bits (different summation order and SIMD), and tfjs-node is not
 * guaranteed bit-reproducible (TensorFlow's multi-threaded reductions).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { depthwiseBackpropFilter, depthwiseBackpropInput } from './depthwise-gradients';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_PREFERENCE: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

export interface RuntimeInfo {
  readonly backend: BackendName;
  /** Why a preferred backend was passed over, one line each. */
  readonly skipped: readonly string[];
}

let current: RuntimeInfo | null = null;
let kernelsRegistered = false;

/** The tfjs namespace models build on (one instance for the whole process). */
export { tf };

// Before anything can touch a backend: no debug checks, and no "install tfjs-node" banner from a
// tensor made before initRuntime ran; the chosen backend is reported instead.
tf.enableProdMode();

/**
 * Picks and initialises the fastest backend that loads, once per process; later calls return the
 * first answer. `only` forces one backend (tests, benchmarks) and throws when it cannot load.
 */
export async function initRuntime(only?: BackendName): Promise<RuntimeInfo> {
  if (current && (only === undefined || current.backend === only)) return current;
  // Nodes of one process start together: they must share one choice, not race to two backends.
  if (pending && only === undefined) return pending;
  const choosing = chooseBackend(only);
  if (only === undefined) pending = choosing;
  try {
    return await choosing;
  } finally {
    if (pending === choosing) pending = null;
  }
}

let pending: Promise<RuntimeInfo> | null = null;

async function chooseBackend(only?: BackendName): Promise<RuntimeInfo> {
  const skipped: string[] = [];
  for (const name of only ? [only] : BACKEND_PREFERENCE) {
    const why = await tryBackend(name);
    if (why === null) {
      current = { backend: name, skipped };
      return current;
    }
    skipped.push(`${name}: ${why}`);
  }
  throw new Error(`no TensorFlow.js backend could be initialised (${skipped.join('; ')})`);
}

/**
 * One forward pass (inference) of a model on inputs already batched. LayersModel.predict first
 * copies its inputs batch by batch, a slice that the wasm backend reads back through JavaScript:
 * 3 of the cell network's 8 ms on a 320x240 frame. apply runs the same layers on the tensors as
 * they are.
 */
export function forward(model: tf.LayersModel, inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return model.apply(inputs, { training: false }) as tf.Tensor;
}

/** The backend chosen by initRuntime, or null before it ran. */
export function runtimeInfo(): RuntimeInfo | null {
  return current;
}

async function tryBackend(name: BackendName): Promise<string | null> {
  try {
    if (name === 'tensorflow') {
      // A present but unloadable native addon throws here, not only a missing module.
      require('@tensorflow/tfjs-node');
    } else if (name === 'wasm') {
      require('@tensorflow/tfjs-backend-wasm');
      registerWasmTrainingKernels();
    }
    const ok = await tf.setBackend(name);
    if (!ok) return 'setBackend returned false';
    await tf.ready();
    return null;
  } catch (error) {
    return error instanceof Error ? error.message.split('\n')[0] : String(error);
  }
}

/** Registers the training kernels wasm lacks; idempotent. Exported for the kernel tests. */
export function registerWasmTrainingKernels(): void {
  if (kernelsRegistered) return;
  kernelsRegistered = true;
  tf.registerKernel({ kernelName: 'UnsortedSegmentSum', backendName: 'wasm', kernelFunc: unsortedSegmentSum as unknown as tf.KernelFunc });
  tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2DBackpropFilter as unknown as tf.KernelFunc });
  // wasm has its own Conv2DBackpropInput, but a naive one: 30-50x slower than this Conv2D form.
  tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  tf.registerKernel({ kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: conv2DBackpropInput as unknown as tf.KernelFunc });
  tf.registerKernel({ kernelName: 'DepthwiseConv2dNativeBackpropFilter', backendName: 'wasm', kernelFunc: depthwiseBackpropFilter as unknown as tf.KernelFunc });
  tf.registerKernel({ kernelName: 'DepthwiseConv2dNativeBackpropInput', backendName: 'wasm', kernelFunc: depthwiseBackpropInput as unknown as tf.KernelFunc });
}

interface KernelArgs<A> {
  readonly inputs: Record<string, tf.TensorInfo>;
  readonly backend: tf.KernelBackend;
  readonly attrs: A;
}

/**
 * out[s] = sum of x rows whose segment id is s (the gradient of gather, so of every embedding).
 * A plain loop over x's rows: O(rows x width), where the reference cpu kernel loops over every
 * segment for every row.
 */
function unsortedSegmentSum({ inputs, backend, attrs }: KernelArgs<{ numSegments: number }>): tf.TensorInfo {
  const x = inputs.x;
  const ids = inputs.segmentIds;
  if (x.dtype !== 'float32') throw new Error(`UnsortedSegmentSum (wasm): x must be float32, got ${x.dtype}`);
  const values = backend.readSync(x.dataId) as Float32Array;
  const segmentIds = backend.readSync(ids.dataId) as Int32Array | Float32Array;
  const idCount = ids.shape.reduce((a, b) => a * b, 1);
  const width = idCount === 0 ? 0 : values.length / idCount;
  const outShape = [attrs.numSegments, ...x.shape.slice(ids.shape.length)];
  const out = new Float32Array(attrs.numSegments * width);
  for (let row = 0; row < idCount; row++) {
    const segment = segmentIds[row];
    if (segment < 0 || segment >= attrs.numSegments) continue; // TensorFlow drops out-of-range ids
    const src = row * width;
    const dst = segment * width;
    for (let k = 0; k < width; k++) out[dst + k] += values[src + k];
  }
  return { dataId: backend.write(out, outShape, 'float32'), shape: outShape, dtype: 'float32' };
}

interface Conv2DGradientAttrs {
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

interface Conv2DBackpropFilterAttrs extends Conv2DGradientAttrs {
  filterShape: [number, number, number, number];
}

interface Conv2DBackpropInputAttrs extends Conv2DGradientAttrs {
  inputShape: [number, number, number, number];
}

/** Copies a kernel input into a tensor of its own (wrapping its data id inside tidy would free it). */
function ownTensor4d(backend: tf.KernelBackend, info: tf.TensorInfo): tf.Tensor4D {
  return tf.tensor4d(backend.readSync(info.dataId) as Float32Array, info.shape as [number, number, number, number]);
}

function writeResult(backend: tf.KernelBackend, result: tf.Tensor): tf.TensorInfo {
  const values = result.dataSync() as Float32Array;
  const shape = result.shape;
  result.dispose();
  return { dataId: backend.write(values, shape, 'float32'), shape, dtype: 'float32' };
}

/**
 * dW[i, j, ci, co] = sum over n, y, x of x[n, i + y*s, j + x*s, ci] * dy[n, y, x, co], computed as
 * ONE convolution on the backend's fast Conv2D: channels become the batch, the batch becomes the
 * channels, and dy is the filter, dilated by the stride. Far faster on wasm than a matMul per tap.
 */
function conv2DBackpropFilter({ inputs, backend, attrs }: KernelArgs<Conv2DBackpropFilterAttrs>): tf.TensorInfo {
  if (attrs.dataFormat !== 'NHWC') throw new Error(`Conv2DBackpropFilter (wasm): only NHWC is supported, got ${attrs.dataFormat}`);
  const [kh, kw, cin, cout] = attrs.filterShape;
  const info = tf.backend_util.computeConv2DInfo(
    inputs.x.shape as [number, number, number, number], attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode,
  );
  const result = tf.tidy(() => {
    const x = ownTensor4d(backend, inputs.x);
    const dy = ownTensor4d(backend, inputs.dy);
    const p = info.padInfo;
    const padded = tf.pad(x, [[0, 0], [p.top, p.bottom], [p.left, p.right], [0, 0]]);
    const channelsAsBatch = padded.transpose([3, 1, 2, 0]) as tf.Tensor4D; // [cin, H, W, n]
    const dyAsFilter = dy.transpose([1, 2, 0, 3]) as tf.Tensor4D; // [oh, ow, n, cout]
    const full = tf.conv2d(channelsAsBatch, dyAsFilter, 1, 'valid', 'NHWC', [info.strideHeight, info.strideWidth]);
    return full.slice([0, 0, 0, 0], [cin, kh, kw, cout]).transpose([1, 2, 0, 3]);
  });
  return writeResult(backend, result);
}

/**
 * dx = dy with stride-1 zeros inserted, correlated with the filter rotated by 180 degrees and its
 * channels swapped: the transposed convolution, again as one fast Conv2D.
 */
function conv2DBackpropInput({ inputs, backend, attrs }: KernelArgs<Conv2DBackpropInputAttrs>): tf.TensorInfo {
  if (attrs.dataFormat !== 'NHWC') throw new Error(`Conv2DBackpropInput (wasm): only NHWC is supported, got ${attrs.dataFormat}`);
  const [n, height, width, cin] = attrs.inputShape;
  const filterShape = inputs.filter.shape as [number, number, number, number];
  const [kh, kw, , cout] = filterShape;
  const info = tf.backend_util.computeConv2DInfo(attrs.inputShape, filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const sh = info.strideHeight;
  const sw = info.strideWidth;
  const result = tf.tidy(() => {
    let dy = ownTensor4d(backend, inputs.dy);
    const filter = ownTensor4d(backend, inputs.filter);
    const [, oh, ow] = dy.shape;
    if (sh > 1 || sw > 1) {
      // Insert stride-1 zeros between rows and columns: [n, oh, 1, ow, 1, c] padded, then merged.
      dy = dy
        .reshape([n, oh, 1, ow, 1, cout])
        .pad([[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]])
        .reshape([n, oh * sh, ow * sw, cout])
        .slice([0, 0, 0, 0], [n, (oh - 1) * sh + 1, (ow - 1) * sw + 1, cout]) as tf.Tensor4D;
    }
    const top = kh - 1 - info.padInfo.top;
    const left = kw - 1 - info.padInfo.left;
    const bottom = height + kh - 1 - top - dy.shape[1];
    const right = width + kw - 1 - left - dy.shape[2];
    const cropTop = Math.max(0, -top);
    const cropLeft = Math.max(0, -left);
    let padded = dy.pad([[0, 0], [Math.max(0, top), Math.max(0, bottom)], [Math.max(0, left), Math.max(0, right)], [0, 0]]) as tf.Tensor4D;
    if (cropTop > 0 || cropLeft > 0 || bottom < 0 || right < 0) {
      padded = padded.slice([0, cropTop, cropLeft, 0], [n, height + kh - 1, width + kw - 1, cout]) as tf.Tensor4D;
    }
    const rotated = filter.reverse([0, 1]).transpose([0, 1, 3, 2]) as tf.Tensor4D; // [kh, kw, cout, cin]
    return tf.conv2d(padded, rotated, 1, 'valid');
  });
  if (result.shape[3] !== cin) throw new Error('Conv2DBackpropInput (wasm): channel mismatch');
  return writeResult(backend, result);
}

/** A small, fast, seedable PRNG (mulberry32) for shuffling, dropout masks and data generation. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates shuffle of 0..n-1 with a seeded PRNG. */
export function seededPermutation(n: number, random: () => number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

const MODEL_FILE = 'model.json';
const WEIGHTS_FILE = 'weights.bin';

/** Writes model.json + weights.bin into `dir` (created if missing), the layout tfjs-node writes. */
export async function saveModel(model: tf.LayersModel, dir: string, options: { includeOptimizer?: boolean } = {}): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      if (!artifacts.weightSpecs || !artifacts.weightData) throw new Error(`saving ${dir}: the model produced no weights`);
      const modelJson = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        trainingConfig: artifacts.trainingConfig,
        weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs }],
      };
      const data = artifacts.weightData as ArrayBuffer;
      fs.writeFileSync(path.join(dir, WEIGHTS_FILE), Buffer.from(data));
      fs.writeFileSync(path.join(dir, MODEL_FILE), JSON.stringify(modelJson));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: data.byteLength } };
    }),
    { includeOptimizer: options.includeOptimizer ?? false },
  );
}

/** Loads what saveModel wrote; errors name the file that is missing or broken. */
export async function loadModel(dir: string): Promise<tf.LayersModel> {
  // Building the layers makes tensors: the backend must be chosen and ready first, whoever loads
  // (a backend that starts asynchronously would otherwise race the first weights).
  await initRuntime();
  const modelPath = path.join(dir, MODEL_FILE);
  const weightsPath = path.join(dir, WEIGHTS_FILE);
  let modelJson: { modelTopology?: object; weightsManifest?: { weights: tf.io.WeightsManifestEntry[] }[]; trainingConfig?: tf.io.TrainingConfig };
  try {
    modelJson = JSON.parse(fs.readFileSync(modelPath, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read model ${modelPath}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!modelJson.modelTopology || !Array.isArray(modelJson.weightsManifest)) {
    throw new Error(`${modelPath} is not a TensorFlow.js layers model (no modelTopology or weightsManifest)`);
  }
  if (!fs.existsSync(weightsPath)) throw new Error(`model weights missing: ${weightsPath}`);
  const buffer = fs.readFileSync(weightsPath);
  const weightData = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
  const weightSpecs = modelJson.weightsManifest.flatMap((group) => group.weights);
  return tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs, weightData, trainingConfig: modelJson.trainingConfig }),
  );
}
