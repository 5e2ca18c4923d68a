import * as fs from 'fs';
import * as path from 'path';
import { UsageError, type Command, type ParsedArguments } from '../command';
import { integerValue } from '../option-values';
import { createEpisode, type Episode, type TimedCorrection } from '../../sim/episode';
import { makeCamera } from '../../sim/camera';
import { renderFrame } from '../../sim/render';
import { encodePng, maskToRgb } from '../../sim/image';
import { renderScenePng, writeEpisodeGif, writeEpisodePngs } from '../../sim/playback';
import { parseScene } from '../../sim/scene-format';
import { MISTAKE_CHOICES } from '../../sim/start-request';
import { SCENARIOS, type MistakeType, type Scenario } from '../../sim/types';

function episodeFrom(args: ParsedArguments, cwd: string): Episode {
  const seed = integerValue(args, 'seed', 'sim', 0, 0, 2147483647);
  const mistake = (args.options['mistake'] ?? 'none') as MistakeType | 'random';
  const sceneFile = args.options['scene'];
  if (typeof sceneFile === 'string') {
    const file = path.resolve(cwd, sceneFile);
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`cannot read scene ${file}: ${(error as Error).message}`);
    }
    let scene;
    try {
      scene = parseScene(json);
    } catch (error) {
      throw new Error(`${file}: ${(error as Error).message}`);
    }
    return createEpisode({ seed, mistake, scene });
  }
  const scenario = (args.options['scenario'] ?? 'kitchen') as Scenario;
  return createEpisode({ scenario, seed, mistake });
}

/** The truth's own correction in the middle of the window between visible and no return. */
function truthCorrection(episode: Episode): TimedCorrection[] {
  const { truth, visibleAt, pointOfNoReturnAt } = episode.spec;
  if (!truth.correction || visibleAt === null || pointOfNoReturnAt === null) return [];
  return [{ at: (visibleAt + pointOfNoReturnAt) / 2, command: truth.correction }];
}

export const command: Command = {
  name: 'sim',
  summary: 'Look at the built-in simulator: render a scene to PNG, play an episode to GIF',
  usage: 'h2r sim render|play [--scenario S] [--seed N] [--mistake T] [--scene FILE] [--width W --height H] --out FILE',
  details: [
    'render writes the episode\'s first moment with a caption (and --mask FILE the instance mask in colours).',
    'play runs the episode to its end: --out ep.gif writes an animated GIF, any other --out a directory',
    'of frame_NNNN.png. --correct applies the truth\'s correction halfway between the moment the',
    'mistake shows and its point of no return. --scene FILE uses a SCENE JSON file instead of a',
    'generated scene (the task and mistake are then drawn from the seed).',
  ],
  options: [
    { name: 'scenario', value: 'SCENARIO', choices: SCENARIOS, description: 'kitchen, factory or tabletop (default kitchen)' },
    { name: 'seed', value: 'N', description: 'episode seed (default 0)' },
    { name: 'mistake', value: 'TYPE', choices: MISTAKE_CHOICES, description: 'mistake to inject (default none)' },
    { name: 'scene', value: 'FILE', description: 'SCENE JSON file to build the episode from' },
    { name: 'width', value: 'W', description: 'image width in pixels (default 480)' },
    { name: 'height', value: 'H', description: 'image height in pixels (default 360)' },
    { name: 'fps', value: 'N', description: 'frames per second of sim time for play (default 10)' },
    { name: 'correct', description: 'play: apply the truth\'s correction in the middle of the window' },
    { name: 'mask', value: 'FILE', description: 'render: also write the instance mask in colours' },
    { name: 'out', value: 'FILE', description: 'where to write (PNG for render; .gif or a directory for play)' },
  ],
  acceptsRosArguments: false,

  async run({ args, io }) {
    const [verb, ...extra] = args.positionals;
    if (verb !== 'render' && verb !== 'play') throw new UsageError(`expected 'render' or 'play', got ${verb === undefined ? 'nothing' : `'${verb}'`}`, 'sim');
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0] as string}'`, 'sim');
    const out = args.options['out'];
    if (typeof out !== 'string') throw new UsageError('--out FILE is needed', 'sim');
    const width = integerValue(args, 'width', 'sim', 480, 8, 4096);
    const height = integerValue(args, 'height', 'sim', 360, 8, 4096);
    const episode = episodeFrom(args, io.cwd);
    const target = path.resolve(io.cwd, out);
    const camera = makeCamera({ width, height });
    if (verb === 'render') {
      fs.writeFileSync(target, renderScenePng(episode, { camera }));
      const mask = args.options['mask'];
      if (typeof mask === 'string') {
        const frame = renderFrame(episode.spec.scene, episode.state, camera);
        fs.writeFileSync(path.resolve(io.cwd, mask), encodePng(maskToRgb(frame.mask), width, height));
      }
      io.stdout.write(`${target}: ${episode.spec.id}: ${episode.spec.truth.description}\n`);
      return 0;
    }
    const fps = integerValue(args, 'fps', 'sim', 10, 1, 60);
    const corrections = args.options['correct'] === true ? truthCorrection(episode) : [];
    const options = { camera, fps, corrections };
    const final = target.toLowerCase().endsWith('.gif') ? writeEpisodeGif(target, episode, options) : writeEpisodePngs(target, episode, options);
    const outcome = final.status === 'failed' ? `failed (${final.failure})` : final.status;
    io.stdout.write(`${target}: ${episode.spec.id}: ${outcome} after ${final.t.toFixed(2)} s\n`);
    return 0;
  },
};
