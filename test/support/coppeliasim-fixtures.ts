/** Shared set-up for the CoppeliaSim client tests: a stand-in per test, clients with a captured log. */
import { strict as assert } from 'node:assert';
import { RemoteApiClient, type ClientLog, type ConnectionState, type LogLevel, type RemoteApiClientOptions } from '../../coppeliasim/ws-client';
import type { SceneBuildInput } from '../../coppeliasim/scene-builder';
import type { SceneObject } from '../../sim/types';
import { CoppeliaSimStandIn, type StandInOptions } from './coppeliasim-standin';

export interface CapturedLog {
  readonly lines: { level: LogLevel; message: string }[];
  readonly log: ClientLog;
  at(level: LogLevel): string[];
}

export function captureLog(): CapturedLog {
  const lines: { level: LogLevel; message: string }[] = [];
  return {
    lines,
    log: (level, message) => lines.push({ level, message }),
    at: (level) => lines.filter((l) => l.level === level).map((l) => l.message),
  };
}

/** Runs `body` with a fresh stand-in and closes it (and anything registered in `cleanup`) afterwards. */
export async function withStandIn(
  options: StandInOptions,
  body: (standIn: CoppeliaSimStandIn, cleanup: (close: () => Promise<void>) => void) => Promise<void>,
): Promise<void> {
  const standIn = await CoppeliaSimStandIn.start(options);
  const closers: (() => Promise<void>)[] = [];
  try {
    await body(standIn, (close) => closers.push(close));
  } finally {
    for (const close of closers.reverse()) await close();
    await standIn.close();
  }
}

/** A client for the stand-in's port with short, jitter-free backoff (random() = 0.5 is the base delay). */
export function clientFor(port: number, log: CapturedLog, options: RemoteApiClientOptions = {}): RemoteApiClient {
  return new RemoteApiClient({
    port,
    log: log.log,
    random: () => 0.5,
    backoff: { initialDelayMs: 10, maxDelayMs: 40, factor: 2, jitter: 0.2 },
    callTimeoutMs: 2000,
    ...options,
  });
}

/** Records the connection states a client goes through. */
export function recordStates(client: RemoteApiClient): ConnectionState[] {
  const states: ConnectionState[] = [];
  client.onConnectionChange((event) => states.push(event.state));
  return states;
}

/** Resolves once `client` reaches `state`, or rejects after `timeoutMs` naming the state it is in. */
export function untilState(client: RemoteApiClient, state: ConnectionState, timeoutMs = 2000): Promise<void> {
  if (client.state === state) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`client stayed ${client.state} for ${timeoutMs} ms, expected ${state}`));
    }, timeoutMs);
    const stop = client.onConnectionChange((event) => {
      if (event.state !== state) return;
      clearTimeout(timer);
      stop();
      resolve();
    });
  });
}

export const sceneObject = (o: Partial<SceneObject> & Pick<SceneObject, 'id' | 'kind' | 'colour'>): SceneObject => ({
  state: 'none', size: [0.08, 0.08, 0.1], sizeClass: 'medium', position: { x: 0, y: 0, z: 0 }, yaw: 0, ...o,
});

/** Serve water: a full white pitcher, the person's blue cup on the robot's left, a red cup on its right. */
export const KITCHEN: SceneBuildInput = {
  objects: [
    sceneObject({ id: 'pitcher_1', kind: 'pitcher', colour: 'white', state: 'full', size: [0.1, 0.1, 0.18], position: { x: 0.05, y: 0.1, z: 0 }, yaw: 0.3 }),
    sceneObject({ id: 'cup_1', kind: 'cup', colour: 'blue', state: 'empty', size: [0.075, 0.075, 0.09], position: { x: 0.2, y: 0.25, z: 0 }, yaw: -0.5 }),
    sceneObject({ id: 'cup_2', kind: 'cup', colour: 'red', state: 'empty', size: [0.07, 0.07, 0.085], position: { x: 0.15, y: -0.3, z: 0 } }),
  ],
  person: { position: { x: 0.65, y: 0.05, z: 0 } },
};

/** Asserts that two number lists agree to within `tolerance`, naming what is compared. */
export function assertNear(actual: readonly number[], expected: readonly number[], what: string, tolerance = 1e-9): void {
  assert.ok(actual.length === expected.length && actual.every((v, i) => Math.abs(v - expected[i]!) <= tolerance), `${what}: [${actual.join(', ')}] is not [${expected.join(', ')}]`);
}

/** Resolves once `condition` holds (checked every few ms of real time), or rejects naming `what`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
