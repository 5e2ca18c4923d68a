import { strict as assert } from 'node:assert';
import * as fs from 'fs';
import * as path from 'path';
import { timeFromMs } from '../graph/clock';
import { EmbeddedGraph } from '../graph/embedded';
import { captureLogs, GraphLogger } from '../graph/logging';
import { declareParameters, type NodeDefinition, type ParameterSchema } from '../graph/node-definition';
import { LaunchError } from '../cli/launch/errors';
import { buildLaunchPlan } from '../cli/launch/plan';
import { startLaunch, type LaunchEnvironment } from '../cli/launch/run';
import { launchFixture, writeFiles } from './support/launch-fixtures';

const probeParameters: ParameterSchema = {
  count: { defaultValue: 1, descriptor: { type: 'integer', description: 'how many', range: { from: 0, to: 100 } } },
  label: { defaultValue: 'none', descriptor: { type: 'string', description: 'a label' } },
};

interface ProbeRecord {
  readonly name: string;
  readonly parameters: Record<string, unknown>;
  readonly topic: string;
}

/** A node that reports what the graph gave it and logs when it stops. */
function probe(executable: string, events: string[], options: { drivesRobot?: boolean; failStart?: boolean; hangOnStop?: boolean } = {}): NodeDefinition {
  return {
    executable,
    defaultName: executable,
    description: 'probe',
    parameters: probeParameters,
    drivesRobot: options.drivesRobot,
    start(node) {
      if (options.failStart === true) throw new Error('camera not found');
      const parameters = declareParameters(node, probeParameters);
      const publisher = node.createPublisher('std_msgs/msg/String', 'chatter');
      events.push(JSON.stringify({ name: node.fullyQualifiedName, parameters, topic: publisher.topic } satisfies ProbeRecord));
      return {
        stop: () => {
          if (options.hangOnStop === true) return new Promise<void>(() => undefined);
          events.push(`stop ${node.fullyQualifiedName}`);
          return undefined;
        },
      };
    },
  };
}

/** Polls until `condition` holds (the child process has set its trap), failing after timeoutMs. */
async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function environment(graph: EmbeddedGraph, nodes: readonly NodeDefinition[], logs = captureLogs()): LaunchEnvironment {
  return {
    graph,
    nodeDefinitions: nodes,
    context: { print: () => undefined },
    logger: new GraphLogger('launch', 'info', () => timeFromMs(0), logs.sink),
    stopTimeoutMs: 200,
  };
}

describe('running a launch plan on the embedded graph', () => {
  it('creates each node with its name, namespace, parameters and remaps', async () => {
    const events: string[] = [];
    const nodes = [probe('sim', events), probe('console', events)];
    const fixture = launchFixture(
      `<launch>
        <group><push-ros-namespace namespace="cell"/>
          <node pkg="h2r_at" exec="sim" name="simulator"><param from="$(dirname)/p.yaml"/><remap from="chatter" to="/shared/chatter"/></node>
        </group>
        <node pkg="h2r_at" exec="console"><param name="label" value="typed"/></node>
      </launch>`,
      { nodes, files: { 'p.yaml': '/**/simulator:\n  ros__parameters:\n    count: 42\n' }, rosArguments: ['--ros-args', '-p', 'console:count:=7'] },
    );
    const graph = new EmbeddedGraph({ logSink: captureLogs().sink });
    const running = await startLaunch(buildLaunchPlan(fixture.options), environment(graph, nodes));
    try {
      assert.deepEqual(running.nodeNames, ['/cell/simulator', '/console']);
      assert.deepEqual(events.map((event) => JSON.parse(event) as ProbeRecord), [
        { name: '/cell/simulator', parameters: { count: 42, label: 'none' }, topic: '/shared/chatter' },
        { name: '/console', parameters: { count: 7, label: 'typed' }, topic: '/chatter' },
      ]);
    } finally {
      await running.stop();
      await graph.shutdown();
    }
  });

  it('stops the nodes that drive the robot first, then the others in reverse start order', async () => {
    const events: string[] = [];
    const nodes = [probe('console', events), probe('sim', events, { drivesRobot: true }), probe('monitor', events)];
    const fixture = launchFixture(
      '<launch><node pkg="h2r_at" exec="console"/><node pkg="h2r_at" exec="sim"/><node pkg="h2r_at" exec="monitor"/></launch>',
      { nodes },
    );
    const graph = new EmbeddedGraph({ logSink: captureLogs().sink });
    const running = await startLaunch(buildLaunchPlan(fixture.options), environment(graph, nodes));
    assert.equal(await running.stop(), true);
    await graph.shutdown();
    assert.deepEqual(events.filter((event) => event.startsWith('stop')), ['stop /sim', 'stop /monitor', 'stop /console']);
  });

  it('stops the nodes already started when a later one fails, and names the failing node and its line', async () => {
    const events: string[] = [];
    const nodes = [probe('console', events), probe('camera', events, { failStart: true })];
    const fixture = launchFixture('<launch>\n<node pkg="h2r_at" exec="console"/>\n<node pkg="h2r_at" exec="camera"/>\n</launch>', { nodes });
    const graph = new EmbeddedGraph({ logSink: captureLogs().sink });
    await assert.rejects(startLaunch(buildLaunchPlan(fixture.options), environment(graph, nodes)), (error: unknown) => {
      assert.ok(error instanceof LaunchError);
      assert.equal(error.message, `${fixture.file}:3: node /camera (camera) failed to start: camera not found`);
      return true;
    });
    await graph.shutdown();
    assert.deepEqual(events.filter((event) => event.startsWith('stop')), ['stop /console']);
  });

  it('reports a node that does not stop in time and still stops the rest', async () => {
    const events: string[] = [];
    const nodes = [probe('stuck', events, { hangOnStop: true }), probe('console', events)];
    const fixture = launchFixture('<launch><node pkg="h2r_at" exec="stuck"/><node pkg="h2r_at" exec="console"/></launch>', { nodes });
    const graph = new EmbeddedGraph({ logSink: captureLogs().sink });
    const logs = captureLogs();
    const running = await startLaunch(buildLaunchPlan(fixture.options), environment(graph, nodes, logs));
    assert.equal(await running.stop(), false);
    await graph.shutdown();
    assert.deepEqual(events.filter((event) => event.startsWith('stop')), ['stop /console']);
    assert.ok(logs.lines.some((line) => line.endsWith('[launch]: node /stuck did not stop within 200 ms')), logs.lines.join('\n'));
  });

  it('runs an <executable> as a child process and ends it with SIGINT on stop', async () => {
    const directory = writeFiles({});
    const marker = path.join(directory, 'stopped');
    const ready = path.join(directory, 'ready');
    const script = `trap 'echo interrupted > ${marker}; exit 0' INT; echo > ${ready}; while :; do sleep 0.05; done`;
    const fixture = launchFixture(`<launch><executable cmd="sh -c &quot;${script}&quot;" name="worker"/></launch>`, {
      env: { PATH: process.env['PATH'] ?? '' },
    });
    const graph = new EmbeddedGraph({ logSink: captureLogs().sink });
    const logs = captureLogs();
    const running = await startLaunch(buildLaunchPlan(fixture.options), environment(graph, [], logs));
    await waitFor(() => fs.existsSync(ready), 5000);
    assert.equal(fs.existsSync(marker), false);
    assert.equal(await running.stop(), true);
    await graph.shutdown();
    assert.equal(fs.readFileSync(marker, 'utf8'), 'interrupted\n');
    assert.ok(logs.lines.some((line) => line.endsWith('[launch]: stopped process worker')), logs.lines.join('\n'));
  });
});
