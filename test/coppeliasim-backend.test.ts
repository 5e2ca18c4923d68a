import { strict as assert } from 'node:assert';
import { standInArmLinks } from '../coppeliasim/arm-links';
import { flangePose, RG2_SIGNAL } from '../coppeliasim/arm-mirror';
import { CoppeliaSimBackend, type CoppeliaSimBackendOptions } from '../coppeliasim/backend';
import { objectPose } from '../coppeliasim/scene-mirror';
import { RG2_MODEL, UR5_MODEL } from '../coppeliasim/scene-builder';
import { BuiltinSimulator, type StartRequest } from '../sim/backend';
import type { ObjectDyn } from '../sim/physics';
import { assertNear, captureLog, withStandIn, type CapturedLog } from './support/coppeliasim-fixtures';
import type { CoppeliaSimStandIn, StandInOptions } from './support/coppeliasim-standin';
import { FAKE_RG2, FAKE_UR5 } from './support/coppeliasim-standin-world';

const CAMERA = { width: 480, height: 360, fovYDeg: 52, jitter: 0 };
const KITCHEN_EPISODE: StartRequest = { scenario: 'kitchen', seed: 3, mistake: 'none' };
const TABLE_HEIGHT = 0.74;

async function withBackend(
  standInOptions: StandInOptions,
  options: Partial<CoppeliaSimBackendOptions>,
  body: (standIn: CoppeliaSimStandIn, backend: CoppeliaSimBackend, log: CapturedLog) => Promise<void>,
): Promise<void> {
  await withStandIn(standInOptions, async (standIn, cleanup) => {
    const log = captureLog();
    const backend = new CoppeliaSimBackend({
      camera: CAMERA,
      log: log.log,
      ...options,
      client: { port: standIn.port, random: () => 0.5, backoff: { initialDelayMs: 10, maxDelayMs: 40 }, ...options.client },
    });
    cleanup(() => backend.close());
    await backend.session.client.waitUntilConnected(2000);
    await body(standIn, backend, log);
  });
}

/** World pose of the object at `path` in the stand-in, relative to the scene root `/h2r`. */
function poseInRoot(standIn: CoppeliaSimStandIn, path: string): readonly number[] {
  const world = standIn.world;
  return world.relativePose(world.resolve(path, 0), world.resolve('/h2r', 0)).position;
}

describe('CoppeliaSim backend against the stand-in', () => {
  it('runs the built-in episode unchanged while CoppeliaSim follows every step with its objects, arm and clock', async () => {
    await withBackend({}, { scene: { arm: 'stand-in' } }, async (standIn, backend) => {
      const reference = new BuiltinSimulator(0.05);
      const info = await backend.startEpisode(KITCHEN_EPISODE);
      assert.deepEqual(info, reference.startEpisode(KITCHEN_EPISODE));
      for (let i = 0; i < 30; i++) {
        await backend.step();
        reference.step();
      }
      assert.deepEqual(backend.executionState(), reference.executionState());
      assert.equal(standIn.world.time, 1.5);
      const state = reference.state()!;
      const forearm = standInArmLinks(state.robot.tip, state.robot.gripper).find((l) => l.alias === 'forearm')!;
      assertNear(poseInRoot(standIn, '/h2r/robot/forearm'), forearm.position, 'forearm', 1e-9);
      info.scene.objects.forEach((o, i) => {
        assertNear(poseInRoot(standIn, `/h2r/${o.id}`), objectPose(o, state.objects[i] as ObjectDyn).position, o.id, 1e-9);
      });
    });
  });

  it("gives CoppeliaSim's image top row first, with the built-in instance mask of the same moment", async () => {
    await withBackend({}, { scene: { arm: 'stand-in' } }, async (_standIn, backend) => {
      const reference = new BuiltinSimulator(0.05);
      await backend.startEpisode(KITCHEN_EPISODE);
      reference.startEpisode(KITCHEN_EPISODE);
      for (let i = 0; i < 5; i++) {
        await backend.step();
        reference.step();
      }
      const frame = (await backend.renderFrame(CAMERA))!;
      const expected = reference.renderFrame(CAMERA)!;
      assert.deepEqual([frame.width, frame.height, frame.time], [480, 360, expected.time]);
      assert.deepEqual(frame.mask, expected.mask);
      assert.deepEqual(frame.entityIds, expected.entityIds);
      // The stand-in's pattern: red grows to the right, green downwards from the top row.
      const pixel = (x: number, y: number): number[] => [...frame.rgb.subarray((y * 480 + x) * 3, (y * 480 + x) * 3 + 2)];
      assert.deepEqual([pixel(0, 0), pixel(479, 0), pixel(0, 359)], [[0, 0], [255, 0], [0, 255]]);
      await assert.rejects(Promise.resolve(backend.renderFrame({ ...CAMERA, width: 160, height: 120 })), {
        message: "a camera frame of 160x120 at 52 degrees, jitter 0 m was asked for, but CoppeliaSim's camera is built as 480x360 at 52 degrees, jitter 0 m",
      });
    });
  });

  it('sends its requests as JSON when asked to, except the image reads, which need CBOR', async () => {
    await withBackend({}, { client: { encoding: 'json' }, scene: { arm: 'stand-in' } }, async (standIn, backend) => {
      await backend.startEpisode(KITCHEN_EPISODE);
      await backend.step();
      assert.ok(await backend.renderFrame(CAMERA));
      const encodings = (func: string): Set<string> => new Set(standIn.received.filter((r) => r.func === func).map((r) => r.encoding));
      assert.deepEqual([...encodings('sim.setObjectPosition')], ['json']);
      assert.deepEqual([...encodings('step')], ['json']);
      assert.deepEqual([...encodings('sim.getVisionSensorImg')], ['cbor']);
    });
  });

  it('drives a loaded UR5 through its IK target and opens and closes the RG2 by signal', async () => {
    const models = { [`models/${UR5_MODEL}`]: FAKE_UR5, [`models/${RG2_MODEL}`]: FAKE_RG2 };
    await withBackend({ models }, { scene: { modelDirectory: 'models' } }, async (standIn, backend, log) => {
      const reference = new BuiltinSimulator(0.05);
      await backend.startEpisode(KITCHEN_EPISODE);
      reference.startEpisode(KITCHEN_EPISODE);
      assert.equal(standIn.world.signals.get(RG2_SIGNAL), 1);
      assert.equal(standIn.world.ikSolves.length, 1);
      let steps = 0;
      while (reference.state()!.robot.gripper < 0.5) {
        assert.ok(steps++ < 400, 'the gripper never closed');
        await backend.step();
        reference.step();
        const expected = flangePose(reference.state()!.robot.tip).position;
        assertNear(standIn.world.ikSolves.at(-1)![0]!, [expected[0], expected[1], expected[2] + TABLE_HEIGHT], `IK target at step ${steps}`, 1e-9);
      }
      assert.equal(standIn.world.ikSolves.length, steps + 1);
      assert.equal(standIn.world.signals.get(RG2_SIGNAL), 0);
      assert.deepEqual(log.at('warn'), []);
    });
  });

  it('interrupts the episode, saying why, when CoppeliaSim stops stepping', async () => {
    await withBackend({}, { scene: { arm: 'stand-in' }, step: { timeoutMs: 100 } }, async (standIn, backend) => {
      await backend.startEpisode(KITCHEN_EPISODE);
      await backend.step();
      standIn.world.stopSimulation();
      await assert.rejects(Promise.resolve(backend.step()), /simulation time stayed at 0 s for 100 ms after step \(simulation stopped, state 0\)/);
      assert.equal(backend.executionState()?.status, 'interrupted');
      const last = backend.takeEvents().at(-1)!;
      assert.equal(last.event, 'interrupted');
      assert.match(last.detail, /^interrupted: CoppeliaSim failed during a step \(simulation time stayed at 0 s .*\); the robot is halted$/);
      assert.equal(backend.step(), undefined);
    });
  });
});
