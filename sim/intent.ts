/**
 * What the robot means to do. A mistake is a wrong intent; a correction edits the intent and the
 * planner turns the edited intent into the remaining steps from wherever the robot is.
 */
import type { GraspMode, Scenario, Vec3 } from './types';

export type DeliveryMode = 'hand_over' | 'place' | 'drop' | 'release';

export interface Intent {
  readonly scenario: Scenario;
  /** Kitchen: the water source to pour from, how to hold it and where it stands. Null elsewhere. */
  readonly source: string | null;
  readonly sourceGrasp: GraspMode;
  readonly sourceHome: Vec3 | null;
  /** Kitchen: the vessel to pour into; null when nothing is to be poured. */
  readonly pourInto: string | null;
  /** Kitchen: a point to pour at instead of the vessel's centre (the robot's aim). */
  readonly pourPoint: Vec3 | null;
  /** Kitchen: false when the robot means to hand the source over instead of pouring. */
  readonly pourFirst: boolean;
  /** The object to deliver (the cup, the gear, the block) and how to hold it. */
  readonly item: string;
  readonly itemGrasp: GraspMode;
  readonly delivery: DeliveryMode;
  /**
   * place/release: where the item's base goes; drop: the tip point it is let go from;
   * hand_over: the tip point where the person takes it.
   */
  readonly destination: Vec3;
  /** Factory: the drop point over the bin the robot takes for the reject bin. */
  readonly binDestination: Vec3 | null;
  /** Seconds the tip waits over a drop point before letting go. */
  readonly dropHover: number;
  /** The person told the robot to give up: it puts down what it holds and goes home. */
  readonly abandoned: boolean;
}

/** Episode-wide motion timing, drawn from the seed so that windows vary. */
export interface MotionTiming {
  /** Tip speed for reaching and transporting, m/s. */
  readonly speed: number;
  readonly graspTime: number;
  readonly liftTime: number;
  readonly placeTime: number;
  readonly handOverTime: number;
  readonly pourUpTime: number;
  readonly pourDownTime: number;
  readonly releaseTime: number;
}

export const DEFAULT_TIMING: MotionTiming = {
  speed: 0.55,
  graspTime: 0.7,
  liftTime: 0.6,
  placeTime: 1.3,
  handOverTime: 1.8,
  pourUpTime: 1.0,
  pourDownTime: 0.5,
  releaseTime: 1.0,
};
