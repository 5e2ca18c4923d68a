/**
 * The simulator's CoppeliaSim backend against the protocol stand-in (loopback): simulation steps
 * per second (mirror poses + one stepped CoppeliaSim step) and camera frames per second (a step,
 * then CoppeliaSim's image and the built-in mask), at 160x120 and 480x360, as fast as they go.
 * The stand-in shows its test pattern, so the figures are the bridge's own cost plus the stand-in's
 * main-loop passes (every 2 ms); a real CoppeliaSim adds its rendering and its own pass time.
 *
 *   node dist/bench/coppeliasim-bridge.js
 */
import { CoppeliaSimBackend } from '../coppeliasim/backend';
import { CoppeliaSimStandIn } from '../test/support/coppeliasim-standin';

const SECONDS = 3;

async function rate(label: string, action: () => Promise<unknown>): Promise<void> {
  const start = process.hrtime.bigint();
  let count = 0;
  let elapsed = 0;
  while (elapsed < SECONDS) {
    await action();
    count += 1;
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  }
  console.log(`${label.padEnd(52)} ${(count / elapsed).toFixed(1).padStart(7)} /s   (${count} in ${elapsed.toFixed(1)} s)`);
}

async function measure(width: number, height: number): Promise<void> {
  const standIn = await CoppeliaSimStandIn.start({ passIntervalMs: 2 });
  const camera = { width, height, fovYDeg: 52, jitter: 0 };
  const backend = new CoppeliaSimBackend({ client: { port: standIn.port }, camera, scene: { arm: 'stand-in' }, log: () => undefined });
  try {
    await backend.session.client.waitUntilConnected(2000);
    // A long kitchen episode: the arm moves for most of it.
    const start = { scenario: 'kitchen', seed: 0, mistake: 'none' } as const;
    const buildStart = process.hrtime.bigint();
    await backend.startEpisode(start);
    console.log(`${width}x${height}: scene built in ${(Number(process.hrtime.bigint() - buildStart) / 1e6).toFixed(0)} ms`);
    const stepOrRestart = async (): Promise<void> => {
      if (backend.finished()) await backend.startEpisode(start);
      await backend.step();
    };
    await rate(`${width}x${height}: steps (mirror + CoppeliaSim step)`, stepOrRestart);
    await rate(`${width}x${height}: frames (step + image + built-in mask)`, async () => {
      await stepOrRestart();
      await backend.renderFrame(camera);
    });
  } finally {
    await backend.close();
    await standIn.close();
  }
}

async function main(): Promise<void> {
  await measure(160, 120);
  await measure(480, 360);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
