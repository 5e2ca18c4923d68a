/**
 * A scene as a plan of remote API calls, and the executor that runs a plan against CoppeliaSim.
 * Planning is pure (scene-builder.ts); only the executor talks to the server.
 */
import { CoppeliaSimError } from './errors';
import type { CoppeliaSimApi } from './sim-api';
import type { WireValue } from './ws-protocol';

/** The handle an earlier call bound under `name`. */
export class HandleRef {
  constructor(readonly name: string) {}
}

/** A numeric constant looked up by name on the server (`sim.primitiveshape_cylinder`). */
export class ConstRef {
  constructor(readonly name: string) {}
}

export type PlanArg = WireValue | HandleRef | ConstRef | readonly PlanArg[];

export interface PlannedCall {
  readonly func: string;
  readonly args: readonly PlanArg[];
  /** Binds the returned handle under this name for later calls. */
  readonly bind?: string;
  /** What the call is for, used in error messages ("cup_1"). */
  readonly subject: string;
}

export type PlanStep =
  | { readonly kind: 'call'; readonly call: PlannedCall }
  /** Removes what an earlier build left at `path` (the object and everything below it), if anything. */
  | { readonly kind: 'remove-tree'; readonly path: string }
  /** Loads a model file into `bind`, then runs `then`; when CoppeliaSim cannot load it, runs `otherwise`. */
  | { readonly kind: 'model'; readonly file: string; readonly bind: string; readonly then: readonly PlanStep[]; readonly otherwise: readonly PlanStep[] }
  /** Makes `child` a child of the object at `parentPath` at its origin; a warning when there is none. */
  | { readonly kind: 'attach'; readonly child: string; readonly parentPath: string };

export interface PlanResult {
  /** Every handle bound by the calls that ran. */
  readonly handles: ReadonlyMap<string, number>;
  /** Model files that could not be loaded (their `otherwise` steps ran). */
  readonly missingModels: readonly string[];
  readonly warnings: readonly string[];
}

export function call(func: string, args: readonly PlanArg[], subject: string, bind?: string): PlanStep {
  return { kind: 'call', call: bind === undefined ? { func, args, subject } : { func, args, subject, bind } };
}

/** Every call of a plan in order, both branches of a model step included (for inspection and tests). */
export function flattenCalls(steps: readonly PlanStep[]): PlannedCall[] {
  return steps.flatMap((step): PlannedCall[] => {
    if (step.kind === 'call') return [step.call];
    if (step.kind === 'model') return [...flattenCalls(step.then), ...flattenCalls(step.otherwise)];
    return [];
  });
}

class PlanRun {
  readonly handles = new Map<string, number>();
  readonly missingModels: string[] = [];
  readonly warnings: string[] = [];

  constructor(readonly api: CoppeliaSimApi) {}

  async resolve(arg: PlanArg, call: PlannedCall): Promise<WireValue> {
    if (arg instanceof HandleRef) {
      const handle = this.handles.get(arg.name);
      if (handle === undefined) throw new RangeError(`${call.func} for ${call.subject} uses handle '${arg.name}' before any call bound it`);
      return handle;
    }
    if (arg instanceof ConstRef) return this.api.constant(arg.name);
    if (Array.isArray(arg)) {
      const out: WireValue[] = [];
      for (const item of arg as readonly PlanArg[]) out.push(await this.resolve(item, call));
      return out;
    }
    return arg as WireValue;
  }

  async send(call: PlannedCall): Promise<void> {
    const args: WireValue[] = [];
    for (const arg of call.args) args.push(await this.resolve(arg, call));
    const ret = await this.api.remote.call(call.func, args);
    if (call.bind === undefined) return;
    const handle = ret[0];
    if (typeof handle !== 'number' || !Number.isInteger(handle) || handle < 0) {
      throw new CoppeliaSimError('protocol', `${call.func} returned ${JSON.stringify(handle) ?? 'nothing'} instead of a handle`, call.func);
    }
    this.handles.set(call.bind, handle);
  }

  /**
   * Runs steps in order. Consecutive calls that bind nothing are sent together: the server answers
   * in order and nothing waits on their results, so only binding calls need a round trip each.
   */
  async run(steps: readonly PlanStep[]): Promise<void> {
    let batch: PlannedCall[] = [];
    const flush = async (): Promise<void> => {
      const calls = batch;
      batch = [];
      await Promise.all(calls.map((c) => this.guard(c.func, c.subject, () => this.send(c))));
    };
    for (const step of steps) {
      if (step.kind === 'call' && step.call.bind === undefined) {
        batch.push(step.call);
        continue;
      }
      await flush();
      await this.runOne(step);
    }
    await flush();
  }

  async runOne(step: PlanStep): Promise<void> {
    switch (step.kind) {
      case 'call':
        return this.guard(step.call.func, step.call.subject, () => this.send(step.call));
      case 'remove-tree':
        return this.guard('remove-tree', step.path, async () => {
          const root = await this.api.getObject(step.path, { noError: true });
          if (root >= 0) await this.api.removeObjects(await this.api.getObjectsInTree(root));
        });
      case 'model': {
        let handle: number;
        try {
          handle = await this.api.loadModel(step.file);
        } catch (err) {
          if (!(err instanceof CoppeliaSimError) || err.kind !== 'remote') throw err;
          this.missingModels.push(step.file);
          this.warnings.push(`model ${step.file} could not be loaded (${err.remoteMessage}); using the stand-in instead`);
          return this.run(step.otherwise);
        }
        this.handles.set(step.bind, handle);
        return this.run(step.then);
      }
      case 'attach':
        return this.guard('attach', step.child, async () => {
          const child = this.handles.get(step.child);
          const parent = await this.api.getObject(step.parentPath, { noError: true });
          if (child === undefined || parent < 0) {
            this.warnings.push(`no ${child === undefined ? `handle '${step.child}'` : step.parentPath} to attach ${step.child}; left where it was loaded`);
            return;
          }
          await this.api.setObjectParent(child, parent, false);
          await this.api.setObjectPosition(child, [0, 0, 0], parent);
          await this.api.setObjectOrientation(child, [0, 0, 0], parent);
        });
    }
  }

  /** Names the step in any error while keeping its kind (a dropped link stays a link failure). */
  async guard(func: string, subject: string, action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (err) {
      const message = `building the scene: ${func} for ${subject} failed: ${(err as Error).message}`;
      if (err instanceof CoppeliaSimError) throw new CoppeliaSimError(err.kind, message, err.func, err.remoteMessage);
      throw new Error(message);
    }
  }
}

/** Runs a plan against a connected CoppeliaSim. */
export async function executePlan(api: CoppeliaSimApi, steps: readonly PlanStep[]): Promise<PlanResult> {
  const run = new PlanRun(api);
  await run.run(steps);
  return { handles: run.handles, missingModels: run.missingModels, warnings: run.warnings };
}
