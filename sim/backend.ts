/**
 * The simulator behind the simulator node, as an interface a CoppeliaSim client can implement too.
 * Methods may answer synchronously (the built-in simulator) or with a promise (a remote one).
 */
import type { MistakeTruth, MistakeType, Scenario } from './types';
import type { Scene, Task } from './world';
import type { CorrectionCommand, CorrectionResult } from './corrections';
import type { ExecutionSnapshot } from './execution-view';
import type { EpisodeEventRecord, EpisodeState } from './state';
import type { CameraModel } from './camera';
import { makeCamera } from './camera';
import { createEpisode, finish, interruptState, stepEpisode, type Episode } from './episode';
import { applyCorrection } from './corrections';
import { executionView } from './execution-view';
import { renderFrame, type Frame } from './render';
import { isFinished } from './state';
import { sceneToJson } from './scene-format';

export type MaybePromise<T> = T | Promise<T>;

export interface StartRequest {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly mistake: MistakeType | 'random';
  /** A scene to use instead of a generated one. */
  readonly scene?: Scene | null;
}

export interface EpisodeInfo {
  readonly episodeId: string;
  readonly scenario: Scenario;
  readonly seed: number;
  readonly mistake: MistakeType;
  readonly truth: MistakeTruth;
  readonly scene: Scene;
  readonly task: Task;
  /** Sim seconds from the episode's start; null for a normal episode. */
  readonly visibleAt: number | null;
  readonly pointOfNoReturnAt: number | null;
  /** Sim seconds per step. */
  readonly dt: number;
}

export interface FrameRequest {
  readonly width: number;
  readonly height: number;
  readonly fovYDeg?: number;
  /** Random camera offset in metres, drawn per episode. */
  readonly jitter?: number;
}

export interface CameraFrame extends Frame {
  /** Sim seconds since the episode started. */
  readonly time: number;
}

export interface SimulatorBackend {
  readonly name: string;
  /** Starts an episode, interrupting the one running. Throws (or rejects) with a clear message when it cannot. */
  startEpisode(request: StartRequest): MaybePromise<EpisodeInfo>;
  /** Advances the running episode by one step; nothing happens when none runs. */
  step(): MaybePromise<void>;
  applyCorrection(command: CorrectionCommand): MaybePromise<CorrectionResult>;
  renderFrame(request: FrameRequest): MaybePromise<CameraFrame | null>;
  executionState(): MaybePromise<ExecutionSnapshot | null>;
  /** Events since the last call, oldest first. */
  takeEvents(): MaybePromise<EpisodeEventRecord[]>;
  /** The running (or last) episode, null before the first. */
  episode(): EpisodeInfo | null;
  /** True when no episode runs or the last one has ended. */
  finished(): MaybePromise<boolean>;
  /** Ends the running episode as interrupted (e.g. on shutdown); the robot holds still. */
  interrupt(reason: string): MaybePromise<void>;
  /**
   * Why no episode can start now (a remote simulator is not reachable), or null when one can.
   * Absent for simulators that are always there.
   */
  unavailable?(): string | null;
  /** Releases connections and timers; the node calls it last when it stops. */
  close?(): MaybePromise<void>;
}

/** Draws the episode a start request asks for (scene, task, mistake, truth), without running it. */
export function drawEpisode(request: StartRequest, dt: number): Episode {
  return createEpisode({
    scenario: request.scenario,
    seed: request.seed,
    mistake: request.mistake,
    dt,
    ...(request.scene ? { scene: request.scene } : {}),
  });
}

/** What a start request's caller learns about the episode drawn for it. */
export function episodeInfo(episode: Episode): EpisodeInfo {
  const { spec } = episode;
  return {
    episodeId: spec.id,
    scenario: spec.scenario,
    seed: spec.seed,
    mistake: spec.mistake,
    truth: spec.truth,
    scene: spec.scene,
    task: spec.task,
    visibleAt: spec.visibleAt,
    pointOfNoReturnAt: spec.pointOfNoReturnAt,
    dt: spec.dt,
  };
}

/** The built-in simulator: the episodes of sim/ stepped in this process. */
export class BuiltinSimulator implements SimulatorBackend {
  readonly name = 'builtin';
  private current: Episode | null = null;
  private info: EpisodeInfo | null = null;
  /** Events of the current episode already handed out by takeEvents(). */
  private delivered = 0;
  /** Events of an interrupted episode not yet taken when the next one started. */
  private carried: EpisodeEventRecord[] = [];
  private readonly cameras = new Map<string, CameraModel>();

  constructor(private readonly dt = 0.05) {}

  startEpisode(request: StartRequest): EpisodeInfo {
    return this.begin(drawEpisode(request, this.dt));
  }

  /** Runs an episode drawn beforehand (see drawEpisode), interrupting the one running. */
  begin(episode: Episode): EpisodeInfo {
    if (this.current && !isFinished(this.current.state)) this.interrupt('a new episode started');
    const pendingOld = this.current ? this.current.state.events.slice(this.delivered) : [];
    this.current = episode;
    this.carried = pendingOld;
    this.delivered = 0;
    this.cameras.clear();
    this.info = episodeInfo(episode);
    return this.info;
  }

  /** The running (or last) episode's state, null before the first. */
  state(): EpisodeState | null {
    return this.current?.state ?? null;
  }

  step(): void {
    const ep = this.current;
    if (!ep || isFinished(ep.state)) return;
    if (ep.state.t >= ep.spec.maxTime) {
      this.current = { ...ep, state: finish(ep.state) };
      return;
    }
    this.current = { ...ep, state: stepEpisode(ep.spec, ep.state) };
  }

  applyCorrection(command: CorrectionCommand): CorrectionResult {
    const ep = this.current;
    if (!ep) return { accepted: false, tooLate: false, detail: 'no episode is running', t: 0 };
    const { state, result } = applyCorrection(ep.spec, ep.state, command);
    this.current = { ...ep, state };
    return result;
  }

  renderFrame(request: FrameRequest): CameraFrame | null {
    const ep = this.current;
    if (!ep) return null;
    const key = `${request.width}x${request.height}@${request.fovYDeg ?? ''}~${request.jitter ?? 0}`;
    let camera = this.cameras.get(key);
    if (!camera) {
      camera = makeCamera({
        width: request.width,
        height: request.height,
        ...(request.fovYDeg !== undefined ? { fovYDeg: request.fovYDeg } : {}),
        jitter: request.jitter ?? 0,
        jitterSeed: ep.spec.seed,
      });
      this.cameras.set(key, camera);
    }
    const frame = renderFrame(ep.spec.scene, ep.state, camera);
    return { time: ep.state.t, ...frame };
  }

  executionState(): ExecutionSnapshot | null {
    return this.current ? executionView(this.current.spec, this.current.state) : null;
  }

  takeEvents(): EpisodeEventRecord[] {
    const carried = this.carried;
    this.carried = [];
    if (!this.current) return carried;
    const events = this.current.state.events;
    const fresh = events.slice(this.delivered);
    this.delivered = events.length;
    return [...carried, ...fresh];
  }

  episode(): EpisodeInfo | null {
    return this.info;
  }

  finished(): boolean {
    return !this.current || isFinished(this.current.state);
  }

  interrupt(reason: string): void {
    const ep = this.current;
    if (!ep || isFinished(ep.state)) return;
    this.current = { ...ep, state: interruptState(ep.state, reason) };
  }
}

/** The episode's ground truth for evaluation harnesses (EpisodeEvent.truth_json). */
export interface EpisodeTruthJson {
  readonly episodeId: string;
  readonly scenario: Scenario;
  readonly seed: number;
  readonly mistake: MistakeTruth;
  readonly visibleAt: number | null;
  readonly pointOfNoReturnAt: number | null;
  readonly task: Task;
  readonly scene: Record<string, unknown>;
}

export function episodeTruthJson(info: EpisodeInfo): EpisodeTruthJson {
  return {
    episodeId: info.episodeId,
    scenario: info.scenario,
    seed: info.seed,
    mistake: info.truth,
    visibleAt: info.visibleAt,
    pointOfNoReturnAt: info.pointOfNoReturnAt,
    task: info.task,
    scene: sceneToJson(info.scene),
  };
}
