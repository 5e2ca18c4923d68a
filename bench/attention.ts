/**
 * Both stages together: a camera image and a reminder in, visual attention out, as the attention
 * transfer node runs them (parse, perceive, ground), one at a time after warm-up, on held-out
 * situations (scenes and held-out template families the networks never trained on).
 *
 *   node dist/bench/attention.js [--situations 300] [--warmup 300] [--json] [--visual-model DIR] [--language-model DIR] [--float32]
 *
 * Warm-up runs other held-out situations first: V8 goes on compiling and recompiling the stages'
 * JavaScript for the first two hundred or so frames, on the second vCPU, which slows the measured
 * thread here while it is busy; a node that runs for hours is past that within its first half minute.
 *
 * --float32 runs the perception networks as floats on tfjs even where int16 ranges were calibrated.
 *
 * Wall time and the process's CPU time are both reported: on a shared machine wall time also
 * counts waiting for a core.
 */
import { loadavg } from 'os';
import { ReminderParser } from '../language/parser';
import { tableCamera } from '../models/visual/camera-preset';
import { sayFor } from '../models/visual/grounding-data';
import { EVALUATION_SEED_BASE } from '../models/visual/pipeline';
import { sampleSituation } from '../models/visual/situations';
import { perceivedViewers } from '../models/visual/viewers';
import { VisualStage } from '../models/visual/visual-stage';

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/** Warm-up situations come from seeds this far past the measured ones, so that none is measured after it was seen. */
const WARMUP_OFFSET = 100_000;

async function main(): Promise<void> {
  const count = Number(argument('situations') ?? 300);
  if (!Number.isInteger(count) || count < 10) throw new Error(`--situations needs an integer of at least 10, got '${argument('situations')}'`);
  const warmup = Number(argument('warmup') ?? 300);
  if (!Number.isInteger(warmup) || warmup < 0) throw new Error(`--warmup needs a non-negative integer, got '${argument('warmup')}'`);
  const [parser, stage] = await Promise.all([ReminderParser.load(argument('language-model')), VisualStage.load(argument('visual-model'), { int16: !process.argv.includes('--float32') })]);
  // Each situation is rendered just before it is measured, not all up front: 300 frames held at
  // once are over 100 MB that every full garbage collection walks, which a node never holds.
  const situationAt = (i: number) => {
    const situation = sampleSituation(EVALUATION_SEED_BASE + 500_000 + i);
    return { situation, text: sayFor(situation, 'test'), camera: tableCamera(situation.camera) };
  };
  const run = (input: ReturnType<typeof situationAt>) => {
    const meaning = parser.parse(input.text).meaning;
    const instances = stage.perceive(input.situation.frame, { camera: input.camera });
    return stage.ground(input.situation.frame, instances, meaning, {
      camera: input.camera,
      viewers: perceivedViewers(instances, input.camera),
      robot: input.situation.robot,
    });
  };
  for (let i = 0; i < warmup; i++) run(situationAt(WARMUP_OFFSET + i));
  const wall: number[] = [];
  const cpu: number[] = [];
  let image = '';
  for (let i = 0; i < count; i++) {
    const next = situationAt(i);
    image = `${next.situation.frame.width}x${next.situation.frame.height}`;
    const startCpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    run(next);
    wall.push(Number(process.hrtime.bigint() - start) / 1e6);
    const used = process.cpuUsage(startCpu);
    cpu.push((used.user + used.system) / 1000);
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const figures = {
    situations: count,
    warmup,
    image,
    backend: stage.runtime.backend,
    perception: stage.perceptionKernels,
    wallMs: { median: percentile(wall, 0.5), p99: percentile(wall, 0.99) },
    cpuMs: { median: percentile(cpu, 0.5), p99: percentile(cpu, 0.99) },
    loadAverage: loadavg()[0],
  };
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(figures)}\n`);
    return;
  }
  process.stdout.write(
    [
      `both stages, image (${figures.image}) and reminder in, attention out; ${count} held-out situations after ${warmup} to warm up, backend ${figures.backend}, perception on ${figures.perception}`,
      `wall  median ${figures.wallMs.median.toFixed(2)} ms   p99 ${figures.wallMs.p99.toFixed(2)} ms   (goal: p99 under 10 ms)`,
      `cpu   median ${figures.cpuMs.median.toFixed(2)} ms   p99 ${figures.cpuMs.p99.toFixed(2)} ms`,
      `load average while measuring: ${figures.loadAverage.toFixed(2)} on 2 cores`,
    ].join('\n') + '\n',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/attention: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
