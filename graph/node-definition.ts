import type { GraphNode } from './api';

/** What a node file in nodes/ exports: how to wire one node onto a graph node. */
export interface NodeDefinition {
  /** Executable name: `<node pkg="h2r_at" exec="...">` in launch files and `h2r node <exec>`. */
  readonly executable: string;
  /** Default node name when the launch file gives none. */
  readonly defaultName: string;
  /** One line for `h2r node --help` and launch errors. */
  readonly description: string;
  /**
   * Declares parameters, creates publishers, subscriptions, services and timers, and returns a
   * handle to stop the node. Throws, naming the parameter, when a parameter value is invalid, so
   * that a launch fails before anything runs.
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
