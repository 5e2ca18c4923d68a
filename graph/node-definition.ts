import type { GraphNode, ParameterDescriptor, ParameterValue } from './api';

/** One declared parameter: its default and its descriptor. */
export interface ParameterSpec<V extends ParameterValue = ParameterValue> {
  readonly defaultValue: V;
  readonly descriptor: ParameterDescriptor;
}

/** A node's parameters, all in one place, so launch files can be checked before anything starts. */
export type ParameterSchema = Readonly<Record<string, ParameterSpec>>;

/** The effective values of a schema, typed like its defaults. */
export type ParameterValues<S extends ParameterSchema> = {
  readonly [K in keyof S]: S[K]['defaultValue'] extends boolean
    ? boolean
    : S[K]['defaultValue'] extends number
      ? number
      : S[K]['defaultValue'] extends string
        ? string
        : S[K]['defaultValue'];
};

/** Declares every parameter of a schema on a node and returns their effective values. */
export function declareParameters<S extends ParameterSchema>(node: GraphNode, schema: S): ParameterValues<S> {
  const values: Record<string, ParameterValue> = {};
  for (const [name, spec] of Object.entries(schema)) {
    values[name] = node.declareParameter(name, spec.defaultValue, spec.descriptor);
  }
  return values as ParameterValues<S>;
}

/** What a node file in nodes/ exports: how to wire one node onto a graph node. */
export interface NodeDefinition {
  /** Executable name: `<node pkg="h2r_at" exec="...">` in launch files and `h2r node <exec>`. */
  readonly executable: string;
  /** Default node name when the launch file gives none. */
  readonly defaultName: string;
  /** One line for `h2r node --help` and launch errors. */
  readonly description: string;
  /** Every parameter the node declares, with defaults and descriptors. */
  readonly parameters: ParameterSchema;
  /**
   * True for nodes that move the robot (the simulator bridge). On shutdown a launch stops these
   * before every other node, so the robot halts before anything that watches or corrects it.
   */
  readonly drivesRobot?: boolean;
  /**
   * Declares parameters (with declareParameters), creates publishers, subscriptions, services and
   * timers, and returns a handle to stop the node. Throws, naming the parameter, when a value is
   * invalid, so that a launch fails before anything runs.
   */
  start(node: GraphNode, context: NodeContext): RunningNode | Promise<RunningNode>;
}

export interface NodeContext {
  /** Lines typed on the launching terminal, for nodes that take input from a person. */
  readonly stdinLines?: AsyncIterable<string>;
  /** Where nodes print human-facing summaries (not logs); stdout unless redirected. */
  readonly print: (line: string) => void;
}

export interface RunningNode {
  /** Halts anything physical first (the robot), then releases files and timers. */
  stop(): void | Promise<void>;
}
