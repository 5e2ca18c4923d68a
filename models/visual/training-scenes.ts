/**
 * Scenes and frames the visual stage trains on: the simulator's own scenarios caught at random
 * moments of their episodes (the arm anywhere, cups filling, gears moving), and dense clusters of
 * touching blocks, which the scenarios' tidy layouts never make but people's tabletops do.
 */
import type { CameraModel } from '../../sim/camera';
import { createEpisode, stepEpisode } from '../../sim/episode';
import { makeObject } from '../../sim/layout';
import { ALL_COLOURS } from '../../sim/scenarios/common';
import { renderFrame, type Frame } from '../../sim/render';
import { Rng } from '../../sim/rng';
import type { EpisodeState } from '../../sim/state';
import type { Colour, Scenario, SceneObject } from '../../sim/types';
import { DEFAULT_LIGHTING, type Scene } from '../../sim/world';
import { randomLighting } from '../../sim/layout';
import { robotCamera } from './camera-preset';

export type SceneSource = Scenario | 'dense_blocks';

export interface TrainingFrame {
  readonly source: SceneSource;
  readonly scene: Scene;
  readonly state: EpisodeState | null;
  readonly frame: Frame;
  readonly camera: CameraModel;
}

/** Share of each source in a training mix. */
export const FRAME_MIX: Readonly<Record<SceneSource, number>> = {
  kitchen: 0.3,
  factory: 0.25,
  tabletop: 0.2,
  dense_blocks: 0.25,
};

/**
 * A frame is caught within this many 50 ms steps of its episode's start: the whole of a kitchen
 * episode, whose cup is put down in front of the pitcher 10 to 16 s in (the factory and tabletop
 * are over in 8 s). The committed cell network was trained when the kitchen too stopped at 8 s.
 */
const EPISODE_STEPS: Readonly<Record<Scenario, number>> = { kitchen: 320, factory: 160, tabletop: 160 };

function pickSource(rng: Rng): SceneSource {
  let r = rng.float();
  for (const [source, share] of Object.entries(FRAME_MIX) as [SceneSource, number][]) {
    if (r < share) return source;
    r -= share;
  }
  return 'dense_blocks';
}

/**
 * 6..18 blocks of 2..5 colours in one or two clusters; blocks may touch but not overlap.
 * Block ids are `block_<n>`.
 */
export function denseBlockScene(rng: Rng): Scene {
  const count = rng.int(6, 18);
  const palette = rng.shuffle(ALL_COLOURS).slice(0, rng.int(2, 5)) as Colour[];
  const clusters = Array.from({ length: rng.int(1, 2) }, () => ({ x: rng.range(-0.1, 0.25), y: rng.range(-0.3, 0.3), r: rng.range(0.08, 0.22) }));
  const objects: SceneObject[] = [];
  for (let attempt = 0; objects.length < count && attempt < count * 60; attempt++) {
    const cluster = rng.pick(clusters);
    const angle = rng.range(0, 2 * Math.PI);
    const radius = cluster.r * Math.sqrt(rng.float());
    const x = cluster.x + radius * Math.cos(angle);
    const y = cluster.y + radius * Math.sin(angle);
    const block = makeObject({ id: `block_${objects.length + 1}`, kind: 'block', colour: rng.pick(palette), state: 'none', t: rng.float(), x, y, yaw: rng.range(-0.8, 0.8) });
    const reach = 0.5 * Math.hypot(block.size[0], block.size[1]);
    if (Math.abs(x) > 0.4 || Math.abs(y) > 0.55) continue;
    // Touching is fine; overlapping footprints are not (inscribed circles must not intersect).
    if (objects.some((o) => Math.hypot(o.position.x - x, o.position.y - y) < 0.5 * (o.size[0] + block.size[0]) * 1.02)) continue;
    if (reach > 0.1) continue;
    objects.push(block);
  }
  return {
    scenario: 'tabletop',
    objects,
    person: { position: { x: 0.65, y: rng.range(-0.1, 0.1), z: 0 } },
    robot: { action: 'idle', target: null, heldObject: null },
    lighting: rng.chance(0.9) ? randomLighting(rng) : DEFAULT_LIGHTING,
    conveyor: null,
    task: null,
  };
}

/** An episode of the scenario; seeds whose scene admits no task are passed over. */
function drawEpisode(scenario: Scenario, rng: Rng): ReturnType<typeof createEpisode> {
  for (let attempt = 0; ; attempt++) {
    try {
      return createEpisode({ scenario, seed: rng.int(0, 2 ** 31 - 1), mistake: 'random' });
    } catch (error) {
      if (attempt >= 20) throw error;
    }
  }
}

/** One training frame, fully determined by `seed`. */
export function sampleTrainingFrame(seed: number, jitter = 0.03): TrainingFrame {
  const rng = new Rng(seed);
  const source = pickSource(rng);
  const camera = robotCamera(undefined, jitter, seed);
  if (source === 'dense_blocks') {
    const scene = denseBlockScene(rng);
    return { source, scene, state: null, frame: renderFrame(scene, null, camera), camera };
  }
  const episode = drawEpisode(source, rng);
  let state = episode.state;
  const steps = rng.int(0, EPISODE_STEPS[source]);
  for (let i = 0; i < steps; i++) state = stepEpisode(episode.spec, state);
  return { source, scene: episode.spec.scene, state, frame: renderFrame(episode.spec.scene, state, camera), camera };
}
