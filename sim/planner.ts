/**
 * Turns an intent into the steps still to do, starting from the robot's present pose and grip.
 * Called at the start of an episode and again after every correction.
 */
import type { GraspMode, SceneObject, Vec3 } from './types';
import { ROBOT_BASE, TABLE, capacityLitres, findObject, type Scene } from './world';
import type { Intent, MotionTiming } from './intent';
import {
  FILL_TARGET,
  FLOW_RATE,
  POUR_TILT,
  UNTILT_RATE,
  flowThreshold,
  restingHeight,
  spoutLocal,
  type ObjectDyn,
} from './physics';
import {
  HOME_POSE,
  NEVER,
  TILTED_CARRY_MIN,
  graspPose,
  heldObjectPose,
  tipForSpout,
  type EePose,
  type GraspRecord,
  type PlanStep,
} from './motion';
import type { EpisodeState } from './state';
import { add, distance, rotateYawTilt, sub, vec3 } from './vec';

/** Height of a carried object's base above the table while it is moved. */
export const CARRY_CLEARANCE = 0.2;
const MIN_MOVE_TIME = 0.6;

/** Where the person's hand takes an object from the gripper (tip point). */
export function handOverPoint(scene: Scene): Vec3 {
  return vec3(TABLE.halfX + 0.05, scene.person.position.y, 0.17);
}

/** Tip point over a bin from which a part is let go. */
export function binDropPoint(bin: SceneObject): Vec3 {
  return vec3(bin.position.x, bin.position.y, bin.position.z + bin.size[2] + 0.14);
}

/** The grasp record the fingers would make closing on `o` in this mode. */
export function expectedGrasp(o: SceneObject, d: ObjectDyn, mode: GraspMode): GraspRecord {
  const tip = graspPose(o, d, mode);
  return {
    object: o.id,
    mode,
    gripLocal: rotateYawTilt(sub(tip.p, d.base), -d.yaw, 0),
    yawOffset: d.yaw - tip.yaw,
    graspZ: tip.p.z,
  };
}

/** Tilt a wrongly held vessel ends up carried at: far enough over that water runs out. */
export function tiltedCarryAngle(o: SceneObject, fill: number): number {
  return Math.max(TILTED_CARRY_MIN, flowThreshold(o, fill) + 0.2);
}

class PlanBuilder {
  readonly steps: PlanStep[] = [];
  private tip: EePose;
  private heldId: string | null;
  private grasp: GraspRecord | null;

  constructor(
    private readonly scene: Scene,
    private readonly state: EpisodeState,
    private readonly timing: MotionTiming,
  ) {
    this.tip = state.robot.tip;
    this.heldId = state.robot.held;
    this.grasp = state.robot.grasp;
  }

  get held(): string | null {
    return this.heldId;
  }

  get heldMode(): GraspMode | null {
    return this.grasp ? this.grasp.mode : null;
  }

  obj(id: string): SceneObject {
    const o = findObject(this.scene, id);
    if (!o) throw new Error(`planner: no object '${id}' in the scene`);
    return o;
  }

  dyn(id: string): ObjectDyn {
    const d = this.state.objects.find((x) => x.id === id);
    if (!d) throw new Error(`planner: no object '${id}' in the episode state`);
    return d;
  }

  private push(step: PlanStep, end: EePose): void {
    this.steps.push(step);
    this.tip = end;
  }

  private moveTime(to: Vec3): number {
    return Math.max(MIN_MOVE_TIME, distance(this.tip.p, to) / this.timing.speed);
  }

  private step(partial: Partial<PlanStep> & Pick<PlanStep, 'action' | 'duration' | 'point'>): PlanStep {
    return {
      target: null,
      yaw: this.tip.yaw,
      tilt: 0,
      grasp: null,
      releaseAt: NEVER,
      pour: null,
      bin: null,
      deliver: false,
      ...partial,
    };
  }

  /** Brings a tilted vessel upright at the wrist's fastest rate, turning about its spout. */
  level(): void {
    const tilt = this.tip.tilt;
    if (tilt <= 0.02 || !this.grasp || !this.heldId) return;
    const o = this.obj(this.heldId);
    const pose = heldObjectPose(this.tip, this.grasp);
    const spout = add(pose.base, rotateYawTilt(spoutLocal(o), pose.yaw, tilt));
    const down = tilt / UNTILT_RATE;
    const end = tipForSpout(o, this.grasp, spout, pose.yaw, 0);
    this.push(
      this.step({
        action: this.steps.length === 0 && this.state.plan[this.state.stepIndex]?.action === 'pour' ? 'pour' : 'lift',
        target: this.heldId,
        duration: down,
        point: end,
        grasp: this.grasp.mode,
        pour: { spout, from: tilt, peak: tilt, up: 0, hold: 0, down },
      }),
      { ...this.tip, p: end, tilt: 0 },
    );
  }

  reachAndGrasp(id: string, mode: GraspMode): void {
    const o = this.obj(id);
    const d = this.dyn(id);
    const pose = graspPose(o, d, mode);
    this.push(this.step({ action: 'reach', target: id, duration: this.moveTime(pose.p), point: pose.p, grasp: mode, yaw: pose.yaw }), pose);
    this.push(this.step({ action: 'grasp', target: id, duration: this.timing.graspTime, point: pose.p, grasp: mode, yaw: pose.yaw }), pose);
    this.heldId = id;
    this.grasp = expectedGrasp(o, d, mode);
    const carryZ = this.carryTipZ();
    const tilt = mode === 'tilted' ? tiltedCarryAngle(o, d.fill) : 0;
    const top = vec3(pose.p.x, pose.p.y, carryZ);
    this.push(
      this.step({ action: 'lift', target: id, duration: this.timing.liftTime, point: top, grasp: mode, yaw: pose.yaw, tilt }),
      { ...pose, p: top, tilt },
    );
  }

  private carryTipZ(): number {
    return (this.grasp ? this.grasp.gripLocal.z : 0.05) + CARRY_CLEARANCE;
  }

  /** Moves the held object so that its base ends over `base` at carrying height. */
  transportOver(base: Vec3, target: string | null): void {
    if (!this.grasp) return;
    const yaw = this.tip.yaw;
    const tip = add(vec3(base.x, base.y, 0), rotateYawTilt(this.grasp.gripLocal, yaw + this.grasp.yawOffset, this.tip.tilt));
    const goal = vec3(tip.x, tip.y, Math.max(this.carryTipZ(), base.z + this.carryTipZ() - 0.05));
    this.transportTo(goal, yaw, target);
  }

  transportTo(goal: Vec3, yaw: number, target: string | null): void {
    this.push(
      this.step({ action: 'transport', target, duration: this.moveTime(goal), point: goal, yaw, tilt: this.tip.tilt, grasp: this.heldMode }),
      { ...this.tip, p: goal, yaw },
    );
  }

  place(base: Vec3, target: string | null, action: 'place' | 'release' = 'place', deliver = false): void {
    if (!this.grasp || !this.heldId) return;
    const time = action === 'place' ? this.timing.placeTime : this.timing.releaseTime;
    const releaseAt = action === 'place' ? 0.8 : 0.7;
    const tipEnd = add(base, rotateYawTilt(this.grasp.gripLocal, this.tip.yaw + this.grasp.yawOffset, 0));
    this.push(
      this.step({ action, target: target ?? this.heldId, duration: time, point: base, releaseAt, grasp: this.heldMode, deliver }),
      { ...this.tip, p: tipEnd, tilt: 0 },
    );
    this.heldId = null;
    this.grasp = null;
  }

  /** Puts the held object down on the surface below `xy` (the belt, the table, its old place). */
  putDown(xy: Vec3): void {
    if (!this.heldId) return;
    const base = vec3(xy.x, xy.y, restingHeight(this.scene, xy.x, xy.y) + 0.002);
    const lifted = this.tip.p.z - (this.grasp?.graspZ ?? this.tip.p.z) > 0.005;
    if (!lifted) {
      // Still standing on its support: the next reach opens the fingers and leaves it there.
      this.heldId = null;
      this.grasp = null;
      return;
    }
    const now = this.grasp ? heldObjectPose(this.tip, this.grasp).base : base;
    if (Math.hypot(now.x - base.x, now.y - base.y) > 0.02) this.transportOver(base, null);
    this.place(base, this.heldId, this.scene.conveyor ? 'release' : 'place');
  }

  handOver(): void {
    const point = handOverPoint(this.scene);
    this.transportTo(vec3(point.x - 0.08, point.y, point.z + 0.03), this.tip.yaw, 'person');
    this.push(
      this.step({ action: 'hand_over', target: 'person', duration: this.timing.handOverTime, point, releaseAt: 0.7, grasp: this.heldMode, deliver: true }),
      { ...this.tip, p: point },
    );
    this.heldId = null;
    this.grasp = null;
  }

  dropAt(tipPoint: Vec3, hover: number, bin: string | null): void {
    this.transportTo(tipPoint, this.tip.yaw, bin);
    const duration = hover + 0.75;
    this.push(
      this.step({ action: 'drop', target: bin, duration, point: tipPoint, releaseAt: (hover + 0.3) / duration, bin, grasp: this.heldMode, deliver: true }),
      this.tip,
    );
    this.heldId = null;
    this.grasp = null;
  }

  pour(source: SceneObject, sourceFill: number, into: SceneObject | null, intoFill: number, aim: Vec3): void {
    if (!this.grasp) return;
    const objectYaw = Math.atan2(aim.y - ROBOT_BASE.y, aim.x - ROBOT_BASE.x);
    const rimTop = into ? into.position.z + into.size[2] : 0.1;
    const spout = vec3(aim.x, aim.y, rimTop + source.size[2] + 0.02);
    const yaw = objectYaw - this.grasp.yawOffset;
    const start = tipForSpout(source, this.grasp, spout, objectYaw, 0);
    this.transportTo(start, yaw, into ? into.id : null);
    const wanted = into ? FILL_TARGET * capacityLitres(into) - intoFill : sourceFill;
    const volume = Math.max(0, Math.min(wanted, sourceFill));
    const onset = flowThreshold(source, sourceFill);
    const up = this.timing.pourUpTime;
    const down = this.timing.pourDownTime;
    const rampFlow = ((POUR_TILT - onset) / POUR_TILT) * (up + down);
    const hold = Math.max(0.1, volume / FLOW_RATE - rampFlow);
    this.push(
      this.step({
        action: 'pour',
        target: into ? into.id : null,
        duration: up + hold + down,
        point: spout,
        yaw,
        tilt: POUR_TILT,
        grasp: this.heldMode,
        pour: { spout, from: this.tip.tilt, peak: POUR_TILT, up, hold, down },
      }),
      { ...this.tip, p: start, yaw, tilt: 0 },
    );
  }

  retreat(): void {
    this.push(this.step({ action: 'retreat', duration: this.moveTime(HOME_POSE.p), point: HOME_POSE.p, yaw: HOME_POSE.yaw }), HOME_POSE);
  }
}

/** True once the pour the intent asks for is over (or cannot happen: the source is empty). */
export function pourDone(state: EpisodeState, intent: Intent): boolean {
  if (!intent.source || (!intent.pourInto && !intent.pourPoint)) return true;
  if (intent.pourInto && state.poured.includes(intent.pourInto)) return true;
  if (!intent.pourInto && intent.pourPoint && state.poured.includes('@point')) return true;
  const src = state.objects.find((o) => o.id === intent.source);
  return !src || src.fill < 0.002;
}

/** The steps from the current state that carry out `intent`. */
export function planFrom(scene: Scene, state: EpisodeState, intent: Intent, timing: MotionTiming): PlanStep[] {
  const b = new PlanBuilder(scene, state, timing);
  if (state.delivered || intent.abandoned) {
    if (b.held) b.putDown(state.robot.tip.p);
    b.retreat();
    return b.steps;
  }
  const wantedMode = (id: string): GraspMode => (id === intent.source ? intent.sourceGrasp : intent.itemGrasp);
  // Level a tilted vessel first, unless the robot means to carry it tilted and is not pouring.
  const pouring = state.plan[state.stepIndex]?.pour != null;
  if (b.held && (pouring || wantedMode(b.held) !== 'tilted' || b.heldMode !== 'tilted')) b.level();

  const holdObject = (id: string): void => {
    const mode = wantedMode(id);
    if (b.held === id && b.heldMode === mode) return;
    if (b.held !== null) {
      const heldId = b.held;
      const home = heldId === intent.source && intent.sourceHome ? intent.sourceHome : b.obj(heldId).position;
      const belt = scene.conveyor;
      if (belt && b.obj(heldId).kind === 'gear' && heldId !== id) {
        const y = Math.max(-belt.halfLength + 0.08, Math.min(belt.halfLength - 0.15, state.robot.tip.p.y));
        b.putDown(vec3(belt.centreX, y, 0));
      } else {
        b.putDown(heldId === id ? b.dyn(id).base : home);
      }
    }
    b.reachAndGrasp(id, mode);
  };

  if (intent.source && !pourDone(state, intent)) {
    holdObject(intent.source);
    const source = b.obj(intent.source);
    const sourceFill = b.dyn(intent.source).fill;
    if (!intent.pourFirst) {
      b.handOver();
      b.retreat();
      return b.steps;
    }
    const into = intent.pourInto ? b.obj(intent.pourInto) : null;
    const aim = intent.pourPoint ?? (into ? into.position : state.robot.tip.p);
    b.pour(source, sourceFill, into, into ? b.dyn(into.id).fill : 0, aim);
    if (intent.sourceHome) {
      b.transportOver(intent.sourceHome, intent.source);
      b.place(intent.sourceHome, intent.source);
    }
  } else if (b.held !== null && b.held === intent.source && intent.sourceHome && intent.item !== intent.source) {
    b.transportOver(intent.sourceHome, intent.source);
    b.place(intent.sourceHome, intent.source);
  }

  holdObject(intent.item);
  switch (intent.delivery) {
    case 'hand_over':
      b.handOver();
      break;
    case 'place':
    case 'release': {
      const base = vec3(intent.destination.x, intent.destination.y, intent.destination.z);
      b.transportOver(base, intent.item);
      b.place(base, intent.item, intent.delivery, true);
      break;
    }
    case 'drop':
      b.dropAt(intent.destination, intent.dropHover, binAt(scene, intent.destination));
      break;
  }
  b.retreat();
  return b.steps;
}

/** The bin whose opening lies under a drop point, if any. */
export function binAt(scene: Scene, p: Vec3): string | null {
  for (const o of scene.objects) {
    if (o.kind !== 'bin') continue;
    if (Math.abs(p.x - o.position.x) <= o.size[0] / 2 && Math.abs(p.y - o.position.y) <= o.size[1] / 2) return o.id;
  }
  return null;
}
