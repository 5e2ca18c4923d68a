import { strict as assert } from 'node:assert';
import { createEpisode, runEpisode, type Episode } from '../sim/episode';
import { SCENARIOS, type MistakeType } from '../sim/types';

const MISTAKES: readonly Exclude<MistakeType, 'none'>[] = ['wrong_object', 'wrong_action', 'wrong_region', 'wrong_pose', 'wrong_relation'];
const SEEDS = Array.from({ length: 20 }, (_, i) => i);

/** A correction time inside the window, spread over it by the seed, at least two steps before no return. */
function inWindow(ep: Episode, seed: number): number {
  const { visibleAt, pointOfNoReturnAt, dt } = ep.spec;
  assert.ok(visibleAt !== null && pointOfNoReturnAt !== null);
  const latest = pointOfNoReturnAt - 2 * dt;
  return visibleAt + ((latest - visibleAt) * (seed % 5)) / 4;
}

describe('simulated episodes', () => {
  for (const scenario of SCENARIOS) {
    it(`${scenario}: normal episodes succeed without any correction`, () => {
      for (const seed of SEEDS) {
        const ep = createEpisode({ scenario, seed, mistake: 'none' });
        const r = runEpisode(ep);
        assert.equal(r.outcome, 'succeeded', `${ep.spec.id}: ${r.state.events.map((e) => e.detail).join(' | ')}`);
        assert.equal(ep.spec.truth.failure, null);
      }
    });

    for (const mistake of MISTAKES) {
      describe(`${scenario} ${mistake}`, () => {
        it('ends in the failure the truth names when nobody intervenes', () => {
          for (const seed of SEEDS) {
            const ep = createEpisode({ scenario, seed, mistake });
            const r = runEpisode(ep);
            assert.equal(r.outcome, 'failed', `${ep.spec.id} did not fail`);
            assert.equal(r.failure, ep.spec.truth.failure, `${ep.spec.id}: ${ep.spec.truth.description}`);
          }
        });

        it("succeeds when the truth's correction arrives between the visible moment and the point of no return", () => {
          for (const seed of SEEDS) {
            const ep = createEpisode({ scenario, seed, mistake });
            const correction = ep.spec.truth.correction;
            assert.ok(correction, `${ep.spec.id} has no correction`);
            const at = inWindow(ep, seed);
            const r = runEpisode(ep, [{ at, command: correction }]);
            assert.equal(r.outcome, 'succeeded', `${ep.spec.id} corrected at ${at.toFixed(2)} s: ${r.failure} ${r.state.events.map((e) => e.detail).join(' | ')}`);
            assert.equal(r.corrections[0]?.tooLate, false);
          }
        });

        it('cannot be saved by the same correction after the point of no return, and says it came too late', () => {
          for (const seed of SEEDS) {
            const ep = createEpisode({ scenario, seed, mistake });
            const at = (ep.spec.pointOfNoReturnAt as number) + 2 * ep.spec.dt;
            const r = runEpisode(ep, [{ at, command: ep.spec.truth.correction! }]);
            assert.notEqual(r.outcome, 'succeeded', `${ep.spec.id} was saved at ${at.toFixed(2)} s`);
            if (r.corrections.length > 0) {
              assert.equal(r.corrections[0]?.tooLate, true);
              assert.match(r.corrections[0]?.detail ?? '', /too late: after the point of no return/);
            }
          }
        });

        it('becomes visible 0.8 to 4.5 s before its point of no return, and the window varies with the seed', () => {
          const windows = SEEDS.map((seed) => {
            const { visibleAt, pointOfNoReturnAt } = createEpisode({ scenario, seed, mistake }).spec;
            return (pointOfNoReturnAt as number) - (visibleAt as number);
          });
          for (const w of windows) assert.ok(w >= 0.8 && w <= 4.5, `window ${w.toFixed(2)} s`);
          assert.ok(Math.max(...windows) - Math.min(...windows) > 0.2, 'windows do not vary');
        });
      });
    }
  }

  it('reports the moment a mistake becomes visible and its point of no return as episode events', () => {
    const ep = createEpisode({ scenario: 'kitchen', seed: 4, mistake: 'wrong_object' });
    const r = runEpisode(ep);
    const visible = r.state.events.find((e) => e.event === 'mistake_visible');
    const noReturn = r.state.events.find((e) => e.event === 'point_of_no_return');
    assert.ok(visible && noReturn);
    assert.ok(Math.abs(visible.t - (ep.spec.visibleAt as number)) < 1e-6);
    assert.ok(Math.abs(noReturn.t - (ep.spec.pointOfNoReturnAt as number)) < 1e-6);
    assert.deepEqual(
      r.state.events.map((e) => e.event),
      ['started', 'mistake_visible', 'point_of_no_return', 'failed'],
    );
  });

  it('puts a tabletop block, when no block marks the place, where a person names it: in front of them', () => {
    for (const seed of SEEDS) {
      const { scene, truth } = createEpisode({ scenario: 'tabletop', seed, mistake: 'wrong_region' }).spec;
      const goal = truth.region?.centre;
      assert.ok(goal, `seed ${seed}: no region`);
      // "In front of me" (what a person names a place by when no block marks it): straight ahead, within reach.
      assert.ok(goal.x >= 0.22 && goal.x <= 0.28 && Math.abs(goal.y - scene.person.position.y) <= 0.03 + 1e-9, `seed ${seed}: goal at (${goal.x.toFixed(2)}, ${goal.y.toFixed(2)})`);
    }
  });

  it('places a tabletop block by one the person can name by its colour', () => {
    for (const seed of SEEDS) {
      const { scene, truth } = createEpisode({ scenario: 'tabletop', seed, mistake: 'wrong_relation' }).spec;
      const reference = scene.objects.find((o) => o.id === truth.referenceObject);
      assert.ok(reference, `seed ${seed}: no reference`);
      assert.deepEqual(scene.objects.filter((o) => o.colour === reference.colour).map((o) => o.id), [reference.id], `seed ${seed}`);
    }
  });

  it('draws a random mistake from the seed when asked for random', () => {
    const drawn = new Set(SEEDS.map((seed) => createEpisode({ scenario: 'tabletop', seed, mistake: 'random' }).spec.mistake));
    assert.ok(drawn.size >= 4, `only ${[...drawn].join(', ')}`);
    assert.equal(createEpisode({ scenario: 'tabletop', seed: 7, mistake: 'random' }).spec.mistake, createEpisode({ scenario: 'tabletop', seed: 7, mistake: 'random' }).spec.mistake);
  });

  it('varies the scene from seed to seed: the person\'s cup differs in colour and place', () => {
    const cups = SEEDS.map((seed) => {
      const { scene, task } = createEpisode({ scenario: 'kitchen', seed, mistake: 'none' }).spec;
      const cup = scene.objects.find((o) => task.scenario === 'kitchen' && o.id === task.cup)!;
      return cup;
    });
    assert.ok(new Set(cups.map((c) => c.colour)).size >= 5);
    const xs = cups.map((c) => c.position.x);
    const ys = cups.map((c) => c.position.y);
    assert.ok(Math.max(...xs) - Math.min(...xs) > 0.2 && Math.max(...ys) - Math.min(...ys) > 0.4);
    assert.ok(new Set(SEEDS.map((seed) => createEpisode({ scenario: 'factory', seed }).spec.scene.objects.length)).size >= 3);
  });

  it('rejects a negative seed and a missing scenario with clear messages', () => {
    assert.throws(() => createEpisode({ scenario: 'kitchen', seed: -1 }), /seed must be a non-negative integer, got -1/);
    assert.throws(() => createEpisode({ seed: 1 }), /give a scenario or a scene/);
    assert.throws(() => createEpisode({ scenario: 'kitchen', seed: 1, dt: 0 }), /dt must be in \(0, 0.2\] s, got 0/);
  });
});
