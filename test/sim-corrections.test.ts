import { strict as assert } from 'node:assert';
import { createEpisode, runEpisode, stepEpisode, type Episode } from '../sim/episode';
import { applyCorrection } from '../sim/corrections';
import { isDrinkingVessel, isVessel } from '../sim/world';
import type { Vec3 } from '../sim/types';

const mid = (ep: Episode): number => ((ep.spec.visibleAt as number) + (ep.spec.pointOfNoReturnAt as number)) / 2;

/** First seed from `from` whose episode satisfies `ok`. */
function findEpisode(make: (seed: number) => Episode, ok: (ep: Episode) => boolean, from = 0): Episode {
  for (let seed = from; seed < from + 200; seed++) {
    const ep = make(seed);
    if (ok(ep)) return ep;
  }
  throw new Error('no seed in 200 gives such an episode');
}

describe('corrections', () => {
  it('retargeting a wrong cup to yet another wrong cup still serves the wrong cup', () => {
    const ep = findEpisode(
      (seed) => createEpisode({ scenario: 'kitchen', seed, mistake: 'wrong_object' }),
      (e) => e.spec.scene.objects.filter((o) => isDrinkingVessel(o.kind)).length >= 3,
    );
    const { truth } = ep.spec;
    const third = ep.spec.scene.objects.find((o) => isDrinkingVessel(o.kind) && o.id !== truth.target && o.id !== truth.wrongObject)!;
    const r = runEpisode(ep, [{ at: ep.spec.visibleAt as number, command: { kind: 'retarget', targetObject: third.id } }]);
    assert.equal(r.outcome, 'failed');
    assert.equal(r.failure, 'wrong_object_delivered');
  });

  it('a needless retarget in a normal episode makes it fail', () => {
    const ep = createEpisode({ scenario: 'kitchen', seed: 2, mistake: 'none' });
    const task = ep.spec.task;
    assert.equal(task.scenario, 'kitchen');
    const other = ep.spec.scene.objects.find((o) => isDrinkingVessel(o.kind) && task.scenario === 'kitchen' && o.id !== task.cup)!;
    const r = runEpisode(ep, [{ at: 1, command: { kind: 'retarget', targetObject: other.id } }]);
    assert.equal(r.failure, 'wrong_object_delivered');
  });

  it("a point inside the truth's region saves a pour beside the cup; a bare spot elsewhere spills", () => {
    const ep = findEpisode(
      (seed) => createEpisode({ scenario: 'kitchen', seed, mistake: 'wrong_region' }),
      (e) => e.spec.truth.failure === 'spill',
    );
    const region = ep.spec.truth.region!;
    const inside: Vec3 = { x: region.centre.x + 0.7 * region.radius, y: region.centre.y, z: 0 };
    const saved = runEpisode(ep, [{ at: mid(ep), command: { kind: 'move_region', region: { centre: inside, radius: 0.01 } } }]);
    assert.equal(saved.outcome, 'succeeded');
    // A spot on the table far from every vessel.
    let bare: Vec3 | null = null;
    for (let x = -0.3; x <= 0.3 && !bare; x += 0.05) {
      for (let y = -0.45; y <= 0.45 && !bare; y += 0.05) {
        if (ep.spec.scene.objects.every((o) => !isVessel(o.kind) || Math.hypot(o.position.x - x, o.position.y - y) > 0.15)) bare = { x, y, z: 0 };
      }
    }
    assert.ok(bare);
    const spilled = runEpisode(ep, [{ at: mid(ep), command: { kind: 'move_region', region: { centre: bare, radius: 0.01 } } }]);
    assert.equal(spilled.failure, 'spill');
  });

  it('pointing at another bin drops the defective gear into that bin', () => {
    const ep = createEpisode({ scenario: 'factory', seed: 5, mistake: 'wrong_region' });
    const other = ep.spec.scene.objects.find((o) => o.kind === 'bin' && o.id !== ep.spec.truth.target && o.id !== ep.spec.truth.wrongObject);
    const wrongBin = ep.spec.scene.objects.find((o) => o.id === ep.spec.truth.wrongObject)!;
    const aim = other ?? wrongBin;
    const r = runEpisode(ep, [{ at: mid(ep), command: { kind: 'move_region', region: { centre: aim.position, radius: 0.05 } } }]);
    assert.equal(r.failure, 'wrong_bin');
    const saved = runEpisode(ep, [{ at: mid(ep), command: { kind: 'retarget', targetObject: ep.spec.truth.target! } }]);
    assert.equal(saved.outcome, 'succeeded', 'naming the reject bin saves it too');
  });

  it('a block put down outside the goal region fails even when the person pointed there', () => {
    const ep = createEpisode({ scenario: 'tabletop', seed: 3, mistake: 'wrong_region' });
    const region = ep.spec.truth.region!;
    const off = { x: region.centre.x, y: region.centre.y + region.radius + 0.05, z: 0 };
    assert.equal(runEpisode(ep, [{ at: mid(ep), command: { kind: 'move_region', region: { centre: off, radius: 0.01 } } }]).failure, 'not_delivered');
    const edge = { x: region.centre.x, y: region.centre.y + 0.7 * region.radius, z: 0 };
    assert.equal(runEpisode(ep, [{ at: mid(ep), command: { kind: 'move_region', region: { centre: edge, radius: 0.01 } } }]).outcome, 'succeeded');
  });

  it('another bad grip does not fix a bad grip', () => {
    const ep = createEpisode({ scenario: 'factory', seed: 1, mistake: 'wrong_pose' });
    assert.equal(runEpisode(ep, [{ at: mid(ep), command: { kind: 'adjust_pose', grasp: 'rim' } }]).failure, 'drop');
  });

  it('telling a placing robot to drop the block instead makes it fall', () => {
    const ep = findEpisode((seed) => createEpisode({ scenario: 'tabletop', seed, mistake: 'none' }), (e) => e.spec.task.scenario === 'tabletop' && e.spec.task.delivery === 'place');
    assert.equal(runEpisode(ep, [{ at: 1, command: { kind: 'change_action', action: 'drop' } }]).failure, 'drop');
  });

  it('halts and holds: the episode waits, then fails on resume without a fix and succeeds with one', () => {
    const ep = createEpisode({ scenario: 'tabletop', seed: 6, mistake: 'wrong_object' });
    const t = mid(ep);
    const halted = runEpisode(ep, [{ at: t, command: { kind: 'halt' } }]);
    assert.equal(halted.outcome, 'halted');
    const tip = (s: typeof halted.state): Vec3 => s.robot.tip.p;
    let s = ep.state;
    s = runUntil(ep, s, t);
    s = applyCorrection(ep.spec, s, { kind: 'halt' }).state;
    const before = tip(s);
    for (let i = 0; i < 20; i++) s = stepOnce(ep, s);
    assert.deepEqual(tip(s), before, 'a halted robot does not move');
    assert.equal(s.status, 'halted');
    const resumed = runEpisode(ep, [{ at: t, command: { kind: 'halt' } }, { at: t + 1, command: { kind: 'resume' } }]);
    assert.equal(resumed.failure, ep.spec.truth.failure);
    const fixed = runEpisode(ep, [{ at: t, command: { kind: 'halt' } }, { at: t + 1, command: ep.spec.truth.correction! }]);
    assert.equal(fixed.outcome, 'succeeded');
  });

  it('rejects corrections it cannot apply, saying why, and leaves the episode as it was', () => {
    const ep = createEpisode({ scenario: 'kitchen', seed: 1, mistake: 'wrong_object' });
    const cases: [Parameters<typeof applyCorrection>[2], RegExp][] = [
      [{ kind: 'retarget', targetObject: 'cup_99' }, /retarget to cup_99 rejected: target_object 'cup_99' is not in the scene/],
      [{ kind: 'adjust_pose', grasp: 'sideways' as never }, /grasp 'sideways' is not one of side, centre, rim, tilted, off_centre/],
      [{ kind: 'change_action', action: 'grasp' }, /action 'grasp' cannot replace the running action/],
      [{ kind: 'move_region', region: { centre: { x: Number.NaN, y: 0, z: 0 }, radius: 0.1 } }, /point\/radius must be finite numbers/],
      [{ kind: 'resume' }, /resume rejected: the robot is not halted/],
    ];
    for (const [command, message] of cases) {
      const { state, result } = applyCorrection(ep.spec, ep.state, command);
      assert.equal(result.accepted, false);
      assert.match(result.detail, message);
      assert.equal(state, ep.state);
    }
    const done = runEpisode(ep).state;
    assert.match(applyCorrection(ep.spec, done, { kind: 'halt' }).result.detail, /the episode is over \(failed\)/);
  });
});

function stepOnce(ep: Episode, s: Episode['state']): Episode['state'] {
  return stepEpisode(ep.spec, s);
}

function runUntil(ep: Episode, s: Episode['state'], t: number): Episode['state'] {
  let state = s;
  while (state.t < t - 1e-9) state = stepOnce(ep, state);
  return state;
}
