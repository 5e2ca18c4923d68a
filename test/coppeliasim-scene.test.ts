import { strict as assert } from 'node:assert';
import { CoppeliaSimError } from '../coppeliasim/errors';
import { eulerXYZFromRotation, lookAtRotation, quaternionFromRotation, rotate, rotationFromEulerXYZ, type Vec3Tuple } from '../coppeliasim/geometry';
import { aliasFor, buildScene, COLOUR_RGB, DEFAULT_CAMERA, planScene, RG2_MODEL, UR5_MODEL, type SceneBuildInput } from '../coppeliasim/scene-builder';
import { ConstRef, flattenCalls, HandleRef, type PlanArg } from '../coppeliasim/scene-plan';
import { CoppeliaSimApi } from '../coppeliasim/sim-api';
import { assertNear, captureLog, clientFor, KITCHEN, sceneObject as object, withStandIn } from './support/coppeliasim-fixtures';
import type { StandInOptions } from './support/coppeliasim-standin';
import { FAKE_RG2, FAKE_UR5 } from './support/coppeliasim-standin-world';

const show = (arg: PlanArg): string => {
  if (arg instanceof HandleRef) return `<${arg.name}>`;
  if (arg instanceof ConstRef) return arg.name;
  if (Array.isArray(arg)) return `[${(arg as readonly PlanArg[]).map(show).join(', ')}]`;
  return typeof arg === 'number' ? String(Math.round(arg * 1e6) / 1e6) : JSON.stringify(arg);
};

const near = assertNear;

describe('CoppeliaSim scene: geometry', () => {
  it('turns Euler angles into rotations and back (R = Rx Ry Rz)', () => {
    for (const euler of [[0.3, -0.2, 1.1], [-2.5, 0.9, -0.4], [0, 0, Math.PI / 2]] as Vec3Tuple[]) {
      near(eulerXYZFromRotation(rotationFromEulerXYZ(euler)), euler, `angles ${euler.join(', ')}`);
    }
    near(quaternionFromRotation(rotationFromEulerXYZ([0, 0, Math.PI / 2])), [0, 0, Math.SQRT1_2, Math.SQRT1_2], 'quarter turn about z');
  });

  it('points a vision sensor\'s +Z at its target with +Y up', () => {
    const m = lookAtRotation(DEFAULT_CAMERA.eye, DEFAULT_CAMERA.target);
    const forward = rotate(m, [0, 0, 1]);
    const to = DEFAULT_CAMERA.target.map((t, i) => t - DEFAULT_CAMERA.eye[i]);
    const n = Math.hypot(...to);
    near(forward, to.map((v) => v / n), 'view direction');
    assert.ok(rotate(m, [0, 1, 0])[2] > 0.5, 'image up points up');
    near(rotate(rotationFromEulerXYZ(eulerXYZFromRotation(m)), [0, 0, 1]), forward, 'through Euler angles', 1e-9);
  });
});

describe('CoppeliaSim scene: planning', () => {
  it('plans a cup as a static cylinder aliased by its id, centred half its height above the table, in its colour', () => {
    const plan = planScene(KITCHEN);
    const cupCalls = flattenCalls(plan.steps).filter((c) => c.subject === 'cup_1').map((c) => `${c.func}(${c.args.map(show).join(', ')})${c.bind ? ` -> ${c.bind}` : ''}`);
    assert.deepEqual(cupCalls, [
      'sim.createPrimitiveShape(sim.primitiveshape_cylinder, [0.075, 0.075, 0.09], 0) -> cup_1',
      'sim.setObjectAlias(<cup_1>, "cup_1")',
      'sim.setObjectParent(<cup_1>, <h2r>, true)',
      'sim.setObjectPosition(<cup_1>, [0.2, 0.25, 0.045], <h2r>)',
      'sim.setObjectOrientation(<cup_1>, [0, 0, -0.5], <h2r>)',
      `sim.setShapeColor(<cup_1>, "", 0, [${COLOUR_RGB.blue.join(', ')}])`,
      'sim.setObjectInt32Param(<cup_1>, sim.shapeintparam_static, 1)',
    ]);
    assert.deepEqual(plan.objects.map((o) => o.path), ['/h2r/pitcher_1', '/h2r/cup_1', '/h2r/cup_2']);
  });

  it('clears an earlier build first, then places the root at table height, then the fixtures', () => {
    const steps = planScene(KITCHEN).steps;
    assert.deepEqual(steps[0], { kind: 'remove-tree', path: '/h2r' });
    const first = flattenCalls(steps.slice(1, 4)).map((c) => `${c.func}(${c.args.map(show).join(', ')})`);
    assert.deepEqual(first, ['sim.createDummy(0.01)', 'sim.setObjectAlias(<h2r>, "h2r")', 'sim.setObjectPosition(<h2r>, [0, 0, 0.74], -1)']);
    const binds = flattenCalls(steps).map((c) => c.bind).filter((b) => b !== undefined);
    for (const name of ['table', 'table/leg_0', 'person', 'person/head', 'robot', 'camera']) assert.ok(binds.includes(name), `binds ${name}`);
    assert.ok(!binds.includes('conveyor'), 'no conveyor in a kitchen');
  });

  it('gives a gear ten teeth and a defective one nine, and a bin a floor and four walls', () => {
    const factory: SceneBuildInput = {
      objects: [
        object({ id: 'gear_1', kind: 'gear', colour: 'grey', state: 'good', size: [0.08, 0.08, 0.02] }),
        object({ id: 'gear_2', kind: 'gear', colour: 'grey', state: 'defective', size: [0.08, 0.08, 0.02], position: { x: 0.1, y: 0, z: 0 } }),
        object({ id: 'bin_1', kind: 'bin', colour: 'black', size: [0.16, 0.16, 0.1], position: { x: -0.1, y: 0.3, z: 0 } }),
      ],
      person: { position: { x: 0.65, y: 0, z: 0 } },
      conveyor: { centreX: 0.1, width: 0.2, height: 0.05, halfLength: 0.55 },
    };
    const creates = flattenCalls(planScene(factory).steps).filter((c) => c.func === 'sim.createPrimitiveShape');
    const count = (subject: string): number => creates.filter((c) => c.subject === subject).length;
    assert.deepEqual([count('gear_1'), count('gear_2'), count('bin_1'), count('conveyor')], [11, 10, 5, 1]);
    assert.ok(!creates.some((c) => c.bind === 'gear_2/tooth_0'), 'the defective gear lacks tooth 0');
  });

  it('turns ids into CoppeliaSim aliases and refuses two objects that would share one', () => {
    assert.equal(aliasFor('tasse-bleue é'), 'tasse_bleue__');
    const clash: SceneBuildInput = { ...KITCHEN, objects: [object({ id: 'cup-1', kind: 'cup', colour: 'red' }), object({ id: 'cup_1', kind: 'cup', colour: 'blue' })] };
    assert.throws(() => planScene(clash), { name: 'RangeError', message: "scene object 'cup_1' would share the alias 'cup_1' with scene object 'cup-1'" });
    const fixture: SceneBuildInput = { ...KITCHEN, objects: [object({ id: 'table', kind: 'block', colour: 'red' })] };
    assert.throws(() => planScene(fixture), { message: "scene object 'table' would share the alias 'table' with the table" });
  });
});

async function withBuiltScene(
  options: StandInOptions,
  arm: 'ur5' | 'stand-in',
  body: (api: CoppeliaSimApi, scene: Awaited<ReturnType<typeof buildScene>>) => Promise<void>,
): Promise<void> {
  await withStandIn(options, async (standIn, cleanup) => {
    const client = clientFor(standIn.port, captureLog());
    cleanup(() => client.close());
    await client.connect(2000);
    const api = new CoppeliaSimApi(client);
    await body(api, await buildScene(api, KITCHEN, { arm, modelDirectory: 'models/' }));
  });
}

describe('CoppeliaSim scene: building against the stand-in', () => {
  it('creates every object under /h2r with its alias, position and colour', async () => {
    await withBuiltScene({}, 'ur5', async (api, scene) => {
      const root = await api.getObject('/h2r');
      assert.equal(scene.root, root);
      near(await api.getObjectPosition(root), [0, 0, 0.74], 'root at table height');
      for (const planned of planScene(KITCHEN).objects) {
        const handle = await api.getObject(planned.path);
        assert.equal(scene.objects.get(planned.id), handle, planned.id);
        assert.equal(await api.getObjectAlias(handle), planned.alias);
        near(await api.getObjectPosition(handle, root), planned.centre, `${planned.id} in the simulator frame`);
        near(await api.getShapeColor(handle), planned.rgb, `${planned.id} colour`);
      }
      const cup = scene.objects.get('cup_1')!;
      near(await api.getObjectPosition(cup), [0.2, 0.25, 0.74 + 0.045], 'cup_1 in CoppeliaSim world coordinates');
      near([(await api.getObjectPose(cup, root)).quaternion[2]], [Math.sin(-0.25)], 'cup_1 yaw');
    });
  });

  it('falls back to the stand-in arm when UR5 cannot be loaded, and says why', async () => {
    await withBuiltScene({}, 'ur5', async (api, scene) => {
      assert.equal(scene.arm, 'stand-in');
      assert.deepEqual(scene.warnings, [`model models/${UR5_MODEL} could not be loaded (Model could not be read. (in function 'sim.loadModel')); using the stand-in instead`]);
      assert.ok((await api.getObject('/h2r/robot/finger_left')) >= 0);
    });
  });

  it('loads UR5 and RG2 when present, binds the six joints and mounts the gripper at the tip', async () => {
    const models = { [`models/${UR5_MODEL}`]: FAKE_UR5, [`models/${RG2_MODEL}`]: FAKE_RG2 };
    await withBuiltScene({ models }, 'ur5', async (api, scene) => {
      assert.equal(scene.arm, 'ur5');
      assert.deepEqual(scene.warnings, []);
      const joints = [0, 1, 2, 3, 4, 5].map((i) => scene.handles.get(`ur5/joint_${i}`));
      assert.equal(new Set(joints).size, 6);
      assert.equal(await api.getObject('/h2r/robot/UR5/RG2'), scene.handles.get('rg2'));
      assert.equal(await api.getObject('/h2r/robot/finger_left', { noError: true }), -1);
    });
  });

  it('places the camera at the planned eye, looking at the target', async () => {
    await withBuiltScene({}, 'stand-in', async (api, scene) => {
      const root = await api.getObject('/h2r');
      assert.equal(await api.getObject('/h2r/camera'), scene.camera);
      near(await api.getObjectPosition(scene.camera, root), DEFAULT_CAMERA.eye, 'camera position');
      const q = (await api.getObjectPose(scene.camera, root)).quaternion;
      near(q, quaternionFromRotation(lookAtRotation(DEFAULT_CAMERA.eye, DEFAULT_CAMERA.target)), 'camera orientation', 1e-9);
      const image = await api.captureImage(scene.camera);
      assert.deepEqual([image.width, image.height], [480, 360]);
    });
  });

  it('replaces an earlier build instead of adding a second scene', async () => {
    await withBuiltScene({}, 'stand-in', async (api, first) => {
      const countBefore = (await api.getObjectsInTree(first.root)).length;
      const second = await buildScene(api, KITCHEN, { arm: 'stand-in' });
      assert.equal((await api.getObjectsInTree(second.root)).length, countBefore);
      assert.equal(await api.getObject('/h2r', { index: 1, noError: true }), -1);
    });
  });

  it('fails a build whose connection drops as a link failure naming the step', async () => {
    await withStandIn({}, async (standIn, cleanup) => {
      const client = clientFor(standIn.port, captureLog(), { reconnect: false });
      cleanup(() => client.close());
      await client.connect(2000);
      standIn.dropConnectionOn('sim.setShapeColor');
      await assert.rejects(buildScene(new CoppeliaSimApi(client), KITCHEN, { arm: 'stand-in' }), (err: unknown) => {
        assert.ok(err instanceof CoppeliaSimError);
        assert.equal(err.kind, 'disconnected');
        assert.match(err.message, /^building the scene: sim\.setShapeColor for table failed: connection to CoppeliaSim at .* was lost while sim\.setShapeColor \(request \d+\) waited/);
        return true;
      });
    });
  });
});
