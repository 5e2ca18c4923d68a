/**
 * Episodes: drawing one from a scenario and seed (scene, task, injected mistake, ground truth),
 * stepping it, and running it to its outcome with corrections at given times.
 */
import type { FailureKind, MistakeTruth, MistakeType, Scenario, SceneObject } from './types';
import { MISTAKE_TYPES } from './types';
import { Rng } from './rng';
import type { Intent, MotionTiming } from './intent';
import type { Scene, Task } from './world';
import { planFrom } from './planner';
import { HOME_POSE } from './motion';
import { FLOW_RATE, UNTILT_RATE, flowThreshold, onBelt, receivingVessel, spoutLocal, type ObjectDyn } from './physics';
import { add, rotateYawTilt } from './vec';
import { step as stepState } from './step';
import { personHandRest, withEvent, type StepContext } from './context';
import type { EpisodeState } from './state';
import { isFinished } from './state';
import { markerStepEnd, markerTime, planDuration } from './timing';
import type { TimeMarker } from './scenarios/common';
import { scenarioModule } from './scenarios';
import { applyCorrection, type CorrectionCommand, type CorrectionResult } from './corrections';

export const DEFAULT_DT = 0.05;

export interface EpisodeSpec extends StepContext {
  readonly id: string;
  readonly scenario: Scenario;
  readonly seed: number;
  readonly mistake: MistakeType;
  readonly truth: MistakeTruth;
  readonly timing: MotionTiming;
  /** After this much sim time an unfinished episode is given up (halted or interrupted). */
  readonly maxTime: number;
}

export interface Episode {
  readonly spec: EpisodeSpec;
  readonly state: EpisodeState;
}

export interface EpisodeOptions {
  readonly seed: number;
  /** Required unless a scene is given. */
  readonly scenario?: Scenario;
  readonly mistake?: MistakeType | 'random';
  /** A scene to use instead of a generated one (its task is kept, or drawn from the seed). */
  readonly scene?: Scene;
  /** Step length in seconds (default 0.05). */
  readonly dt?: number;
}

function drawTiming(rng: Rng): MotionTiming {
  return {
    speed: rng.range(0.42, 0.62),
    graspTime: rng.range(0.6, 0.85),
    liftTime: rng.range(0.55, 0.75),
    placeTime: rng.range(1.2, 1.6),
    handOverTime: rng.range(1.6, 2.1),
    pourUpTime: rng.range(0.9, 1.3),
    pourDownTime: rng.range(0.4, 0.6),
    releaseTime: rng.range(0.9, 1.2),
  };
}

function initialState(scene: Scene, intent: Intent, fills: Readonly<Record<string, number>>): EpisodeState {
  const objects: ObjectDyn[] = scene.objects.map((o) => ({
    id: o.id,
    base: o.position,
    yaw: o.yaw,
    tilt: 0,
    fill: fills[o.id] ?? 0,
    holder: null,
    place: onBelt(scene.conveyor, o.position.x, o.position.y) ? 'belt' : 'table',
    fallSpeed: 0,
    bin: null,
  }));
  return {
    t: 0,
    tick: 0,
    status: 'running',
    robot: { tip: HOME_POSE, gripper: 0, held: null, grasp: null },
    objects,
    hand: personHandRest(scene),
    intent,
    plan: [],
    stepIndex: 0,
    stepStart: 0,
    stepFrom: HOME_POSE,
    stepGripper: 0,
    spilled: 0,
    poured: [],
    delivered: null,
    failure: null,
    events: [],
    corrections: 0,
  };
}

/** Draws an episode: scene (or the given one), task, mistake and truth, all from the seed. */
export function createEpisode(options: EpisodeOptions): Episode {
  const scenario = options.scene?.scenario ?? options.scenario;
  if (!scenario) throw new Error('createEpisode: give a scenario or a scene');
  if (!Number.isInteger(options.seed) || options.seed < 0) throw new Error(`createEpisode: seed must be a non-negative integer, got ${options.seed}`);
  const dt = options.dt ?? DEFAULT_DT;
  if (!(dt > 0 && dt <= 0.2)) throw new Error(`createEpisode: dt must be in (0, 0.2] s, got ${dt}`);
  const requested = options.mistake ?? 'none';
  const mistake: MistakeType =
    requested === 'random' ? Rng.derive(options.seed, 'mistake').pick(MISTAKE_TYPES) : requested;
  const module = scenarioModule(scenario);
  for (let attempt = 0; attempt < 25; attempt++) {
    const rng = Rng.derive(options.seed, `${scenario}/${attempt}`);
    const scene = options.scene ?? module.generate(rng, mistake);
    const task: Task | null = scene.task ?? module.drawTask(scene, rng, mistake);
    if (!task && options.scene) throw new Error(`createEpisode: this ${scenario} scene has nothing to do (no task can be drawn)`);
    // A drawn scene that leaves the mistake nothing to do (no free spot before the person) is drawn again.
    if (!task) continue;
    const injection = module.inject(scene, task, mistake, Rng.derive(options.seed, `mistake/${attempt}`));
    if (!injection) continue;
    const timing = drawTiming(Rng.derive(options.seed, 'timing'));
    const fullScene: Scene = { ...scene, task };
    let state = initialState(fullScene, injection.intent, injection.fills);
    const plan = planFrom(fullScene, state, injection.intent, timing);
    state = { ...state, plan };
    const draft: EpisodeSpec = {
      id: `${scenario}-${options.seed}-${mistake}`,
      scenario,
      seed: options.seed,
      mistake,
      truth: injection.truth,
      timing,
      scene: fullScene,
      task,
      dt,
      visibleAt: null,
      pointOfNoReturnAt: null,
      maxTime: planDuration(plan) + 45,
    };
    const visibleAt = injection.visible ? resolveMarker(draft, state, injection.visible) : null;
    const pointOfNoReturnAt = injection.pointOfNoReturn ? resolveMarker(draft, state, injection.pointOfNoReturn) : null;
    if (mistake !== 'none' && (visibleAt === null || pointOfNoReturnAt === null || pointOfNoReturnAt <= visibleAt)) continue;
    const spec: EpisodeSpec = { ...draft, visibleAt, pointOfNoReturnAt };
    state = withEvent(state, 'started', `${scenario} episode, mistake ${mistake}: ${injection.truth.description}`);
    return { spec, state };
  }
  throw new Error(`createEpisode: cannot inject '${mistake}' into this ${scenario} scene (seed ${options.seed})`);
}

function resolveMarker(spec: EpisodeSpec, start: EpisodeState, m: TimeMarker): number | null {
  if (typeof m.at !== 'object') return markerTime(start.plan, m);
  const { flow: allowance, measure } = m.at;
  const id = start.intent.source ?? start.intent.item;
  const i = start.objects.findIndex((o) => o.id === id);
  const fill0 = (start.objects[i] as ObjectDyn).fill;
  const vessel = spec.scene.objects[i] as SceneObject;
  // What has run out (or been spilled) so far, plus what would still run while the wrist levels it.
  const committed = (s: EpisodeState): number => {
    const d = s.objects[i] as ObjectDyn;
    const base = measure === 'spilled' ? s.spilled : fill0 - d.fill;
    if (s.robot.held !== id || d.fill <= 0) return base;
    const excess = d.tilt - flowThreshold(vessel, d.fill);
    if (excess <= 0) return base;
    const spout = add(d.base, rotateYawTilt(spoutLocal(vessel), d.yaw, d.tilt));
    if (measure === 'spilled' && receivingVessel(spec.scene, s.objects, spout, id) >= 0) return base;
    return base + (FLOW_RATE * excess) / UNTILT_RATE;
  };
  // Later than its own step the deadline would depend on where the stream happens to land on
  // the way (into a cup passed over, say); such a draw is rejected.
  const deadline = markerStepEnd(start.plan, m);
  if (deadline === null) return null;
  let s = start;
  let before = committed(s);
  while (!isFinished(s) && s.t < spec.maxTime) {
    const next = stepState(spec, s);
    const now = committed(next);
    if (now >= allowance) {
      const t = s.t + ((next.t - s.t) * (allowance - before)) / Math.max(1e-9, now - before);
      return t <= deadline ? t : null;
    }
    s = next;
    before = now;
  }
  return null;
}

export function stepEpisode(spec: EpisodeSpec, state: EpisodeState): EpisodeState {
  return stepState(spec, state);
}

export interface TimedCorrection {
  /** Sim time at which the correction arrives, seconds. */
  readonly at: number;
  readonly command: CorrectionCommand;
}

export type Outcome = 'succeeded' | 'failed' | 'halted' | 'interrupted';

export interface EpisodeResult {
  readonly outcome: Outcome;
  readonly failure: FailureKind | null;
  readonly state: EpisodeState;
  readonly corrections: readonly CorrectionResult[];
}

/** Runs an episode to its end (or maxTime), applying each correction at the first step at or after its time. */
export function runEpisode(episode: Episode, corrections: readonly TimedCorrection[] = []): EpisodeResult {
  const { spec } = episode;
  let state = episode.state;
  const pending = corrections.slice().sort((a, b) => a.at - b.at);
  const results: CorrectionResult[] = [];
  while (!isFinished(state) && state.t < spec.maxTime) {
    while (pending.length > 0 && (pending[0] as TimedCorrection).at <= state.t + 1e-9) {
      const c = pending.shift() as TimedCorrection;
      const applied = applyCorrection(spec, state, c.command);
      state = applied.state;
      results.push(applied.result);
    }
    state = stepState(spec, state);
  }
  return { outcome: outcomeOf(state), failure: state.failure, state: finish(state), corrections: results };
}

function outcomeOf(state: EpisodeState): Outcome {
  if (state.status === 'succeeded' || state.status === 'failed') return state.status;
  return state.status === 'halted' ? 'halted' : 'interrupted';
}

/** Ends an unfinished episode as interrupted (a new episode, shutdown), saying why. */
export function interruptState(state: EpisodeState, reason: string): EpisodeState {
  if (isFinished(state)) return state;
  return withEvent({ ...state, status: 'interrupted' }, 'interrupted', `interrupted: ${reason}`);
}

/** Marks an unfinished episode as given up, with an event saying so. */
export function finish(state: EpisodeState): EpisodeState {
  if (isFinished(state)) return state;
  if (state.status === 'halted') return withEvent(state, 'halted', 'the episode ended with the robot halted');
  return withEvent({ ...state, status: 'interrupted' }, 'interrupted', 'the episode was stopped before it ended');
}
