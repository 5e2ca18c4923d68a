/**
 * Looking at the simulator: one scene as a PNG, an episode as an animated GIF or a PNG sequence,
 * each frame with a caption strip (time, action, what is wrong, the latest event).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GIFEncoder, applyPalette, quantize } from 'gifenc';
import { makeCamera, type CameraModel } from './camera';
import { renderFrame } from './render';
import { encodePng } from './image';
import { drawText, GLYPH_HEIGHT, GLYPH_WIDTH, wrapText } from './font';
import { finish, stepEpisode, type Episode, type TimedCorrection } from './episode';
import { applyCorrection } from './corrections';
import { isFinished, type EpisodeEventRecord, type EpisodeState } from './state';

export interface PlaybackOptions {
  /** Image size without the caption strip (default 480x360). */
  readonly width?: number;
  readonly height?: number;
  /** Frames per second of sim time (default 10). */
  readonly fps?: number;
  /** Corrections to apply on the way. */
  readonly corrections?: readonly TimedCorrection[];
  /** Stop after this much sim time even if the episode has not ended (default: its maxTime). */
  readonly maxSeconds?: number;
  readonly camera?: CameraModel;
  /** Draw the caption strip (time, action, what is wrong) below each frame (default true). */
  readonly caption?: boolean;
  /** How long the last picture is held so the outcome can be read, seconds (default 1). */
  readonly holdLastSeconds?: number;
}

export interface CaptionedFrame {
  readonly time: number;
  readonly width: number;
  /** Height including the caption strip. */
  readonly height: number;
  readonly rgb: Uint8Array;
}

const CAPTION_LINES = 5;
const WHITE: readonly [number, number, number] = [245, 245, 245];
const AMBER: readonly [number, number, number] = [255, 196, 64];
const RED: readonly [number, number, number] = [255, 110, 100];
const GREEN: readonly [number, number, number] = [120, 230, 120];

function eventColour(e: EpisodeEventRecord | undefined): readonly [number, number, number] {
  if (!e) return WHITE;
  if (e.event === 'failed' || e.event === 'point_of_no_return') return RED;
  if (e.event === 'succeeded') return GREEN;
  return AMBER;
}

/** Appends a caption strip below an rgb8 image. */
export function withCaption(rgb: Uint8Array, width: number, height: number, lines: readonly { text: string; colour?: readonly [number, number, number] }[]): CaptionedFrame {
  const scale = width >= 320 ? 2 : 1;
  const lineHeight = (GLYPH_HEIGHT + 3) * scale;
  const strip = CAPTION_LINES * lineHeight + 4 * scale;
  const out = new Uint8Array(width * (height + strip) * 3);
  out.set(rgb);
  out.fill(24, rgb.length);
  const columns = Math.max(8, Math.floor((width - 4 * scale) / ((GLYPH_WIDTH + 1) * scale)));
  let row = 0;
  for (const line of lines) {
    for (const text of wrapText(line.text, columns)) {
      if (row >= CAPTION_LINES) break;
      drawText(out, width, height + strip, text, 2 * scale, height + 2 * scale + row * lineHeight, scale, line.colour ?? WHITE);
      row += 1;
    }
  }
  return { time: 0, width, height: height + strip, rgb: out };
}

function captionFor(episode: Episode, state: EpisodeState): { text: string; colour?: readonly [number, number, number] }[] {
  const { spec } = episode;
  const step = state.plan[state.stepIndex];
  const action = isFinished(state) ? 'done' : step ? `${step.action}${step.target ? ` ${step.target}` : ''}` : 'idle';
  const last = [...state.events].reverse().find((e) => e.event !== 'started');
  const what = spec.mistake === 'none' ? `normal: ${spec.truth.description}` : `${spec.mistake}: ${spec.truth.description}`;
  return [
    { text: `t=${state.t.toFixed(2)}s ${spec.scenario} seed ${spec.seed} ${action} ${state.status}` },
    { text: what, colour: spec.mistake === 'none' ? WHITE : AMBER },
    { text: last ? `${last.event.replace(/_/g, ' ')} ${last.t.toFixed(2)}s ${last.failure ?? ''} ${last.event === 'correction_applied' ? last.detail : ''}` : '', colour: eventColour(last) },
  ];
}

function cameraFor(episode: Episode, options: PlaybackOptions): CameraModel {
  return options.camera ?? makeCamera({ width: options.width ?? 480, height: options.height ?? 360 });
}

/** The episode's first moment with a caption, as PNG bytes. */
export function renderScenePng(episode: Episode, options: PlaybackOptions = {}): Buffer {
  const camera = cameraFor(episode, options);
  const frame = renderFrame(episode.spec.scene, episode.state, camera);
  const captioned = withCaption(frame.rgb, camera.width, camera.height, captionFor(episode, episode.state));
  return encodePng(captioned.rgb, captioned.width, captioned.height);
}

/** Runs an episode (with the given corrections) and captures captioned frames at `fps`. */
export function episodeFrames(episode: Episode, options: PlaybackOptions = {}): { frames: CaptionedFrame[]; final: EpisodeState } {
  const camera = cameraFor(episode, options);
  const fps = options.fps ?? 10;
  const { spec } = episode;
  const until = Math.min(options.maxSeconds ?? spec.maxTime, spec.maxTime);
  const pending = (options.corrections ?? []).slice().sort((a, b) => a.at - b.at);
  const frames: CaptionedFrame[] = [];
  let state = episode.state;
  let nextFrame = 0;
  const captioned = options.caption ?? true;
  const capture = (s: EpisodeState): void => {
    const f = renderFrame(spec.scene, s, camera);
    if (captioned) frames.push({ ...withCaption(f.rgb, camera.width, camera.height, captionFor(episode, s)), time: s.t });
    else frames.push({ time: s.t, width: f.width, height: f.height, rgb: f.rgb });
  };
  while (!isFinished(state) && state.t < until) {
    while (pending.length > 0 && pending[0]!.at <= state.t + 1e-9) state = applyCorrection(spec, state, pending.shift()!.command).state;
    if (state.t + 1e-9 >= nextFrame) {
      capture(state);
      nextFrame += 1 / fps;
    }
    state = stepEpisode(spec, state);
  }
  state = finish(state);
  const held = Math.round(fps * (options.holdLastSeconds ?? 1));
  for (let i = 0; i < held; i++) capture(state);
  return { frames, final: state };
}

/**
 * GIF bytes of captioned frames (one palette for all, taken from a few of them). `repeat` is
 * gifenc's: 0 loops forever (the default), -1 plays once and stays on the last frame.
 */
export function encodeGif(frames: readonly CaptionedFrame[], fps: number, repeat = 0): Uint8Array {
  if (frames.length === 0) throw new Error('encodeGif: no frames');
  const { width, height } = frames[0]!;
  const rgba = (f: CaptionedFrame): Uint8Array => {
    const out = new Uint8Array(width * height * 4);
    for (let i = 0, j = 0; i < f.rgb.length; i += 3, j += 4) {
      out[j] = f.rgb[i]!;
      out[j + 1] = f.rgb[i + 1]!;
      out[j + 2] = f.rgb[i + 2]!;
      out[j + 3] = 255;
    }
    return out;
  };
  const samples = [0, 0.25, 0.5, 0.75, 1].map((k) => frames[Math.round(k * (frames.length - 1))]!);
  const sample = new Uint8Array(samples.length * width * height * 4);
  samples.forEach((f, i) => sample.set(rgba(f), i * width * height * 4));
  const palette = quantize(sample, 256);
  const gif = GIFEncoder();
  for (const f of frames) gif.writeFrame(applyPalette(rgba(f), palette), width, height, { palette, delay: Math.round(1000 / fps), repeat });
  gif.finish();
  return gif.bytes();
}

/** Plays an episode into an animated GIF file; returns the final state. */
export function writeEpisodeGif(path: string, episode: Episode, options: PlaybackOptions = {}): EpisodeState {
  const { frames, final } = episodeFrames(episode, options);
  writeFileSync(path, encodeGif(frames, options.fps ?? 10));
  return final;
}

/** Plays an episode into frame_0000.png, frame_0001.png, ... in a directory; returns the final state. */
export function writeEpisodePngs(directory: string, episode: Episode, options: PlaybackOptions = {}): EpisodeState {
  const { frames, final } = episodeFrames(episode, options);
  mkdirSync(directory, { recursive: true });
  frames.forEach((f, i) => writeFileSync(join(directory, `frame_${String(i).padStart(4, '0')}.png`), encodePng(f.rgb, f.width, f.height)));
  return final;
}
