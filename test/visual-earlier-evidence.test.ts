import * as assert from 'assert';
import type { VisualAttentionResult } from '../models/visual/attention-stage';
import { evidenceOf, SAME_OBJECT_DISTANCE, withEarlierEvidence } from '../models/visual/earlier-evidence';
import type { PerceivedInstance } from '../models/visual/instances';
import { PIXEL_COLOURS, PIXEL_KINDS, PIXEL_STATES } from '../models/visual/labels';

function glass(index: number, x: number, y: number): PerceivedInstance {
  return {
    index, cells: Int32Array.of(index), u: 4 * index + 2, v: 2, kind: 'glass', position: { x, y }, extent: 0.06,
    kindProbs: new Float32Array(PIXEL_KINDS.length), colourProbs: new Float32Array(PIXEL_COLOURS.length), stateProbs: new Float32Array(PIXEL_STATES.length),
  };
}

/** An object attention over `instances` with these shares, as the stage returns it. */
function attention(instances: PerceivedInstance[], shares: number[], place = false): VisualAttentionResult {
  const attended = place ? -1 : shares.indexOf(Math.max(...shares));
  return {
    width: 16, height: 4, heatmap: new Float32Array(64), instances, shares: Float32Array.from(shares), attended, place,
    u: 0, v: 0, point: attended >= 0 ? instances[attended].position : { x: 0.3, y: 0 }, confidence: attended >= 0 ? shares[attended] : 0.2,
  };
}

describe('earlier evidence (the answer to a question weighed with the reminder that raised it)', () => {
  const before = [glass(0, 0.1, -0.2), glass(1, 0.1, 0.0), glass(2, 0.1, 0.2)];
  // The robot held still while it asked; the same glasses are seen a centimetre off.
  const after = before.map((g) => ({ ...g, position: { x: g.position.x + 0.01, y: g.position.y } }));

  it('breaks a near tie in the answer the way the first reminder leaned', () => {
    const evidence = evidenceOf(attention(before, [0.2, 0.45, 0.35]));
    assert.ok(evidence);
    const answer = attention(after, [0.05, 0.46, 0.49]);
    const weighed = withEarlierEvidence(answer, evidence);
    assert.strictEqual(weighed.attended, 1);
    assert.strictEqual(weighed.point, after[1].position);
    assert.ok(Math.abs(weighed.shares.reduce((a, b) => a + b, 0) - 1) < 1e-6);
    assert.strictEqual(weighed.confidence, weighed.shares[1]);
    assert.ok(weighed.heatmap[4 * 1 + 2] > weighed.heatmap[4 * 2 + 2], 'the heat follows the shares');
  });

  it('does not let an unsure first reminder overrule a clear answer', () => {
    const evidence = evidenceOf(attention(before, [0.1, 0.3, 0.6]))!;
    const weighed = withEarlierEvidence(attention(after, [0.05, 0.8, 0.15]), evidence);
    assert.strictEqual(weighed.attended, 1);
    assert.ok(weighed.confidence > 0.6);
  });

  it('agreeing reports make the attention surer', () => {
    const evidence = evidenceOf(attention(before, [0.2, 0.45, 0.35]))!;
    const weighed = withEarlierEvidence(attention(after, [0.2, 0.45, 0.35]), evidence);
    assert.strictEqual(weighed.attended, 1);
    assert.ok(weighed.confidence > 0.45);
  });

  it('matches objects by place: one that moved since gets only the even share', () => {
    const evidence = evidenceOf(attention(before, [0.05, 0.9, 0.05]))!;
    const moved = [after[0], { ...after[1], position: { x: 0.1 + 2 * SAME_OBJECT_DISTANCE, y: 0 } }, after[2]];
    // 0.3*(0.5*0 + 0.5/3) against 0.35*(0.5*0.05 + 0.5/3): the earlier favourite is not this glass.
    assert.notStrictEqual(withEarlierEvidence(attention(moved, [0.35, 0.3, 0.35]), evidence).attended, 1);
    assert.strictEqual(withEarlierEvidence(attention(after, [0.35, 0.3, 0.35]), evidence).attended, 1, 'where it stayed, it is the same glass');
  });

  it('keeps nothing from a place or from fewer than two objects, and leaves a place answer alone', () => {
    assert.strictEqual(evidenceOf(attention(before, [0, 0, 0], true)), null);
    assert.strictEqual(evidenceOf(attention([before[0]], [1])), null);
    const evidence = evidenceOf(attention(before, [0.2, 0.45, 0.35]))!;
    const place = attention(after, [0, 0, 0], true);
    assert.strictEqual(withEarlierEvidence(place, evidence), place);
  });
});
