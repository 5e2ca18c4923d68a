import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createGraph, selectBackend } from '../graph/create-graph';
import { EmbeddedGraph } from '../graph/embedded';
import { type Ros2Environment, Ros2UnavailableError, createRos2Graph, loadRclnodejs } from '../graph/ros2';

function environment(env: NodeJS.ProcessEnv, load: () => unknown, installed = true): Ros2Environment {
  return {
    env,
    resolve: (id) => {
      if (!installed) throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
      return `/node_modules/${id}/index.js`;
    },
    load,
  };
}

const ROOT = join(__dirname, '..', '..');
const SOURCE_DIRS = ['cli', 'graph', 'nodes', 'models', 'sim', 'monitor', 'speech', 'collector', 'coppeliasim', 'test', 'bench'];
/** The backend, its loader, the main build's stand-in, and the typecheck script (which writes a type-only import). */
const RCLNODEJS_MODULES = new Set(['graph/ros2.ts', 'graph/ros2-load.ts', 'graph/rclnodejs-absent.d.ts', 'graph/ros2-typecheck/typecheck.ts']);

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const SOURCED = { AMENT_PREFIX_PATH: '/opt/ros/jazzy', ROS_DISTRO: 'jazzy' };

describe('graph backend selection and the ros2 backend', () => {
  it('explains an unsourced ROS 2 and what to do, in one error', () => {
    const load = (): never => assert.fail('rclnodejs must not be loaded without ROS 2 sourced');
    assert.throws(() => loadRclnodejs(environment({}, load, false)), (error: Error) => {
      assert.ok(error instanceof Ros2UnavailableError);
      assert.equal(
        error.message.split('\n')[0],
        'The ros2 graph backend is unavailable: ROS 2 is not sourced (AMENT_PREFIX_PATH and ROS_DISTRO are unset); the rclnodejs module is not installed.',
      );
      assert.match(error.message, /source \/opt\/ros\/<distro>\/setup\.bash/);
      assert.match(error.message, /npm install rclnodejs/);
      assert.match(error.message, /colcon build --base-paths interfaces\/h2r_interfaces && source install\/setup\.bash/);
      assert.match(error.message, /npx generate-ros-messages/);
      return true;
    });
  });

  it('names the missing rclnodejs module when ROS 2 is sourced', () => {
    const missing = (): never => {
      throw Object.assign(new Error("Cannot find module 'rclnodejs'\nRequire stack:\n- x"), { code: 'MODULE_NOT_FOUND' });
    };
    assert.throws(() => loadRclnodejs(environment(SOURCED, missing)), (error: Error) => {
      assert.equal(
        error.message.split('\n')[0],
        "The ros2 graph backend is unavailable: the rclnodejs module is not installed (Cannot find module 'rclnodejs').",
      );
      assert.match(error.message, /source \/opt\/ros\/jazzy\/setup\.bash/);
      return true;
    });
  });

  it("passes on rclnodejs's own message when its addon fails to load", () => {
    const broken = (): never => {
      throw new Error('librcl.so: cannot open shared object file: No such file or directory');
    };
    assert.throws(() => loadRclnodejs(environment({ ...SOURCED, ROS_DISTRO: 'humble' }, broken)), (error: Error) => {
      assert.equal(
        error.message.split('\n')[0],
        'The ros2 graph backend is unavailable: rclnodejs failed to load: librcl.so: cannot open shared object file: No such file or directory.',
      );
      assert.match(error.message, /source \/opt\/ros\/humble\/setup\.bash/);
      return true;
    });
  });

  it('fails to create a ros2 graph in an unsourced environment before touching rclnodejs', async () => {
    const load = (): never => assert.fail('rclnodejs must not be loaded without ROS 2 sourced');
    await assert.rejects(createRos2Graph([], environment({ HOME: '/root' }, load)), {
      name: 'Ros2UnavailableError',
      message: /^The ros2 graph backend is unavailable: ROS 2 is not sourced \(AMENT_PREFIX_PATH and ROS_DISTRO are unset\)\.\n/,
    });
  });

  it('keeps rclnodejs out of every module but the ros2 backend', () => {
    const importsRclnodejs = /(from\s+|require\(\s*|import\(\s*)['"]rclnodejs['"]/;
    const offenders = SOURCE_DIRS.flatMap((dir) => sourceFiles(join(ROOT, dir)))
      .map((file) => relative(ROOT, file))
      .filter((file) => !RCLNODEJS_MODULES.has(file) && importsRclnodejs.test(readFileSync(join(ROOT, file), 'utf8')));
    assert.deepEqual(offenders, []);
  });

  it('selects the backend from --graph, then H2R_GRAPH, else embedded', () => {
    assert.equal(selectBackend([], {}), 'embedded');
    assert.equal(selectBackend([], { H2R_GRAPH: 'ros2' }), 'ros2');
    assert.equal(selectBackend(['launch', '--graph', 'embedded'], { H2R_GRAPH: 'ros2' }), 'embedded');
    assert.equal(selectBackend(['--graph=ros2'], {}), 'ros2');
    assert.throws(() => selectBackend(['--graph', 'gazebo'], {}), { message: "unknown graph backend 'gazebo' (from --graph): choose embedded or ros2" });
    assert.throws(() => selectBackend([], { H2R_GRAPH: 'ros' }), /unknown graph backend 'ros' \(from H2R_GRAPH\)/);
  });

  it('creates the embedded graph by default with the given options', async () => {
    const graph = await createGraph('embedded', { clock: 'manual', logSink: () => undefined });
    assert.ok(graph instanceof EmbeddedGraph);
    assert.equal(graph.clock.kind, 'manual');
    await assert.rejects(createGraph('ros2', { clock: 'manual' }), /the ros2 graph has no manual clock/);
  });
});
