/** The data a launch file is planned into: plain values, no graph, nothing running. */
import type { ParameterType, ParameterValue } from '../../graph/api';
import type { NodeDefinition } from '../../graph/node-definition';
import type { ParsedParameterValue } from '../../graph/parameter-values';
import type { SourceLocation } from './errors';

export type ParameterSource =
  | { readonly kind: 'file'; readonly file: string; readonly location: SourceLocation }
  | { readonly kind: 'value'; readonly name: string; readonly value: ParsedParameterValue; readonly location: SourceLocation };

export interface PlannedParameter {
  readonly name: string;
  readonly type: ParameterType;
  readonly value: ParameterValue;
  /** `default`, the `file:line` of the YAML or XML that set it, or `command line`. */
  readonly origin: string;
}

export type OutputMode = 'screen' | 'log' | 'both';

export interface LaunchArgument {
  readonly name: string;
  readonly value: string;
  readonly source: 'default' | 'command line';
  readonly description: string;
  readonly location: SourceLocation;
}

export interface Remap {
  readonly from: string;
  readonly to: string;
}

export interface PlannedNode {
  /** Executable name in the node registry, e.g. `operator_console`. */
  readonly executable: string;
  readonly name: string;
  /** Absolute namespace, `/` for the root. */
  readonly namespace: string;
  readonly fullyQualifiedName: string;
  readonly location: SourceLocation;
  readonly output: OutputMode;
  readonly remaps: readonly Remap[];
  /** Parameter files and `<param name value>` entries, in the order the launch file gives them. */
  readonly parameterSources: readonly ParameterSource[];
  /** Every declared parameter with the value it will take and where that value comes from. */
  readonly parameters: readonly PlannedParameter[];
  /** The ROS arguments the node is created with: `--ros-args --params-file f -p k:=v -r a:=b ...`. */
  readonly rosArguments: readonly string[];
}

export interface PlannedProcess {
  readonly name: string;
  /** Program and arguments, already split; the program was found before launch. */
  readonly command: readonly string[];
  readonly cwd: string;
  readonly output: OutputMode;
  readonly location: SourceLocation;
}

export interface LaunchPlan {
  readonly file: string;
  readonly arguments: readonly LaunchArgument[];
  readonly nodes: readonly PlannedNode[];
  readonly processes: readonly PlannedProcess[];
  /** Things that look wrong but need not stop the launch (a parameter section no node matches). */
  readonly warnings: readonly string[];
}

export interface LaunchPlanOptions {
  readonly file: string;
  /** The file's text; read from `file` when absent. */
  readonly text?: string;
  /** `name:=value` arguments from the command line. */
  readonly launchArguments: ReadonlyMap<string, string>;
  /** `--ros-args ...` given after the launch arguments, passed to every node. */
  readonly rosArguments?: readonly string[];
  readonly nodeDefinitions: readonly NodeDefinition[];
  /** Package name to share directory, for `pkg=` and `$(find-pkg-share)`. */
  readonly packages: Readonly<Record<string, string>>;
  /** The package whose nodes h2r launch can run. */
  readonly nodePackage: string;
  readonly environment: Readonly<Record<string, string | undefined>>;
  /** Directory that relative paths (parameter files, commands) are resolved against. */
  readonly cwd: string;
  /** Check parameters with rclcpp's rule that an integer is no double (for --graph ros2). */
  readonly rejectIntegerForDouble?: boolean;
}

/** A node before its parameters are resolved against every other node of the launch. */
export interface PendingNode extends Omit<PlannedNode, 'parameters' | 'rosArguments'> {
  readonly definition: NodeDefinition;
}
