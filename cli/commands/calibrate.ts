/**
 * `h2r calibrate`: measures the activation ranges that let the perception networks of a visual
 * model directory run on the int16 kernels, and writes them beside the weights. `h2r train visual`
 * does this itself; this is for a directory trained before, or to calibrate on more frames.
 */
import * as path from 'path';
import { UsageError, type Command } from '../command';
import { integerValue, pathValue } from '../option-values';
import { ProgressBar } from '../progress';
import { initRuntime, tf } from '../../models/runtime';
import { hiddenLayers } from '../../models/visual/int16-cells';
import { calibratePerception, DEFAULT_CALIBRATION_FRAMES, INT16_RANGES_FILE, writeRanges } from '../../models/visual/int16-calibration';
import { DEFAULT_VISUAL_MODEL_DIR, loadPerception } from '../../models/visual/visual-stage';

export const command: Command = {
  name: 'calibrate',
  summary: 'Measure the activation ranges that run a visual model\'s perception networks on int16 kernels',
  usage: 'h2r calibrate [--visual-model DIR] [--frames N] [--seed N]',
  details: [
    'Runs the float networks on training frames (seeds SEED*1e6+1..) and writes',
    `DIR/cells/${INT16_RANGES_FILE} and DIR/objects/${INT16_RANGES_FILE}. Delete them to run the float networks.`,
  ],
  options: [
    { name: 'visual-model', value: 'DIR', description: 'visual model directory (default the committed models/visual)' },
    { name: 'frames', value: 'N', description: `training frames to measure on (default ${DEFAULT_CALIBRATION_FRAMES})` },
    { name: 'seed', value: 'N', description: 'the training seed whose frames are used (default 1)' },
  ],
  acceptsRosArguments: false,

  async run({ args, io }) {
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}'`, 'calibrate');
    const dir = pathValue(args, 'visual-model', 'calibrate', io.cwd) ?? DEFAULT_VISUAL_MODEL_DIR;
    const frames = integerValue(args, 'frames', 'calibrate', DEFAULT_CALIBRATION_FRAMES, 1);
    const seed = integerValue(args, 'seed', 'calibrate', 1, 0);
    await initRuntime();
    const perception = await loadPerception(dir, { int16: false });
    if (!hiddenLayers(perception.cells)) throw new Error(`the cell network in ${path.join(dir, 'cells')} has layers the int16 kernels do not run (separable ones); it runs on tfjs`);
    const bar = new ProgressBar({ label: 'calibrating', total: frames, stream: io.stderr });
    const ranges = calibratePerception(tf, perception, seed, frames, (done) => bar.update(done));
    bar.finish();
    writeRanges(dir, ranges);
    io.stdout.write(`activation ranges of ${ranges.frames} written to ${path.join(dir, 'cells', INT16_RANGES_FILE)} and ${path.join(dir, 'objects', INT16_RANGES_FILE)}\n`);
    return 0;
  },
};
