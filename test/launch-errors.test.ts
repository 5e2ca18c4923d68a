import { strict as assert } from 'node:assert';
import { planError, recordingNode } from './support/launch-fixtures';

/** Launch files below put each element on its own line; `<dir>` stands for the fixture directory. */
const F = '<dir>/test.launch.xml';

describe('launch plan errors name the file and line before anything starts', () => {
  it('rejects an unknown node executable and lists the known ones', () => {
    const xml = '<launch>\n  <node pkg="h2r_at" exec="talkr"/>\n</launch>';
    assert.equal(planError(xml), `${F}:2: unknown node executable 'talkr' in package 'h2r_at' (known: talker, listener)`);
  });

  it('rejects a node of another package', () => {
    const xml = '<launch>\n\n  <node pkg="demo_nodes_cpp" exec="talker"/>\n</launch>';
    assert.equal(planError(xml), `${F}:3: unknown package 'demo_nodes_cpp': h2r launch runs nodes of package 'h2r_at'`);
  });

  it('rejects $(find-pkg-share) of an unknown package', () => {
    const xml = '<launch>\n  <arg name="x" default="$(find-pkg-share nav2_bringup)"/>\n</launch>';
    assert.equal(
      planError(xml),
      `${F}:2: <arg default="$(find-pkg-share nav2_bringup)">: $(find-pkg-share nav2_bringup): unknown package 'nav2_bringup' (known: h2r_at, h2r_interfaces)`,
    );
  });

  it('rejects a missing parameter file at the <param from> line', () => {
    const xml = '<launch>\n  <node pkg="h2r_at" exec="talker">\n    <param from="$(dirname)/missing.yaml"/>\n  </node>\n</launch>';
    assert.equal(planError(xml), `${F}:3: parameter file <dir>/missing.yaml does not exist`);
  });

  it('rejects a parameter file that is not YAML, at the line inside that file', () => {
    const xml = '<launch>\n  <node pkg="h2r_at" exec="talker">\n    <param from="$(dirname)/p.yaml"/>\n  </node>\n</launch>';
    const yaml = 'talker:\n  ros__parameters:\n    count: 1\n   rate: 2.0\n';
    assert.match(planError(xml, { files: { 'p.yaml': yaml } }), /^<dir>\/p\.yaml:4: invalid YAML: All mapping items must start at the same column/);
  });

  it('rejects a parameter of the wrong type in a parameter file, naming node, parameter, expected and given', () => {
    const xml = '<launch>\n  <node pkg="h2r_at" exec="talker">\n    <param from="$(dirname)/p.yaml"/>\n  </node>\n</launch>';
    const yaml = 'talker:\n  ros__parameters:\n    rate: 2.0\n    count: many\n';
    assert.equal(
      planError(xml, { files: { 'p.yaml': yaml } }),
      "<dir>/p.yaml:4: parameter 'count' of node /talker (talker): expected integer in 0..10, given string 'many'",
    );
  });

  it('rejects an out-of-range <param> value at its line', () => {
    const xml = '<launch>\n  <node pkg="h2r_at" exec="talker">\n    <param name="count"\n           value="11"/>\n  </node>\n</launch>';
    assert.equal(planError(xml), `${F}:4: parameter 'count' of node /talker (talker): expected integer in 0..10, given integer 11`);
  });

  it('rejects a string outside the declared choices', () => {
    const xml = '<launch>\n  <node pkg="h2r_at" exec="talker">\n    <param name="mode" value="medium"/>\n  </node>\n</launch>';
    assert.equal(planError(xml), `${F}:3: parameter 'mode' of node /talker (talker): expected string (one of fast, slow), given string 'medium'`);
  });

  it('rejects an integer for a double when checking for real ROS 2, with the fix', () => {
    const xml = '<launch>\n  <node pkg="h2r_at" exec="talker">\n    <param name="rate" value="5"/>\n  </node>\n</launch>';
    assert.equal(
      planError(xml, { rejectIntegerForDouble: true }),
      `${F}:3: parameter 'rate' of node /talker (talker): expected double in 0..100, given integer 5 (ROS 2 takes no integer for a double: write it with a decimal point)`,
    );
  });

  it('rejects a parameter the node does not declare, listing what it declares', () => {
    const xml = '<launch>\n  <node pkg="h2r_at" exec="talker">\n    <param name="cuont" value="1"/>\n  </node>\n</launch>';
    assert.equal(
      planError(xml),
      `${F}:3: node /talker (talker) does not declare parameter 'cuont' (it declares: camera.width, count, enabled, label, mode, rate, weights)`,
    );
  });

  it('rejects a parameter for every node (/**) that no node of the launch declares', () => {
    const xml = '<launch>\n  <node pkg="h2r_at" exec="talker">\n    <param from="$(dirname)/p.yaml"/>\n  </node>\n</launch>';
    const yaml = '/**:\n  ros__parameters:\n    seed: 3\n';
    assert.equal(planError(xml, { files: { 'p.yaml': yaml } }), "<dir>/p.yaml:3: no node of this launch declares parameter 'seed'");
  });

  it('rejects a wrong --ros-args -p from the command line', () => {
    const xml = '<launch>\n  <node pkg="h2r_at" exec="talker"/>\n</launch>';
    assert.equal(
      planError(xml, { rosArguments: ['--ros-args', '-p', 'enabled:=maybe'] }),
      "--ros-args -p enabled:=maybe: parameter 'enabled' of node /talker (talker): expected bool, given string 'maybe'",
    );
  });

  it('rejects $(var x) when no argument x exists, listing those that do', () => {
    const xml = '<launch>\n  <arg name="robot" default="r1"/>\n  <node pkg="h2r_at" exec="talker"\n        name="$(var robto)"/>\n</launch>';
    assert.equal(planError(xml), `${F}:4: <node name="$(var robto)">: $(var robto): no launch argument 'robto' (declared: robot)`);
  });

  it('rejects a required argument missing from the command line, with its description', () => {
    const xml = '<launch>\n  <arg name="robot" description="which robot"/>\n</launch>';
    assert.equal(planError(xml), `${F}:2: launch argument 'robot' (which robot) is required: give it as robot:=VALUE`);
  });

  it('rejects a command-line argument the file does not declare', () => {
    const xml = '<launch>\n  <arg name="robot" default="r1"/>\n</launch>';
    assert.equal(planError(xml, { args: { robt: 'r2' } }), `unknown launch argument 'robt:=...': <dir>/test.launch.xml has no <arg name="robt"> (declared: robot)`);
  });

  it('rejects an argument value outside its <choice> list', () => {
    const xml = '<launch>\n  <arg name="mode" default="a">\n    <choice value="a"/>\n  </arg>\n</launch>';
    assert.equal(planError(xml, { args: { mode: 'b' } }), `${F}:2: launch argument 'mode' is 'b', expected one of a`);
  });

  it('rejects an unknown element, naming the ROS 2 elements h2r launch does not run', () => {
    assert.equal(
      planError('<launch>\n  <nodee pkg="h2r_at" exec="talker"/>\n</launch>'),
      `${F}:2: unknown element <nodee> inside <launch> (allowed: arg, let, node, executable, group, push-ros-namespace)`,
    );
    assert.equal(
      planError('<launch>\n  <include file="other.launch.xml"/>\n</launch>'),
      `${F}:2: <include> is a ROS 2 launch element that h2r launch does not support inside <launch> (allowed: arg, let, node, executable, group, push-ros-namespace)`,
    );
  });

  it('rejects an unknown attribute at its line, listing the allowed ones', () => {
    const xml = '<launch>\n  <node pkg="h2r_at"\n        exec="talker"\n        respawn="true"/>\n</launch>';
    assert.equal(planError(xml), `${F}:4: <node> has no attribute 'respawn' (allowed: pkg, exec, name, namespace, output, if, unless)`);
  });

  it('rejects malformed XML with the line of the fault', () => {
    const xml = '<launch>\n  <node pkg="h2r_at" exec="talker">\n</launch>';
    assert.match(planError(xml), /^<dir>\/test\.launch\.xml:3: malformed XML: Unexpected close tag/);
  });

  it('rejects an attribute given twice, stray text, and a root other than <launch>', () => {
    assert.equal(planError('<launch>\n  <arg name="a" name="b"/>\n</launch>'), `${F}:2: <arg> gives attribute 'name' twice`);
    assert.equal(planError('<launch>\n  hello\n</launch>'), `${F}:3: unexpected text 'hello': launch files hold only elements and attributes`);
    assert.equal(planError('<launches/>'), `${F}:1: the top-level element is <launches>, expected <launch>`);
  });

  it('rejects a condition that is not true, false, 1 or 0', () => {
    const xml = '<launch>\n  <arg name="on" default="yes"/>\n  <node pkg="h2r_at" exec="talker" if="$(var on)"/>\n</launch>';
    assert.equal(planError(xml), `${F}:3: if="$(var on)" gives 'yes', expected true, false, 1 or 0`);
  });

  it('rejects an unknown substitution, an unterminated one, and an unset environment variable without default', () => {
    assert.equal(
      planError('<launch>\n  <arg name="a" default="$(eval 1+1)"/>\n</launch>'),
      `${F}:2: <arg default="$(eval 1+1)">: unknown substitution $(eval ...) (supported: var, env, find-pkg-share, dirname)`,
    );
    assert.equal(
      planError('<launch>\n  <arg name="a" default="$(var b"/>\n</launch>'),
      `${F}:2: <arg default="$(var b">: unterminated '$(var' (no closing ')') in '$(var b'`,
    );
    assert.equal(
      planError('<launch>\n  <arg name="a" default="$(env H2R_SURELY_UNSET)"/>\n</launch>'),
      `${F}:2: <arg default="$(env H2R_SURELY_UNSET)">: $(env H2R_SURELY_UNSET): environment variable 'H2R_SURELY_UNSET' is not set and no default is given`,
    );
  });

  it('rejects two nodes with one name and an invalid node name', () => {
    const twice = '<launch>\n  <node pkg="h2r_at" exec="talker"/>\n  <node pkg="h2r_at" exec="talker"/>\n</launch>';
    assert.equal(planError(twice), `${F}:3: a second node named /talker (the first is at line 2); give one a different name or namespace`);
    const badName = '<launch>\n  <node pkg="h2r_at" exec="talker" name="9lives"/>\n</launch>';
    assert.equal(planError(badName), `${F}:2: invalid node name '9lives': it must not start with a digit`);
  });

  it('rejects a <param> that mixes from with name, and one with neither value nor children', () => {
    const mixed = '<launch>\n  <node pkg="h2r_at" exec="talker">\n    <param from="p.yaml" name="x"/>\n  </node>\n</launch>';
    assert.equal(planError(mixed), `${F}:3: <param from="..."> stands alone: no name, value or nested <param>`);
    const empty = '<launch>\n  <node pkg="h2r_at" exec="talker">\n    <param name="count"/>\n  </node>\n</launch>';
    assert.equal(planError(empty), `${F}:3: <param name="count"> needs either value="..." or nested <param> elements`);
  });

  it('rejects a node whose definition declares an invalid default', () => {
    const broken = { ...recordingNode('talker'), parameters: { count: { defaultValue: 99, descriptor: { type: 'integer', description: 'n', range: { from: 0, to: 10 } } } } } as const;
    const xml = '<launch>\n  <node pkg="h2r_at" exec="talker"/>\n</launch>';
    assert.equal(
      planError(xml, { nodes: [broken] }),
      `${F}:2: node /talker (talker): parameter 'count' has an invalid default in its definition: 99 is out of range 0..10`,
    );
  });

  it('rejects an <executable> whose program does not exist', () => {
    const xml = '<launch>\n  <executable cmd="no-such-program-h2r --flag"/>\n</launch>';
    assert.equal(planError(xml, { env: { PATH: '/usr/bin:/bin' } }), `${F}:2: program 'no-such-program-h2r' not found (not a file and not on PATH)`);
  });
});
