import * as assert from 'assert';
import { createCellModel, createObjectClassifier, DEFAULT_PERCEPTION_OPTIONS, OBJECT_CHANNELS, OBJECT_SLICES } from '../models/visual/perception-model';
import { distillationLoss, labelledFrames, trainObjectClassifier } from '../models/visual/train-perception';
import { runVisualTraining } from '../models/visual/pipeline';
import { initRuntime, seededRandom, tf } from '../models/runtime';

/** Logits for two objects: one sure of kind 0 and state 0, one split between kinds 1 and 2. */
function teacherLogits(): tf.Tensor2D {
  const rows = [new Float32Array(OBJECT_CHANNELS), new Float32Array(OBJECT_CHANNELS)];
  rows[0][OBJECT_SLICES.kind.start] = 8;
  rows[0][OBJECT_SLICES.state.start] = 8;
  rows[1][OBJECT_SLICES.kind.start + 1] = 3;
  rows[1][OBJECT_SLICES.kind.start + 2] = 3;
  rows[1][OBJECT_SLICES.state.start + 1] = 5;
  return tf.tensor2d([...rows[0], ...rows[1]], [2, OBJECT_CHANNELS]);
}

describe('object classifier distillation', () => {
  before(async () => {
    await initRuntime();
  });

  it('is lowest for a student that answers as the teacher does', () => {
    const teacher = teacherLogits();
    const same = distillationLoss(teacher, teacher).dataSync()[0];
    // Sure of kind 1 alone: right about the second object's kind, but not about its doubt.
    const sure = teacher.add(tf.oneHot([OBJECT_SLICES.kind.start + 1, OBJECT_SLICES.kind.start + 1], OBJECT_CHANNELS).mul(6)) as tf.Tensor2D;
    const flat = tf.zeros([2, OBJECT_CHANNELS]) as tf.Tensor2D;
    assert.ok(same < distillationLoss(sure, teacher).dataSync()[0]);
    assert.ok(same < distillationLoss(flat, teacher).dataSync()[0]);
    // The teacher's probabilities are the targets: a student with no preference pays log(choices)
    // per head whatever the teacher says.
    const uniform = Math.log(OBJECT_SLICES.kind.size) + Math.log(OBJECT_SLICES.state.size);
    assert.ok(Math.abs(distillationLoss(flat, teacher).dataSync()[0] - uniform) < 1e-4);
    tf.dispose([teacher, sure, flat]);
  });

  it('equals the entropy of the teacher\'s kind and state answers when the student matches it', () => {
    const teacher = teacherLogits();
    const entropy = (start: number, size: number) => {
      const p = tf.softmax(teacher.slice([0, start], [-1, size]));
      return tf.neg(p.mul(tf.log(p.add(1e-12))).sum(1)).mean().dataSync()[0];
    };
    const expected = entropy(OBJECT_SLICES.kind.start, OBJECT_SLICES.kind.size) + entropy(OBJECT_SLICES.state.start, OBJECT_SLICES.state.size);
    assert.ok(Math.abs(distillationLoss(teacher, teacher).dataSync()[0] - expected) < 1e-3);
    teacher.dispose();
  });
});

describe('object classifier trained further', () => {
  before(async () => {
    await initRuntime();
  });

  it('goes on from the weights it is given, at the rate it is given', async function () {
    this.timeout(60000);
    const frames = labelledFrames(1_234_001, 2);
    const cells = createCellModel(tf, { ...DEFAULT_PERCEPTION_OPTIONS, fineChannels: 8, coarseChannels: 8, seed: 3 });
    const start = createObjectClassifier(tf, 5, 8);
    const before = start.getWeights().map((w) => w.dataSync().slice());
    const options = { cellSteps: 0, objectSteps: 3, batchSize: 4, crop: 32, learningRate: 1, seed: 1 };
    const moved = (model: tf.LayersModel) => {
      let most = 0;
      model.getWeights().forEach((w, i) => w.dataSync().forEach((v, j) => (most = Math.max(most, Math.abs(v - before[i][j])))));
      return most;
    };
    const further = await trainObjectClassifier(frames, cells, { ...options, objectStart: start, objectLearningRate: 1e-4 }, seededRandom(1), () => {});
    assert.strictEqual(further, start);
    // Three Adam steps of 1e-4 move no weight by more than 3e-4; a rate of 1 (learningRate) would.
    const step = moved(further);
    assert.ok(step > 0 && step <= 3.1e-4, `moved ${step}`);
    const anew = await trainObjectClassifier(frames, cells, options, seededRandom(1), () => {});
    assert.notStrictEqual(anew, start);
    tf.dispose([cells, start, anew].flatMap((m) => m.getWeights()));
  });

  it('is refused without the cell network whose regions it learnt', async () => {
    await assert.rejects(
      runVisualTraining({ seed: 1, outDir: '/nonexistent', objectsFrom: 'models/visual', perceptionFrames: 10, perceptionSteps: 1, objectSteps: 1, placeEpisodes: 1, groundingExamples: 1, scorerEpochs: 1, evaluationSituations: 1 }, { line() {}, phase() {}, tick() {} }),
      /--objects-from needs --cells-from/,
    );
  });
});
