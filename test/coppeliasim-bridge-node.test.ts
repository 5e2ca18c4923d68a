import { strict as assert } from 'node:assert';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { COLOUR_RGB } from '../coppeliasim/scene-builder';
import { QosProfiles } from '../graph/api';
import type { LogRecord } from '../graph/logging';
import { createMessage } from '../graph/message-validation';
import { Correction, type EpisodeEvent } from '../graph/messages';
import { BuiltinSimulator, type EpisodeTruthJson } from '../sim/backend';
import { waitFor } from './support/coppeliasim-fixtures';
import { CoppeliaSimStandIn } from './support/coppeliasim-standin';
import { startSimulatorOnGraph } from './support/sim-node-fixtures';

const STEP_MS = 50;
const FINAL = new Set(['succeeded', 'failed', 'interrupted']);

async function startBridge(port: number, parameters: readonly string[], rosArgs: readonly string[] = []) {
  const base = await startSimulatorOnGraph(['backend:=coppeliasim', `port:=${port}`, `step_ms:=${STEP_MS}`, ...parameters], rosArgs);
  const { graph, probe, states, running, logs } = base;
  const startClient = probe.createClient('h2r_interfaces/srv/StartEpisode', 'episode/start');
  const s = {
    ...base,
    /** Steps taken with step(): the episode's time is this times the step. */
    steps: 0,
    /** Log records of the simulator node at `level`. */
    at: (level: LogRecord['level']): string[] => logs.records.filter((r) => r.level === level && r.logger === 'simulator').map((r) => r.message),
    /** One step of graph time; resolves once the node has published the state it led to. */
    async step(): Promise<void> {
      const before = states.length;
      await graph.advance(STEP_MS);
      await waitFor(() => states.length > before, `execution/state after ${graph.clock.nowMs()} ms of graph time`);
      s.steps += 1;
    },
    async stepUntil(done: () => boolean, what: string, maxSteps = 2000): Promise<void> {
      for (let i = 0; !done(); i++) {
        assert.ok(i < maxSteps, `${what} did not happen within ${maxSteps} steps`);
        await s.step();
      }
    },
    startEpisode: (request: { scenario: string; seed: number; mistake: string }) => startClient.call({ ...request, scene_json: '' }, 10_000),
    async stop(): Promise<void> {
      await running.stop();
      await graph.shutdown();
    },
  };
  return s;
}

type Bridge = Awaited<ReturnType<typeof startBridge>>;

const connections = (s: Bridge): number => s.at('info').filter((m) => m.startsWith('connected to CoppeliaSim at')).length;
const truthOf = (e: EpisodeEvent): EpisodeTruthJson => JSON.parse(e.truth_json) as EpisodeTruthJson;

/** Centre (u, v) of the pixels that pass `test`, and how many there are. */
function centroid(width: number, height: number, test: (i: number) => boolean): { u: number; v: number; n: number } {
  let [u, v, n] = [0, 0, 0];
  for (let i = 0; i < width * height; i++) {
    if (!test(i)) continue;
    u += (i % width) + 0.5;
    v += Math.floor(i / width) + 0.5;
    n += 1;
  }
  return { u: u / n, v: v / n, n };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('simulator node with backend:=coppeliasim (stand-in)', () => {
  it('runs an episode in CoppeliaSim as with the built-in backend: top-first frames of the same view, state, a correction, success', async () => {
    const standIn = await CoppeliaSimStandIn.start({ render: 'scene' });
    const s = await startBridge(standIn.port, ['auto_start:=false', 'image_width:=480', 'image_height:=360', 'camera_rate_hz:=2']);
    try {
      await waitFor(() => connections(s) === 1, 'the connection to the stand-in');
      const reply = await s.startEpisode({ scenario: 'tabletop', seed: 4, mistake: 'wrong_object' });
      assert.deepEqual([reply.accepted, reply.episode_id], [true, 'tabletop-4-wrong_object'], reply.message);
      // The camera timer (2 Hz) fires after the step timer at 500 ms: the first frame shows the state after 10 steps.
      for (let i = 0; i < 10; i++) await s.step();
      await waitFor(() => s.images.length === 1, 'the first camera frame');
      const image = s.images[0]!;
      assert.deepEqual([image.width, image.height, image.encoding, image.step, image.header.stamp], [480, 360, 'rgb8', 480 * 3, { sec: 0, nanosec: 500_000_000 }]);

      // Same view as the built-in camera, top row first: each uniquely coloured object is where the built-in mask has it
      // (to a few pixels: the stand-in arm passing in front lacks the built-in arm's joint boxes and knuckles).
      const reference = new BuiltinSimulator(STEP_MS / 1000);
      const scene = reference.startEpisode({ scenario: 'tabletop', seed: 4, mistake: 'wrong_object' }).scene;
      for (let i = 0; i < 10; i++) reference.step();
      const builtin = reference.renderFrame({ width: 480, height: 360 })!;
      const unique = scene.objects.filter((o) => scene.objects.filter((other) => other.colour === o.colour).length === 1);
      assert.ok(unique.length >= 2, 'the scene has at least two objects of a colour of their own');
      for (const o of unique) {
        const rgb = COLOUR_RGB[o.colour].map((c) => Math.round(c * 255));
        const seen = centroid(480, 360, (i) => image.data[3 * i] === rgb[0] && image.data[3 * i + 1] === rgb[1] && image.data[3 * i + 2] === rgb[2]);
        const index = builtin.entityIds.indexOf(o.id);
        const expected = centroid(480, 360, (i) => builtin.mask[i] === index);
        assert.ok(seen.n > 100 && Math.abs(seen.n - expected.n) <= 0.05 * expected.n, `${o.id}: ${seen.n} pixels in CoppeliaSim's frame, ${expected.n} in the mask`);
        assert.ok(Math.abs(seen.u - expected.u) < 1.5 && Math.abs(seen.v - expected.v) < 1.5,
          `${o.id} at (${seen.u.toFixed(1)}, ${seen.v.toFixed(1)}) in CoppeliaSim's frame, (${expected.u.toFixed(1)}, ${expected.v.toFixed(1)}) in the built-in mask`);
      }

      const truth = truthOf(s.events[0]!);
      await s.stepUntil(() => (s.steps * STEP_MS) / 1000 >= (truth.visibleAt as number) + 0.2, 'the mistake becoming visible');
      const fix = createMessage('h2r_interfaces/msg/Correction');
      fix.kind = Correction.RETARGET;
      fix.target_object = truth.mistake.target as string;
      fix.episode_id = truth.episodeId;
      s.probe.createPublisher('h2r_interfaces/msg/Correction', 'execution/correction', QosProfiles.standard).publish(fix);
      await s.stepUntil(() => FINAL.has(s.states.at(-1)?.status ?? ''), 'the end of the episode');
      const kinds = s.events.map((e) => e.event);
      assert.ok(kinds.includes('correction_applied'), kinds.join(' '));
      assert.equal(kinds.at(-1), 'succeeded', kinds.join(' '));
      assert.equal(s.states.at(-1)?.status, 'succeeded');
      assert.ok(s.images.length >= 2, `${s.images.length} frames`);
      assert.deepEqual(s.at('error'), []);
    } finally {
      await s.stop();
      await standIn.close();
    }
  });

  it('halts and interrupts the episode when the link drops, stays up, and rebuilds the scene for the next episode', async () => {
    const standIn = await CoppeliaSimStandIn.start({});
    const s = await startBridge(standIn.port, ['auto_start:=false']);
    try {
      await waitFor(() => connections(s) === 1, 'the connection to the stand-in');
      assert.equal((await s.startEpisode({ scenario: 'kitchen', seed: 1, mistake: 'none' })).accepted, true);
      for (let i = 0; i < 10; i++) await s.step();
      await standIn.stopListening();
      await s.stepUntil(() => s.states.at(-1)?.status === 'interrupted', 'the interrupted state');
      const interrupted = s.events.at(-1)!;
      assert.deepEqual([interrupted.event, interrupted.episode_id], ['interrupted', 'kitchen-1-none']);
      assert.match(interrupted.detail, new RegExp(`^interrupted: the connection to CoppeliaSim was lost \\(connection to ws://127\\.0\\.0\\.1:${standIn.port}/ lost: .*\\); the robot is halted and the episode is not scored \\(t=0\\.50 s\\)$`));
      assert.equal(s.states.at(-1)?.action, 'done');

      // Halted: graph time goes on, nothing moves, nothing more is published; the node still answers.
      const published = [s.states.length, s.events.length];
      await s.graph.advance(10 * STEP_MS);
      assert.deepEqual([s.states.length, s.events.length], published);
      const refused = await s.startEpisode({ scenario: 'kitchen', seed: 2, mistake: 'none' });
      assert.equal(refused.accepted, false);
      assert.match(refused.message, new RegExp(`^episode kitchen-2-none cannot start: not connected to CoppeliaSim at ws://127\\.0\\.0\\.1:${standIn.port}/`));

      await standIn.listen();
      await waitFor(() => connections(s) === 2, 'the reconnection');
      const builds = standIn.received.filter((r) => r.func === 'sim.createVisionSensor').length;
      assert.equal((await s.startEpisode({ scenario: 'kitchen', seed: 2, mistake: 'none' })).accepted, true);
      assert.equal(standIn.received.filter((r) => r.func === 'sim.createVisionSensor').length, builds + 1, 'the scene was built again');
      const frames = s.images.length;
      for (let i = 0; i < 5; i++) await s.step();
      assert.deepEqual([s.states.at(-1)?.episode_id, s.states.at(-1)?.status], ['kitchen-2-none', 'running']);
      assert.ok(s.images.length > frames, 'frames come again');
      assert.equal(s.at('warn').filter((m) => m.startsWith('lost the connection to CoppeliaSim')).length, 1);
    } finally {
      await s.stop();
      await standIn.close();
    }
  });

  it('warns once with host:port when nothing listens, retries while the graph runs on, and starts once CoppeliaSim is there', async () => {
    const port = await freePort();
    const s = await startBridge(port, ['auto_start:=true', 'scenario:=factory', 'seed:=5'], ['--log-level', 'debug']);
    let standIn: CoppeliaSimStandIn | null = null;
    try {
      let probeTicks = 0;
      s.probe.createTimer(STEP_MS, () => (probeTicks += 1));
      // At least a second of real time (the retries run on it) and 20 steps of graph time.
      const started = Date.now();
      for (let i = 0; i < 20 || Date.now() - started < 1000; i++) {
        await s.graph.advance(STEP_MS);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const address = `127.0.0.1:${port}`;
      const warnings = s.at('warn');
      assert.equal(warnings.length, 1, warnings.join('\n'));
      assert.ok(warnings[0]!.startsWith(`cannot reach CoppeliaSim at ws://${address}/ (`), warnings[0]);
      assert.match(warnings[0]!, /is CoppeliaSim running with the "WS remote API server" add-on enabled .*; retrying with backoff$/);
      assert.ok(s.at('debug').some((m) => m.startsWith(`attempt 2 to reach ws://${address}/ failed`)), 'a second attempt');
      assert.deepEqual([s.events.length, s.states.length, s.images.length, s.at('error').length], [0, 0, 0, 0]);
      assert.ok(probeTicks >= 20, `the graph's other timers fired ${probeTicks} times`);
      const refused = await s.startEpisode({ scenario: 'factory', seed: 9, mistake: 'none' });
      assert.match(refused.message, new RegExp(`not connected to CoppeliaSim at ws://127\\.0\\.0\\.1:${port}/`));

      standIn = await CoppeliaSimStandIn.start({ port });
      await waitFor(() => connections(s) === 1, 'the connection once the stand-in listens', 8000);
      await s.graph.advance(STEP_MS);
      await waitFor(() => s.events.length > 0, 'the first episode');
      assert.equal(s.events[0]!.event, 'started');
      assert.match(s.events[0]!.episode_id, /^factory-5-/);
      await s.step();
      assert.equal(s.states.at(-1)?.status, 'running');
    } finally {
      await s.stop();
      await standIn?.close();
    }
  });
});
