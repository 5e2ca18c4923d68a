/**
 * The simulator node's backend with CoppeliaSim: the episode (task, mistakes, truth, corrections,
 * outcome) runs in the built-in simulator, exactly as with the builtin backend, so the monitor
 * flags and corrects the same failing actions; CoppeliaSim holds the scene and renders the camera.
 *
 * Per episode: the scene is built in CoppeliaSim with the node's camera. Per step: the built-in
 * state advances, object and arm poses are mirrored into CoppeliaSim, CoppeliaSim steps. Per frame:
 * CoppeliaSim's vision sensor gives the image (top row first); the instance mask that grounds
 * attention comes from the built-in renderer at the same poses.
 *
 * Remote work runs one job at a time, so a frame never sees a half-mirrored step. When the link
 * drops, the running episode ends as interrupted (the robot halts and it is not scored); the client
 * reconnects with backoff, and the next episode builds its scene again.
 */
import { BuiltinSimulator, drawEpisode, type CameraFrame, type EpisodeInfo, type FrameRequest, type SimulatorBackend, type StartRequest } from '../sim/backend';
import { makeCamera } from '../sim/camera';
import { DEFAULT_DT } from '../sim/episode';
import type { CorrectionCommand, CorrectionResult } from '../sim/corrections';
import type { ExecutionSnapshot } from '../sim/execution-view';
import type { EpisodeEventRecord } from '../sim/state';
import { cameraSpecFor } from './camera-match';
import { isLinkFailure } from './errors';
import type { SceneBuildOptions } from './scene-builder';
import { SceneMirror } from './scene-mirror';
import { CoppeliaSimSession } from './session';
import type { StepOptions } from './sim-api';
import type { ClientLog, RemoteApiClientOptions } from './ws-client';

/** The camera the node is configured with; CoppeliaSim's camera is built to match it. */
export interface CameraSettings {
  readonly width: number;
  readonly height: number;
  readonly fovYDeg: number;
  /** Random camera offset in metres, drawn per episode from its seed (as the built-in camera does). */
  readonly jitter: number;
}

export interface CoppeliaSimBackendOptions {
  /** host, port, encoding, backoff... (`log` and `requireModules` are set by the backend). */
  readonly client?: Omit<RemoteApiClientOptions, 'log' | 'requireModules'>;
  readonly camera: CameraSettings;
  /** Sim seconds per step (default 0.05). */
  readonly dt?: number;
  /** Arm and model folder; the camera comes from `camera`. */
  readonly scene?: Omit<SceneBuildOptions, 'camera'>;
  readonly step?: StepOptions;
  readonly log?: ClientLog;
}

const defaultLog: ClientLog = (level, message) => {
  if (level !== 'debug') process.stderr.write(`[${level.toUpperCase()}] [coppeliasim] ${message}\n`);
};

export class CoppeliaSimBackend implements SimulatorBackend {
  readonly name = 'coppeliasim';
  readonly session: CoppeliaSimSession;
  readonly #episodes: BuiltinSimulator;
  readonly #dt: number;
  readonly #camera: CameraSettings;
  readonly #log: ClientLog;
  /** Warnings already logged (a missing UR5 model would otherwise be reported every episode). */
  readonly #warned = new Set<string>();
  /** Mirrors the running episode into its scene; null when no scene is built for it. */
  #mirror: SceneMirror | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  #framePending = false;

  constructor(options: CoppeliaSimBackendOptions) {
    this.#dt = options.dt ?? DEFAULT_DT;
    this.#camera = options.camera;
    this.#log = options.log ?? defaultLog;
    this.#episodes = new BuiltinSimulator(this.#dt);
    this.session = new CoppeliaSimSession({
      client: { ...options.client, log: this.#log, requireModules: ['sim', 'simIK'] },
      ...(options.scene ? { scene: options.scene } : {}),
      ...(options.step ? { step: options.step } : {}),
    });
    this.session.onLinkLost((detail) => this.#linkLost(detail));
    // Connects in the background, retrying with backoff; the client warns once when nobody answers.
    this.session.client.start();
  }

  unavailable(): string | null {
    if (this.session.connected) return null;
    const client = this.session.client;
    return `not connected to CoppeliaSim at ${client.url} (${client.lastError ?? client.state})`;
  }

  startEpisode(request: StartRequest): Promise<EpisodeInfo> {
    const episode = drawEpisode(request, this.#dt);
    // The running episode stops at once: it must not move while its scene is torn down.
    this.#episodes.interrupt('a new episode started');
    return this.#exclusive(async () => {
      await this.#dropMirror();
      const unavailable = this.unavailable();
      if (unavailable) throw new Error(`episode ${episode.spec.id} cannot start: ${unavailable}`);
      const camera = makeCamera({ ...this.#camera, jitterSeed: episode.spec.seed });
      const built = await this.session.loadScene(episode.spec.scene, { camera: cameraSpecFor(camera) });
      for (const warning of built.warnings) this.#warnOnce(warning);
      const mirror = await SceneMirror.create(this.session.api, built, episode.spec.scene.objects, (m) => this.#warnOnce(m));
      await mirror.mirror(episode.state);
      this.#mirror = mirror;
      return this.#episodes.begin(episode);
    });
  }

  step(): Promise<void> | void {
    if (this.#episodes.finished()) return;
    return this.#exclusive(async () => {
      const mirror = this.#mirror;
      if (this.#episodes.finished()) return;
      if (!mirror || !this.session.connected) {
        this.#episodes.interrupt(`CoppeliaSim is not connected (${this.unavailable() ?? 'its scene is gone'}); the robot is halted and the episode is not scored`);
        return;
      }
      this.#episodes.step();
      const state = this.#episodes.state();
      if (!state) return;
      try {
        await mirror.mirror(state);
        await this.session.step();
      } catch (err) {
        // A dropped link has interrupted the episode already (see #linkLost); anything else ends it here.
        if (isLinkFailure(err)) return;
        this.#episodes.interrupt(`CoppeliaSim failed during a step (${(err as Error).message}); the robot is halted`);
        throw err;
      }
    });
  }

  applyCorrection(command: CorrectionCommand): CorrectionResult {
    return this.#episodes.applyCorrection(command);
  }

  /** CoppeliaSim's image with the built-in mask at the same poses; null while no scene is built or a frame is on its way. */
  renderFrame(request: FrameRequest): Promise<CameraFrame | null> | null {
    if (!this.#mirror || this.#framePending) return null;
    const mismatch = this.#cameraMismatch(request);
    if (mismatch) return Promise.reject(new Error(mismatch));
    this.#framePending = true;
    return this.#exclusive(async () => {
      try {
        if (!this.#mirror || !this.session.connected) return null;
        const reference = this.#episodes.renderFrame(request);
        if (!reference) return null;
        const image = await this.session.cameraImage();
        if (image.width !== reference.width || image.height !== reference.height) {
          throw new Error(`CoppeliaSim's camera gave a ${image.width}x${image.height} image, the node expects ${reference.width}x${reference.height}`);
        }
        return { ...reference, rgb: image.rgb };
      } catch (err) {
        if (isLinkFailure(err)) return null;
        throw err;
      } finally {
        this.#framePending = false;
      }
    });
  }

  executionState(): ExecutionSnapshot | null {
    return this.#episodes.executionState();
  }

  takeEvents(): EpisodeEventRecord[] {
    return this.#episodes.takeEvents();
  }

  episode(): EpisodeInfo | null {
    return this.#episodes.episode();
  }

  finished(): boolean {
    return this.#episodes.finished();
  }

  /** The arm holds still where it is; CoppeliaSim needs no command for that. */
  interrupt(reason: string): void {
    this.#episodes.interrupt(reason);
  }

  /** Stops the simulation in CoppeliaSim (when still connected) and closes the link; no more retries. */
  async close(): Promise<void> {
    await this.#exclusive(() => this.#dropMirror());
    await this.session.close();
  }

  #cameraMismatch(request: FrameRequest): string | null {
    const c = this.#camera;
    const asked = `${request.width}x${request.height} at ${request.fovYDeg ?? 'the default'} degrees, jitter ${request.jitter ?? 0} m`;
    const built = `${c.width}x${c.height} at ${c.fovYDeg} degrees, jitter ${c.jitter} m`;
    const same = request.width === c.width && request.height === c.height && (request.fovYDeg ?? c.fovYDeg) === c.fovYDeg && (request.jitter ?? 0) === c.jitter;
    return same ? null : `a camera frame of ${asked} was asked for, but CoppeliaSim's camera is built as ${built}`;
  }

  #linkLost(detail: string): void {
    this.#mirror = null;
    this.#episodes.interrupt(`the connection to CoppeliaSim was lost (${detail}); the robot is halted and the episode is not scored`);
  }

  async #dropMirror(): Promise<void> {
    const mirror = this.#mirror;
    this.#mirror = null;
    if (mirror && this.session.connected) await mirror.dispose();
  }

  #warnOnce(message: string): void {
    if (this.#warned.has(message)) return;
    this.#warned.add(message);
    this.#log('warn', message);
  }

  /** Runs remote jobs one after another, whatever became of the one before. */
  #exclusive<T>(job: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(job, job);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
