/**
 * One CoppeliaSim run as the bridge sees it: connect, build a scene, step, look through the camera,
 * mirror object poses, and hear when the link is lost. This is the seam the SimulatorBackend
 * adapter (phase 2) wraps; nothing here knows about episodes or the built-in simulator's state.
 */
import { isLinkFailure } from './errors';
import { buildScene, shapeCentre, type BuiltScene, type SceneBuildInput, type SceneBuildOptions } from './scene-builder';
import { CoppeliaSimApi, type StepOptions } from './sim-api';
import type { RgbImage } from './vision-image';
import { RemoteApiClient, type ConnectionEvent, type RemoteApiClientOptions } from './ws-client';
import type { SceneObject } from '../sim/types';

export interface CoppeliaSimSessionOptions {
  readonly client?: RemoteApiClientOptions;
  readonly scene?: SceneBuildOptions;
  readonly step?: StepOptions;
}

export type LinkLostListener = (detail: string) => void;

export class CoppeliaSimSession {
  readonly client: RemoteApiClient;
  readonly api: CoppeliaSimApi;
  readonly #options: CoppeliaSimSessionOptions;
  readonly #linkLost = new Set<LinkLostListener>();
  #scene: BuiltScene | null = null;

  constructor(options: CoppeliaSimSessionOptions = {}) {
    this.#options = options;
    this.client = new RemoteApiClient(options.client);
    this.api = new CoppeliaSimApi(this.client);
    this.client.onConnectionChange((event: ConnectionEvent) => {
      if (event.state !== 'disconnected') return;
      // Whatever was built may be gone (CoppeliaSim may have restarted): build again after reconnecting.
      this.#scene = null;
      for (const listener of [...this.#linkLost]) listener(event.detail);
    });
  }

  /** Connects (retrying with backoff in the background); rejects after `timeoutMs` with the reason. */
  async open(timeoutMs = 10_000): Promise<void> {
    await this.client.connect(timeoutMs);
  }

  get connected(): boolean {
    return this.client.state === 'connected';
  }

  get scene(): BuiltScene | null {
    return this.#scene;
  }

  /** Called when an open connection drops: halt the robot and mark the episode interrupted. */
  onLinkLost(listener: LinkLostListener): () => void {
    this.#linkLost.add(listener);
    return () => this.#linkLost.delete(listener);
  }

  /**
   * Stops any running simulation, builds the scene, and starts the simulation in stepped mode at
   * time 0. `options` override the session's scene options for this build (a per-episode camera).
   */
  async loadScene(input: SceneBuildInput, options: SceneBuildOptions = {}): Promise<BuiltScene> {
    if ((await this.api.getSimulationState()).phase !== 'stopped') await this.api.stopSimulation();
    const scene = await buildScene(this.api, input, { ...this.#options.scene, ...options });
    await this.api.setStepping(true);
    await this.api.startSimulation();
    this.#scene = scene;
    return scene;
  }

  /** One simulation step; resolves with the new simulation time, s. */
  step(): Promise<number> {
    return this.api.step(this.#options.step);
  }

  /** Renders and reads the scene camera, top row first. */
  async cameraImage(): Promise<RgbImage> {
    return this.api.captureImage(this.#builtScene().camera);
  }

  /** Moves a scene object to where the built-in simulator has it (base position and yaw, simulator frame). */
  async placeObject(object: Pick<SceneObject, 'id' | 'kind' | 'size' | 'position' | 'yaw'>): Promise<void> {
    const scene = this.#builtScene();
    const handle = scene.objects.get(object.id);
    if (handle === undefined) throw new RangeError(`scene object '${object.id}' was not built in CoppeliaSim`);
    await Promise.all([
      this.api.setObjectPosition(handle, shapeCentre(object), scene.root),
      this.api.setObjectOrientation(handle, [0, 0, object.yaw], scene.root),
    ]);
  }

  /** Stops the simulation when still connected, then closes the link. Never rejects for a dead link. */
  async close(): Promise<void> {
    try {
      if (this.connected) await this.api.stopSimulation();
    } catch (err) {
      if (!isLinkFailure(err)) throw err;
    } finally {
      await this.client.close();
    }
  }

  #builtScene(): BuiltScene {
    if (!this.#scene) throw new Error(`no scene is built in CoppeliaSim at ${this.client.url} (call loadScene after connecting)`);
    return this.#scene;
  }
}
