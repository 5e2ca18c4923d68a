/**
 * Choosing and creating a graph backend: what the `h2r` CLI and launch code call.
 *
 * `selectBackend(argv, env)`: `--graph ros2|embedded` (or `--graph=...`) wins over env
 * `H2R_GRAPH`; the default is the embedded graph. `createGraph(backend, options)` returns the
 * graph; the ros2 backend loads rclnodejs only then, and throws Ros2UnavailableError with what to
 * do when it cannot.
 */
import type { Graph, GraphBackend } from './api';
import { EmbeddedGraph, type EmbeddedGraphOptions } from './embedded';
import { createRos2Graph } from './ros2';

export const GRAPH_BACKENDS: readonly GraphBackend[] = ['embedded', 'ros2'];

export type GraphOptions = EmbeddedGraphOptions;

function checkBackend(value: string, source: string): GraphBackend {
  const backend = GRAPH_BACKENDS.find((b) => b === value);
  if (!backend) throw new Error(`unknown graph backend '${value}' (from ${source}): choose ${GRAPH_BACKENDS.join(' or ')}`);
  return backend;
}

export function selectBackend(argv: readonly string[], env: NodeJS.ProcessEnv): GraphBackend {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (arg === '--graph') {
      const value = argv[i + 1];
      if (value === undefined) throw new Error(`--graph needs a value: ${GRAPH_BACKENDS.join(' or ')}`);
      return checkBackend(value, '--graph');
    }
    if (arg.startsWith('--graph=')) return checkBackend(arg.slice('--graph='.length), '--graph');
  }
  const fromEnv = env['H2R_GRAPH'];
  if (fromEnv) return checkBackend(fromEnv, 'H2R_GRAPH');
  return 'embedded';
}

export function createGraph(backend: 'embedded', options?: GraphOptions): Promise<EmbeddedGraph>;
export function createGraph(backend: GraphBackend, options?: GraphOptions): Promise<Graph>;
export async function createGraph(backend: GraphBackend, options: GraphOptions = {}): Promise<Graph> {
  if (backend === 'embedded') return new EmbeddedGraph(options);
  if (options.clock === 'manual') {
    throw new Error("the ros2 graph has no manual clock: run with use_sim_time and a /clock publisher instead");
  }
  return createRos2Graph(options.arguments ?? []);
}
