/**
 * Turns a scenario's time markers into sim times on the uncorrected plan: when the mistake can be
 * seen and when the truth's correction stops being able to save the episode.
 */
import { SLIP_HEIGHT } from './physics';
import { NEVER, liftProgressAt, type PlanStep } from './motion';
import type { TimeMarker } from './scenarios/common';

/** Start time of every step when the plan runs from t = 0 without interruption. */
export function stepStarts(plan: readonly PlanStep[]): number[] {
  const starts: number[] = [];
  let t = 0;
  for (const s of plan) {
    starts.push(t);
    t += s.duration;
  }
  return starts;
}

export function planDuration(plan: readonly PlanStep[]): number {
  return plan.reduce((sum, s) => sum + s.duration, 0);
}

function findStep(plan: readonly PlanStep[], m: TimeMarker): number {
  const hits: number[] = [];
  plan.forEach((s, i) => {
    if (s.action === m.action && (m.target === undefined || s.target === m.target)) hits.push(i);
  });
  if (hits.length === 0) return -1;
  return (m.occurrence === 'last' ? hits[hits.length - 1] : hits[0]) as number;
}

/** Sim time the marker's step ends on the uncorrected plan, or null when there is no such step. */
export function markerStepEnd(plan: readonly PlanStep[], m: TimeMarker): number | null {
  const i = findStep(plan, m);
  return i < 0 ? null : (stepStarts(plan)[i] as number) + (plan[i] as PlanStep).duration;
}

/**
 * Sim time of a marker on the uncorrected plan, or null when the plan has no such step. Flow
 * markers depend on where the stream lands and are found by running the episode (episode.ts).
 */
export function markerTime(plan: readonly PlanStep[], m: TimeMarker): number | null {
  const i = findStep(plan, m);
  if (i < 0) return null;
  const starts = stepStarts(plan);
  const step = plan[i] as PlanStep;
  const start = starts[i] as number;
  if (typeof m.at === 'number') return start + m.at * step.duration;
  if (m.at === 'release') return step.releaseAt < NEVER ? start + step.releaseAt * step.duration : null;
  if (m.at === 'slip') {
    const before = plan[i - 1];
    const rise = before ? step.point.z - before.point.z : 0;
    const s = liftProgressAt(SLIP_HEIGHT, rise);
    return s < NEVER ? start + s * step.duration : null;
  }
  return null;
}
