import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { createEpisode } from '../sim/episode';
import { encodeGif, episodeFrames, renderScenePng, withCaption } from '../sim/playback';
import { drawText, wrapText } from '../sim/font';
import { encodePng, maskToRgb } from '../sim/image';
import { runCli } from '../cli/main';
import type { CliIo } from '../cli/command';

function capture(cwd: string): { io: CliIo; stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    io: { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) }, stdin: process.stdin, env: {}, cwd },
    stdout: () => out,
    stderr: () => err,
  };
}

describe('playback and h2r sim', () => {
  it('renders a scene to a PNG with a caption strip below the 480x360 picture', () => {
    const png = PNG.sync.read(renderScenePng(createEpisode({ scenario: 'kitchen', seed: 3, mistake: 'wrong_region' })));
    assert.equal(png.width, 480);
    assert.ok(png.height > 360 && png.height < 480, `height ${png.height}`);
  });

  it('captures an episode with the truth correction applied and encodes it as a GIF', () => {
    const ep = createEpisode({ scenario: 'tabletop', seed: 2, mistake: 'wrong_pose' });
    const at = ((ep.spec.visibleAt as number) + (ep.spec.pointOfNoReturnAt as number)) / 2;
    const { frames, final } = episodeFrames(ep, { width: 96, height: 72, fps: 4, corrections: [{ at, command: ep.spec.truth.correction! }] });
    assert.equal(final.status, 'succeeded');
    assert.ok(frames.length > 10);
    const gif = Buffer.from(encodeGif(frames, 4));
    assert.equal(gif.subarray(0, 6).toString('latin1'), 'GIF89a');
  });

  it('writes caption text in the strip and wraps long lines at spaces', () => {
    const rgb = new Uint8Array(40 * 10 * 3);
    drawText(rgb, 40, 10, 'A', 0, 0, 1, [255, 0, 0]);
    assert.equal(rgb[(0 * 40 + 1) * 3], 255, 'top of the A');
    assert.equal(rgb[(0 * 40 + 0) * 3], 0);
    assert.deepEqual(wrapText('pours beside the yellow mug onto the table', 16), ['pours beside the', 'yellow mug onto', 'the table']);
    const framed = withCaption(new Uint8Array(32 * 8 * 3), 32, 8, [{ text: 'hi' }]);
    assert.equal(framed.width, 32);
    assert.ok(framed.height > 8);
  });

  it('colours mask values apart and leaves the background black', () => {
    const rgb = maskToRgb(Uint16Array.from([0, 1, 2, 3]));
    assert.deepEqual(Array.from(rgb.subarray(0, 3)), [0, 0, 0]);
    const colours = new Set([1, 2, 3].map((i) => Array.from(rgb.subarray(3 * i, 3 * i + 3)).join(',')));
    assert.equal(colours.size, 3);
    assert.throws(() => encodePng(new Uint8Array(5), 2, 2), /5 bytes is not 2x2 rgb8/);
  });

  it('h2r sim render writes the picture and the coloured mask; play writes a GIF', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'h2r-sim-'));
    try {
      const out = capture(dir);
      assert.equal(await runCli(['sim', 'render', '--scenario', 'factory', '--seed', '3', '--mistake', 'wrong_pose', '--width', '160', '--height', '120', '--out', 'f.png', '--mask', 'm.png'], out.io), 0, out.stderr());
      assert.match(out.stdout(), /f\.png: factory-3-wrong_pose: grips the .* gear off-centre/);
      assert.equal(PNG.sync.read(fs.readFileSync(path.join(dir, 'm.png'))).width, 160);
      const play = capture(dir);
      assert.equal(await runCli(['sim', 'play', '--scenario', 'tabletop', '--seed', '1', '--mistake', 'wrong_object', '--width', '64', '--height', '48', '--fps', '2', '--correct', '--out', 'ep.gif'], play.io), 0, play.stderr());
      assert.match(play.stdout(), /ep\.gif: tabletop-1-wrong_object: succeeded after/);
      assert.equal(fs.readFileSync(path.join(dir, 'ep.gif')).subarray(0, 6).toString('latin1'), 'GIF89a');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('h2r sim refuses a missing --out and an unknown verb with exit code 2', async () => {
    const a = capture(os.tmpdir());
    assert.equal(await runCli(['sim', 'render'], a.io), 2);
    assert.match(a.stderr(), /--out FILE is needed/);
    const b = capture(os.tmpdir());
    assert.equal(await runCli(['sim', 'show', '--out', 'x.png'], b.io), 2);
    assert.match(b.stderr(), /expected 'render' or 'play', got 'show'/);
  });
});
