import * as assert from 'assert';
import { placeOnTable, type PerceivedInstance } from '../models/visual/instances';
import { cutAlongLongAxis, splitMergedInstances } from '../models/visual/merged-instances';
import { PIXEL_COLOURS, PIXEL_KINDS, PIXEL_STATES } from '../models/visual/labels';
import { oneHot, topDownCamera } from './support/perceived-fixtures';

const COLS = 40;
const STRIDE = 4;

/** An instance of `kind` over the cells marked in `rows` (any non-'.' character), cell (row0, col0) at the map's top left. */
function drawn(index: number, kind: string, rows: readonly string[], row0: number, col0: number): PerceivedInstance {
  const cells: number[] = [];
  rows.forEach((row, r) => [...row].forEach((ch, c) => {
    if (ch !== '.') cells.push((row0 + r) * COLS + col0 + c);
  }));
  let su = 0;
  let sv = 0;
  for (const cell of cells) {
    su += ((cell % COLS) + 0.5) * STRIDE;
    sv += (Math.floor(cell / COLS) + 0.5) * STRIDE;
  }
  const u = su / cells.length;
  const v = sv / cells.length;
  return {
    index, cells: Int32Array.from(cells), u, v, kind: kind as PerceivedInstance['kind'],
    kindProbs: oneHot(PIXEL_KINDS, kind), colourProbs: oneHot(PIXEL_COLOURS, 'red'), stateProbs: oneHot(PIXEL_STATES, 'none'),
    ...placeOnTable(u, v, cells.length, kind as PerceivedInstance['kind'], topDownCamera, STRIDE),
  };
}

const BLOCK = ['###', '###', '###'];
const singles = [0, 1, 2, 3].map((i) => drawn(i, 'block', BLOCK, 2, 2 + 5 * i));

describe('touching objects of one colour read as one region', () => {
  it('cuts a region of two blocks\' area across its long axis into two instances, each where its half is', () => {
    const pair = drawn(4, 'block', ['######', '######', '######'], 10, 4);
    const out = splitMergedInstances([...singles, pair], topDownCamera, STRIDE, COLS);
    assert.strictEqual(out.length, 6);
    assert.deepStrictEqual(out.map((instance) => instance.index), [0, 1, 2, 3, 4, 5]);
    const [left, right] = out.slice(4);
    assert.deepStrictEqual([...left.cells].map((cell) => cell % COLS).sort((a, b) => a - b), [4, 4, 4, 5, 5, 5, 6, 6, 6]);
    assert.deepStrictEqual([...right.cells].map((cell) => cell % COLS).sort((a, b) => a - b), [7, 7, 7, 8, 8, 8, 9, 9, 9]);
    assert.ok(left.position.y < pair.position.y && right.position.y > pair.position.y, 'each half stands on its own side of the pair');
    assert.ok(Math.abs(left.extent - singles[0].extent) < 1e-9, 'a half is the size of one block');
    assert.strictEqual(left.kind, 'block');
    assert.deepStrictEqual(left.colourProbs, pair.colourProbs);
  });

  it('cuts three blocks in a column into three, top to bottom', () => {
    const column = drawn(4, 'block', ['###', '###', '###', '###', '###', '###', '###', '###', '###'], 8, 30);
    const parts = splitMergedInstances([...singles, column], topDownCamera, STRIDE, COLS).slice(4);
    assert.strictEqual(parts.length, 3);
    const rowsOf = (instance: PerceivedInstance) => [...new Set([...instance.cells].map((cell) => Math.floor(cell / COLS)))].sort((a, b) => a - b);
    assert.deepStrictEqual(parts.map(rowsOf), [[8, 9, 10], [11, 12, 13], [14, 15, 16]]);
  });

  it('leaves a block a little larger than the others whole', () => {
    const larger = drawn(4, 'block', ['####', '####', '####'], 10, 4);
    assert.strictEqual(splitMergedInstances([...singles, larger], topDownCamera, STRIDE, COLS).length, 5);
  });

  it('judges size only among enough objects of the kind, and only for kinds alike in size', () => {
    const pair = drawn(2, 'block', ['######', '######', '######'], 10, 4);
    assert.strictEqual(splitMergedInstances([...singles.slice(0, 2), pair], topDownCamera, STRIDE, COLS).length, 3, 'three blocks tell no typical size');
    const cups = singles.map((single) => ({ ...single, kind: 'cup' as const }));
    const pitcher = { ...drawn(4, 'cup', ['######', '######', '######'], 10, 4) };
    assert.strictEqual(splitMergedInstances([...cups, pitcher], topDownCamera, STRIDE, COLS).length, 5, 'cups come in many sizes');
  });

  it('keeps an object recalled from an earlier frame as it was seen', () => {
    const pair = { ...drawn(4, 'block', ['######', '######', '######'], 10, 4), recalledFrom: 1200 };
    assert.strictEqual(splitMergedInstances([...singles, pair], topDownCamera, STRIDE, COLS).length, 5);
  });
});

describe('cutting cells along their long axis', () => {
  it('follows a diagonal pair and gives every cell to exactly one part', () => {
    // Two 3x3 blocks touching corner to side along the diagonal.
    const cells: number[] = [];
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) cells.push(r * COLS + c, (r + 2) * COLS + c + 3);
    const [first, second] = cutAlongLongAxis(Int32Array.from(cells), COLS, 2);
    assert.strictEqual(first.length + second.length, cells.length);
    assert.deepStrictEqual([...first, ...second].sort((a, b) => a - b), [...cells].sort((a, b) => a - b));
    const meanCol = (part: Int32Array) => [...part].reduce((sum, cell) => sum + (cell % COLS), 0) / part.length;
    assert.ok(meanCol(first) < 2 && meanCol(second) > 3, `parts at columns ${meanCol(first)} and ${meanCol(second)}`);
  });
});
