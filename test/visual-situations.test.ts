import * as assert from 'assert';
import { visibleIds } from '../models/visual/situations';

describe('visual situations', () => {
  it('lists the visible entities in the order the scan first meets them, which seeded targets are drawn from', () => {
    const entityIds = ['', 'table', 'conveyor', 'robot', 'person', 'cup_2', 'cup_1', 'mug_1'];
    // cup_1 (6) is met before cup_2 (5); mug_1 has too few pixels; table and robot are never listed.
    const mask = Uint16Array.from([1, 1, 6, 6, 3, 5, 6, 5, 5, 4, 7, 4, 4, 6, 5]);
    assert.deepStrictEqual(visibleIds({ mask, entityIds }, 3), ['cup_1', 'cup_2', 'person']);
    assert.deepStrictEqual(visibleIds({ mask, entityIds }, 5), []);
  });
});
