import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { initRuntime, loadModel, saveModel, seededPermutation, seededRandom, tf } from '../models/runtime';

function maxRelativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.strictEqual(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i])));
  return worst;
}

/** Runs `compute` on wasm (our kernels) and on cpu (the reference kernels). */
async function onBothBackends(compute: () => Float32Array): Promise<[Float32Array, Float32Array]> {
  await tf.setBackend('wasm');
  const wasm = compute();
  await tf.setBackend('cpu');
  const cpu = compute();
  await tf.setBackend('wasm');
  return [wasm, cpu];
}

describe('models/runtime', () => {
  before(async () => {
    const info = await initRuntime();
    assert.strictEqual(info.backend, 'wasm', 'tfjs-node is not installable here, so wasm must be chosen');
  });

  it('reports why tfjs-node was passed over when it does not load', async () => {
    const info = await initRuntime();
    assert.ok(info.skipped.some((line) => line.startsWith('tensorflow: ')), info.skipped.join('; '));
  });

  it('computes UnsortedSegmentSum on wasm as the cpu reference does', async () => {
    const random = seededRandom(3);
    const values = Array.from({ length: 7 * 5 }, () => random() - 0.5);
    const ids = [4, 0, 4, 2, 1, 0, 4];
    const [wasm, cpu] = await onBothBackends(() =>
      tf.tidy(() => tf.unsortedSegmentSum(tf.tensor2d(values, [7, 5]), tf.tensor1d(ids, 'int32'), 6).dataSync() as Float32Array),
    );
    assert.ok(maxRelativeDifference(wasm, cpu) < 1e-6);
    assert.deepStrictEqual(Array.from(wasm.slice(25, 30)), [0, 0, 0, 0, 0], 'segment 5 has no row and stays zero');
  });

  it('trains an embedding on wasm with the gradient the cpu backend gives', async () => {
    const [wasm, cpu] = await onBothBackends(() =>
      tf.tidy(() => {
        const table = tf.variable(tf.tensor2d(Array.from({ length: 40 }, (_, i) => Math.sin(i)), [10, 4]));
        const ids = tf.tensor2d([[1, 2, 2, 9], [0, 1, 1, 1]], [2, 4], 'int32');
        const { grads } = tf.variableGrads(() => tf.gather(table, ids).square().sum() as tf.Scalar, [table]);
        const out = grads[table.name].dataSync() as Float32Array;
        table.dispose();
        return out;
      }),
    );
    assert.ok(maxRelativeDifference(wasm, cpu) < 1e-6);
  });

  for (const [label, strides, pad] of [
    ['stride 1, same padding', 1, 'same'],
    ['stride 2, valid padding', 2, 'valid'],
    ['stride 2, same padding', 2, 'same'],
  ] as const) {
    it(`computes Conv2DBackpropFilter on wasm as the cpu reference does (${label})`, async () => {
      const random = seededRandom(11);
      const x = Array.from({ length: 2 * 9 * 8 * 3 }, () => random() - 0.5);
      const w = Array.from({ length: 3 * 3 * 3 * 4 }, () => random() - 0.5);
      const [wasm, cpu] = await onBothBackends(() =>
        tf.tidy(() => {
          const input = tf.tensor4d(x, [2, 9, 8, 3]);
          const gradient = tf.grad((filter: tf.Tensor) => tf.conv2d(input, filter as tf.Tensor4D, strides, pad).square().sum());
          return gradient(tf.tensor4d(w, [3, 3, 3, 4])).dataSync() as Float32Array;
        }),
      );
      assert.ok(maxRelativeDifference(wasm, cpu) < 1e-5, `max relative difference ${maxRelativeDifference(wasm, cpu)}`);
    });
  }

  it('predicts identically after a save and load round trip', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'h2r-runtime-'));
    try {
      const input = tf.input({ shape: [6], dtype: 'int32' });
      const embedded = tf.layers.embedding({ inputDim: 20, outputDim: 4, embeddingsInitializer: tf.initializers.randomUniform({ minval: -1, maxval: 1, seed: 5 }) }).apply(input) as tf.SymbolicTensor;
      const flat = tf.layers.flatten().apply(embedded) as tf.SymbolicTensor;
      const output = tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 6 }) }).apply(flat) as tf.SymbolicTensor;
      const model = tf.model({ inputs: input, outputs: output });
      const x = tf.tensor2d([[1, 2, 3, 4, 5, 6], [19, 0, 7, 7, 2, 1]], [2, 6], 'int32');
      const before = (model.predict(x) as tf.Tensor).dataSync();
      await saveModel(model, dir);
      assert.ok(fs.existsSync(path.join(dir, 'model.json')) && fs.existsSync(path.join(dir, 'weights.bin')));
      const loaded = await loadModel(dir);
      const after = (loaded.predict(x) as tf.Tensor).dataSync();
      assert.deepStrictEqual(Array.from(after), Array.from(before));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the missing file when a model directory has no weights', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'h2r-runtime-'));
    try {
      fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify({ modelTopology: {}, weightsManifest: [] }));
      await assert.rejects(loadModel(dir), new RegExp(`model weights missing: ${path.join(dir, 'weights.bin').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
      fs.writeFileSync(path.join(dir, 'model.json'), '{ not json');
      await assert.rejects(loadModel(dir), /cannot read model .*model\.json/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shuffles the same way for the same seed', () => {
    assert.deepStrictEqual(seededPermutation(10, seededRandom(42)), seededPermutation(10, seededRandom(42)));
    assert.notDeepStrictEqual(seededPermutation(10, seededRandom(42)), seededPermutation(10, seededRandom(43)));
  });
});
