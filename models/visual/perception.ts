/**
 * Perception, the visual stage's first half: a camera frame in, the objects the robot sees out
 * (cell network, connected regions, object classifier), on the int16 kernels where they were
 * calibrated and on tfjs otherwise. Grounding a meaning in them is attention-stage.ts.
 */
import type * as tfType from '@tensorflow/tfjs';
import { blocksAmongBlocks, extractRegions, toInstances, type CellPredictions, type PerceivedInstance, type TableCamera } from './instances';
import { classifyRegions, softmaxInto } from './object-classes';
import { splitMergedInstances } from './merged-instances';
import { CELL_SLICES, PATCH_CHANNELS, PERCEPTION_STRIDE, spaceToDepth } from './perception-model';
import { CELL_CLASSES } from './labels';
import { forward } from '../runtime';
import { Int16CellNetwork } from './int16-cells';
import type { Int16ObjectClassifier } from './int16-objects';

export interface CameraFrame {
  readonly width: number;
  readonly height: number;
  /** rgb8, row-major, top row first. */
  readonly rgb: Uint8Array;
}

/**
 * The input is staged in one buffer for every frame (a megabyte of garbage a frame otherwise, ten
 * frames a second while the person speaks). A tensor made from it must be disposed before the next
 * call (the cpu backend keeps the array it was given).
 */
let inputScratch = new Float32Array(0);

/** The cell network's input for a whole frame: [1, height/4, width/4, PATCH_CHANNELS] in 0..1. */
export function cellInput(tf: typeof tfType, frame: CameraFrame): tfType.Tensor4D {
  if (frame.width % 8 !== 0 || frame.height % 8 !== 0) {
    throw new Error(`the perception network needs an image whose sides divide by 8, got ${frame.width}x${frame.height}`);
  }
  const rows = frame.height / PERCEPTION_STRIDE;
  const cols = frame.width / PERCEPTION_STRIDE;
  const size = rows * cols * PATCH_CHANNELS;
  if (inputScratch.length < size) inputScratch = new Float32Array(size);
  const values = inputScratch.subarray(0, size);
  spaceToDepth(frame.rgb, frame.width, 0, 0, rows, cols, values, 0);
  return tf.tensor4d(values, [1, rows, cols, PATCH_CHANNELS]);
}

/** The two perception networks. */
export interface PerceptionModels {
  readonly cells: tfType.LayersModel;
  readonly objects: tfType.LayersModel;
  /** The cell network as run (foldedCellModel of `cells`), when it was built; `cells` otherwise. */
  readonly runCells?: tfType.LayersModel;
  /** The cell network on int16 kernels, when its activation ranges were calibrated: run before the others. */
  readonly int16Cells?: Int16CellNetwork;
  /** The object classifier on int16 kernels, likewise. */
  readonly int16Objects?: Int16ObjectClassifier;
}

/** The cell network a frame is run on: the int16 one, else the folded float one, else as trained. */
export function cellRunner(models: PerceptionModels): tfType.LayersModel | Int16CellNetwork {
  return models.int16Cells ?? models.runCells ?? models.cells;
}

/** The object classifier crops are run on: the int16 one, else the float one. */
export function objectRunner(models: PerceptionModels): tfType.LayersModel | Int16ObjectClassifier {
  return models.int16Objects ?? models.objects;
}

let cellArrays: Pick<CellPredictions, 'cellClass' | 'colour' | 'boundary'> | undefined;

/**
 * perceiveFrame's cell predictions, reused frame to frame and cleared (colour and boundary are
 * written only where a thing is). 300 KB of array buffers a frame add up to the external-memory
 * limit at which V8 starts a full collection, whose concurrent marking on the second vCPU slows
 * perception meanwhile (two vCPUs here).
 */
function reusedCellArrays(n: number, classes: number, colours: number): NonNullable<typeof cellArrays> {
  if (cellArrays?.boundary.length !== n) cellArrays = { cellClass: new Float32Array(n * classes), colour: new Float32Array(n * colours), boundary: new Float32Array(n) };
  cellArrays.colour.fill(0);
  cellArrays.boundary.fill(0);
  return cellArrays;
}

/**
 * Runs the cell network on a frame and returns its per-cell predictions (class scores, colour and boundary probabilities). Synchronous on
 * purpose: the wasm and cpu backends compute synchronously anyway, and a node that perceives
 * inside its callback then finishes before the executor moves on (lock-step simulation relies on it).
 * With `reuse` the arrays are the ones of the previous such call, overwritten.
 */
export function perceiveCells(tf: typeof tfType, cells: tfType.LayersModel | Int16CellNetwork, frame: CameraFrame, reuse = false): CellPredictions {
  // The heads are read from one copy of the logits: slicing them apart in tfjs costs wasm more.
  let logits: Float32Array;
  if (cells instanceof Int16CellNetwork) {
    logits = cells.logits(frame);
  } else {
    const output = tf.tidy(() => forward(cells, cellInput(tf, frame)));
    logits = output.dataSync() as Float32Array;
    output.dispose();
  }
  const rows = frame.height / PERCEPTION_STRIDE;
  const cols = frame.width / PERCEPTION_STRIDE;
  const n = rows * cols;
  const channels = logits.length / n;
  const classes = CELL_SLICES.cellClass.size;
  const colours = CELL_SLICES.colour.size;
  const { cellClass, colour, boundary } = reuse ? reusedCellArrays(n, classes, colours) : { cellClass: new Float32Array(n * classes), colour: new Float32Array(n * colours), boundary: new Float32Array(n) };
  // One pass over the cells. A cell's class is only ever its likeliest, so its scores stay logits
  // (their exponentials were half a millisecond a frame). Colour and boundary are read only where a
  // thing is: most of a frame is table, and the exponentials of its colours were 1.8 ms a frame.
  for (let cell = 0; cell < n; cell++) {
    const base = cell * channels;
    for (let k = 0; k < classes; k++) cellClass[cell * classes + k] = logits[base + CELL_SLICES.cellClass.start + k];
    let best = 0;
    for (let k = 1; k < classes; k++) if (cellClass[cell * classes + k] > cellClass[cell * classes + best]) best = k;
    if (best !== OBJECT_CLASS && best !== PERSON_CLASS) continue;
    softmaxInto(logits, base + CELL_SLICES.colour.start, colours, colour, cell * colours);
    boundary[cell] = 1 / (1 + Math.exp(-logits[base + CELL_SLICES.boundary.start]));
  }
  return { rows, cols, stride: PERCEPTION_STRIDE, cellClass, colour, boundary };
}

const OBJECT_CLASS = CELL_CLASSES.indexOf('object');
const SURFACE_CLASS = CELL_CLASSES.indexOf('surface');
const PERSON_CLASS = CELL_CLASSES.indexOf('person');

/** A perceived frame: its objects, and which cells show something other than bare surface. */
export interface PerceivedFrame {
  readonly instances: PerceivedInstance[];
  /** [cell rows*cols] 1 where the cell network's likeliest class is not the surface (arm, person, object). */
  readonly covered: Uint8Array;
}

/** Everything the robot perceives in a frame: the objects, with kind, colour, state and place. */
export function perceiveFrame(tf: typeof tfType, models: PerceptionModels, frame: CameraFrame, camera: TableCamera): PerceivedFrame {
  // Reused arrays: nothing read from them outlives this call (regions copy what they keep).
  const cells = perceiveCells(tf, cellRunner(models), frame, true);
  const regions = extractRegions(cells);
  const classified = toInstances(regions, classifyRegions(tf, objectRunner(models), frame, regions, camera), camera, PERCEPTION_STRIDE);
  // Re-read first: a block read as a bottle is one of the blocks whose median area says how much
  // one block covers.
  const instances = splitMergedInstances(blocksAmongBlocks(classified), camera, PERCEPTION_STRIDE, cells.cols);
  const classes = CELL_CLASSES.length;
  const covered = new Uint8Array(cells.rows * cells.cols);
  for (let cell = 0; cell < covered.length; cell++) {
    const surface = cells.cellClass[cell * classes + SURFACE_CLASS];
    for (let k = 0; k < classes; k++) if (cells.cellClass[cell * classes + k] > surface) covered[cell] = 1;
  }
  return { instances, covered };
}

export function perceive(tf: typeof tfType, models: PerceptionModels, frame: CameraFrame, camera: TableCamera): PerceivedInstance[] {
  return perceiveFrame(tf, models, frame, camera).instances;
}
