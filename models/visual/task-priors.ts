/**
 * What the robot's task says, before the words are heard, about which object a correction means:
 * applied to the scorer's shares, which are then normalised again. It never outweighs words that
 * clearly pick another object, and leaves the shares alone when the task object is not seen.
 */
import type { Meaning } from '../../semantics/meaning';
import type { PerceivedInstance } from './instances';
import type { RobotContext } from './grounding-features';

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

/** Words that fit several objects about equally, about anything but the object, mean the task's object. */
export function withTaskPrior(shares: Float32Array, instances: readonly PerceivedInstance[], meaning: Meaning, robot: RobotContext): Float32Array {
  if (meaning.mistake === 'wrong_object' || meaning.mistake === 'none' || meaning.avoidCurrent) return shares;
  if (meaning.action !== null && TAKING.has(meaning.action)) return shares;
  const match = taskInstance(instances, robot);
  if (match < 0 || shares[match] === 0) return shares;
  shares[match] *= TASK_PRIOR;
  return normalised(shares);
}
