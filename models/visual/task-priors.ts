/**
 * What the robot's task says, before the words are heard, about which object a correction means:
 * applied to the scorer's shares, which are then normalised again. It never outweighs words that
 * clearly pick another object. When the task object is not seen, the shares are left alone, and
 * words that pick nothing seen clearly mean the place where the robot knows it stands.
 */
import type { Meaning } from '../../semantics/meaning';
import type { PlanePoint } from '../../semantics/spatial';
import type { PerceivedInstance } from './instances';
import { attendedDescription, descriptionFit, type RobotContext } from './grounding-features';
import { PIXEL_KINDS } from './labels';

/**
 * How much likelier the object the robot's task is for is the one meant when the person corrects
 * something other than the object: "pour it into the mug", with two mugs on the table, said to a
 * robot about to hand the pitcher over, means the mug it serves.
 */
export const TASK_PRIOR = 8;
/** How far (m) a perceived object may lie from where the task object stands and still be it. */
const TASK_MATCH = 0.06;

/** The perceived object standing where the task object is, or -1. */
function taskInstance(instances: readonly PerceivedInstance[], robot: RobotContext): number {
  const task = robot.task;
  if (!task) return -1;
  let match = -1;
  let nearest = TASK_MATCH;
  instances.forEach((instance, i) => {
    const d = Math.hypot(instance.position.x - task.x, instance.position.y - task.y);
    if (instance.kind !== 'person' && d < nearest) {
      nearest = d;
      match = i;
    }
  });
  return match;
}

function normalised(shares: Float32Array): Float32Array {
  let total = 0;
  for (let i = 0; i < shares.length; i++) total += shares[i];
  if (total > 0) for (let i = 0; i < shares.length; i++) shares[i] /= total;
  return shares;
}

/**
 * Actions on the way to any delivery: asking for one ("pick up the mug") is about what to take, as
 * a wrong object is, whatever the parser made of the mistake.
 */
const TAKING: ReadonlySet<string> = new Set(['reach', 'grasp', 'lift', 'transport']);

/** Whether the task's object is the likelier meaning of the words: a correction of anything but the object. */
function aboutTheTaskObject(meaning: Meaning): boolean {
  if (meaning.mistake === 'wrong_object' || meaning.mistake === 'none' || meaning.avoidCurrent) return false;
  return meaning.action === null || !TAKING.has(meaning.action);
}

/** Words that fit several objects about equally, about anything but the object, mean the task's object. */
export function withTaskPrior(shares: Float32Array, instances: readonly PerceivedInstance[], meaning: Meaning, robot: RobotContext): Float32Array {
  if (!aboutTheTaskObject(meaning)) return shares;
  const match = taskInstance(instances, robot);
  if (match < 0 || shares[match] === 0) return shares;
  shares[match] *= TASK_PRIOR;
  return normalised(shares);
}

/**
 * Below this fit of the description (kind, colour, state) by every object seen, or below this
 * share of the best of them, the words pick nothing seen clearly.
 */
export const UNSEEN_TASK_FIT = 0.5;

/**
 * Where the task's object stands, when the words are about it (as for the prior above) but
 * nothing seen stands there (the cup under the arm, or seen merged with the glass beside it) and
 * the words pick nothing seen clearly: none fits them well, or none takes most of the shares
 * (shares are relative: one of several poor fits can take most of them; a mug seen as a glass
 * fits "the tumbler" well enough but need not win). The robot still knows where it is. Null otherwise.
 */
export function unseenTaskPoint(shares: Float32Array, instances: readonly PerceivedInstance[], meaning: Meaning, robot: RobotContext): PlanePoint | null {
  if (!robot.task || !aboutTheTaskObject(meaning) || taskInstance(instances, robot) >= 0) return null;
  const wanted = attendedDescription(meaning).target;
  const noFit = instances.every((instance) => instance.kind === 'person' || descriptionFit(instance, wanted) < UNSEEN_TASK_FIT);
  const noChoice = shares.every((share) => share < UNSEEN_TASK_FIT);
  return noFit || noChoice ? robot.task : null;
}

/** Kinds one pours water into to drink from. */
const DRINKING = ['cup', 'mug', 'glass'].map((kind) => PIXEL_KINDS.indexOf(kind as (typeof PIXEL_KINDS)[number]));

/**
 * A wrong object said without a kind ("never the tumbler", "don't take the greyish cogwheel", "no,
 * not the green cog, the other one") means another of what the robot was taking: while it pours
 * into the wrong vessel, another to drink from, not the bowl or the plate beside it; otherwise
 * another of the kind ruled out. Shares are weighted by how surely each instance is of those
 * kinds; unchanged when nothing seen may be one, or no kind is known.
 */
export function withVesselPrior(shares: Float32Array, instances: readonly PerceivedInstance[], meaning: Meaning, robot: RobotContext): Float32Array {
  if (meaning.mistake !== 'wrong_object' || attendedDescription(meaning).target.kind !== undefined) return shares;
  const avoided = meaning.avoid?.kind ? PIXEL_KINDS.indexOf(meaning.avoid.kind as (typeof PIXEL_KINDS)[number]) : -1;
  const kinds = robot.pouring ? DRINKING : avoided > 0 ? [avoided] : [];
  if (kinds.length === 0) return shares;
  const fitting = instances.map((instance) => kinds.reduce((p, k) => p + instance.kindProbs[k], 0));
  if (!fitting.some((p, i) => p > 0 && shares[i] > 0)) return shares;
  fitting.forEach((p, i) => { shares[i] *= p; });
  return normalised(shares);
}
