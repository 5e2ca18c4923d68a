import { strict as assert } from 'node:assert';
import { CoppeliaSimError } from '../coppeliasim/errors';
import { CoppeliaSimSession } from '../coppeliasim/session';
import { captureLog, KITCHEN, untilState, withStandIn } from './support/coppeliasim-fixtures';
import type { CoppeliaSimStandIn } from './support/coppeliasim-standin';

function sessionFor(standIn: CoppeliaSimStandIn, reconnect = true): CoppeliaSimSession {
  return new CoppeliaSimSession({
    client: { port: standIn.port, log: captureLog().log, random: () => 0.5, reconnect, backoff: { initialDelayMs: 10, maxDelayMs: 40 } },
    scene: { arm: 'stand-in' },
  });
}

describe('CoppeliaSim session', () => {
  it('builds the scene, runs it in stepped mode from time 0, and shows it through the camera', async () => {
    await withStandIn({}, async (standIn, cleanup) => {
      const session = sessionFor(standIn);
      cleanup(() => session.close());
      await session.open(2000);
      const scene = await session.loadScene(KITCHEN);
      assert.deepEqual(await session.api.getSimulationState(), { code: 17, phase: 'running' });
      assert.equal(await session.step(), 0.05);
      assert.equal(await session.step(), 0.1);
      const image = await session.cameraImage();
      assert.deepEqual([image.width, image.height, image.rgb.length], [480, 360, 480 * 360 * 3]);
      const cup = KITCHEN.objects[1];
      await session.placeObject({ ...cup, position: { x: 0.3, y: 0, z: 0.05 }, yaw: 1 });
      const moved = await session.api.getObjectPosition(scene.objects.get(cup.id)!, scene.root);
      assert.deepEqual(moved.map((v) => Math.round(v * 1e6) / 1e6), [0.3, 0, 0.05 + cup.size[2] / 2]);
    });
  });

  it('stops a running simulation before building again, so time restarts at 0', async () => {
    await withStandIn({}, async (standIn, cleanup) => {
      const session = sessionFor(standIn);
      cleanup(() => session.close());
      await session.open(2000);
      await session.loadScene(KITCHEN);
      await session.step();
      await session.loadScene(KITCHEN);
      assert.equal(await session.api.getSimulationTime(), 0);
      assert.ok(standIn.received.some((r) => r.func === 'sim.stopSimulation'));
    });
  });

  it('tells its listeners when the link drops mid-step, and forgets the scene until it is built again', async () => {
    await withStandIn({}, async (standIn, cleanup) => {
      const session = sessionFor(standIn);
      cleanup(() => session.close());
      const lost: string[] = [];
      session.onLinkLost((detail) => lost.push(detail));
      await session.open(2000);
      await session.loadScene(KITCHEN);
      standIn.dropConnectionOn('step');
      await assert.rejects(session.step(), (err: unknown) => err instanceof CoppeliaSimError && err.kind === 'disconnected');
      assert.deepEqual(lost, [`connection to ws://127.0.0.1:${standIn.port}/ lost: closed with code 1006`]);
      assert.equal(session.scene, null);
      await assert.rejects(session.cameraImage(), { message: `no scene is built in CoppeliaSim at ws://127.0.0.1:${standIn.port}/ (call loadScene after connecting)` });
      await untilState(session.client, 'connected');
      await session.loadScene(KITCHEN);
      assert.equal(await session.step(), 0.05);
    });
  });

  it('closes without rejecting when CoppeliaSim is already gone', async () => {
    await withStandIn({}, async (standIn) => {
      const session = sessionFor(standIn, false);
      await session.open(2000);
      await standIn.stopListening();
      await untilState(session.client, 'disconnected');
      await session.close();
      assert.equal(session.client.state, 'closed');
    });
  });
});
