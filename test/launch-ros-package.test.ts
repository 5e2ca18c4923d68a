import { strict as assert } from 'node:assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { repositoryRoot } from '../cli/repo';
import { NODE_DEFINITIONS } from '../nodes/index';
import { writeFiles } from './support/launch-fixtures';

const root = repositoryRoot();
const read = (relative: string): string => fs.readFileSync(path.join(root, relative), 'utf8');

describe('ROS 2 package h2r_at (ros/h2r_at)', () => {
  it('installs one wrapper per node of the registry', () => {
    const cmake = read('ros/h2r_at/CMakeLists.txt');
    const list = /set\(H2R_AT_EXECUTABLES\s+([^)]*)\)/.exec(cmake)?.[1];
    assert.ok(list !== undefined, 'CMakeLists.txt sets H2R_AT_EXECUTABLES');
    const installed = list.split(/\s+/).filter((word) => word !== '').sort();
    assert.deepEqual(installed, NODE_DEFINITIONS.map((definition) => definition.executable).sort());
  });

  it('names the package h2r_at with the ament_cmake build type', () => {
    const manifest = read('ros/h2r_at/package.xml');
    assert.match(manifest, /<name>h2r_at<\/name>/);
    assert.match(manifest, /<build_type>ament_cmake<\/build_type>/);
    assert.match(read('ros/h2r_at/CMakeLists.txt'), /project\(h2r_at NONE\)/);
  });

  it('generates a wrapper that runs h2r node <exec> --graph ros2 with the ROS arguments it gets', () => {
    const template = read('ros/h2r_at/node-wrapper.sh.in');
    // What CMake's configure_file(@ONLY) makes of it.
    const wrapper = template.replace(/@H2R_REPO_DIR@/g, root).replace(/@H2R_EXECUTABLE@/g, 'operator_console');
    assert.doesNotMatch(wrapper, /@[A-Z_]+@/);
    const file = path.join(writeFiles({ operator_console: wrapper }), 'operator_console');
    fs.chmodSync(file, 0o755);
    const help = execFileSync(file, ['--help'], { env: { ...process.env, H2R_NODEJS: process.execPath }, encoding: 'utf8' });
    assert.match(help, /^Usage: h2r node EXECUTABLE/);
    assert.match(wrapper, /dist\/cli\/h2r\.js" node operator_console --graph ros2 "\$@"$/m);
  });

  it('lays packages out so that colcon build from the repository root finds both and nothing else', () => {
    const packages = ['ros/h2r_at', 'interfaces/h2r_interfaces'];
    for (const directory of packages) assert.ok(fs.existsSync(path.join(root, directory, 'package.xml')), directory);
    assert.ok(!packages.some((a) => packages.some((b) => a !== b && `${b}/`.startsWith(`${a}/`))), 'no package inside another');
    for (const marker of ['package.xml', 'CMakeLists.txt', 'setup.py']) {
      assert.ok(!fs.existsSync(path.join(root, marker)), `the repository root holds no ${marker}`);
      assert.ok(!fs.existsSync(path.join(root, 'ros', marker)) && !fs.existsSync(path.join(root, 'interfaces', marker)));
    }
    assert.ok(fs.existsSync(path.join(root, 'node_modules', 'COLCON_IGNORE')), 'npm install leaves node_modules/COLCON_IGNORE');
  });

  it('installs the launch directory that $(find-pkg-share h2r_at)/launch/config/... points into', () => {
    assert.match(read('ros/h2r_at/CMakeLists.txt'), /install\(DIRECTORY "\$\{H2R_REPO_DIR\}\/launch" DESTINATION share\/\$\{PROJECT_NAME\}\)/);
    for (const file of ['kitchen.launch.xml', 'factory.launch.xml', 'collect.launch.xml']) {
      const xml = read(path.join('launch', file));
      for (const match of xml.matchAll(/\$\(find-pkg-share h2r_at\)\/([^"]+)"/g)) {
        assert.ok(fs.existsSync(path.join(root, match[1] as string)), `${file} refers to ${match[1] as string}`);
      }
    }
  });
});
