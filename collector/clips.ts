/**
 * The clips volunteers watch: episodes of the built-in simulator with an injected mistake, played
 * from the start to shortly before the point of no return, as an animated GIF (played once) and a
 * still of the last frame to click on. Rendered once into the clip directory beside the database
 * and reused; a clip's id is a hash, so neither its name nor its files give the mistake away.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { makeCamera, unprojectToTable, type CameraModel } from '../sim/camera';
import { createEpisode, type Episode } from '../sim/episode';
import { encodePng } from '../sim/image';
import { encodeGif, episodeFrames } from '../sim/playback';
import type { CollectorSettings } from './settings';
import { writeFileDurably } from './files';
import type { ClipRecord, ReminderStore } from './store';

export const CLIP_WIDTH = 480;
export const CLIP_HEIGHT = 360;
/** Bump when the rendering of clips changes, so cached files are not reused. */
const RENDER_VERSION = 1;
/** How long before the point of no return a clip stops, seconds. */
const STOP_BEFORE_NO_RETURN = 0.5;
/** A clip shows at least this share of the window between the mistake showing and no return. */
const MIN_WINDOW_SHARE = 0.6;

/** What the page is told about a clip: nothing of its scenario, mistake or truth. */
export interface PublicClip {
  readonly id: string;
  readonly width: number;
  readonly height: number;
  readonly frameCount: number;
  readonly durationMs: number;
}

/** Sim time of a clip's last frame: shortly before no return, but well after the mistake shows. */
export function clipEndTime(visibleAt: number, pointOfNoReturnAt: number): number {
  const window = pointOfNoReturnAt - visibleAt;
  return Math.max(visibleAt + MIN_WINDOW_SHARE * window, pointOfNoReturnAt - STOP_BEFORE_NO_RETURN);
}

export function clipIdOf(episodeId: string, endTime: number, fps: number): string {
  const digest = createHash('sha256').update(`${episodeId}|${endTime.toFixed(3)}|${fps}|${CLIP_WIDTH}x${CLIP_HEIGHT}|v${RENDER_VERSION}`).digest('hex');
  return `c${digest.slice(0, 12)}`;
}

/** GIF (played once) and PNG still of an episode from its start up to `endTime`. */
export function renderClip(episode: Episode, endTime: number, fps: number, camera: CameraModel): { gif: Uint8Array; still: Buffer; frameCount: number } {
  const { frames } = episodeFrames(episode, { camera, fps, maxSeconds: endTime, caption: false, holdLastSeconds: 0 });
  const last = frames[frames.length - 1];
  if (!last) throw new Error(`clip of ${episode.spec.id} has no frames`);
  return { gif: encodeGif(frames, fps, -1), still: encodePng(last.rgb, last.width, last.height), frameCount: frames.length };
}

function recordOf(episode: Episode, endTime: number, fps: number, frameCount: number, camera: CameraModel): ClipRecord {
  const { spec } = episode;
  return {
    id: clipIdOf(spec.id, endTime, fps),
    scenario: spec.scenario,
    seed: spec.seed,
    mistake: spec.mistake,
    truth: {
      episode: spec.id,
      mistake: spec.truth,
      visibleAt: spec.visibleAt,
      pointOfNoReturnAt: spec.pointOfNoReturnAt,
      task: spec.task,
      objects: spec.scene.objects,
      camera: { width: camera.width, height: camera.height, fovYDeg: camera.fovYDeg, position: camera.position, forward: camera.forward },
    },
    width: camera.width,
    height: camera.height,
    fps,
    frameCount,
    endTime,
  };
}

export type ClipProgress = (done: number, total: number, note: string) => void;

export class ClipLibrary {
  readonly camera: CameraModel = makeCamera({ width: CLIP_WIDTH, height: CLIP_HEIGHT });
  readonly #clips = new Map<string, PublicClip>();
  readonly #media = new Map<string, Buffer>();
  readonly #directory: string;

  private constructor(directory: string) {
    this.#directory = directory;
  }

  /**
   * Draws the plan's episodes (scenarios x mistakes x seeds), renders the clips not yet in the
   * clip directory and records every clip in the database. A combination the simulator cannot
   * inject is skipped and reported through `progress`.
   */
  static prepare(settings: CollectorSettings, store: ReminderStore, progress: ClipProgress = () => undefined): ClipLibrary {
    const library = new ClipLibrary(store.clipDirectory);
    const plan = settings.scenarios.flatMap((scenario) =>
      settings.mistakes.flatMap((mistake) => Array.from({ length: settings.seeds }, (_, i) => ({ scenario, mistake, seed: settings.firstSeed + i }))),
    );
    plan.forEach(({ scenario, mistake, seed }, index) => {
      let episode: Episode;
      try {
        episode = createEpisode({ scenario, seed, mistake });
      } catch (error) {
        progress(index + 1, plan.length, `skipped ${scenario} ${mistake} seed ${seed}: ${(error as Error).message}`);
        return;
      }
      const { visibleAt, pointOfNoReturnAt } = episode.spec;
      if (visibleAt === null || pointOfNoReturnAt === null) return;
      const endTime = clipEndTime(visibleAt, pointOfNoReturnAt);
      const id = clipIdOf(episode.spec.id, endTime, settings.fps);
      let record = store.clip(id);
      if (!record || !fs.existsSync(library.#file(id, 'gif')) || !fs.existsSync(library.#file(id, 'png'))) {
        const clip = renderClip(episode, endTime, settings.fps, library.camera);
        writeFileDurably(library.#file(id, 'gif'), clip.gif);
        writeFileDurably(library.#file(id, 'png'), clip.still);
        record = recordOf(episode, endTime, settings.fps, clip.frameCount, library.camera);
        store.putClip(record);
        progress(index + 1, plan.length, `rendered clip ${index + 1}/${plan.length}`);
      } else {
        progress(index + 1, plan.length, `clip ${index + 1}/${plan.length} already rendered`);
      }
      library.#clips.set(id, {
        id,
        width: record.width,
        height: record.height,
        frameCount: record.frameCount,
        durationMs: Math.round((record.frameCount * 1000) / record.fps),
      });
    });
    if (library.#clips.size === 0) throw new Error('the clip plan is empty: no scenario, mistake and seed gave an episode with a mistake');
    return library;
  }

  #file(id: string, kind: 'gif' | 'png'): string {
    return path.join(this.#directory, `${id}.${kind}`);
  }

  /** Clip ids in plan order. */
  ids(): string[] {
    return [...this.#clips.keys()];
  }

  info(id: string): PublicClip | undefined {
    return this.#clips.get(id);
  }

  /** The GIF or still of a clip of this library; undefined for any other id. */
  media(id: string, kind: 'gif' | 'png'): Buffer | undefined {
    if (!this.#clips.has(id)) return undefined;
    const key = `${id}.${kind}`;
    let bytes = this.#media.get(key);
    if (!bytes) {
      bytes = fs.readFileSync(this.#file(id, kind));
      this.#media.set(key, bytes);
    }
    return bytes;
  }

  /** Where on the table top a pixel of the clip looks, or null above the horizon. */
  worldPoint(u: number, v: number): { x: number; y: number } | null {
    const p = unprojectToTable(this.camera, u, v);
    return p ? { x: p.x, y: p.y } : null;
  }
}
