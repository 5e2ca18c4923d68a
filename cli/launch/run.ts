/**
 * Runs a LaunchPlan: creates every node on one graph (all in this process) and every
 * `<executable>` as a child process, and stops them all again, the robot first.
 */
import { spawn, type ChildProcess } from 'child_process';
import type { Graph, Logger } from '../../graph/api';
import type { NodeContext, NodeDefinition, RunningNode } from '../../graph/node-definition';
import { LaunchError, type SourceLocation } from './errors';
import type { PlannedProcess } from './plan';

/** A node to create: a PlannedNode of a launch file, or the one node of `h2r node`. */
export interface NodeToStart {
  readonly executable: string;
  readonly name: string;
  readonly namespace: string;
  readonly rosArguments: readonly string[];
  /** The `<node>` element; absent for a node named on the command line. */
  readonly location?: SourceLocation;
}

export interface LaunchItems {
  readonly nodes: readonly NodeToStart[];
  readonly processes: readonly PlannedProcess[];
}

export interface LaunchEnvironment {
  readonly graph: Graph;
  readonly nodeDefinitions: readonly NodeDefinition[];
  readonly context: NodeContext;
  readonly logger: Logger;
  /** How long one node or process may take to stop before launch gives up on it. */
  readonly stopTimeoutMs?: number;
}

export interface RunningLaunch {
  /** Fully qualified names of the nodes started, in start order. */
  readonly nodeNames: readonly string[];
  /** Stops everything once; resolves true when every node and process stopped cleanly. */
  stop(): Promise<boolean>;
}

interface StartedNode {
  /** Fully qualified name on the graph (after any `__node`/`__ns` remap). */
  readonly name: string;
  readonly definition: NodeDefinition;
  readonly running: RunningNode;
}

const DEFAULT_STOP_TIMEOUT_MS = 5000;

export async function startLaunch(plan: LaunchItems, environment: LaunchEnvironment): Promise<RunningLaunch> {
  const { graph, logger } = environment;
  const started: StartedNode[] = [];
  const processes: ManagedProcess[] = [];
  const stopTimeoutMs = environment.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
  let stopping: Promise<boolean> | undefined;
  const stop = (): Promise<boolean> => {
    stopping ??= stopAll(started, processes, logger, stopTimeoutMs);
    return stopping;
  };

  try {
    for (const planned of plan.nodes) {
      const definition = environment.nodeDefinitions.find((candidate) => candidate.executable === planned.executable);
      if (definition === undefined) throw new LaunchError(planned.location, `unknown node executable '${planned.executable}'`);
      let name = planned.name;
      try {
        const node = graph.createNode(planned.name, { namespace: planned.namespace, arguments: planned.rosArguments });
        name = node.fullyQualifiedName;
        const running = await definition.start(node, environment.context);
        started.push({ name, definition, running });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new LaunchError(planned.location, `node ${name} (${planned.executable}) failed to start: ${reason}`);
      }
      logger.info(`started node ${name} (${planned.executable})`);
    }
    for (const planned of plan.processes) {
      processes.push(startProcess(planned, logger));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { nodeNames: started.map((node) => node.name), stop };
}

/** Nodes that drive the robot first, then the other nodes and the processes, each in reverse start order. */
async function stopAll(
  started: readonly StartedNode[],
  processes: readonly ManagedProcess[],
  logger: Logger,
  timeoutMs: number,
): Promise<boolean> {
  const reversed = [...started].reverse();
  const drivesRobot = (node: StartedNode): boolean => node.definition.drivesRobot === true;
  const order = [...reversed.filter(drivesRobot), ...reversed.filter((node) => !drivesRobot(node))];
  let clean = true;
  for (const node of order) {
    const name = node.name;
    const outcome = await withTimeout(Promise.resolve().then(() => node.running.stop()), timeoutMs);
    if (outcome.kind === 'done') {
      logger.info(`stopped node ${name}`);
    } else {
      clean = false;
      const why = outcome.kind === 'timeout' ? `did not stop within ${timeoutMs} ms` : `failed to stop: ${String(outcome.error)}`;
      logger.error(`node ${name} ${why}`);
    }
  }
  for (const child of [...processes].reverse()) {
    if (!(await child.stop(timeoutMs))) clean = false;
  }
  return clean;
}

type Outcome = { kind: 'done' } | { kind: 'timeout' } | { kind: 'failed'; error: unknown };

async function withTimeout(work: Promise<unknown>, timeoutMs: number): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timeout' }), timeoutMs);
  });
  try {
    const settled = work.then(
      (): Outcome => ({ kind: 'done' }),
      (error: unknown): Outcome => ({ kind: 'failed', error }),
    );
    return await Promise.race([settled, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

interface ManagedProcess {
  /** SIGINT, then SIGTERM, then SIGKILL, as ROS 2 launch does; true when it ended on SIGINT or SIGTERM. */
  stop(timeoutMs: number): Promise<boolean>;
}

function startProcess(planned: PlannedProcess, logger: Logger): ManagedProcess {
  const [program, ...args] = planned.command as [string, ...string[]];
  const child: ChildProcess = spawn(program, args, { cwd: planned.cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  let stopping = false;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      if (!stopping) {
        logger.warn(`process ${planned.name} ended by itself (${signal ?? `exit code ${code ?? '?'}`})`);
      }
      resolve();
    });
    child.once('error', (error) => {
      logger.error(`process ${planned.name} could not run: ${error.message}`);
      resolve();
    });
  });
  logger.info(`started process ${planned.name} (pid ${child.pid ?? '?'}): ${planned.command.join(' ')}`);
  return {
    async stop(timeoutMs: number): Promise<boolean> {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return true;
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        child.kill(signal);
        if ((await withTimeout(exited, timeoutMs)).kind === 'done') {
          logger.info(`stopped process ${planned.name}`);
          return true;
        }
      }
      child.kill('SIGKILL');
      await exited;
      logger.error(`process ${planned.name} ignored SIGINT and SIGTERM and was killed`);
      return false;
    },
  };
}
