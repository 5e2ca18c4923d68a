/**
 * simulator: runs episodes of the built-in simulator (or any SimulatorBackend) on the graph clock.
 * Publishes camera/image, execution/state and episode/events; takes execution/correction and the
 * episode/start service; grounds attention/visual to object ids with the instance mask and
 * republishes it on attention/grounded.
 */
import { QosProfiles, type GraphNode } from '../graph/api';
import type { Header } from '../graph/messages';
import { declareParameters, type NodeDefinition, type ParameterSchema } from '../graph/node-definition';
import { BuiltinSimulator, type EpisodeInfo, type MaybePromise, type SimulatorBackend, type StartRequest } from '../sim/backend';
import { MaskRing, groundAttention } from '../sim/grounding';
import {
  correctionFromMessage,
  episodeEventMessage,
  executionStateMessage,
  groundedAttention,
  heatmapValues,
  imageMessage,
  worldStateMessage,
} from '../sim/ros-messages';
import { MISTAKE_CHOICES, checkStartRequest } from '../sim/start-request';
import { SCENARIOS, type MistakeType, type Scenario } from '../sim/types';

const parameters = {
  scenario: { defaultValue: 'kitchen', descriptor: { type: 'string', description: 'Scenario of the episodes started on their own', choices: SCENARIOS, readOnly: true } },
  seed: { defaultValue: 0, descriptor: { type: 'integer', description: 'Seed of the first episode; each next one adds 1', range: { from: 0, to: 2147483647 }, readOnly: true } },
  mistake: { defaultValue: 'random', descriptor: { type: 'string', description: 'Mistake injected into the episodes (random draws one per seed)', choices: MISTAKE_CHOICES, readOnly: true } },
  image_width: { defaultValue: 320, descriptor: { type: 'integer', description: 'Camera image width, pixels', range: { from: 8, to: 4096 }, readOnly: true } },
  image_height: { defaultValue: 240, descriptor: { type: 'integer', description: 'Camera image height, pixels', range: { from: 8, to: 4096 }, readOnly: true } },
  fov_deg: { defaultValue: 46, descriptor: { type: 'double', description: 'Vertical field of view of the camera, degrees', range: { from: 20, to: 120 }, readOnly: true } },
  camera_rate_hz: { defaultValue: 10, descriptor: { type: 'double', description: 'Camera frames per second of graph time', range: { from: 0.5, to: 60 }, readOnly: true } },
  step_ms: { defaultValue: 50, descriptor: { type: 'integer', description: 'Simulation step, ms of graph time (one step per timer tick)', range: { from: 10, to: 200 }, readOnly: true } },
  jitter: { defaultValue: 0, descriptor: { type: 'double', description: 'Random camera offset per episode, metres', range: { from: 0, to: 0.05 }, readOnly: true } },
  auto_start: { defaultValue: true, descriptor: { type: 'bool', description: 'Start an episode at once and the next one after each ends', readOnly: true } },
  episode_pause_ms: { defaultValue: 2000, descriptor: { type: 'integer', description: 'Pause between episodes started on their own, ms', range: { from: 0, to: 600000 }, readOnly: true } },
  episodes: { defaultValue: 0, descriptor: { type: 'integer', description: 'Episodes to start on their own; 0 keeps going', range: { from: 0, to: 1000000 }, readOnly: true } },
  frame_id: { defaultValue: 'camera', descriptor: { type: 'string', description: 'frame_id of camera images', readOnly: true } },
  mask_ring: { defaultValue: 16, descriptor: { type: 'integer', description: 'Instance masks kept to ground attention on recent frames', range: { from: 1, to: 256 }, readOnly: true } },
} as const satisfies ParameterSchema;

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

export function createSimulatorNode(backendFactory: (stepSeconds: number) => SimulatorBackend): NodeDefinition {
  return {
    executable: 'simulator',
    defaultName: 'simulator',
    description: 'Built-in simulator: episodes with injected mistakes, camera images, execution state, corrections',
    parameters,
    start(node: GraphNode) {
      const p = declareParameters(node, parameters);
      const backend = backendFactory(p.step_ms / 1000);
      const header = (frameId = ''): Header => ({ stamp: node.now(), frame_id: frameId });
      const camera = node.createPublisher('sensor_msgs/msg/Image', 'camera/image', QosProfiles.sensorData);
      const statePub = node.createPublisher('h2r_interfaces/msg/ExecutionState', 'execution/state', QosProfiles.sensorData);
      const events = node.createPublisher('h2r_interfaces/msg/EpisodeEvent', 'episode/events', QosProfiles.standard);
      const grounded = node.createPublisher('h2r_interfaces/msg/VisualAttention', 'attention/grounded', QosProfiles.standard);
      const world = node.createPublisher('h2r_interfaces/msg/WorldState', 'episode/world', QosProfiles.sensorData);
      const masks = new MaskRing(p.mask_ring);
      const fail = (what: string) => (e: unknown): void => node.logger.error(`${what}: ${e instanceof Error ? e.message : String(e)}`);
      let info: EpisodeInfo | null = null;
      let started = 0;
      let nextSeed = p.seed;
      let pauseTicks = -1;
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
          pauseTicks = -1;
          flushEvents();
          done(started_);
        }, (e) => done(e instanceof Error ? e.message : String(e)));
      };

      const startNext = (): void => {
        started += 1;
        const seed = nextSeed;
        nextSeed += 1;
        start({ scenario: p.scenario as Scenario, seed, mistake: p.mistake as MistakeType | 'random' }, (r) => {
          if (typeof r === 'string') node.logger.error(`episode with seed ${seed} could not start: ${r}`);
        });
      };
      if (p.auto_start) startNext();

      const tick = (): void => {
        if (busy) return;
        busy = true;
        after(backend.finished(), (finished) => {
          if (finished) {
            busy = false;
            if (!p.auto_start || info === null || (p.episodes > 0 && started >= p.episodes)) return;
            if (pauseTicks < 0) pauseTicks = Math.ceil(p.episode_pause_ms / p.step_ms);
            if (pauseTicks-- === 0) startNext();
            return;
          }
          after(backend.step(), () => {
            after(backend.executionState(), (snapshot) => {
              if (snapshot) statePub.publish(executionStateMessage(snapshot, header()));
              const poses = backend.worldPoses();
              if (poses && info) world.publish(worldStateMessage(poses, info.episodeId, header()));
              flushEvents();
              busy = false;
            }, (e) => { busy = false; fail('execution state')(e); });
          }, (e) => { busy = false; fail('step')(e); });
        }, (e) => { busy = false; fail('episode status')(e); });
      };
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
        stop() {
          // Halt the robot first: the running episode ends as interrupted, then the timers stop.
          after(backend.interrupt('the simulator node stopped'), () => flushEvents(), fail('interrupt'));
          stepTimer.cancel();
          cameraTimer.cancel();
        },
      };
    },
  };
}

export const simulator: NodeDefinition = createSimulatorNode((dt) => new BuiltinSimulator(dt));
