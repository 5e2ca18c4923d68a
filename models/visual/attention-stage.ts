/**
 * The second stage of the stacked network, end to end: camera pixels and the language attention
 * in, a visual attention heatmap, the attended instance and a confidence out.
 *
 *   image ──perception CNN──▶ per-cell kind/colour/state/boundary ──▶ instances   (perception.ts)
 *   instances + Meaning ──grounding features──▶ scorer ──softmax──▶ attention per instance
 *   attention painted onto each instance's cells ──▶ heatmap (image size, sums to 1)
 */
import type * as tfType from '@tensorflow/tfjs';
import type { Meaning } from '../../semantics/meaning';
import type { PlanePoint, Viewers } from '../../semantics/spatial';
import { SOURCE_KINDS } from '../../sim/world';
import { withPersonWhereTheySit, type PerceivedInstance, type TableCamera } from './instances';
import { attendedDescription, groundingFeatures, FEATURE_COUNT, type RobotContext } from './grounding-features';
import { PERCEPTION_STRIDE } from './perception-model';
import { perceive, type CameraFrame, type PerceptionModels } from './perception';
import { unseenTaskPoint, withTaskPrior, withVesselPrior } from './task-priors';
import { forward } from '../runtime';
import { ScorerEvaluator } from './scorer-model';
import { estimatePlace, meansPlace, pourIntoMeaning, receptacleMeaning, type PlaceDistances } from './place-head';

export interface VisualAttentionResult {
  readonly width: number;
  readonly height: number;
  /** [height*width], row-major, sums to 1 (all zero when nothing was perceived). */
  readonly heatmap: Float32Array;
  readonly instances: readonly PerceivedInstance[];
  /** Attention share of each instance, same order. */
  readonly shares: Float32Array;
  /** Index of the attended instance; -1 when nothing was perceived or a place is meant. */
  readonly attended: number;
  /** True when the person means a place on the table rather than an object. */
  readonly place: boolean;
  /** Heat peak in image pixels. */
  readonly u: number;
  readonly v: number;
  /** The attended instance's centre on the table plane. */
  readonly point: { readonly x: number; readonly y: number };
  readonly confidence: number;
}

/** Softmax attention over instances from the scorer. */
export function scoreInstances(tf: typeof tfType, scorer: tfType.LayersModel | ScorerEvaluator, features: readonly number[][]): Float32Array {
  if (features.length === 0) return new Float32Array(0);
  if (scorer instanceof ScorerEvaluator) return scorer.attention(features);
  return tf.tidy(() => {
    const input = tf.tensor3d(features.flat(), [1, features.length, FEATURE_COUNT]);
    const logits = forward(scorer, input).reshape([features.length]);
    return tf.softmax(logits).dataSync() as Float32Array;
  });
}

/** Paints each instance's share evenly over its pixels; returns a heatmap summing to 1. */
export function paintHeatmap(
  width: number,
  height: number,
  stride: number,
  instances: readonly PerceivedInstance[],
  shares: Float32Array,
): Float32Array {
  const heat = new Float32Array(width * height);
  const cols = width / stride;
  let total = 0;
  for (const instance of instances) if (shares[instance.index] > 0) total += shares[instance.index];
  if (total <= 0) return heat;
  for (const instance of instances) {
    const share = shares[instance.index];
    if (share <= 0) continue;
    // Normalised as painted: a pass over the whole image afterwards cost more than the painting.
    const perPixel = share / total / (instance.cells.length * stride * stride);
    for (const cell of instance.cells) {
      const r = (cell / cols) | 0;
      const c = cell - r * cols;
      for (let dy = 0; dy < stride; dy++) {
        const row = (r * stride + dy) * width + c * stride;
        for (let dx = 0; dx < stride; dx++) heat[row + dx] += perPixel;
      }
    }
  }
  return heat;
}

export interface AttentionModels {
  readonly tf: typeof tfType;
  readonly perception: PerceptionModels;
  readonly scorer: tfType.LayersModel;
  /** The scorer in plain TypeScript, when built (VisualStage.load): used instead of `scorer`. */
  readonly scorerEvaluator?: ScorerEvaluator;
  readonly placeDistances: PlaceDistances;
}

/** A Gaussian blob of heat (summing to 1) around pixel (u, v). */
export function blobHeatmap(width: number, height: number, u: number, v: number, sigma: number): Float32Array {
  const heat = new Float32Array(width * height);
  let total = 0;
  const reach = Math.ceil(3 * sigma);
  for (let y = Math.max(0, Math.floor(v - reach)); y < Math.min(height, Math.ceil(v + reach)); y++) {
    for (let x = Math.max(0, Math.floor(u - reach)); x < Math.min(width, Math.ceil(u + reach)); x++) {
      const value = Math.exp(-((x + 0.5 - u) ** 2 + (y + 0.5 - v) ** 2) / (2 * sigma * sigma));
      heat[y * width + x] = value;
      total += value;
    }
  }
  if (total > 0) for (let i = 0; i < heat.length; i++) heat[i] /= total;
  return heat;
}

/** Everything the stage needs to know about the world besides the image. */
export interface AttentionContext {
  readonly camera: TableCamera;
  readonly viewers: Viewers;
  readonly robot: RobotContext;
}

export function attend(
  models: AttentionModels,
  frame: CameraFrame,
  meaning: Meaning,
  context: AttentionContext,
): VisualAttentionResult {
  return attendToInstances(models, frame, perceive(models.tf, models.perception, frame, context.camera), meaning, context);
}

/** The stage after perception, for callers that perceive a frame once and ground many reminders. */
export function attendToInstances(
  models: AttentionModels,
  frame: { readonly width: number; readonly height: number },
  seen: readonly PerceivedInstance[],
  meaning: Meaning,
  context: AttentionContext,
): VisualAttentionResult {
  const instances = withPersonWhereTheySit(seen, context.viewers.speaker.origin);
  const vessel = pourIntoMeaning(meaning, context.robot);
  if (vessel) return attendToObject(models, frame, instances, vessel, context);
  if (meansPlace(meaning, context.robot)) {
    const into = receptacleMeaning(meaning);
    if (into) {
      const bin = attendToObject(models, frame, instances, into, context);
      if (bin.attended >= 0) return { ...bin, place: true };
    }
    const place = estimatePlace(meaning, placeReferences(instances, context), context.viewers, models.placeDistances);
    const attention = place ? attendToPoint(frame, instances, new Float32Array(instances.length), place.point, 0, place.confidence, context) : null;
    if (attention) return { ...attention, place: true };
  }
  return attendToObject(models, frame, instances, meaning, context);
}

/** Heat around a point on the table (at `height` above it, m), attending to no perceived object; null when the point is out of view. */
function attendToPoint(
  frame: { readonly width: number; readonly height: number },
  instances: readonly PerceivedInstance[],
  shares: Float32Array,
  point: PlanePoint,
  height: number,
  confidence: number,
  context: AttentionContext,
): VisualAttentionResult | null {
  const pixel = context.camera.project(point.x, point.y, height);
  if (!pixel) return null;
  return {
    width: frame.width,
    height: frame.height,
    heatmap: blobHeatmap(frame.width, frame.height, pixel.u, pixel.v, Math.max(1.5, frame.width / 60)),
    instances,
    shares,
    attended: -1,
    place: false,
    u: pixel.u,
    v: pixel.v,
    point,
    confidence,
  };
}

/** How far from the gripper a perceived region still counts as (part of) what it holds, m (on training scenes: 57% of the held pieces, 1% of the rest). */
const HELD_REACH = 0.04;

/** The perceived regions (what the robot holds is often seen in pieces) whose centre in the image lies within reach of the gripper's. */
export function heldInstances(instances: readonly PerceivedInstance[], camera: TableCamera, hand: RobotContext['hand']): ReadonlySet<number> {
  const held = new Set<number>();
  if (!hand) return held;
  const centre = camera.project(hand.x, hand.y, hand.z);
  const aside = camera.project(hand.x, hand.y + HELD_REACH, hand.z);
  if (!centre || !aside) return held;
  const reach = Math.hypot(aside.u - centre.u, aside.v - centre.v);
  for (const instance of instances) {
    if (instance.kind !== 'person' && instance.recalledFrom === undefined && Math.hypot(instance.u - centre.u, instance.v - centre.v) <= reach) held.add(instance.index);
  }
  return held;
}

/**
 * "Grip the cogwheel on the right", read as a wrong place, said while the robot carries a gear
 * off: the words picked an object, not a place, of the kind the robot holds, so they say which one
 * to take instead (a part is not put down at another part). Never while it is about to pour: the
 * object is then the vessel to pour into.
 */
export function namesAnotherOfWhatIsHeld(
  meaning: Meaning,
  result: Pick<VisualAttentionResult, 'place' | 'attended'>,
  seen: readonly PerceivedInstance[],
  context: Pick<AttentionContext, 'camera' | 'robot'>,
): boolean {
  if ((meaning.mistake !== 'wrong_region' && meaning.mistake !== 'wrong_relation') || !context.robot.holding || context.robot.pouring) return false;
  if (result.place || result.attended < 0 || meaning.target.kind === undefined) return false;
  const held = heldInstances(seen, context.camera, context.robot.hand);
  return seen.some((instance) => held.has(instance.index) && instance.kind === meaning.target.kind);
}

/**
 * What a place can be said relative to: not what the robot carries ("in front of the ewer" while
 * it carries a glass past the ewer; the glass in the gripper, half hidden, can look like one).
 */
export function placeReferences(instances: readonly PerceivedInstance[], context: Pick<AttentionContext, 'camera' | 'robot'>): readonly PerceivedInstance[] {
  const held = heldInstances(instances, context.camera, context.robot.hand);
  return held.size === 0 ? instances : instances.filter((instance) => !held.has(instance.index));
}

/**
 * While the robot pours, what it pours from is not what the person means by a wrong cup or a wrong
 * place (it hangs right over the cup the robot aims at, so it looks like the answer). A wrong grasp
 * or action is about the held thing itself and keeps it, and so do words that name something to
 * pour from ("the green pitcher"). Whatever the mistake, what the robot holds is not what the
 * words say to put it into ("pour it inside the yellow beaker" while it hands the pitcher over).
 */
function pouredFrom(instances: readonly PerceivedInstance[], meaning: Meaning, context: AttentionContext): ReadonlySet<number> {
  const into = context.robot.holding && meaning.relation?.type === 'in';
  if (!into && (!context.robot.pouring || meaning.mistake === 'wrong_pose' || meaning.mistake === 'wrong_action')) return new Set();
  const named = attendedDescription(meaning).target.kind;
  if (named !== undefined && (SOURCE_KINDS as readonly string[]).includes(named)) return new Set();
  return heldInstances(instances, context.camera, context.robot.hand);
}

/**
 * The scorer's shares without what the words cannot mean: what the robot pours from (above), and,
 * for a wrong object (a thing to take or to pour into), the person unless the words name them:
 * "never the teacup" with no other description left the person as the best of the rest. A wrong
 * action may well be about the person ("hand it over"). Unchanged when that would leave nothing.
 */
export function withoutUnmeant(shares: Float32Array, instances: readonly PerceivedInstance[], meaning: Meaning, context: AttentionContext): Float32Array {
  const poured = pouredFrom(instances, meaning, context);
  const noPerson = meaning.mistake === 'wrong_object' && attendedDescription(meaning).target.kind !== 'person';
  const unmeant = (instance: PerceivedInstance) => poured.has(instance.index) || (noPerson && instance.kind === 'person');
  if (instances.every(unmeant) || !instances.some(unmeant)) return shares;
  let total = 0;
  for (let i = 0; i < shares.length; i++) {
    if (unmeant(instances[i])) shares[i] = 0;
    total += shares[i];
  }
  if (total > 0) for (let i = 0; i < shares.length; i++) shares[i] /= total;
  return shares;
}

/** Which perceived object the words pick: the scorer's attention over every instance. */
const attendToObject: typeof attendToInstances = (models, frame, instances, meaning, context) => {
  const scored = scoreInstances(models.tf, models.scorerEvaluator ?? models.scorer, groundingFeatures(meaning, instances, context.viewers, context.robot));
  const shares = withVesselPrior(withTaskPrior(withoutUnmeant(scored, instances, meaning, context), instances, meaning, context.robot), instances, meaning, context.robot);
  // The cup it serves, unseen (under the arm, or merged with a neighbour): heat where it stands, at half a cup's height.
  const unseen = unseenTaskPoint(shares, instances, meaning, context.robot);
  const atTask = unseen ? attendToPoint(frame, instances, shares, unseen, 0.04, 1 - Math.max(...shares), context) : null;
  if (atTask) return atTask;
  let attended = -1;
  for (let i = 0; i < shares.length; i++) if (attended < 0 || shares[i] > shares[attended]) attended = i;
  const heatmap = paintHeatmap(frame.width, frame.height, PERCEPTION_STRIDE, instances, shares);
  const top = attended >= 0 ? instances[attended] : null;
  return {
    width: frame.width,
    height: frame.height,
    heatmap,
    instances,
    shares,
    attended,
    place: false,
    u: top ? top.u : frame.width / 2,
    v: top ? top.v : frame.height / 2,
    point: top ? top.position : { x: 0, y: 0 },
    confidence: attended >= 0 ? shares[attended] : 0,
  };
};
