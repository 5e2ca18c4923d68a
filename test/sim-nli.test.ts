import { strict as assert } from 'node:assert';
import { NLI_IMAGE_TABLE_CORNERS, homography, applyHomography, nliPixelToTable, tabletopSceneFromNli } from '../sim/nli-scene';
import { parseScene, sceneToJson } from '../sim/scene-format';
import { Rng } from '../sim/rng';
import { TABLE } from '../sim/world';

const COLOURS = ['orange', 'yellow', 'green', 'blue'] as const;

/** An invented entry in the scenes.json format: 15 blocks scattered over the table's middle. */
function syntheticEntry(seed: number): { configuration: number; blocks: { id: number; color: string; cx: number; cy: number }[] } {
  const rng = new Rng(seed);
  const blocks = [];
  for (let id = 1; id <= 15; id++) {
    blocks.push({ id, color: rng.pick(COLOURS), cx: rng.range(260, 500), cy: rng.range(420, 590) });
  }
  return { configuration: seed, blocks };
}

describe('scenes from the NLI block benchmark', () => {
  it('maps the four table corners of the picture onto the corners of the table', () => {
    const expected = [[-TABLE.halfX, -TABLE.halfY], [-TABLE.halfX, TABLE.halfY], [TABLE.halfX, TABLE.halfY], [TABLE.halfX, -TABLE.halfY]];
    NLI_IMAGE_TABLE_CORNERS.forEach(([u, v], i) => {
      const [x, y] = nliPixelToTable(u, v);
      assert.ok(Math.abs(x - expected[i]![0]!) < 1e-9 && Math.abs(y - expected[i]![1]!) < 1e-9, `corner ${i}`);
    });
  });

  it('puts image right at world +y (the person\'s right) and image down towards the person (+x)', () => {
    const [x0, y0] = nliPixelToTable(378, 450);
    const [x1, y1] = nliPixelToTable(478, 450);
    const [x2] = nliPixelToTable(378, 550);
    assert.ok(y1 > y0 && Math.abs(x1 - x0) < 0.02);
    assert.ok(x2 > x0);
  });

  it('puts 15 blocks on the table with their colours and ids, keeping left/right and near/far order', () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const entry = syntheticEntry(seed);
      const scene = tabletopSceneFromNli(entry);
      assert.equal(scene.objects.length, 15);
      assert.equal(scene.scenario, 'tabletop');
      entry.blocks.forEach((b, i) => {
        const o = scene.objects[i]!;
        assert.equal(o.id, `block_${b.id}`);
        assert.equal(o.colour, b.color);
        assert.ok(Math.abs(o.position.x) < TABLE.halfX && Math.abs(o.position.y) < TABLE.halfY);
      });
      for (let i = 0; i < 15; i++) {
        for (let j = 0; j < 15; j++) {
          const a = entry.blocks[i]!;
          const b = entry.blocks[j]!;
          const pa = scene.objects[i]!.position;
          const pb = scene.objects[j]!.position;
          if (a.cx < b.cx - 12) assert.ok(pa.y < pb.y, `block ${a.id} is left of ${b.id} in the picture`);
          if (a.cy < b.cy - 12) assert.ok(pa.x < pb.x, `block ${a.id} is farther from the speaker than ${b.id}`);
        }
      }
      assert.doesNotThrow(() => parseScene(sceneToJson(scene)), 'touching blocks are moved apart enough to be a valid scene');
    }
  });

  it('solves a homography that maps its four points exactly', () => {
    const h = homography([[0, 0], [10, 0], [10, 10], [0, 10]], [[1, 1], [3, 1], [4, 5], [0, 4]]);
    assert.deepEqual(applyHomography(h, 10, 10).map((v) => Math.round(v * 1e9) / 1e9), [4, 5]);
    assert.throws(() => homography([[0, 0], [1, 1], [2, 2], [3, 3]], [[0, 0], [1, 0], [1, 1], [0, 1]]), /degenerate/);
  });

  it('rejects entries that are not scenes.json entries, naming the problem', () => {
    assert.throws(() => tabletopSceneFromNli(null), /expected a scenes.json entry/);
    assert.throws(() => tabletopSceneFromNli({ blocks: [] }), /entry.blocks must be a non-empty array/);
    assert.throws(() => tabletopSceneFromNli({ blocks: [{ id: 1, color: 'teal', cx: 1, cy: 2 }] }), /blocks\[0\].color "teal" is not a colour/);
    assert.throws(() => tabletopSceneFromNli({ blocks: [{ id: 1, color: 'blue', cx: 'x', cy: 2 }] }), /blocks\[0\].cx\/cy must be finite numbers/);
  });
});
