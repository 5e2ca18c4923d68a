/**
 * The activation ranges the int16 perception networks need (int16-cells.ts, int16-objects.ts),
 * measured by running the float networks on training frames, and their files beside the weights:
 *
 *   models/visual/cells/int16-ranges.json     {"frames": "...", "weights": sha256 of weights.bin, "ranges": {layer: largest ReLU output}}
 *   models/visual/objects/int16-ranges.json
 *
 * `h2r train visual` writes them; `h2r calibrate` writes them for a model directory that has none.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type * as tfType from '@tensorflow/tfjs';
import { cellInput, perceiveCells, type PerceptionModels } from './perception';
import { tableCamera } from './camera-preset';
import { extractRegions } from './instances';
import { hiddenLayers, type ActivationRanges } from './int16-cells';
import { OBJECT_CONVOLUTIONS } from './int16-objects';
import { regionCrops } from './object-classes';
import { OBJECT_CROP } from './perception-model';
import { sampleTrainingFrame } from './training-scenes';

export const INT16_RANGES_FILE = 'int16-ranges.json';
export const DEFAULT_CALIBRATION_FRAMES = 64;
const SILENT_RANGE = 1e-6;

export interface PerceptionRanges {
  readonly cells: Record<string, number>;
  readonly objects: Record<string, number>;
  /** Which frames they were measured on. */
  readonly frames: string;
}

/** Running maxima of named layer outputs of `model`. */
function rangeProbe(tf: typeof tfType, model: tfType.LayersModel, names: readonly string[]) {
  // Output 0: the layer as trained (the folded inference model reuses the cell network's layers).
  const probe = tf.model({ inputs: model.inputs, outputs: names.map((name) => model.getLayer(name).getOutputAt(0) as tfType.SymbolicTensor) });
  const ranges: Record<string, number> = Object.fromEntries(names.map((name) => [name, 0]));
  return {
    ranges,
    observe(input: () => tfType.Tensor | tfType.Tensor[]): void {
      const largest = tf.tidy(() => [probe.predict(input())].flat().map((output) => output.max().dataSync()[0]));
      names.forEach((name, i) => (ranges[name] = Math.max(ranges[name], largest[i])));
    },
  };
}

/**
 * The largest output of every hidden layer of both perception networks over training frames
 * seed*1e6+1..+count: the cell network on the frames, the classifier on the crops of the regions
 * the cell network finds in them (what it sees when running).
 */
export function calibratePerception(tf: typeof tfType, perception: PerceptionModels, seed: number, count = DEFAULT_CALIBRATION_FRAMES, onFrame?: (done: number) => void): PerceptionRanges {
  const network = hiddenLayers(perception.cells);
  if (!network) throw new Error('the cell network has layers the int16 kernels do not run (only plain convolutions with ReLU)');
  const cells = rangeProbe(tf, perception.cells, [...network.fine, ...network.coarse].map((layer) => layer.name));
  const objects = rangeProbe(tf, perception.objects, OBJECT_CONVOLUTIONS);
  const floatCells = perception.runCells ?? perception.cells;
  for (let i = 1; i <= count; i++) {
    const sample = sampleTrainingFrame(seed * 1_000_000 + i);
    cells.observe(() => cellInput(tf, sample.frame));
    const regions = extractRegions(perceiveCells(tf, floatCells, sample.frame)).filter((region) => !region.person);
    const batch = regionCrops(sample.frame, regions, tableCamera(sample.camera));
    if (batch.count > 0) {
      objects.observe(() => [tf.tensor4d(batch.crops, [batch.count, OBJECT_CROP, OBJECT_CROP, 3]), tf.tensor2d(batch.scales, [batch.count, 1])]);
    }
    onFrame?.(i);
  }
  // A layer silent on every frame still needs a positive range (any will do: its outputs are zero).
  const positive = (ranges: Record<string, number>) => Object.fromEntries(Object.entries(ranges).map(([name, range]) => [name, Math.max(range, SILENT_RANGE)]));
  return { cells: positive(cells.ranges), objects: positive(objects.ranges), frames: `training frames ${seed * 1_000_000 + 1}..${seed * 1_000_000 + count}` };
}

/**
 * SHA-256 of a network's weight files (as its model.json lists them), or null when it has none on
 * disk: a range file records the weights it was measured on.
 */
export function weightsFingerprint(networkDir: string): string | null {
  const modelFile = path.join(networkDir, 'model.json');
  if (!fs.existsSync(modelFile)) return null;
  const manifest = (JSON.parse(fs.readFileSync(modelFile, 'utf8')) as { weightsManifest?: { paths?: string[] }[] }).weightsManifest ?? [];
  const hash = createHash('sha256');
  for (const group of manifest) for (const file of group.paths ?? []) hash.update(fs.readFileSync(path.join(networkDir, file)));
  return hash.digest('hex');
}

/**
 * Ranges from `networkDir`/int16-ranges.json; null when the file is absent. A file measured on
 * other weights than the directory's is an error (the ranges would clamp or waste the int16 steps).
 */
export function readRanges(networkDir: string): ActivationRanges | null {
  const file = path.join(networkDir, INT16_RANGES_FILE);
  if (!fs.existsSync(file)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const { ranges, weights } = (parsed ?? {}) as { ranges?: unknown; weights?: unknown };
  if (typeof ranges !== 'object' || ranges === null) throw new Error(`${file}: expected {"ranges": {layer: number}}`);
  if (weights !== undefined && weights !== weightsFingerprint(networkDir)) {
    throw new Error(`${file} was measured on other weights than ${networkDir}'s: run 'h2r calibrate --visual-model ${path.dirname(networkDir)}' (or delete it to run the float network)`);
  }
  for (const [layer, value] of Object.entries(ranges)) {
    if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) throw new Error(`${file}: range of '${layer}' must be a positive number`);
  }
  return ranges as ActivationRanges;
}

/** Writes both networks' range files under a visual model directory. */
export function writeRanges(modelDir: string, ranges: PerceptionRanges): void {
  for (const network of ['cells', 'objects'] as const) {
    const dir = path.join(modelDir, network);
    fs.mkdirSync(dir, { recursive: true });
    const weights = weightsFingerprint(dir);
    fs.writeFileSync(path.join(dir, INT16_RANGES_FILE), `${JSON.stringify({ frames: ranges.frames, ...(weights ? { weights } : {}), ranges: ranges[network] }, null, 1)}\n`);
  }
}
