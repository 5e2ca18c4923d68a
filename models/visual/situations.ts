/**
 * A situation the visual stage must resolve: a rendered frame of a scene, what the robot is doing,
 * and what the person means (a Meaning true of that scene) with its ground truth, either an object
 * or a place. Fully determined by a seed, so train and test sets are disjoint seed ranges.
 *
 * Two kinds are mixed: moments of simulated episodes inside their mistake window (what the trial
 * will ask), and plain "that one" references to any visible object, including dense block
 * clusters (what the tabletop benchmark asks).
 */
import type { CameraModel } from '../../sim/camera';
import { createEpisode, stepEpisode } from '../../sim/episode';
import { renderFrame, type Frame } from '../../sim/render';
import { Rng } from '../../sim/rng';
import type { EpisodeState } from '../../sim/state';
import type { MistakeTruth, MistakeType, Region, RobotAction, Scenario } from '../../sim/types';
import type { Scene } from '../../sim/world';
import { chooseReference, defaultViewers, describablesOf, episodeMeaning, PERSON_ID, type EpisodeView } from '../../semantics/episode-meaning';
import { EMPTY_MEANING, type Meaning } from '../../semantics/meaning';
import { matches, referencesTo } from '../../semantics/describe';
import type { PlanePoint } from '../../semantics/spatial';
import { robotCamera } from './camera-preset';
import { denseBlockScene } from './training-scenes';
import { aimedPoints, type RobotContext } from './grounding-features';

export type SituationSource = Scenario | 'dense_blocks';

export interface Situation {
  readonly seed: number;
  readonly source: SituationSource;
  readonly scene: Scene;
  readonly state: EpisodeState | null;
  readonly camera: CameraModel;
  readonly frame: Frame;
  readonly view: EpisodeView;
  /** The action the robot is carrying out (execution state). */
  readonly currentAction: RobotAction;
  /** Where it is aimed and whether it holds something (execution state). */
  readonly robot: RobotContext;
  readonly meaning: Meaning;
  /** The object the person means, or null when they mean a place. */
  readonly targetId: string | null;
  /** The place the person means (wrong_relation without a target object), else null. */
  readonly targetRegion: Region | null;
  readonly truth: MistakeTruth | null;
}

export interface SituationOptions {
  /** Share of episode moments (the rest are references to any visible object). */
  readonly episodeShare: number;
  /** Camera jitter in metres. */
  readonly jitter: number;
  /** Restrict episodes to one scenario. */
  readonly scenario?: Scenario;
  /** Force the episodes' mistake (and make every situation an episode moment). */
  readonly mistake?: MistakeType;
}

export const DEFAULT_SITUATION_OPTIONS: SituationOptions = { episodeShare: 0.6, jitter: 0.03 };

/**
 * The entities (objects and the person) with at least `minPixels` pixels in the frame, in the order
 * the row-by-row scan first meets them.
 */
export function visibleIds(frame: Pick<Frame, 'mask' | 'entityIds'>, minPixels: number): string[] {
  // A counting loop over a typed array: with a Map here V8 compiled and threw away this function
  // once a frame (on a compiler thread, which slowed whatever was timed meanwhile). The ids keep
  // the order in which the scan first meets them, as the Map gave them: a situation's target is
  // drawn from this list, so its order is part of every seeded situation.
  const counts = new Uint32Array(frame.entityIds.length);
  const firstSeen: number[] = [];
  const mask = frame.mask;
  for (let i = 0; i < mask.length; i++) if (counts[mask[i]]++ === 0) firstSeen.push(mask[i]);
  return firstSeen.filter((index) => counts[index] >= minPixels && index >= 4 && frame.entityIds[index] !== '').map((index) => frame.entityIds[index]);
}

function drawEpisode(scenario: Scenario, rng: Rng, mistake: MistakeType | 'random') {
  for (let attempt = 0; ; attempt++) {
    try {
      return createEpisode({ scenario, seed: rng.int(0, 2 ** 31 - 1), mistake });
    } catch (error) {
      if (attempt >= 20) throw error;
    }
  }
}

export function sampleSituation(seed: number, options: SituationOptions = DEFAULT_SITUATION_OPTIONS): Situation {
  const rng = new Rng(seed);
  const random = () => rng.float();
  const camera = robotCamera(undefined, options.jitter, seed);
  const fromEpisode = options.mistake !== undefined || rng.chance(options.episodeShare);
  const source: SituationSource = options.scenario ?? (fromEpisode ? rng.pick(['kitchen', 'factory', 'tabletop'] as const) : rng.pick(['kitchen', 'factory', 'tabletop', 'dense_blocks', 'dense_blocks'] as const));
  let scene: Scene;
  let state: EpisodeState | null = null;
  let truth: MistakeTruth | null = null;
  if (source === 'dense_blocks') {
    scene = denseBlockScene(rng);
  } else {
    const episode = drawEpisode(source, rng, options.mistake ?? 'random');
    scene = episode.spec.scene;
    truth = episode.spec.truth;
    const { visibleAt, pointOfNoReturnAt, dt } = episode.spec;
    const until = fromEpisode && visibleAt !== null && pointOfNoReturnAt !== null ? rng.range(visibleAt, pointOfNoReturnAt) : rng.range(0, 6);
    state = episode.state;
    for (let t = 0; t + dt <= until; t += dt) state = stepEpisode(episode.spec, state);
  }
  const frame = renderFrame(scene, state, camera);
  const positions = new Map<string, PlanePoint>();
  if (state) state.objects.forEach((o) => positions.set(o.id, { x: o.base.x, y: o.base.y }));
  const person = { x: scene.person.position.x, y: scene.person.position.y };
  const view: EpisodeView = { objects: describablesOf(scene.objects, person, positions), viewers: defaultViewers(person), truth: truth ?? noneTruth() };
  const step = state ? state.plan[state.stepIndex] : undefined;
  const currentAction: RobotAction = step?.action ?? 'idle';
  const holding = state?.robot.held != null;
  const pouring = holding && state !== null && state.plan.slice(state.stepIndex).some((s) => s.action === 'pour');
  const hand = holding && state ? { x: state.robot.tip.p.x, y: state.robot.tip.p.y, z: state.robot.tip.p.z } : null;
  const taskId = state ? (state.intent.pourInto ?? state.intent.item) : null;
  const task = (taskId !== null && taskId !== state?.robot.held && positions.get(taskId)) || null;
  const robot: RobotContext = { currentTarget: step ? { x: step.point.x, y: step.point.y } : null, holding, pouring, hand, task };

  const visible = visibleIds(frame, 6);
  if (fromEpisode && truth && truth.type !== 'none') {
    const meaning = episodeMeaning(view, random);
    const placeOnly = truth.target === null && truth.region !== null;
    if (placeOnly ? sayable(meaning, view, source) : truth.target !== null && visible.includes(truth.target)) {
      return { seed, source, scene, state, camera, frame, view, currentAction, robot, meaning, targetId: truth.target, targetRegion: placeOnly ? truth.region : null, truth };
    }
  }
  // A plain reference to a visible object that words can single out (some cannot: seven
  // identical blocks in a row have no unique description but their place in it).
  // The reminder is one of a wrong object, so it never names the object the robot aims at.
  const aimed = (id: string) => {
    const p = positions.get(id);
    return p !== undefined && aimedPoints(robot).some((a) => Math.hypot(p.x - a.x, p.y - a.y) < 0.03);
  };
  const candidates = rng.shuffle(visible.filter((id) => !aimed(id) && (id !== PERSON_ID || rng.chance(0.15))));
  let targetId = candidates[0] ?? PERSON_ID;
  let references = referencesTo(view.objects, targetId, view.viewers);
  for (const id of candidates.slice(1)) {
    if (references.length > 0) break;
    targetId = id;
    references = referencesTo(view.objects, id, view.viewers);
  }
  const reference = references.length > 0 ? chooseReference(view, targetId, random) : { target: {}, locations: [], relation: null, ordinal: 0, weight: 1 };
  const meaning: Meaning = {
    ...EMPTY_MEANING,
    mistake: 'wrong_object',
    target: reference.target,
    locations: reference.locations,
    relation: reference.relation,
    ordinal: reference.ordinal,
  };
  return { seed, source, scene, state, camera, frame, view, currentAction, robot, meaning, targetId, targetRegion: null, truth };
}

/**
 * Whether words can single out the place: its reference must be the person, the robot, or the one
 * object of its description (a free spot on the table cannot be said without pointing).
 */
function sayable(meaning: Meaning, view: EpisodeView, source: SituationSource): boolean {
  const reference = meaning.relation?.reference;
  if (!reference) return false;
  // The kitchen's place for the cup is right in front of the person; the tabletop's is a free spot.
  if (reference.kind === 'person') return source === 'kitchen';
  if (reference.kind === 'robot') return true;
  return view.objects.filter((o) => matches(o, reference)).length === 1;
}

function noneTruth(): MistakeTruth {
  return {
    type: 'none', description: 'normal', wrongObject: null, target: null, region: null, relation: null, referenceObject: null,
    correctAction: null, correctGrasp: null, correction: null, failure: null,
  };
}
