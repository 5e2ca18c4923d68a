/** The episode's changing state. `step()` maps one of these to the next; nothing else mutates it. */
import type { FailureKind, Vec3 } from './types';
import type { Intent } from './intent';
import type { EePose, GraspRecord, PlanStep } from './motion';
import type { ObjectDyn } from './physics';

export type EpisodeStatus = 'running' | 'halted' | 'succeeded' | 'failed' | 'interrupted';

export type EpisodeEventKind =
  | 'started'
  | 'mistake_visible'
  | 'point_of_no_return'
  | 'correction_applied'
  | 'halted'
  | 'succeeded'
  | 'failed'
  | 'interrupted';

export interface EpisodeEventRecord {
  /** Seconds of simulated time since the episode started. */
  readonly t: number;
  readonly event: EpisodeEventKind;
  readonly detail: string;
  readonly failure: FailureKind | null;
}

export interface RobotDyn {
  readonly tip: EePose;
  /** 0 open .. 1 closed. */
  readonly gripper: number;
  readonly held: string | null;
  readonly grasp: GraspRecord | null;
}

export interface DeliveryRecord {
  readonly object: string;
  readonly how: 'hand_over' | 'place' | 'drop' | 'release';
  readonly t: number;
}

export interface EpisodeState {
  readonly t: number;
  readonly tick: number;
  readonly status: EpisodeStatus;
  readonly robot: RobotDyn;
  /** Same order as the scene's objects. */
  readonly objects: readonly ObjectDyn[];
  /** The person's (right) hand, world frame. */
  readonly hand: Vec3;
  readonly intent: Intent;
  readonly plan: readonly PlanStep[];
  readonly stepIndex: number;
  readonly stepStart: number;
  readonly stepFrom: EePose;
  readonly stepGripper: number;
  /** Water that landed outside any vessel, litres. */
  readonly spilled: number;
  /** Vessels a pour step has been completed into. */
  readonly poured: readonly string[];
  /** The delivery the robot has committed to (the item let go at its destination). */
  readonly delivered: DeliveryRecord | null;
  readonly failure: FailureKind | null;
  readonly events: readonly EpisodeEventRecord[];
  /** Corrections applied so far. */
  readonly corrections: number;
}

export const isFinished = (s: EpisodeState): boolean =>
  s.status === 'succeeded' || s.status === 'failed' || s.status === 'interrupted';

export function objectIndex(state: EpisodeState, id: string): number {
  for (let i = 0; i < state.objects.length; i++) if ((state.objects[i] as ObjectDyn).id === id) return i;
  return -1;
}
