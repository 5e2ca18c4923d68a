/**
 * The object classifier run on the regions of a frame: each region's crop, and for a region
 * smaller than an object also its whole-object crop (see wholeObjectCropBox), cut in TypeScript
 * and classified in one batch.
 */
import type * as tfType from '@tensorflow/tfjs';
import type { CameraFrame } from './perception';
import { cropInto, type CropBox } from './crops';
import { cropBox, wholeObjectCropBox, type ObjectClasses, type Region, type TableCamera } from './instances';
import { PIXEL_KINDS } from './labels';
import { forward } from '../runtime';
import { Int16ObjectClassifier } from './int16-objects';
import { OBJECT_CHANNELS, OBJECT_CROP, OBJECT_SLICES, cropScale } from './perception-model';

const PERSON_KIND = PIXEL_KINDS.indexOf('person');

/** Softmax of logits[from..from+size) into out[to..to+size). */
export function softmaxInto(logits: Float32Array, from: number, size: number, out: Float32Array, to: number): void {
  let max = -Infinity;
  for (let k = 0; k < size; k++) max = Math.max(max, logits[from + k]);
  let sum = 0;
  for (let k = 0; k < size; k++) sum += out[to + k] = Math.exp(logits[from + k] - max);
  for (let k = 0; k < size; k++) out[to + k] /= sum;
}

/**
 * Softmax of `size` logits per cell starting at channel `start`, into a new array; only for the
 * cells `wanted` says (the others stay zero), when given.
 */
export function softmaxSlice(logits: Float32Array, cells: number, channels: number, start: number, size: number, wanted?: (cell: number) => boolean): Float32Array {
  const out = new Float32Array(cells * size);
  for (let c = 0; c < cells; c++) {
    if (wanted && !wanted(c)) continue;
    softmaxInto(logits, c * channels + start, size, out, c * size);
  }
  return out;
}

/** The crops the classifier sees for `asked` regions, [count, OBJECT_CROP, OBJECT_CROP, 3] in 0..1, with their scales. */
export interface CropBatch {
  readonly count: number;
  readonly crops: Float32Array;
  readonly scales: Float32Array;
  /** The asked region each crop belongs to. */
  readonly owner: readonly number[];
}

let cropArray = new Float32Array(0);

/** classifyRegions' crops, in one array grown as needed (100-200 KB of array buffer a frame otherwise). */
function reusedCrops(length: number): Float32Array {
  if (cropArray.length < length) cropArray = new Float32Array(Math.max(length, 2 * cropArray.length));
  return cropArray.subarray(0, length);
}

/**
 * Each region's crop, then the whole-object crop of those smaller than an object (both answers are
 * averaged). With `reuse` the crops are written over those of the previous such call.
 */
export function regionCrops(frame: CameraFrame, asked: readonly Region[], camera: TableCamera, reuse = false): CropBatch {
  const boxes: CropBox[] = [];
  const owner: number[] = [];
  asked.forEach((region, i) => {
    boxes.push(cropBox(region));
    owner.push(i);
    const whole = wholeObjectCropBox(region, camera);
    if (whole) {
      boxes.push(whole);
      owner.push(i);
    }
  });
  const size = OBJECT_CROP * OBJECT_CROP * 3;
  const crops = reuse ? reusedCrops(boxes.length * size) : new Float32Array(boxes.length * size);
  const scales = new Float32Array(boxes.length);
  boxes.forEach((box, i) => {
    cropInto(frame, box, crops, i * size, (v) => v / 255);
    scales[i] = cropScale(camera, box);
  });
  return { count: boxes.length, crops, scales, owner };
}

/** The classifier's logits [count, OBJECT_CHANNELS] for a batch of crops. */
function objectLogits(tf: typeof tfType, objects: tfType.LayersModel | Int16ObjectClassifier, batch: CropBatch): Float32Array {
  if (objects instanceof Int16ObjectClassifier) return objects.logits(batch.crops, batch.scales, batch.count);
  const output = tf.tidy(() => forward(objects, [tf.tensor4d(batch.crops, [batch.count, OBJECT_CROP, OBJECT_CROP, 3]), tf.tensor2d(batch.scales, [batch.count, 1])]));
  // A few dozen logits: slicing and softmax as tfjs ops cost more than the arithmetic.
  const logits = output.dataSync() as Float32Array;
  output.dispose();
  return logits;
}

/**
 * Kind and state of each region from the object classifier. A person needs no classifier: the
 * cell network already says so, and a person has no state.
 */
export function classifyRegions(tf: typeof tfType, objects: tfType.LayersModel | Int16ObjectClassifier, frame: CameraFrame, regions: readonly Region[], camera: TableCamera): ObjectClasses[] {
  const asked = regions.filter((region) => !region.person);
  const batch = regionCrops(frame, asked, camera, true);
  const k = OBJECT_SLICES.kind.size;
  const st = OBJECT_SLICES.state.size;
  const kindData = new Float32Array(asked.length * k);
  const stateData = new Float32Array(asked.length * st);
  if (batch.count > 0) {
    const logits = objectLogits(tf, objects, batch);
    const kinds = softmaxSlice(logits, batch.count, OBJECT_CHANNELS, OBJECT_SLICES.kind.start, k);
    const states = softmaxSlice(logits, batch.count, OBJECT_CHANNELS, OBJECT_SLICES.state.start, st);
    const cropsOf = new Float32Array(asked.length);
    batch.owner.forEach((i, b) => {
      cropsOf[i]++;
      for (let j = 0; j < k; j++) kindData[i * k + j] += kinds[b * k + j];
      for (let j = 0; j < st; j++) stateData[i * st + j] += states[b * st + j];
    });
    for (let i = 0; i < asked.length; i++) {
      for (let j = 0; j < k; j++) kindData[i * k + j] /= cropsOf[i];
      for (let j = 0; j < st; j++) stateData[i * st + j] /= cropsOf[i];
    }
  }
  let next = 0;
  return regions.map((region) => {
    if (region.person) {
      const kindProbs = new Float32Array(k);
      kindProbs[PERSON_KIND] = 1;
      const stateProbs = new Float32Array(st);
      stateProbs[0] = 1;
      return { kindProbs, stateProbs };
    }
    const i = next++;
    return { kindProbs: kindData.slice(i * k, (i + 1) * k), stateProbs: stateData.slice(i * st, (i + 1) * st) };
  });
}

