/**
 * One fixed time step of an episode: the belt moves, falling things fall, the arm follows its plan,
 * water flows, and the world's rules decide whether something has gone wrong. Pure: the input state
 * is never modified.
 */
import type { FailureKind, SceneObject } from './types';
import type { Scene } from './world';
import {
  FLOW_RATE,
  GRAVITY,
  SLIP_HEIGHT,
  SPILL_LIMIT,
  flowThreshold,
  gripHolds,
  pastBeltEnd,
  receivingVessel,
  roomLeft,
  spoutLocal,
  supportAt,
  timeAboveThreshold,
  type ObjectDyn,
  type Placement,
  type Support,
} from './physics';
import { graspPose, gripperAt, heldObjectPose, tipPoseAt, type EePose, type MotionContext, type PlanStep } from './motion';
import { judgeBeltExit, judgeDelivery, judgeEnd, judgeLanding, type Verdict } from './judge';
import type { DeliveryRecord, EpisodeEventKind, EpisodeEventRecord, EpisodeState, RobotDyn } from './state';
import { objectIndexOf, personHandRest, type StepContext } from './context';
import { isFinished } from './state';
import { add, rotateYawTilt, sub, vec3 } from './vec';

/** Held less than this above where it was grasped, an object still stands on its support. */
const LIFTOFF = 0.005;
const HAND_SPEED = 0.8;

const placementOf = (s: Support): Placement =>
  s.kind === 'bin' ? 'bin' : s.kind === 'output' ? 'gone' : s.kind === 'belt' ? 'belt' : s.kind === 'on_object' ? 'on_object' : s.kind === 'floor' ? 'floor' : 'table';

class StepWork {
  t: number;
  objects: ObjectDyn[];
  robot: RobotDyn;
  hand: EpisodeState['hand'];
  plan: readonly PlanStep[];
  stepIndex: number;
  stepStart: number;
  stepFrom: EePose;
  stepGripper: number;
  spilled: number;
  poured: readonly string[];
  delivered: DeliveryRecord | null;
  failure: FailureKind | null;
  status: EpisodeState['status'];
  events: EpisodeEventRecord[] | null = null;

  constructor(
    private readonly ctx: StepContext,
    private readonly prev: EpisodeState,
  ) {
    this.t = prev.t;
    this.objects = prev.objects.slice();
    this.robot = prev.robot;
    this.hand = prev.hand;
    this.plan = prev.plan;
    this.stepIndex = prev.stepIndex;
    this.stepStart = prev.stepStart;
    this.stepFrom = prev.stepFrom;
    this.stepGripper = prev.stepGripper;
    this.spilled = prev.spilled;
    this.poured = prev.poured;
    this.delivered = prev.delivered;
    this.failure = prev.failure;
    this.status = prev.status;
  }

  private get scene(): Scene {
    return this.ctx.scene;
  }

  private so(i: number): SceneObject {
    return this.scene.objects[i] as SceneObject;
  }

  private index(id: string): number {
    return objectIndexOf(this.scene, id);
  }

  private setObject(i: number, patch: Partial<ObjectDyn>): void {
    this.objects[i] = { ...(this.objects[i] as ObjectDyn), ...patch };
  }

  emit(event: EpisodeEventKind, detail: string, failure: FailureKind | null = null, at = this.t): void {
    if (this.events === null) this.events = this.prev.events.slice();
    this.events.push({ t: Math.round(at * 1e6) / 1e6, event, detail, failure });
  }

  private verdict(v: Verdict, at: number): void {
    if (v.failure === null || this.failure !== null) return;
    this.failure = v.failure;
    this.status = 'failed';
    this.emit('failed', v.detail, v.failure, at);
  }

  run(): void {
    const t0 = this.prev.t;
    const t1 = t0 + this.ctx.dt;
    this.timingEvents(t0, t1);
    this.moveBelt(t1);
    this.fall(t1);
    if (this.failure === null && (this.status === 'running' || this.status === 'halted')) this.advanceRobot(t0, t1);
    this.moveHand();
    if (this.failure === null && this.spilled > SPILL_LIMIT) {
      this.verdict({ failure: 'spill', detail: `${(this.spilled * 1000).toFixed(0)} ml of water on the table` }, t1);
    }
    if (this.failure === null && this.status === 'running' && this.stepIndex >= this.plan.length) {
      const v = judgeEnd(this.scene, this.ctx.task, this.snapshot(t1));
      if (v !== 'wait') {
        if (v.failure) this.verdict(v, t1);
        else {
          this.status = 'succeeded';
          this.emit('succeeded', v.detail, null, t1);
        }
      }
    }
    this.t = t1;
  }

  private timingEvents(t0: number, t1: number): void {
    if (this.prev.corrections > 0) return;
    const { visibleAt, pointOfNoReturnAt } = this.ctx;
    if (visibleAt !== null && visibleAt > t0 && visibleAt <= t1) this.emit('mistake_visible', 'the mistake can be seen now', null, visibleAt);
    if (pointOfNoReturnAt !== null && pointOfNoReturnAt > t0 && pointOfNoReturnAt <= t1) {
      this.emit('point_of_no_return', 'no correction can save the episode from now on', null, pointOfNoReturnAt);
    }
  }

  private moveBelt(t1: number): void {
    const belt = this.scene.conveyor;
    if (!belt) return;
    for (let i = 0; i < this.objects.length; i++) {
      const d = this.objects[i] as ObjectDyn;
      if (d.place !== 'belt') continue;
      const y = d.base.y + belt.speed * this.ctx.dt;
      if (pastBeltEnd(belt, d.base.x, y)) {
        this.setObject(i, { base: vec3(d.base.x, y, d.base.z), place: 'gone' });
        this.verdict(judgeBeltExit(this.so(i)), t1);
      } else {
        this.setObject(i, { base: vec3(d.base.x, y, d.base.z) });
      }
    }
  }

  private fall(t1: number): void {
    const dt = this.ctx.dt;
    for (let i = 0; i < this.objects.length; i++) {
      const d = this.objects[i] as ObjectDyn;
      if (d.place !== 'falling') continue;
      const v = d.fallSpeed + GRAVITY * dt;
      const z = d.base.z - v * dt;
      const support = supportAt(this.scene, this.objects, d.id, d.base.x, d.base.y, d.base.z);
      const floorZ = support.kind === 'output' ? d.base.z - 0.2 : support.z;
      if (z > floorZ) {
        this.setObject(i, { base: vec3(d.base.x, d.base.y, z), fallSpeed: v });
        continue;
      }
      // Landed: the fall height follows from the speed gathered on the way down.
      const height = (v * v) / (2 * GRAVITY);
      this.land(i, support, height, t1);
    }
  }

  private land(i: number, support: Support, fallHeight: number, at: number): void {
    const d = this.objects[i] as ObjectDyn;
    const o = this.so(i);
    const z = support.kind === 'output' ? d.base.z : support.z;
    const spills = o.kind !== 'gear' && o.kind !== 'block' && fallHeight > 0.03 && d.fill > 0;
    if (spills) this.spilled += d.fill;
    this.setObject(i, {
      base: vec3(d.base.x, d.base.y, z),
      tilt: 0,
      fallSpeed: 0,
      place: placementOf(support),
      bin: support.kind === 'bin' ? support.bin : null,
      fill: spills ? 0 : d.fill,
    });
    const v = judgeLanding(this.scene, this.ctx.task, o, support, fallHeight);
    this.verdict(v, at);
    if (v.failure === null && this.delivered?.object === d.id && support.kind !== 'bin' && support.kind !== 'output') {
      this.verdict(judgeDelivery(this.scene, this.ctx.task, this.snapshot(at), i, 'place'), at);
    }
  }

  /** Lets go of the held object where it is: it rests on what is below or starts to fall. */
  private letGo(at: number): number {
    const id = this.robot.held;
    this.robot = { ...this.robot, held: null, grasp: null };
    if (id === null) return -1;
    const i = this.index(id);
    const d = this.objects[i] as ObjectDyn;
    const support = supportAt(this.scene, this.objects, id, d.base.x, d.base.y, d.base.z + 0.005);
    if (support.kind === 'output') {
      this.setObject(i, { holder: null, place: 'gone', tilt: 0 });
      this.verdict(judgeLanding(this.scene, this.ctx.task, this.so(i), support, 0), at);
    } else if (d.base.z - support.z > 0.01) {
      this.setObject(i, { holder: null, place: 'falling', fallSpeed: 0 });
    } else {
      this.setObject(i, { holder: null, place: placementOf(support), base: vec3(d.base.x, d.base.y, support.z), tilt: 0, bin: support.kind === 'bin' ? support.bin : null });
    }
    return i;
  }

  private advanceRobot(t0: number, t1: number): void {
    let t = t0;
    while (t < t1 - 1e-9 && this.failure === null) {
      const step = this.plan[this.stepIndex];
      if (!step) break;
      const end = this.stepStart + step.duration;
      const tNext = Math.min(t1, end);
      const s0 = step.duration > 0 ? (t - this.stepStart) / step.duration : 0;
      const s1 = step.duration > 0 ? Math.min(1, (tNext - this.stepStart) / step.duration) : 1;
      if (t <= this.stepStart + 1e-9) this.onStepStart(step);
      const tilt0 = this.robot.tip.tilt;
      const tip = tipPoseAt(step, this.stepFrom, s1, this.motionContext(step));
      this.robot = { ...this.robot, tip, gripper: gripperAt(step, this.stepGripper, s1) };
      this.carryHeld();
      this.flow(tilt0, tip.tilt, tNext - t);
      this.checkSlip(tNext);
      if (s0 < step.releaseAt && s1 >= step.releaseAt) this.onRelease(step, this.stepStart + step.releaseAt * step.duration);
      if (s1 >= 1 - 1e-9) {
        this.onStepEnd(step);
        this.stepIndex += 1;
        this.stepStart = end;
        this.stepFrom = this.robot.tip;
        this.stepGripper = this.robot.gripper;
      }
      t = tNext;
    }
  }

  private motionContext(step: PlanStep): MotionContext {
    let trackedGrasp: EePose | null = null;
    if ((step.action === 'reach' || step.action === 'grasp') && step.target && step.grasp) {
      const i = this.index(step.target);
      if (i >= 0) trackedGrasp = graspPose(this.so(i), this.objects[i] as ObjectDyn, step.grasp);
    }
    const held = this.robot.held ? this.scene.objects[this.index(this.robot.held)] ?? null : null;
    return { trackedGrasp, grasp: this.robot.grasp, heldObject: held };
  }

  private onStepStart(step: PlanStep): void {
    if (step.action !== 'reach' || !this.robot.held || !this.robot.grasp) return;
    // Opening the fingers on something still standing on its support leaves it there.
    if (this.robot.tip.p.z - this.robot.grasp.graspZ < LIFTOFF) this.letGo(this.t);
  }

  private onStepEnd(step: PlanStep): void {
    if (step.action === 'grasp' && step.target && step.grasp) {
      const i = this.index(step.target);
      if (i < 0) return;
      const d = this.objects[i] as ObjectDyn;
      const o = this.so(i);
      const want = graspPose(o, d, step.grasp);
      const free = d.holder === null && d.place !== 'gone' && d.place !== 'falling' && d.place !== 'floor';
      if (!free || Math.hypot(want.p.x - this.robot.tip.p.x, want.p.y - this.robot.tip.p.y, want.p.z - this.robot.tip.p.z) > 0.03) return;
      const tip = this.robot.tip;
      this.robot = {
        ...this.robot,
        held: d.id,
        grasp: { object: d.id, mode: step.grasp, gripLocal: rotateYawTilt(sub(tip.p, d.base), -d.yaw, 0), yawOffset: d.yaw - tip.yaw, graspZ: tip.p.z },
      };
      this.setObject(i, { holder: 'robot', place: 'held' });
    } else if (step.action === 'pour') {
      const label = step.target ?? '@point';
      if (step.pour && step.pour.up > 0 && !this.poured.includes(label)) this.poured = [...this.poured, label];
    }
  }

  private onRelease(step: PlanStep, at: number): void {
    if (step.action === 'hand_over') {
      const id = this.robot.held;
      if (!id) return;
      const i = this.index(id);
      this.robot = { ...this.robot, held: null, grasp: null };
      this.setObject(i, { holder: 'person', place: 'held' });
      this.delivered = { object: id, how: 'hand_over', t: at };
      this.verdict(judgeDelivery(this.scene, this.ctx.task, this.snapshot(at), i, 'hand_over'), at);
      return;
    }
    const i = this.letGo(at);
    if (i < 0 || !step.deliver) return;
    const d = this.objects[i] as ObjectDyn;
    this.delivered = { object: d.id, how: step.action === 'drop' ? 'drop' : step.action === 'release' ? 'release' : 'place', t: at };
    if (d.place !== 'falling' && d.place !== 'gone' && d.place !== 'bin' && this.failure === null) {
      this.verdict(judgeDelivery(this.scene, this.ctx.task, this.snapshot(at), i, 'place'), at);
    }
  }

  private carryHeld(): void {
    const g = this.robot.grasp;
    if (!this.robot.held || !g) return;
    const i = this.index(this.robot.held);
    const d = this.objects[i] as ObjectDyn;
    if (this.robot.tip.p.z - g.graspZ < LIFTOFF && d.tilt === 0 && this.robot.tip.tilt === 0) {
      // Not yet lifted: the object moves only with the tip's horizontal motion (belt tracking).
      const pose = heldObjectPose(this.robot.tip, g);
      this.setObject(i, { base: vec3(pose.base.x, pose.base.y, d.base.z) });
      return;
    }
    const pose = heldObjectPose(this.robot.tip, g);
    this.setObject(i, { base: pose.base, yaw: pose.yaw, tilt: pose.tilt });
  }

  private flow(tilt0: number, tilt1: number, dt: number): void {
    if (!this.robot.held || dt <= 0) return;
    const i = this.index(this.robot.held);
    const d = this.objects[i] as ObjectDyn;
    if (d.fill <= 0) return;
    const o = this.so(i);
    const above = timeAboveThreshold(tilt0, tilt1, flowThreshold(o, d.fill), dt);
    if (above <= 0) return;
    const volume = Math.min(d.fill, FLOW_RATE * above);
    this.setObject(i, { fill: d.fill - volume });
    const spout = add(d.base, rotateYawTilt(spoutLocal(o), d.yaw, d.tilt));
    const r = receivingVessel(this.scene, this.objects, spout, d.id);
    if (r < 0) {
      this.spilled += volume;
      return;
    }
    const into = this.objects[r] as ObjectDyn;
    const fits = Math.min(volume, roomLeft(this.so(r), into.fill));
    this.setObject(r, { fill: into.fill + fits });
    this.spilled += volume - fits;
  }

  private checkSlip(at: number): void {
    const g = this.robot.grasp;
    if (!this.robot.held || !g) return;
    if (this.robot.tip.p.z - g.graspZ < SLIP_HEIGHT) return;
    const i = this.index(this.robot.held);
    const d = this.objects[i] as ObjectDyn;
    const o = this.so(i);
    if (gripHolds(o, d.fill, g.mode)) return;
    this.letGo(at);
  }

  private moveHand(): void {
    const step = this.plan[this.stepIndex];
    let holding = false;
    for (const o of this.objects) if (o.holder === 'person') holding = true;
    let target = personHandRest(this.scene);
    if (holding) target = this.hand;
    else if (step && step.action === 'hand_over' && this.t >= this.stepStart + 0.1 * step.duration) {
      target = add(step.point, vec3(0.03, 0, -0.03));
    }
    const delta = sub(target, this.hand);
    const dist = Math.hypot(delta.x, delta.y, delta.z);
    const max = HAND_SPEED * this.ctx.dt;
    this.hand = dist <= max ? target : add(this.hand, vec3((delta.x * max) / dist, (delta.y * max) / dist, (delta.z * max) / dist));
  }

  snapshot(t: number): EpisodeState {
    // Every field spelled out: one object shape for all states keeps stepping fast.
    return {
      t,
      tick: this.prev.tick + (t > this.prev.t ? 1 : 0),
      status: this.status,
      robot: this.robot,
      objects: this.objects,
      hand: this.hand,
      plan: this.plan,
      stepIndex: this.stepIndex,
      stepStart: this.stepStart,
      stepFrom: this.stepFrom,
      stepGripper: this.stepGripper,
      spilled: this.spilled,
      poured: this.poured,
      delivered: this.delivered,
      failure: this.failure,
      events: this.events ?? this.prev.events,
      intent: this.prev.intent,
      corrections: this.prev.corrections,
    };
  }
}

/** The next state, one `ctx.dt` later. A finished episode stays as it is. */
export function step(ctx: StepContext, state: EpisodeState): EpisodeState {
  if (isFinished(state)) return state;
  const work = new StepWork(ctx, state);
  work.run();
  return work.snapshot(work.t);
}
