/**
 * Simulator benchmark: time to render one camera frame (RGB and instance mask) at the network and
 * playback sizes, and uncorrected episodes per second run headless (scene drawn, mistake
 * injected, stepped to its outcome).
 *
 *   node dist/bench/sim.js          a table
 *   node dist/bench/sim.js --json   one JSON object
 *
 * Wall time is what a caller waits; CPU time (process.cpuUsage) is less disturbed when other
 * processes share the cores, so both are given. Seeds are fixed: the same work every run.
 */
import { cpus } from 'node:os';
import { createEpisode, runEpisode, stepEpisode } from '../sim/episode';
import { makeCamera } from '../sim/camera';
import { renderFrame } from '../sim/render';
import { MISTAKE_TYPES, SCENARIOS, type Scenario } from '../sim/types';
import type { EpisodeState } from '../sim/state';

interface Timing {
  readonly medianMs: number;
  readonly p90Ms: number;
  readonly cpuMs: number;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
}

function timeIt(n: number, f: (i: number) => void): Timing {
  for (let i = 0; i < Math.min(50, n); i++) f(i);
  const times = new Float64Array(n);
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    f(i);
    times[i] = performance.now() - t0;
  }
  const cpu = cpuMs(cpu0) / n;
  times.sort();
  return { medianMs: times[Math.floor(n / 2)]!, p90Ms: times[Math.floor(n * 0.9)]!, cpuMs: cpu };
}

/** States spread over a whole episode, so frames show the arm in many poses. */
function statesOf(scenario: Scenario): { scene: ReturnType<typeof createEpisode>['spec']['scene']; states: EpisodeState[] } {
  const ep = createEpisode({ scenario, seed: 7, mistake: 'none' });
  const states: EpisodeState[] = [];
  let s = ep.state;
  for (let i = 0; i < 300 && s.status === 'running'; i++) {
    s = stepEpisode(ep.spec, s);
    if (i % 3 === 0) states.push(s);
  }
  return { scene: ep.spec.scene, states };
}

function renderTimings(): Record<string, Record<string, Timing>> {
  const out: Record<string, Record<string, Timing>> = {};
  for (const [w, h, n] of [[96, 96, 2000], [160, 120, 1500], [480, 360, 200]] as const) {
    const camera = makeCamera({ width: w, height: h });
    const row: Record<string, Timing> = {};
    for (const scenario of SCENARIOS) {
      const { scene, states } = statesOf(scenario);
      row[scenario] = timeIt(n, (i) => renderFrame(scene, states[i % states.length]!, camera));
    }
    out[`${w}x${h}`] = row;
  }
  return out;
}

interface EpisodeFigures {
  readonly episodes: number;
  readonly perSecond: number;
  readonly perCpuSecond: number;
  readonly stepsPerEpisode: number;
  readonly microsecondsPerStep: number;
}

function episodeThroughput(scenario: Scenario | 'all', count: number): EpisodeFigures {
  const scenarios = scenario === 'all' ? SCENARIOS : [scenario];
  const run = (seed: number): number => {
    const ep = createEpisode({ scenario: scenarios[seed % scenarios.length]!, seed, mistake: MISTAKE_TYPES[seed % MISTAKE_TYPES.length]! });
    return runEpisode(ep).state.tick;
  };
  for (let i = 0; i < 60; i++) run(100000 + i);
  let steps = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let seed = 0; seed < count; seed++) steps += run(seed);
  const wall = performance.now() - t0;
  const cpu = cpuMs(cpu0);
  return {
    episodes: count,
    perSecond: (count / wall) * 1000,
    perCpuSecond: (count / cpu) * 1000,
    stepsPerEpisode: steps / count,
    microsecondsPerStep: (wall * 1000) / steps,
  };
}

function main(): void {
  const render = renderTimings();
  const episodes: Record<string, EpisodeFigures> = {};
  for (const s of [...SCENARIOS, 'all'] as const) episodes[s] = episodeThroughput(s, 600);
  const results = { node: process.version, cpus: cpus().length, render, episodes };
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(results)}\n`);
    return;
  }
  const lines = [`simulator, Node ${results.node}, ${results.cpus} CPUs`, '', 'render one frame (RGB + instance mask), ms: median / p90 / cpu'];
  lines.push(`${'size'.padEnd(10)}${SCENARIOS.map((s) => s.padStart(24)).join('')}`);
  for (const [size, row] of Object.entries(render)) {
    lines.push(`${size.padEnd(10)}${SCENARIOS.map((s) => {
      const t = row[s]!;
      return `${t.medianMs.toFixed(3)} / ${t.p90Ms.toFixed(3)} / ${t.cpuMs.toFixed(3)}`.padStart(24);
    }).join('')}`);
  }
  lines.push('', 'uncorrected episodes, headless (mistakes none..wrong_relation in turn)');
  lines.push(`${'scenario'.padEnd(10)}${'episodes/s'.padStart(12)}${'per cpu-s'.padStart(12)}${'steps/ep'.padStart(10)}${'us/step'.padStart(10)}`);
  for (const [name, f] of Object.entries(episodes)) {
    lines.push(`${name.padEnd(10)}${f.perSecond.toFixed(0).padStart(12)}${f.perCpuSecond.toFixed(0).padStart(12)}${f.stepsPerEpisode.toFixed(0).padStart(10)}${f.microsecondsPerStep.toFixed(1).padStart(10)}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main();
