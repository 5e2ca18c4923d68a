/**
 * Collector benchmark: clip rendering time, and reminders acknowledged per second (with ack
 * latency) when 20 volunteers each send 25 reminders, each one after the last was acknowledged.
 * Every ack follows a committed, fsynced (WAL, synchronous=FULL) INSERT.
 *
 *   npm run build && node dist/bench/collector.js
 */
import { performance } from 'perf_hooks';
import { makeCamera } from '../sim/camera';
import { createEpisode } from '../sim/episode';
import { clipEndTime, renderClip } from '../collector/clips';
import { firstClip, newSession, openSocket, originOf, reminderMessage, startTestCollector, submit, temporaryDirectory } from '../test/support/collector-fixtures';

const VOLUNTEERS = 20;
const PER_VOLUNTEER = 25;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}

function clipRendering(): void {
  const camera = makeCamera({ width: 480, height: 360 });
  for (const [scenario, mistake] of [['kitchen', 'wrong_object'], ['factory', 'wrong_action'], ['tabletop', 'wrong_relation']] as const) {
    const episode = createEpisode({ scenario, seed: 0, mistake });
    const end = clipEndTime(episode.spec.visibleAt as number, episode.spec.pointOfNoReturnAt as number);
    const started = performance.now();
    const clip = renderClip(episode, end, 10, camera);
    const ms = performance.now() - started;
    console.log(`clip ${scenario}/${mistake}: ${clip.frameCount} frames (${end.toFixed(2)} s) rendered and encoded in ${ms.toFixed(0)} ms, GIF ${(clip.gif.length / 1024).toFixed(0)} KiB`);
  }
}

async function submissions(): Promise<void> {
  const collector = await startTestCollector(temporaryDirectory('bench'));
  try {
    const volunteers = await Promise.all(Array.from({ length: VOLUNTEERS }, (_, i) => newSession(collector.url, `bench-${i}`)));
    const clip = await firstClip(collector.url, volunteers[0]?.session as string);
    const sockets = await Promise.all(volunteers.map(() => openSocket(collector.url, originOf(collector.url))));
    const latencies: number[] = [];
    const started = performance.now();
    await Promise.all(sockets.map(async (ws, i) => {
      for (let n = 0; n < PER_VOLUNTEER; n++) {
        const sent = performance.now();
        const answer = await submit(ws, reminderMessage(volunteers[i]?.session as string, clip.id, { text: `reminder ${n} from ${i}` }));
        if (answer.op !== 'saved') throw new Error(`not saved: ${answer.error ?? ''}`);
        latencies.push(performance.now() - sent);
      }
    }));
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    console.log(`${latencies.length} reminders from ${VOLUNTEERS} volunteers in ${seconds.toFixed(2)} s: ${(latencies.length / seconds).toFixed(0)} acknowledged/s, ack latency p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p95 ${percentile(latencies, 0.95).toFixed(1)} ms`);
    for (const ws of sockets) ws.close();
  } finally {
    await collector.close();
  }
}

clipRendering();
submissions().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
