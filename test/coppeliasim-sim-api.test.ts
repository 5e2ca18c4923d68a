import { strict as assert } from 'node:assert';
import { CoppeliaSimError } from '../coppeliasim/errors';
import { CoppeliaSimApi, simulationPhase } from '../coppeliasim/sim-api';
import { flipRows, imageFromVisionSensorReply } from '../coppeliasim/vision-image';
import type { RemoteCaller } from '../coppeliasim/ws-client';
import type { WireValue } from '../coppeliasim/ws-protocol';
import { captureLog, clientFor, withStandIn } from './support/coppeliasim-fixtures';
import type { CoppeliaSimStandIn, StandInOptions } from './support/coppeliasim-standin';
import { FAKE_UR5 } from './support/coppeliasim-standin-world';

const CAMERA = { width: 480, height: 360, viewAngle: 1, near: 0.05, far: 5 };
const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` until it holds; fails naming `what` after two seconds. */
async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail(`${what}: not within 2 s`);
    await wait(2);
  }
}

/** Runs `body` with an API over a client connected to a fresh stand-in. */
async function withApi(options: StandInOptions, body: (api: CoppeliaSimApi, standIn: CoppeliaSimStandIn) => Promise<void>): Promise<void> {
  await withStandIn(options, async (standIn, cleanup) => {
    const client = clientFor(standIn.port, captureLog());
    cleanup(() => client.close());
    await client.connect(2000);
    await body(new CoppeliaSimApi(client), standIn);
  });
}

const close = (actual: readonly number[], expected: readonly number[], what: string): void => {
  assert.equal(actual.length, expected.length, what);
  actual.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-9, `${what}: [${actual.join(', ')}] is not [${expected.join(', ')}]`));
};

describe('CoppeliaSim API: simulation and stepping', () => {
  it('holds simulation time in stepped mode and advances it by one dt per step', async () => {
    await withApi({ dt: 0.05 }, async (api) => {
      await api.setStepping(true);
      await api.startSimulation();
      assert.deepEqual(await api.getSimulationState(), { code: 17, phase: 'running' });
      await wait(20);
      assert.equal(await api.getSimulationTime(), 0);
      assert.equal(await api.step(), 0.05);
      assert.equal(await api.step(), 0.1);
      await wait(20);
      assert.equal(await api.getSimulationTime(), 0.1);
    });
  });

  it("treats two steps raised before the server's next pass as one, as the add-on's flag does", async () => {
    await withApi({}, async (api, standIn) => {
      await api.setStepping(true);
      await api.startSimulation();
      standIn.holdMainLoop();
      const steps = Promise.all([api.remote.call('step'), api.remote.call('step')]);
      await until(() => standIn.queuedRequests === 2, 'both steps queued');
      standIn.releaseMainLoop();
      await steps;
      await wait(20);
      assert.equal(await api.getSimulationTime(), 0.05);
    });
  });

  it('ends stepped mode when the simulation stops, so time runs freely after a restart', async () => {
    await withApi({}, async (api) => {
      await api.setStepping(true);
      await api.startSimulation();
      await api.step();
      await api.stopSimulation();
      assert.deepEqual(await api.getSimulationState(), { code: 0, phase: 'stopped' });
      assert.equal(await api.getSimulationTime(), 0);
      await api.startSimulation();
      await until(async () => (await api.getSimulationTime()) > 0.1, 'time runs without steps');
    });
  });

  it('gives up on a step when the simulation is not running, saying so', async () => {
    await withApi({}, async (api) => {
      await api.setStepping(true);
      await assert.rejects(api.step({ timeoutMs: 40 }), {
        name: 'CoppeliaSimError',
        message: 'simulation time stayed at 0 s for 40 ms after step (simulation stopped, state 0); is it running in stepped mode?',
      });
    });
  });

  it('reads paused and every advancing state code', async () => {
    await withApi({}, async (api) => {
      await api.startSimulation();
      await api.pauseSimulation();
      assert.deepEqual(await api.getSimulationState(), { code: 8, phase: 'paused' });
    });
    assert.deepEqual([16, 17, 19, 20, 21, 22].map(simulationPhase), Array(6).fill('running'));
    assert.throws(() => simulationPhase(3), { message: 'sim.getSimulationState returned 3, which is no known simulation state' });
  });
});

describe('CoppeliaSim API: images', () => {
  it('reads a 480x360 image top row first (the server sends it bottom row first)', async () => {
    await withApi({}, async (api, standIn) => {
      const sensor = await api.createVisionSensor(CAMERA);
      const image = await api.captureImage(sensor);
      assert.deepEqual([image.width, image.height, image.rgb.length], [480, 360, 480 * 360 * 3]);
      const pixel = (x: number, y: number): number[] => [...image.rgb.subarray((y * 480 + x) * 3, (y * 480 + x) * 3 + 3)];
      // The stand-in's pattern: red grows to the right, green downwards, blue counts renders.
      assert.deepEqual(pixel(0, 0), [0, 0, 1]);
      assert.deepEqual(pixel(479, 0), [255, 0, 1]);
      assert.deepEqual(pixel(0, 359), [0, 255, 1]);
      assert.deepEqual(pixel(240, 180), [128, 128, 1]);
      assert.deepEqual(standIn.received.filter((r) => r.func === 'sim.getVisionSensorImg').map((r) => r.encoding), ['cbor']);
    });
  });

  it('flips rows in one pass and back, and refuses a buffer of the wrong size', () => {
    const bottomFirst = new Uint8Array([1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6]); // 2 wide, 3 high
    const topFirst = flipRows(bottomFirst, 2, 3);
    assert.deepEqual([...topFirst], [5, 5, 5, 6, 6, 6, 3, 3, 3, 4, 4, 4, 1, 1, 1, 2, 2, 2]);
    assert.deepEqual(flipRows(topFirst, 2, 3), bottomFirst);
    assert.throws(() => flipRows(bottomFirst, 3, 3), { message: 'image of 3x3x3 needs 27 bytes, got 18' });
  });

  it('takes an image sent as UTF-8 text (before 4.7) as its bytes, and names a wrong size', () => {
    const image = imageFromVisionSensorReply(['ABCDEF', [2, 1]]);
    assert.deepEqual([...image.rgb], [65, 66, 67, 68, 69, 70]);
    assert.throws(() => imageFromVisionSensorReply([new Uint8Array(5), [2, 1]]), {
      name: 'CoppeliaSimError',
      message: 'sim.getVisionSensorImg returned 5 bytes for a 2x1 RGB image, expected 6',
    });
    assert.throws(() => imageFromVisionSensorReply([new Uint8Array(6), [2]]), { message: 'sim.getVisionSensorImg returned [2] as its resolution, expected [resX, resY]' });
  });
});

describe('CoppeliaSim API: objects, joints, contacts, signals', () => {
  it('finds objects by path, the i-th match with index, and -1 with noError', async () => {
    await withApi({ models: { 'ur5.ttm': FAKE_UR5 } }, async (api) => {
      const ur5 = await api.loadModel('ur5.ttm');
      const joints = await Promise.all([0, 1, 2, 3, 4, 5].map((index) => api.getObject('/UR5/joint', { index })));
      assert.equal(new Set(joints).size, 6);
      assert.ok(joints.every((j) => j > ur5));
      assert.equal(await api.getObject('/UR5/joint', { index: 6, noError: true }), -1);
      await assert.rejects(api.getObject('/UR5/nothing'), { message: /Object does not exist\. \(in function 'sim\.getObject'\)$/ });
    });
  });

  it('sets positions relative to a parent and reads world positions and quaternion poses', async () => {
    await withApi({}, async (api) => {
      const parent = await api.createDummy(0.01);
      await api.setObjectPosition(parent, [1, 0, 0.5]);
      await api.setObjectOrientation(parent, [0, 0, Math.PI / 2]);
      const child = await api.createPrimitiveShape('cuboid', [0.1, 0.1, 0.1]);
      await api.setObjectParent(child, parent, true);
      await api.setObjectPosition(child, [0.2, 0, 0], parent);
      close(await api.getObjectPosition(child), [1, 0.2, 0.5], 'world position');
      close(await api.getObjectPosition(child, parent), [0.2, 0, 0], 'position in the parent');
      close((await api.getObjectPose(child)).quaternion, [0, 0, 0, 1], 'kept in place: still unrotated in the world');
      await api.setObjectOrientation(child, [0, 0, 0], parent);
      close((await api.getObjectPose(child)).quaternion, [0, 0, Math.SQRT1_2, Math.SQRT1_2], 'aligned with the parent: a quarter turn about z');
    });
  });

  it('moves a joint toward its target as simulation steps pass', async () => {
    await withApi({ models: { 'ur5.ttm': FAKE_UR5 } }, async (api) => {
      await api.loadModel('ur5.ttm');
      const joint = await api.getObject('/UR5/joint');
      await api.setStepping(true);
      await api.startSimulation();
      await api.setJointTargetPosition(joint, 0.12);
      await api.step();
      close([await api.getJointPosition(joint)], [0.05], 'after one step');
      await api.step();
      await api.step();
      close([await api.getJointPosition(joint)], [0.12], 'after three steps');
    });
  });

  it('measures distance and collision between shapes', async () => {
    await withApi({}, async (api) => {
      const a = await api.createPrimitiveShape('cuboid', [0.1, 0.1, 0.1]);
      const b = await api.createPrimitiveShape('cuboid', [0.1, 0.1, 0.1]);
      await api.setObjectPosition(b, [0.4, 0, 0]);
      const d = await api.checkDistance(a, b);
      assert.ok(d !== null);
      close([d.distance], [0.3], 'distance');
      assert.deepEqual(await api.checkCollision(a, b), { colliding: false, handles: [] });
      await api.setObjectPosition(b, [0.05, 0, 0]);
      assert.deepEqual(await api.checkCollision(a, b), { colliding: true, handles: [a, b] });
      await api.setObjectPosition(b, [0.4, 0, 0]);
      assert.equal(await api.checkDistance(a, b, 0.1), null, 'nothing within a 0.1 m threshold');
    });
  });

  for (const [version, func] of [[40600, 'sim.setInt32Signal'], [40800, 'sim.setIntProperty']] as const) {
    it(`opens the gripper through ${func} on version ${version}`, async () => {
      await withApi({ version }, async (api, standIn) => {
        await api.setIntegerSignal('RG2_open', 1);
        assert.equal(standIn.world.signals.get('RG2_open'), 1);
        assert.ok(standIn.received.some((r) => r.func === func));
      });
    });
  }

  it('looks constants up by name once, and names an unknown one', async () => {
    await withApi({}, async (api, standIn) => {
      assert.equal(await api.constant('sim.handle_scene'), -12);
      assert.equal(await api.constant('sim.handle_scene'), -12);
      assert.equal(standIn.received.filter((r) => r.eval === 'sim.handle_scene').length, 1);
      await assert.rejects(api.constant('sim.no_such_constant'), {
        message: 'eval sim.no_such_constant returned nothing as return value 1, expected a number (is sim.no_such_constant defined in this CoppeliaSim?)',
      });
      await assert.rejects(api.constant('os.exit()'), { name: 'RangeError' });
    });
  });

  it('rejects return values of the wrong shape, naming function and position', async () => {
    const fake: RemoteCaller = {
      call: async (func): Promise<WireValue[]> => (func === 'sim.getObjectPosition' ? ['x'] : [[1, 2]]),
      evaluate: async () => [],
    };
    const api = new CoppeliaSimApi(fake);
    await assert.rejects(api.getObjectPosition(3), (err: unknown) => {
      assert.ok(err instanceof CoppeliaSimError);
      assert.deepEqual([err.kind, err.func, err.message], ['protocol', 'sim.getObjectPosition', 'sim.getObjectPosition returned "x" as return value 1, expected a list of 3 numbers']);
      return true;
    });
    await assert.rejects(api.getObjectPose(3), { message: 'sim.getObjectPose returned [1,2] as return value 1, expected a list of 7 numbers' });
  });
});
