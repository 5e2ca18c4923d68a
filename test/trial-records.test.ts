import { strict as assert } from 'node:assert';
import { Correction } from '../graph/messages';
import { createMessage } from '../graph/message-validation';
import { describeCorrection } from '../trial/harness';

describe('trial records', () => {
  it('describes each correction the monitor sent in one line', () => {
    const base = createMessage('h2r_interfaces/msg/Correction');
    assert.equal(describeCorrection({ ...base, kind: Correction.RETARGET, target_object: 'glass_2' }), 'retarget glass_2');
    assert.equal(describeCorrection({ ...base, kind: Correction.MOVE_REGION, point: { x: 0.123, y: -0.3, z: 0 } }), 'move_region (0.12, -0.30)');
    assert.equal(describeCorrection({ ...base, kind: Correction.MOVE_REGION, point: { x: 0, y: 0, z: 0 }, target_object: 'mug_1' }), 'move_region (0.00, 0.00) mug_1');
    assert.equal(describeCorrection({ ...base, kind: Correction.ADJUST_POSE, grasp: 'side' }), 'adjust_pose side');
    assert.equal(describeCorrection({ ...base, kind: Correction.CHANGE_ACTION, action: 'pour' }), 'change_action pour');
    assert.equal(describeCorrection({ ...base, kind: Correction.HALT }), 'halt');
    assert.equal(describeCorrection({ ...base, kind: 9 }), 'kind 9');
  });
});
