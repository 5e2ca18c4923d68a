/**
 * A reminder the stage was unsure of still says something. When the person answers the question
 * it raised ("the glass" -> "which glass?" -> "the tumbler on your left"), the answer is grounded
 * on its own and then weighed with what the first reminder said about each object: the two are
 * independent reports about one object, so their shares multiply. The earlier shares are first
 * mixed half and half with an even spread over the objects, so that an earlier guess cannot
 * overrule a clear answer, only break a near tie in it. Pure: no graph, no model.
 */
import type { PlanePoint } from '../../semantics/spatial';
import { paintHeatmap, type VisualAttentionResult } from './attention-stage';
import { PERCEPTION_STRIDE } from './perception-model';

/** What an unsure grounding of an object said: each perceived object's place and share. */
export interface EarlierEvidence {
  readonly points: readonly PlanePoint[];
  readonly shares: Float32Array;
}

/** An object in the answer's frame is the same as one in the earlier frame within this distance, m. */
export const SAME_OBJECT_DISTANCE = 0.05;

/** Weight of the earlier shares against an even spread over the objects. */
const EARLIER_WEIGHT = 0.5;

/** The evidence worth keeping from a grounding: only one that picked among objects. */
export function evidenceOf(result: VisualAttentionResult): EarlierEvidence | null {
  if (result.place || result.attended < 0 || result.instances.length < 2) return null;
  return { points: result.instances.map((instance) => instance.position), shares: Float32Array.from(result.shares) };
}

function earlierShare(evidence: EarlierEvidence, at: PlanePoint): number {
  let best = -1;
  let bestDistance = SAME_OBJECT_DISTANCE;
  evidence.points.forEach((point, i) => {
    const d = Math.hypot(point.x - at.x, point.y - at.y);
    if (d <= bestDistance) {
      best = i;
      bestDistance = d;
    }
  });
  return best < 0 ? 0 : evidence.shares[best];
}

/**
 * The answer's attention weighed with the earlier evidence. A place, or an answer with nothing to
 * weigh (no objects, or none seen before), is returned unchanged.
 */
export function withEarlierEvidence(answer: VisualAttentionResult, evidence: EarlierEvidence): VisualAttentionResult {
  if (answer.place || answer.attended < 0 || evidence.points.length === 0) return answer;
  const even = 1 / evidence.points.length;
  const shares = new Float32Array(answer.shares.length);
  let total = 0;
  answer.instances.forEach((instance, i) => {
    shares[i] = answer.shares[i] * (EARLIER_WEIGHT * earlierShare(evidence, instance.position) + (1 - EARLIER_WEIGHT) * even);
    total += shares[i];
  });
  if (!(total > 0)) return answer;
  let attended = 0;
  for (let i = 0; i < shares.length; i++) {
    shares[i] /= total;
    if (shares[i] > shares[attended]) attended = i;
  }
  const top = answer.instances[attended];
  return {
    ...answer,
    shares,
    attended,
    heatmap: paintHeatmap(answer.width, answer.height, PERCEPTION_STRIDE, answer.instances, shares),
    u: top.u,
    v: top.v,
    point: top.position,
    confidence: shares[attended],
  };
}
