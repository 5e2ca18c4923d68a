/**
 * CoppeliaSim client against the protocol stand-in (loopback): round trip of a small call, a
 * 480x360 camera frame (handle + read + flip), one stepped simulation step, and building the
 * kitchen test scene. The stand-in answers once per main-loop pass, so figures depend on its pass
 * interval (2 ms here); a real CoppeliaSim's pass is its own and is not measured here.
 *
 *   node dist/bench/coppeliasim-standin.js
 */
import { flattenCalls } from '../coppeliasim/scene-plan';
import { buildScene, planScene } from '../coppeliasim/scene-builder';
import { CoppeliaSimApi } from '../coppeliasim/sim-api';
import { RemoteApiClient } from '../coppeliasim/ws-client';
import { KITCHEN } from '../test/support/coppeliasim-fixtures';
import { CoppeliaSimStandIn } from '../test/support/coppeliasim-standin';

const PASS_INTERVAL_MS = 2;

async function timeEach(label: string, runs: number, action: () => Promise<unknown>): Promise<void> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await action();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const p90 = times[Math.min(times.length - 1, Math.floor(times.length * 0.9))];
  console.log(`${label.padEnd(44)} median ${median.toFixed(2)} ms   p90 ${p90.toFixed(2)} ms   (${runs} runs)`);
}

async function main(): Promise<void> {
  const standIn = await CoppeliaSimStandIn.start({ passIntervalMs: PASS_INTERVAL_MS });
  const client = new RemoteApiClient({ port: standIn.port, log: () => undefined });
  try {
    await client.connect(2000);
    const api = new CoppeliaSimApi(client);
    console.log(`stand-in main-loop pass every ${PASS_INTERVAL_MS} ms; kitchen scene plan: ${flattenCalls(planScene(KITCHEN, { arm: 'stand-in' }).steps).length} calls`);
    await timeEach('sim.getSimulationTime round trip', 200, () => api.getSimulationTime());
    const sensor = await api.createVisionSensor({ width: 480, height: 360, viewAngle: 1, near: 0.05, far: 5 });
    await timeEach('480x360 frame: handle + read (CBOR) + flip', 50, () => api.captureImage(sensor));
    await api.setStepping(true);
    await api.startSimulation();
    await timeEach('one stepped simulation step', 100, () => api.step());
    await api.stopSimulation();
    await timeEach('build the kitchen scene (stand-in arm)', 10, () => buildScene(api, KITCHEN, { arm: 'stand-in' }));
  } finally {
    await client.close();
    await standIn.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
