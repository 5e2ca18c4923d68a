import * as assert from 'assert';
import { initRuntime, seededRandom, tf } from '../models/runtime';
import { aimedPoints, FEATURE_COUNT } from '../models/visual/grounding-features';
import type { GroundingExample } from '../models/visual/grounding-data';
import { trainScorer } from '../models/visual/train-scorer';
import { sampleSituation } from '../models/visual/situations';
import { scoreInstances } from '../models/visual/attention-stage';
import { createScorerModel, ScorerEvaluator } from '../models/visual/scorer-model';
import { loadModel } from '../models/runtime';
import * as path from 'path';
import { DEFAULT_VISUAL_MODEL_DIR } from '../models/visual/visual-stage';

describe('grounding scorer', () => {
  before(async () => {
    await initRuntime();
  });

  it('scores in plain TypeScript as the tfjs scorer does (committed and untrained)', async () => {
    const random = seededRandom(9);
    for (const model of [await loadModel(path.join(DEFAULT_VISUAL_MODEL_DIR, 'scorer')), createScorerModel(tf, { hidden: 5, seed: 2 })]) {
      const evaluator = ScorerEvaluator.from(model);
      assert.ok(evaluator);
      for (const count of [1, 3, 17]) {
        const features = Array.from({ length: count }, () => Array.from({ length: FEATURE_COUNT }, () => -4 * random()));
        const expected = scoreInstances(tf, model, features);
        const got = scoreInstances(tf, evaluator, features);
        assert.equal(got.length, count);
        for (let i = 0; i < count; i++) assert.ok(Math.abs(got[i] - expected[i]) < 1e-5, `${i}: ${got[i]} vs ${expected[i]}`);
      }
    }
    const other = tf.sequential({ layers: [tf.layers.dense({ inputShape: [FEATURE_COUNT], units: 1, name: 'hidden' })] });
    assert.equal(ScorerEvaluator.from(other), null, 'a model of another shape is left to tfjs');
  });

  it('never scores an instance lower for more evidence: every weight stays non-negative through training', async () => {
    const random = seededRandom(3);
    // Frames whose target has the highest first feature but, among the rest, low values of the
    // others: an unconstrained scorer learns negative weights for those.
    const examples: GroundingExample[] = Array.from({ length: 64 }, (_, e) => {
      const features = Array.from({ length: 4 }, () => Array.from({ length: FEATURE_COUNT }, () => -3 * random()));
      const target = e % 4;
      features[target][0] = 0;
      for (let f = 1; f < FEATURE_COUNT; f++) features[target][f] = -3;
      return { seed: e, source: 'kitchen', mistake: 'wrong_object', text: '', features, target };
    });
    const model = await trainScorer(examples, { epochs: 8, batchSize: 16, learningRate: 0.05, seed: 1 });
    for (const layer of model.layers) {
      for (const weight of layer.trainableWeights) {
        if (!weight.name.includes('kernel')) continue;
        const min = Math.min(...(weight.read().dataSync() as Float32Array));
        assert.ok(min >= 0, `${weight.name} has a negative weight ${min}`);
      }
    }
    const score = (row: number[]) => tf.tidy(() => (model.predict(tf.tensor3d([[row]], [1, 1, FEATURE_COUNT])) as tf.Tensor).dataSync()[0]);
    const base = Array.from({ length: FEATURE_COUNT }, () => -2);
    for (let f = 0; f < FEATURE_COUNT; f++) {
      const more = [...base];
      more[f] = 0;
      assert.ok(score(more) >= score(base) - 1e-6, `feature ${f}`);
    }
    model.dispose();
  });

  it('learns from no wrong-object reminder that names the very object the robot aims at', () => {
    let checked = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const situation = sampleSituation(seed);
      const aims = aimedPoints(situation.robot);
      const target = situation.state?.objects.find((o) => o.id === situation.targetId);
      if (situation.meaning.mistake !== 'wrong_object' || aims.length === 0 || !target) continue;
      checked++;
      for (const aim of aims) assert.ok(Math.hypot(target.base.x - aim.x, target.base.y - aim.y) >= 0.03, `situation ${seed} names ${situation.targetId}, the object aimed at`);
    }
    assert.ok(checked >= 50, `only ${checked} wrong-object situations with an aim`);
  });
});
