import { strict as assert } from 'node:assert';
import * as path from 'path';
import { buildLaunchPlan } from '../cli/launch/plan';
import { NODE_PACKAGE, packageShareDirectories, repositoryRoot } from '../cli/repo';
import { NODE_DEFINITIONS } from '../nodes/index';
import { parameterOf, planLaunch } from './support/launch-fixtures';

const talker = (attributes = '', children = ''): string =>
  `<node pkg="h2r_at" exec="talker" ${attributes}>${children}</node>`;

describe('launch plan: arguments and substitutions', () => {
  it('uses an argument default unless the command line gives a value, and says which', () => {
    const xml = `<launch><arg name="who" default="alice"/><arg name="count" default="2"/>
      ${talker('name="$(var who)"', '<param name="count" value="$(var count)"/>')}</launch>`;
    const defaults = planLaunch(xml);
    assert.deepEqual(defaults.nodes.map((node) => node.fullyQualifiedName), ['/alice']);
    assert.deepEqual(parameterOf(defaults, '/alice', 'count').value, 2);
    assert.deepEqual(defaults.arguments.map((a) => [a.name, a.value, a.source]), [['who', 'alice', 'default'], ['count', '2', 'default']]);

    const given = planLaunch(xml, { args: { who: 'bob', count: '7' } });
    assert.deepEqual(given.nodes.map((node) => node.fullyQualifiedName), ['/bob']);
    assert.equal(parameterOf(given, '/bob', 'count').value, 7);
    assert.deepEqual(given.arguments.map((a) => a.source), ['command line', 'command line']);
  });

  it('reads $(env NAME default) from the environment, else the default', () => {
    const xml = `<launch>${talker('name="$(env H2R_TEST_NAME fallback)"')}</launch>`;
    assert.equal(planLaunch(xml, { env: { H2R_TEST_NAME: 'from_env' } }).nodes[0]?.name, 'from_env');
    assert.equal(planLaunch(xml).nodes[0]?.name, 'fallback');
  });

  it('resolves $(find-pkg-share h2r_at), $(dirname) and nested substitutions', () => {
    const xml = `<launch>
      <arg name="which" default="label_a"/>
      <arg name="label_a" default="first"/>
      ${talker('', `<param name="label" value="'$(find-pkg-share h2r_at)|$(dirname)|$(var $(var which))'"/>`)}
    </launch>`;
    const plan = planLaunch(xml);
    assert.equal(parameterOf(plan, '/talker', 'label').value, `${plan.directory}|${plan.directory}|first`);
  });

  it('sets a launch configuration with <let> and checks an argument against its <choice> values', () => {
    const xml = `<launch><arg name="mode" default="slow"><choice value="slow"/><choice value="fast"/></arg>
      <let name="tag" value="mode_$(var mode)"/>${talker('name="$(var tag)"')}</launch>`;
    assert.equal(planLaunch(xml).nodes[0]?.name, 'mode_slow');
    assert.equal(planLaunch(xml, { args: { mode: 'fast' } }).nodes[0]?.name, 'mode_fast');
  });
});

describe('launch plan: names and namespaces', () => {
  it('takes the node name from the definition when the launch file gives none', () => {
    const plan = planLaunch(`<launch>${talker()}</launch>`);
    assert.deepEqual(plan.nodes.map((n) => [n.name, n.namespace, n.fullyQualifiedName]), [['talker', '/', '/talker']]);
  });

  it('prefixes pushed namespaces, nests them, and lets an absolute node namespace replace them', () => {
    const plan = planLaunch(`<launch>
      <group>
        <push-ros-namespace namespace="robot"/>
        ${talker('name="a"')}
        ${talker('name="b" namespace="arm"')}
        ${talker('name="c" namespace="/elsewhere"')}
        <group>
          <push-ros-namespace namespace="inner"/>
          ${talker('name="d"')}
        </group>
        ${talker('name="e"')}
      </group>
      ${talker('name="f"')}
    </launch>`);
    assert.deepEqual(plan.nodes.map((n) => n.fullyQualifiedName), ['/robot/a', '/robot/arm/b', '/elsewhere/c', '/robot/inner/d', '/robot/e', '/f']);
  });

  it('keeps namespaces and launch configurations of a group with scoped="false" after the group', () => {
    const plan = planLaunch(`<launch>
      <group scoped="false"><push-ros-namespace namespace="kept"/><let name="n" value="after"/></group>
      ${talker('name="$(var n)"')}
    </launch>`);
    assert.deepEqual(plan.nodes.map((n) => n.fullyQualifiedName), ['/kept/after']);
  });

  it('forgets a <let> made inside a scoped group', () => {
    const xml = `<launch><let name="n" value="outer"/><group><let name="n" value="inner"/></group>${talker('name="$(var n)"')}</launch>`;
    assert.equal(planLaunch(xml).nodes[0]?.name, 'outer');
  });
});

describe('launch plan: conditions', () => {
  const xml = `<launch><arg name="on" default="true"/>
    ${talker('name="when_on" if="$(var on)"')}
    ${talker('name="when_off" unless="$(var on)"')}
    <group if="$(var on)">${talker('name="grouped"')}</group>
  </launch>`;

  for (const [value, expected] of [
    ['true', ['/when_on', '/grouped']],
    ['1', ['/when_on', '/grouped']],
    ['False', ['/when_off']],
    ['0', ['/when_off']],
  ] as const) {
    it(`starts the if-nodes or the unless-nodes for on:=${value}`, () => {
      assert.deepEqual(planLaunch(xml, { args: { on: value } }).nodes.map((n) => n.fullyQualifiedName), expected);
    });
  }

  it('does not evaluate substitutions inside a group whose condition is false', () => {
    const plan = planLaunch(`<launch><group if="false">${talker('name="$(var never_declared)"')}</group></launch>`);
    assert.deepEqual(plan.nodes, []);
  });
});

describe('launch plan: parameters', () => {
  it('types <param value> as YAML: integer, double, bool, string, quoted string, list', () => {
    const plan = planLaunch(`<launch>${talker('', `
      <param name="count" value="4"/>
      <param name="rate" value="2.5"/>
      <param name="enabled" value="true"/>
      <param name="mode" value="slow"/>
      <param name="label" value="'42'"/>
      <param name="weights" value="[0.5, 1.5]"/>`)}</launch>`);
    const values = Object.fromEntries((plan.nodes[0]?.parameters ?? []).map((p) => [p.name, [p.type, p.value]]));
    assert.deepEqual(values, {
      rate: ['double', 2.5],
      count: ['integer', 4],
      label: ['string', '42'],
      enabled: ['bool', true],
      mode: ['string', 'slow'],
      weights: ['double_array', [0.5, 1.5]],
      'camera.width': ['integer', 64],
    });
  });

  it('accepts an integer for a double on the embedded graph, as the graph does', () => {
    const plan = planLaunch(`<launch>${talker('', '<param name="rate" value="5"/>')}</launch>`);
    assert.equal(parameterOf(plan, '/talker', 'rate').value, 5);
  });

  it('joins nested <param> names with dots', () => {
    const plan = planLaunch(`<launch>${talker('', '<param name="camera"><param name="width" value="128"/></param>')}</launch>`);
    assert.equal(parameterOf(plan, '/talker', 'camera.width').value, 128);
  });

  it('applies a parameter file: /** first, then the node\'s own section; <param> and the command line win over it', () => {
    const yaml = [
      '/**:',
      '  ros__parameters:',
      '    count: 1',
      '    mode: slow',
      'talker:',
      '  ros__parameters:',
      '    count: 2',
      '    rate: 20.0',
      'listener:',
      '  ros__parameters:',
      '    count: 9',
      '',
    ].join('\n');
    const plan = planLaunch(
      `<launch>${talker('', '<param from="$(dirname)/params.yaml"/><param name="rate" value="30.0"/>')}
        <node pkg="h2r_at" exec="listener"><param from="$(dirname)/params.yaml"/></node></launch>`,
      { files: { 'params.yaml': yaml }, rosArguments: ['--ros-args', '-p', 'listener:mode:=fast'] },
    );
    const yamlFile = path.join(plan.directory, 'params.yaml');
    const launchFile = path.join(plan.directory, 'test.launch.xml');
    assert.deepEqual(parameterOf(plan, '/talker', 'count'), { value: 2, origin: `${yamlFile}:7` });
    assert.deepEqual(parameterOf(plan, '/talker', 'mode'), { value: 'slow', origin: `${yamlFile}:4` });
    assert.deepEqual(parameterOf(plan, '/talker', 'rate'), { value: 30, origin: `${launchFile}:1` });
    assert.deepEqual(parameterOf(plan, '/listener', 'count'), { value: 9, origin: `${yamlFile}:11` });
    assert.deepEqual(parameterOf(plan, '/listener', 'mode'), { value: 'fast', origin: 'command line' });
    assert.deepEqual(parameterOf(plan, '/talker', 'label'), { value: 'none', origin: 'default' });
  });

  it('matches namespaced sections, nested namespace keys and /**/name wildcards', () => {
    const yaml = ['/**/talker:', '  ros__parameters:', '    count: 5', 'robot:', '  listener:', '    ros__parameters:', '      count: 6', ''].join('\n');
    const plan = planLaunch(
      `<launch><group><push-ros-namespace namespace="robot"/>
        ${talker('', '<param from="$(dirname)/p.yaml"/>')}
        <node pkg="h2r_at" exec="listener"><param from="$(dirname)/p.yaml"/></node>
      </group></launch>`,
      { files: { 'p.yaml': yaml } },
    );
    assert.equal(parameterOf(plan, '/robot/talker', 'count').value, 5);
    assert.equal(parameterOf(plan, '/robot/listener', 'count').value, 6);
  });

  it('warns about a parameter-file section that matches no node of the launch', () => {
    const yaml = ['talker:', '  ros__parameters:', '    count: 5', 'ghost:', '  ros__parameters:', '    count: 1', ''].join('\n');
    const plan = planLaunch(`<launch>${talker('', '<param from="$(dirname)/p.yaml"/>')}</launch>`, { files: { 'p.yaml': yaml } });
    assert.deepEqual(plan.warnings, [`${path.join(plan.directory, 'p.yaml')}: section '/ghost' matches no node of this launch`]);
  });

  it('passes files, values, remaps and the command line\'s ROS arguments to the node in that order', () => {
    const plan = planLaunch(
      `<launch>${talker('', `<param from="$(dirname)/p.yaml"/><param name="label" value="hi there"/>
        <param name="rate" value="2.0"/><remap from="chatter" to="/talk"/>`)}</launch>`,
      { files: { 'p.yaml': 'talker:\n  ros__parameters:\n    count: 1\n' }, rosArguments: ['--ros-args', '--log-level', 'debug'] },
    );
    assert.deepEqual(plan.nodes[0]?.rosArguments, [
      '--ros-args',
      '--params-file',
      path.join(plan.directory, 'p.yaml'),
      '-p',
      'label:="hi there"',
      '-p',
      'rate:=2.0',
      '-r',
      'chatter:=/talk',
      '--log-level',
      'debug',
    ]);
    assert.deepEqual(plan.nodes[0]?.remaps, [{ from: 'chatter', to: '/talk' }]);
  });
});

describe('launch plan: executables', () => {
  it('splits <executable cmd> like a shell and finds the program on PATH', () => {
    const plan = planLaunch(`<launch><executable cmd="sh -c 'exit 0'" name="shell" output="screen"/></launch>`, {
      env: { PATH: process.env['PATH'] ?? '' },
    });
    assert.deepEqual(plan.processes.map((p) => [p.name, p.command, p.cwd, p.output]), [['shell', ['sh', '-c', 'exit 0'], plan.directory, 'screen']]);
  });
});

describe('launch plan: the shipped launch files', () => {
  const root = repositoryRoot();
  const plan = (file: string, args: Record<string, string> = {}) =>
    buildLaunchPlan({
      file: path.join(root, 'launch', file),
      launchArguments: new Map(Object.entries(args)),
      nodeDefinitions: NODE_DEFINITIONS,
      packages: packageShareDirectories(root),
      nodePackage: NODE_PACKAGE,
      environment: {},
      cwd: root,
    });

  it('plans kitchen.launch.xml: the operator console with kitchen.yaml and the speaker argument, and the simulator', () => {
    const kitchen = plan('kitchen.launch.xml', { speaker: '42' });
    assert.deepEqual(kitchen.nodes.map((node) => node.fullyQualifiedName), ['/operator_console', '/simulator', '/reminder_parser', '/attention_transfer', '/execution_monitor', '/simulated_person']);
    assert.equal(parameterOf(kitchen, '/simulator', 'scenario').value, 'kitchen');
    assert.equal(parameterOf(kitchen, '/simulator', 'image_width').value, 320);
    assert.equal(parameterOf(kitchen, '/operator_console', 'scenario').value, 'kitchen');
    assert.equal(parameterOf(kitchen, '/operator_console', 'max_length').value, 500);
    assert.equal(parameterOf(kitchen, '/operator_console', 'speaker').value, '42');
    assert.deepEqual(kitchen.warnings, []);
    assert.deepEqual(plan('kitchen.launch.xml', { console: 'false', person: 'false' }).nodes.map((node) => node.fullyQualifiedName), ['/simulator', '/reminder_parser', '/attention_transfer', '/execution_monitor']);
  });

  it('passes backend, host and port to the simulator of both launch files, the built-in backend by default', () => {
    const simulatorOf = { 'kitchen.launch.xml': '/simulator', 'factory.launch.xml': '/factory/simulator' };
    for (const [file, node] of Object.entries(simulatorOf)) {
      const fields = (p: ReturnType<typeof plan>) => ['backend', 'host', 'port'].map((name) => parameterOf(p, node, name).value);
      assert.deepEqual(fields(plan(file, {})), ['builtin', '127.0.0.1', 23050], file);
      assert.deepEqual(fields(plan(file, { backend: 'coppeliasim', host: '10.0.0.7', port: '23051' })), ['coppeliasim', '10.0.0.7', 23051], file);
      assert.throws(() => plan(file, { backend: 'gazebo' }), /launch argument 'backend' is 'gazebo', expected one of builtin, coppeliasim/);
    }
  });

  it('plans factory.launch.xml in its namespace, with the length limit and the events remap', () => {
    const factory = plan('factory.launch.xml', { namespace: 'cell_2', max_reminder_length: '120', events_topic: 'replay/events' });
    assert.deepEqual(factory.nodes.map((node) => node.fullyQualifiedName), ['/cell_2/operator_console', '/cell_2/simulator', '/cell_2/reminder_parser', '/cell_2/attention_transfer', '/cell_2/execution_monitor', '/cell_2/simulated_person']);
    assert.equal(parameterOf(factory, '/cell_2/simulator', 'scenario').value, 'factory');
    assert.equal(parameterOf(factory, '/cell_2/operator_console', 'scenario').value, 'factory');
    assert.equal(parameterOf(factory, '/cell_2/operator_console', 'max_length').value, 120);
    assert.deepEqual(factory.nodes[0]?.remaps, [{ from: 'episode/events', to: 'replay/events' }]);
    assert.deepEqual(plan('factory.launch.xml', { headless: 'true' }).nodes.map((node) => node.fullyQualifiedName), ['/factory/simulator', '/factory/reminder_parser', '/factory/attention_transfer', '/factory/execution_monitor', '/factory/simulated_person']);
  });
});
