/**
 * simulator: runs episodes of the built-in simulator on the graph clock, with the scene and camera
 * in this process (backend builtin) or in CoppeliaSim (backend coppeliasim). Publishes
 * camera/image, execution/state and episode/events; takes execution/correction and the
 * episode/start service; grounds attention/visual to object ids with the instance mask and
 * republishes it on attention/grounded.
 */
import { QosProfiles, type GraphNode } from '../graph/api';
import type { Header } from '../graph/messages';
import { declareParameters, type NodeDefinition, type ParameterSchema, type ParameterValues } from '../graph/node-definition';
import type { EpisodeInfo, MaybePromise, SimulatorBackend, StartRequest } from '../sim/backend';
import { BACKEND_KINDS, createSimulatorBackend, DEFAULT_COPPELIASIM_HOST, DEFAULT_COPPELIASIM_PORT, REMOTE_ENCODINGS, type BackendKind, type RemoteEncoding, type SimulatorBackendOptions } from '../sim/create-backend';
import { MaskRing, groundAttention } from '../sim/grounding';
import {
  correctionFromMessage,
  episodeEventMessage,
  executionStateMessage,
  groundedAttention,
  heatmapValues,
  imageMessage,
} from '../sim/ros-messages';
import { MISTAKE_CHOICES, checkStartRequest } from '../sim/start-request';
import type { EpisodeStatus } from '../sim/state';
import { SCENARIOS, type MistakeType, type Scenario } from '../sim/types';

const parameters = {
  scenario: { defaultValue: 'kitchen', descriptor: { type: 'string', description: 'Scenario of the episodes started on their own', choices: SCENARIOS, readOnly: true } },
  seed: { defaultValue: 0, descriptor: { type: 'integer', description: 'Seed of the first episode; each next one adds 1', range: { from: 0, to: 2147483647 }, readOnly: true } },
  mistake: { defaultValue: 'random', descriptor: { type: 'string', description: 'Mistake injected into the episodes (random draws one per seed)', choices: MISTAKE_CHOICES, readOnly: true } },
  image_width: { defaultValue: 160, descriptor: { type: 'integer', description: 'Camera image width, pixels', range: { from: 8, to: 4096 }, readOnly: true } },
  image_height: { defaultValue: 120, descriptor: { type: 'integer', description: 'Camera image height, pixels', range: { from: 8, to: 4096 }, readOnly: true } },
  fov_deg: { defaultValue: 52, descriptor: { type: 'double', description: 'Vertical field of view of the camera, degrees', range: { from: 20, to: 120 }, readOnly: true } },
  camera_rate_hz: { defaultValue: 10, descriptor: { type: 'double', description: 'Camera frames per second of graph time', range: { from: 0.5, to: 60 }, readOnly: true } },
  step_ms: { defaultValue: 50, descriptor: { type: 'integer', description: 'Simulation step, ms of graph time (one step per timer tick)', range: { from: 10, to: 200 }, readOnly: true } },
  jitter: { defaultValue: 0, descriptor: { type: 'double', description: 'Random camera offset per episode, metres', range: { from: 0, to: 0.05 }, readOnly: true } },
  auto_start: { defaultValue: true, descriptor: { type: 'bool', description: 'Start an episode at once and the next one after each ends', readOnly: true } },
  episode_pause_ms: { defaultValue: 2000, descriptor: { type: 'integer', description: 'Pause between episodes started on their own, ms', range: { from: 0, to: 600000 }, readOnly: true } },
  episodes: { defaultValue: 0, descriptor: { type: 'integer', description: 'Episodes to start on their own; 0 keeps going', range: { from: 0, to: 1000000 }, readOnly: true } },
  frame_id: { defaultValue: 'camera', descriptor: { type: 'string', description: 'frame_id of camera images', readOnly: true } },
  mask_ring: { defaultValue: 16, descriptor: { type: 'integer', description: 'Instance masks kept to ground attention on recent frames', range: { from: 1, to: 256 }, readOnly: true } },
  backend: { defaultValue: 'builtin', descriptor: { type: 'string', description: 'Where the scene lives and the camera renders: builtin (this process) or coppeliasim (episodes stay the built-in ones)', choices: BACKEND_KINDS, readOnly: true } },
  host: { defaultValue: DEFAULT_COPPELIASIM_HOST, descriptor: { type: 'string', description: "Host of CoppeliaSim's WebSocket remote API (backend coppeliasim)", readOnly: true } },
  port: { defaultValue: DEFAULT_COPPELIASIM_PORT, descriptor: { type: 'integer', description: "Port of CoppeliaSim's WebSocket remote API: 23050, or 23050 + its process id from 4.8 (backend coppeliasim)", range: { from: 1, to: 65535 }, readOnly: true } },
  encoding: { defaultValue: 'cbor', descriptor: { type: 'string', description: 'Encoding of requests to CoppeliaSim; camera images always travel as CBOR (backend coppeliasim)', choices: REMOTE_ENCODINGS, readOnly: true } },
  model_directory: { defaultValue: 'models', descriptor: { type: 'string', description: "CoppeliaSim's models folder as sim.loadModel resolves it, for UR5 and RG2 (backend coppeliasim)", readOnly: true } },
} as const satisfies ParameterSchema;

type SimulatorParameters = ParameterValues<typeof parameters>;

/** What the backend factory gets: the backend options from the parameters, logging to the node. */
export function backendOptions(p: SimulatorParameters, node: GraphNode): SimulatorBackendOptions {
  return {
    backend: p.backend as BackendKind,
    host: p.host,
    port: p.port,
    encoding: p.encoding as RemoteEncoding,
    stepSeconds: p.step_ms / 1000,
    camera: { width: p.image_width, height: p.image_height, fovYDeg: p.fov_deg, jitter: p.jitter },
    modelDirectory: p.model_directory,
    log: (level, message) => node.logger[level](message),
  };
}

/** Runs f on a value that may still be on its way; errors go to onError. */
function after<T>(value: MaybePromise<T>, f: (v: T) => void, onError: (e: unknown) => void): void {
  if (value instanceof Promise) value.then(f, onError);
  else {
    try {
      f(value);
    } catch (e) {
      onError(e);
    }
  }
}

export function createSimulatorNode(backendFactory: (options: SimulatorBackendOptions) => SimulatorBackend): NodeDefinition {
  return {
    executable: 'simulator',
    defaultName: 'simulator',
    description: 'Simulator: episodes with injected mistakes, camera images, execution state, corrections (built-in or CoppeliaSim)',
    parameters,
    drivesRobot: true,
    start(node: GraphNode) {
      const p = declareParameters(node, parameters);
      const backend = backendFactory(backendOptions(p, node));
      const header = (frameId = ''): Header => ({ stamp: node.now(), frame_id: frameId });
      const camera = node.createPublisher('sensor_msgs/msg/Image', 'camera/image', QosProfiles.sensorData);
      const statePub = node.createPublisher('h2r_interfaces/msg/ExecutionState', 'execution/state', QosProfiles.sensorData);
      const events = node.createPublisher('h2r_interfaces/msg/EpisodeEvent', 'episode/events', QosProfiles.standard);
      const grounded = node.createPublisher('h2r_interfaces/msg/VisualAttention', 'attention/grounded', QosProfiles.standard);
      const masks = new MaskRing(p.mask_ring);
      const fail = (what: string) => (e: unknown): void => node.logger.error(`${what}: ${e instanceof Error ? e.message : String(e)}`);
      const pauseTicks = Math.ceil(p.episode_pause_ms / p.step_ms);
      let info: EpisodeInfo | null = null;
      let autoStarted = 0;
      let nextSeed = p.seed;
      /** Ticks to wait before the next episode starts on its own. */
      let waitTicks = 0;
      let startPending = false;
      /** Status in the last execution/state published; the end of an episode is published once. */
      let lastStatus: EpisodeStatus | null = null;
      let endReported = false;
      let busy = false;

      const flushEvents = (): void =>
        after(backend.takeEvents(), (list) => {
          const current = backend.episode();
          if (!current) return;
          for (const e of list) {
            events.publish(episodeEventMessage(e, current, header()));
            node.logger.info(`${current.episodeId}: ${e.event} at ${e.t.toFixed(2)} s${e.failure ? ` (${e.failure})` : ''}: ${e.detail}`);
          }
        }, fail('episode events'));

      const publishState = (done: () => void): void =>
        after(backend.executionState(), (snapshot) => {
          if (snapshot && !(endReported && snapshot.status === lastStatus)) {
            statePub.publish(executionStateMessage(snapshot, header()));
            lastStatus = snapshot.status;
          }
          flushEvents();
          done();
        }, (e) => { done(); fail('execution state')(e); });

      const start = (request: StartRequest, done: (result: EpisodeInfo | string) => void): void => {
        let result: MaybePromise<EpisodeInfo>;
        try {
          result = backend.startEpisode(request);
        } catch (e) {
          done(e instanceof Error ? e.message : String(e));
          return;
        }
        after(result, (started_) => {
          info = started_;
          masks.clear();
          endReported = false;
          lastStatus = null;
          flushEvents();
          done(started_);
        }, (e) => done(e instanceof Error ? e.message : String(e)));
      };

      const autoStartDue = (): boolean => p.auto_start && !startPending && !(p.episodes > 0 && autoStarted >= p.episodes);

      const startNext = (): void => {
        const seed = nextSeed;
        startPending = true;
        start({ scenario: p.scenario as Scenario, seed, mistake: p.mistake as MistakeType | 'random' }, (r) => {
          startPending = false;
          if (typeof r !== 'string') {
            autoStarted += 1;
            nextSeed += 1;
            return;
          }
          // Lost the simulator on the way: the same seed again once it is back; else the next seed.
          const unavailable = backend.unavailable?.() ?? null;
          if (!unavailable) nextSeed += 1;
          waitTicks = pauseTicks;
          node.logger.error(`episode with seed ${seed} could not start: ${r}`);
        });
      };

      /** Publishes the end of an episode once (a dropped link ends one between steps), then the pause begins. */
      const reportEnd = (): void => {
        if (endReported || info === null) return;
        endReported = true;
        waitTicks = pauseTicks;
        publishState(() => undefined);
      };

      const tick = (): void => {
        if (busy) return;
        busy = true;
        after(backend.finished(), (finished) => {
          if (!finished) {
            after(backend.step(), () => publishState(() => { busy = false; }), (e) => { busy = false; fail('step')(e); });
            return;
          }
          busy = false;
          reportEnd();
          if (!autoStartDue()) return;
          if (waitTicks > 0) {
            waitTicks -= 1;
            return;
          }
          // Waits quietly while the backend cannot start episodes: it has said why (host and port) itself.
          if (backend.unavailable?.()) return;
          startNext();
        }, (e) => { busy = false; fail('episode status')(e); });
      };
      if (autoStartDue() && !backend.unavailable?.()) startNext();
      const stepTimer = node.createTimer(p.step_ms, tick);

      const cameraTimer = node.createTimer(1000 / p.camera_rate_hz, () => {
        after(backend.renderFrame({ width: p.image_width, height: p.image_height, fovYDeg: p.fov_deg, jitter: p.jitter }), (frame) => {
          if (!frame) return;
          const h = header(p.frame_id);
          masks.put(h.stamp, frame);
          camera.publish(imageMessage(frame.rgb, frame.width, frame.height, h));
        }, fail('camera frame'));
      });

      node.createSubscription('h2r_interfaces/msg/Correction', 'execution/correction', (msg) => {
        const parsed = correctionFromMessage(msg);
        if ('error' in parsed) {
          node.logger.warn(`correction dropped: ${parsed.error}`);
          return;
        }
        if (info && msg.episode_id !== '' && msg.episode_id !== info.episodeId) {
          node.logger.warn(`correction dropped: it is for episode '${msg.episode_id}', running is '${info.episodeId}'`);
          return;
        }
        after(backend.applyCorrection(parsed.command), (result) => {
          if (result.accepted) node.logger.info(`correction applied at ${result.t.toFixed(2)} s: ${result.detail}${msg.reason ? ` (${msg.reason})` : ''}`);
          else node.logger.warn(`correction dropped: ${result.detail}`);
          flushEvents();
        }, fail('correction'));
      }, QosProfiles.standard);

      node.createSubscription('h2r_interfaces/msg/VisualAttention', 'attention/visual', (msg) => {
        const frame = masks.find(msg.header.stamp);
        if (!frame) {
          node.logger.warn(`attention dropped: no recent camera frame has stamp ${msg.header.stamp.sec}.${msg.header.stamp.nanosec}`);
          return;
        }
        const heat = heatmapValues(msg.heatmap);
        if (typeof heat === 'string') {
          node.logger.warn(`attention dropped: ${heat}`);
          return;
        }
        if (msg.heatmap.width !== frame.width || msg.heatmap.height !== frame.height) {
          node.logger.warn(`attention dropped: heatmap is ${msg.heatmap.width}x${msg.heatmap.height}, the frame was ${frame.width}x${frame.height}`);
          return;
        }
        const g = groundAttention(heat, frame);
        grounded.publish(groundedAttention(msg, g.object, g.share));
      }, QosProfiles.standard);

      node.createService('h2r_interfaces/srv/StartEpisode', 'episode/start', (req) =>
        new Promise((resolve) => {
          const request = checkStartRequest(req, { scenario: p.scenario as Scenario, mistake: p.mistake as MistakeType | 'random' });
          if (typeof request === 'string') {
            node.logger.warn(`episode/start refused: ${request}`);
            resolve({ accepted: false, episode_id: '', message: request });
            return;
          }
          start(request, (r) => {
            if (typeof r === 'string') resolve({ accepted: false, episode_id: '', message: r });
            else resolve({ accepted: true, episode_id: r.episodeId, message: r.truth.description });
          });
        }),
      );

      return {
        stop: () =>
          new Promise<void>((resolve) => {
            // Halt the robot first (the running episode ends as interrupted), then stop the timers and let go of the simulator.
            after(backend.interrupt('the simulator node stopped'), () => flushEvents(), fail('interrupt'));
            stepTimer.cancel();
            cameraTimer.cancel();
            after(backend.close?.(), () => resolve(), (e) => { fail('closing the simulator')(e); resolve(); });
          }),
      };
    },
  };
}

export const simulator: NodeDefinition = createSimulatorNode(createSimulatorBackend);
