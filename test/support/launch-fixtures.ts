/** Launch files written to a fresh temporary directory, and a node schema that covers every parameter type. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { NodeDefinition, ParameterSchema, RunningNode } from '../../graph/node-definition';
import { declareParameters } from '../../graph/node-definition';
import { buildLaunchPlan, type LaunchPlan, type LaunchPlanOptions } from '../../cli/launch/plan';

export const TEST_PACKAGE = 'h2r_at';

const testParameters: ParameterSchema = {
  rate: { defaultValue: 10.0, descriptor: { type: 'double', description: 'Hz', range: { from: 0, to: 100 } } },
  count: { defaultValue: 3, descriptor: { type: 'integer', description: 'how many', range: { from: 0, to: 10 } } },
  label: { defaultValue: 'none', descriptor: { type: 'string', description: 'a label' } },
  enabled: { defaultValue: false, descriptor: { type: 'bool', description: 'on or off' } },
  mode: { defaultValue: 'fast', descriptor: { type: 'string', description: 'speed', choices: ['fast', 'slow'] } },
  weights: { defaultValue: [1.0, 2.0], descriptor: { type: 'double_array', description: 'weights' } },
  'camera.width': { defaultValue: 64, descriptor: { type: 'integer', description: 'pixels', range: { from: 1, to: 4096 } } },
};

/** Records what it was started with; stop() appends to `stopped`. */
export function recordingNode(executable: string, stopped: string[] = [], options: { drivesRobot?: boolean } = {}): NodeDefinition {
  return {
    executable,
    defaultName: executable,
    description: `test node ${executable}`,
    parameters: testParameters,
    drivesRobot: options.drivesRobot,
    start(node): RunningNode {
      declareParameters(node, testParameters);
      return {
        stop() {
          stopped.push(node.fullyQualifiedName);
        },
      };
    },
  };
}

export const TEST_NODES: readonly NodeDefinition[] = [recordingNode('talker'), recordingNode('listener')];

/** Writes files (relative path -> text) under a new temporary directory and returns it. */
export function writeFiles(files: Readonly<Record<string, string>>): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'h2r-launch-test-'));
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(directory, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  return directory;
}

export interface PlanRequest {
  /** Launch arguments given as name:=value. */
  readonly args?: Readonly<Record<string, string>>;
  readonly env?: Readonly<Record<string, string>>;
  readonly rosArguments?: readonly string[];
  /** More files next to the launch file (parameter YAML). */
  readonly files?: Readonly<Record<string, string>>;
  readonly nodes?: readonly NodeDefinition[];
  readonly rejectIntegerForDouble?: boolean;
}

export interface PlannedFixture {
  readonly directory: string;
  /** Absolute path of the launch file, `<directory>/test.launch.xml`. */
  readonly file: string;
  readonly options: LaunchPlanOptions;
}

/** Writes `xml` as test.launch.xml (plus request.files) and returns the options to plan it. */
export function launchFixture(xml: string, request: PlanRequest = {}): PlannedFixture {
  const directory = writeFiles({ 'test.launch.xml': xml, ...(request.files ?? {}) });
  const file = path.join(directory, 'test.launch.xml');
  return {
    directory,
    file,
    options: {
      file,
      launchArguments: new Map(Object.entries(request.args ?? {})),
      rosArguments: request.rosArguments ?? [],
      nodeDefinitions: request.nodes ?? TEST_NODES,
      packages: { [TEST_PACKAGE]: directory, h2r_interfaces: path.join(directory, 'interfaces') },
      nodePackage: TEST_PACKAGE,
      environment: request.env ?? {},
      cwd: directory,
      rejectIntegerForDouble: request.rejectIntegerForDouble,
    },
  };
}

export function planLaunch(xml: string, request: PlanRequest = {}): LaunchPlan & { readonly directory: string } {
  const fixture = launchFixture(xml, request);
  return { ...buildLaunchPlan(fixture.options), directory: fixture.directory };
}

/** The launch error's message for an XML that should not plan, with `<file>` standing for its path. */
export function planError(xml: string, request: PlanRequest = {}): string {
  const fixture = launchFixture(xml, request);
  try {
    buildLaunchPlan(fixture.options);
  } catch (error) {
    return (error as Error).message.split(fixture.directory).join('<dir>');
  }
  throw new Error('the launch planned without error');
}

/** A parameter's value and origin in a planned node. */
export function parameterOf(plan: LaunchPlan, nodeName: string, parameter: string): { value: unknown; origin: string } {
  const node = plan.nodes.find((candidate) => candidate.fullyQualifiedName === nodeName);
  if (node === undefined) throw new Error(`no node ${nodeName} in the plan`);
  const found = node.parameters.find((candidate) => candidate.name === parameter);
  if (found === undefined) throw new Error(`node ${nodeName} has no parameter ${parameter}`);
  return { value: found.value, origin: found.origin };
}
