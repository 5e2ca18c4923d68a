import * as assert from 'assert';
import { PIXEL_KINDS } from '../models/visual/labels';
import type { PerceivedInstance } from '../models/visual/instances';
import { PerceptionMemory } from '../models/visual/perception-memory';
import { heldInstances } from '../models/visual/attention-stage';
import { seenAt, thing, topDownCamera } from './support/perceived-fixtures';

/** An instance whose classifier hesitates between kinds (probabilities by kind). */
function unsure(index: number, kinds: Record<string, number>, colour: string, x: number, y: number): PerceivedInstance {
  const kindProbs = Float32Array.from(PIXEL_KINDS, (kind) => kinds[kind] ?? 0);
  const best = PIXEL_KINDS[kindProbs.indexOf(Math.max(...kindProbs))];
  return seenAt({ ...thing(index, best, colour, x, y), kindProbs });
}

const options = { maxGapMs: 500, matchDistance: 0.03, maxFrames: 4, recallMs: 0 };
const kinds = (instances: readonly PerceivedInstance[]) => instances.map((instance) => instance.kind);

describe('perception memory', () => {
  it("pools each object's kind over its track; pixels stay the frame's own", () => {
    const memory = new PerceptionMemory(topDownCamera, options);
    memory.remember(0, [seenAt(thing(0, 'pitcher', 'white', 0.1, 0.1)), seenAt(thing(1, 'cup', 'red', -0.1, 0))]);
    memory.remember(100, [seenAt(thing(0, 'cup', 'red', -0.1, 0)), seenAt(thing(1, 'pitcher', 'white', 0.11, 0.1))]);
    // Half behind the arm, the pitcher reads as a mug now.
    const now = [unsure(0, { mug: 0.7, pitcher: 0.3 }, 'white', 0.1, 0.1), seenAt(thing(1, 'cup', 'red', -0.1, 0.005))];
    memory.remember(200, now);
    const pooled = memory.pooled(200, now);
    assert.deepStrictEqual(kinds(pooled), ['pitcher', 'cup']);
    assert.ok(Math.abs(pooled[0].kindProbs[PIXEL_KINDS.indexOf('pitcher')] - (1 + 1 + 0.3) / 3) < 1e-6);
    assert.deepStrictEqual(pooled.map((p) => [p.index, p.u, p.v, p.cells]), now.map((p) => [p.index, p.u, p.v, p.cells]));
    assert.strictEqual(now[0].kind, 'mug', "the frame's own instances are not changed");
    assert.strictEqual(memory.pooled(300, now), now, 'a frame never remembered is as perceived');
    assert.strictEqual(memory.trackCount, 2);
  });

  it('follows a gear along the belt a step at a time, but not one that jumped, had another colour, or is a person', () => {
    const memory = new PerceptionMemory(topDownCamera, options);
    const belt = (t: number) => [
      seenAt(thing(0, 'gear', 'grey', 0.1, -0.2 + 0.02 * t, 'defective')),
      seenAt(thing(1, 'pitcher', 'green', -0.1, 0)),
      seenAt(thing(2, 'cup', 'white', 0.4, 0)),
    ];
    for (let t = 0; t < 4; t++) memory.remember(100 * t, belt(t));
    const now = [
      { ...seenAt(thing(0, 'gear', 'grey', 0.1, -0.12)), stateProbs: Float32Array.from(belt(0)[0].stateProbs, (_, i) => (i === 0 ? 0.6 : i === belt(0)[0].stateProbs.indexOf(1) ? 0.4 : 0)) },
      unsure(1, { mug: 0.7, pitcher: 0.3 }, 'white', -0.1, 0),
      seenAt(thing(2, 'person', 'white', 0.4, 0)),
    ];
    memory.remember(400, now);
    const pooled = memory.pooled(400, now);
    assert.ok(pooled[0].stateProbs[belt(0)[0].stateProbs.indexOf(1)] > 0.8, 'the gear moved 2 cm a frame and is still the defective one');
    assert.deepStrictEqual(kinds(pooled).slice(1), ['mug', 'person']);
    const jumped = [seenAt(thing(0, 'gear', 'grey', 0.1, 0.0)), unsure(1, { mug: 0.7, pitcher: 0.3 }, 'green', -0.1, 0)];
    memory.remember(500, jumped);
    assert.strictEqual(memory.pooled(500, jumped)[0], jumped[0], 'a gear 12 cm on is another gear');
    assert.strictEqual(memory.pooled(500, jumped)[1].kind, 'pitcher', 'the green pitcher, once seen green again');
  });

  it('places a still object where it was seen on average, a moving one where it is now', () => {
    const memory = new PerceptionMemory(topDownCamera, options);
    for (const [t, dy] of [[0, 0], [100, 0.01], [200, -0.01]]) {
      memory.remember(t, [seenAt(thing(0, 'pitcher', 'white', 0.1, 0.1 + dy)), seenAt(thing(1, 'gear', 'grey', -0.1, -0.2 + t / 5000))]);
    }
    // The arm hides half the pitcher: what is left of it is seen 1.2 cm off; the gear moved on.
    const now = [seenAt(thing(0, 'pitcher', 'white', 0.1, 0.112)), seenAt(thing(1, 'gear', 'grey', -0.1, -0.14))];
    memory.remember(300, now);
    const [pitcher, gear] = memory.pooled(300, now);
    assert.ok(Math.abs(pitcher.position.y - (0.1 + 0.11 + 0.09 + 0.112) / 4) < 1e-6, `pitcher at y ${pitcher.position.y}`);
    assert.deepStrictEqual(gear.position, now[1].position);
    assert.deepStrictEqual([pitcher.u, pitcher.v], [now[0].u, now[0].v], 'its pixels stay where they are');
  });

  it('pairs each sighting once, nearest first, and leaves out what the robot holds', () => {
    const memory = new PerceptionMemory(topDownCamera, options);
    memory.remember(0, [seenAt(thing(0, 'glass', 'white', 0.1, 0.1)), seenAt(thing(1, 'pitcher', 'white', 0.3, 0))], new Set([1]));
    const now = [unsure(0, { mug: 0.6, glass: 0.4 }, 'white', 0.1, 0.12), unsure(1, { mug: 0.6, glass: 0.4 }, 'white', 0.1, 0.105), unsure(2, { mug: 0.6, pitcher: 0.4 }, 'white', 0.3, 0)];
    memory.remember(100, now);
    assert.deepStrictEqual(kinds(memory.pooled(100, now)), ['mug', 'glass', 'mug']);
    const held = [unsure(0, { mug: 0.4, glass: 0.6 }, 'white', 0.1, 0.105)];
    memory.remember(200, held, new Set([0]));
    assert.strictEqual(memory.pooled(200, held)[0], held[0], 'what the robot holds is as perceived');
  });

  it('ends tracks after a gap, keeps few frames, ignores old stamps, and forgets on clear', () => {
    const memory = new PerceptionMemory(topDownCamera, options);
    const sure = [seenAt(thing(0, 'pitcher', 'white', 0.1, 0.1))];
    const now = [unsure(0, { mug: 0.7, pitcher: 0.3 }, 'white', 0.1, 0.1)];
    memory.remember(0, sure);
    memory.remember(600, now);
    assert.strictEqual(memory.pooled(600, now)[0].kind, 'mug', 'not seen for 600 ms: another moment');
    memory.remember(500, sure);
    assert.strictEqual(memory.pooled(500, sure), sure, 'a stamp older than the newest is not remembered');
    for (const t of [700, 800, 900, 1000]) memory.remember(t, sure);
    assert.strictEqual(memory.pooled(600, now), now, 'only the newest frames are kept');
    assert.strictEqual(memory.pooled(1000, sure)[0].kind, 'pitcher');
    memory.clear();
    assert.strictEqual(memory.trackCount, 0);
    assert.throws(() => new PerceptionMemory(topDownCamera, { ...options, matchDistance: 0 }), /matchDistance/);
  });

  describe('recalling a still object hidden now', () => {
    const recall = { ...options, maxGapMs: 3000, recallMs: 1500 };
    const cellsOf = (first: number) => Int32Array.from({ length: 10 }, (_, i) => first + i);
    const cup = (index: number, x = 0.1) => ({ ...seenAt(thing(index, 'cup', 'red', x, 0.1)), cells: cellsOf(40) });
    const pitcher = (index: number) => ({ ...seenAt(thing(index, 'pitcher', 'white', -0.1, 0)), cells: cellsOf(200) });
    const coveredCells = (...firsts: number[]) => {
      const covered = new Uint8Array(20 * 15);
      for (const first of firsts) covered.fill(1, first, first + 10);
      return covered;
    };
    const seenSteadily = (memory: PerceptionMemory, times = [0, 100, 200]) => {
      for (const t of times) memory.remember(t, [cup(0), pitcher(1)], new Set(), coveredCells(40, 200));
    };

    it('keeps the cup under the arm as a candidate, where and when it was last seen', () => {
      const memory = new PerceptionMemory(topDownCamera, recall);
      seenSteadily(memory);
      const now = [pitcher(0)];
      memory.remember(300, now, new Set(), coveredCells(40, 200));
      const pooled = memory.pooled(300, now);
      assert.deepStrictEqual(kinds(pooled), ['pitcher', 'cup']);
      assert.strictEqual(pooled[1].index, 1, 'indexed after the frame\'s own');
      assert.strictEqual(pooled[1].recalledFrom, 200);
      assert.deepStrictEqual(pooled[1].cells, cellsOf(40));
      assert.strictEqual(pooled[0].recalledFrom, undefined);
    });

    it('does not recall what was taken away, replaced, seen too briefly or too long ago, or moving', () => {
      const taken = new PerceptionMemory(topDownCamera, recall);
      seenSteadily(taken);
      taken.remember(300, [pitcher(0)], new Set(), coveredCells(200));
      assert.deepStrictEqual(kinds(taken.pooled(300, [pitcher(0)])), ['pitcher'], 'bare table where it stood: taken');

      const replaced = new PerceptionMemory(topDownCamera, recall);
      seenSteadily(replaced);
      const glass = { ...seenAt(thing(1, 'glass', 'blue', 0.1, 0.1)), cells: cellsOf(40) };
      replaced.remember(300, [pitcher(0), glass], new Set(), coveredCells(40, 200));
      assert.deepStrictEqual(kinds(replaced.pooled(300, [pitcher(0), glass])), ['pitcher', 'glass'], 'another object stands there');

      const underHeld = new PerceptionMemory(topDownCamera, recall);
      seenSteadily(underHeld);
      underHeld.remember(300, [pitcher(0), glass], new Set([1]), coveredCells(40, 200));
      assert.deepStrictEqual(kinds(underHeld.pooled(300, [pitcher(0), glass])), ['pitcher', 'glass', 'cup'], 'what the robot holds over it hides it');

      const brief = new PerceptionMemory(topDownCamera, recall);
      seenSteadily(brief, [100, 200]);
      brief.remember(300, [pitcher(0)], new Set(), coveredCells(40, 200));
      assert.strictEqual(brief.pooled(300, [pitcher(0)]).length, 1, 'seen twice only');

      const old = new PerceptionMemory(topDownCamera, recall);
      seenSteadily(old);
      old.remember(1800, [pitcher(0)], new Set(), coveredCells(40, 200));
      assert.strictEqual(old.pooled(1800, [pitcher(0)]).length, 1, 'last seen 1.6 s ago');

      const moving = new PerceptionMemory(topDownCamera, recall);
      for (const [t, x] of [[0, 0.1], [100, 0.12], [200, 0.14]]) moving.remember(t, [cup(0, x), pitcher(1)], new Set(), coveredCells(40, 200));
      moving.remember(300, [pitcher(0)], new Set(), coveredCells(40, 200));
      assert.strictEqual(moving.pooled(300, [pitcher(0)]).length, 1, 'a gear moving on the belt went on');

      const blind = new PerceptionMemory(topDownCamera, recall);
      seenSteadily(blind);
      blind.remember(300, [pitcher(0)]);
      assert.strictEqual(blind.pooled(300, [pitcher(0)]).length, 1, 'without the covered cells nothing is recalled');
    });

    it('never counts a recalled object as held', () => {
      const memory = new PerceptionMemory(topDownCamera, recall);
      seenSteadily(memory);
      memory.remember(300, [pitcher(0)], new Set(), coveredCells(40, 200));
      const recalled = memory.pooled(300, [pitcher(0)])[1];
      const hand = { ...topDownCamera.unprojectToTable(recalled.u, recalled.v, 0), z: 0.2 };
      assert.deepStrictEqual([...heldInstances([recalled], topDownCamera, hand)], []);
      assert.deepStrictEqual([...heldInstances([{ ...recalled, recalledFrom: undefined }], topDownCamera, hand)], [1]);
    });
  });
});
