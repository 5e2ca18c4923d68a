/**
 * The TensorFlow.js runtime every model in the suite shares: backend choice, the training kernels
 * the wasm backend lacks, seeded randomness, and model files without tfjs-node.
 *
 * Backend order: `tensorflow` (tfjs-node, when its native library loads), then `wasm` with our
 * UnsortedSegmentSum and Conv2DBackpropFilter kernels registered (without them no embedding and
 * no convolution can be trained there), then the pure-JS `cpu` backend (correct, very slow).
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

/**
 * Picks and initialises the fastest backend that loads, once per process; later calls return the
 * first answer. `only` forces one backend (tests, benchmarks) and throws when it cannot load.
 */
export async function initRuntime(only?: BackendName): Promise<RuntimeInfo> {
  if (current && (only === undefined || current.backend === only)) return current;
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
    tf.enableProdMode(); // no debug checks, no "install tfjs-node" banner: the chosen backend is reported instead
    const ok = await tf.setBackend(name);
    if (!ok) return 'setBackend returned false';
    await tf.ready();
    return null;
  } catch (error) {
    return error instanceof Error ? error.message.split('\n')[0] : String(error);
  }
}

/** Registers the two training kernels wasm lacks; idempotent. Exported for the kernel tests. */
export function registerWasmTrainingKernels(): void {
  if (kernelsRegistered) return;
  kernelsRegistered = true;
  tf.registerKernel({ kernelName: 'UnsortedSegmentSum', backendName: 'wasm', kernelFunc: unsortedSegmentSum as unknown as tf.KernelFunc });
  tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2DBackpropFilter as unknown as tf.KernelFunc });
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

interface Conv2DBackpropFilterAttrs {
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/**
 * dW[i, j] = patches(x, i, j)^T . dy: one matMul per filter tap, on the backend's fast matMul.
 * The inputs are copied into fresh tensors (wrapping their data ids inside the gradient's tidy
 * would free dy under the caller); the filter-sized result is copied back out.
 */
function conv2DBackpropFilter({ inputs, backend, attrs }: KernelArgs<Conv2DBackpropFilterAttrs>): tf.TensorInfo {
  if (attrs.dataFormat !== 'NHWC') throw new Error(`Conv2DBackpropFilter (wasm): only NHWC is supported, got ${attrs.dataFormat}`);
  const xInfo = inputs.x;
  const dyInfo = inputs.dy;
  const filterShape = attrs.filterShape;
  const info = tf.backend_util.computeConv2DInfo(
    xInfo.shape as [number, number, number, number], filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode,
  );
  const [kh, kw, cin, cout] = filterShape;
  const result = tf.tidy(() => {
    const x = tf.tensor4d(backend.readSync(xInfo.dataId) as Float32Array, xInfo.shape as [number, number, number, number]);
    const dy = tf.tensor2d(backend.readSync(dyInfo.dataId) as Float32Array, [dyInfo.shape.slice(0, 3).reduce((a, b) => a * b, 1), cout]);
    const p = info.padInfo;
    const padded = tf.pad(x, [[0, 0], [p.top, p.bottom], [p.left, p.right], [0, 0]]);
    const taps: tf.Tensor2D[] = [];
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const patch = tf.stridedSlice(
          padded,
          [0, i, j, 0],
          [info.batchSize, i + (info.outHeight - 1) * info.strideHeight + 1, j + (info.outWidth - 1) * info.strideWidth + 1, cin],
          [1, info.strideHeight, info.strideWidth, 1],
        ) as tf.Tensor4D;
        taps.push(tf.matMul(patch.reshape([-1, cin]), dy, true, false));
      }
    }
    return tf.stack(taps).reshape(filterShape);
  });
  const values = result.dataSync() as Float32Array;
  result.dispose();
  return { dataId: backend.write(values, filterShape, 'float32'), shape: filterShape, dtype: 'float32' };
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
