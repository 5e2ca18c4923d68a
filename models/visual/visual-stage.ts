/**
 * The trained visual stage as the nodes, `h2r ground` and the trial use it: the perception and
 * scorer networks and the place distances, loaded from one directory.
 *
 *   models/visual/cells/       model.json + weights.bin (cell network)
 *   models/visual/objects/     model.json + weights.bin (object classifier)
 *   models/visual/scorer/      model.json + weights.bin
 *   models/visual/place.json   place distances per relation
 */
import * as fs from 'fs';
import * as path from 'path';
import { initRuntime, loadModel, saveModel, tf, type RuntimeInfo } from '../runtime';
import { EMPTY_MEANING, type Meaning } from '../../semantics/meaning';
import { viewersFor } from '../../semantics/spatial';
import { attendToInstances, scoreInstances, type AttentionContext, type AttentionModels, type VisualAttentionResult } from './attention-stage';
import { cellRunner, objectRunner, perceive, perceiveCells, perceiveFrame, type CameraFrame, type PerceivedFrame, type PerceptionModels } from './perception';
import { classifyRegions } from './object-classes';
import type { PerceivedInstance, Region } from './instances';
import { DEFAULT_CAMERA_SETTINGS, NETWORK_IMAGE, robotCamera, tableCamera } from './camera-preset';
import { FEATURE_COUNT } from './grounding-features';
import { foldedCellModel } from './perception-model';
import { Int16CellNetwork } from './int16-cells';
import { ScorerEvaluator } from './scorer-model';
import { Int16ObjectClassifier } from './int16-objects';
import { readRanges } from './int16-calibration';
import { PIXEL_COLOURS, PIXEL_KINDS, PIXEL_STATES } from './labels';
import { INITIAL_PLACE_DISTANCES, kindPlaceKey, PLACE_KEYS, type PlaceDistances } from './place-head';

export const DEFAULT_VISUAL_MODEL_DIR = path.resolve(__dirname, '..', '..', '..', 'models', 'visual');

function readPlaceDistances(file: string): PlaceDistances {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read place distances ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const out: Record<string, { a: number; b: number }> = { ...INITIAL_PLACE_DISTANCES };
  const entries = (parsed ?? {}) as Record<string, { a?: unknown; b?: unknown }>;
  const kindKeys = Object.keys(entries).filter((key) => PLACE_KEYS.some((placeKey) => PIXEL_KINDS.some((kind) => key === kindPlaceKey(placeKey, kind))));
  for (const key of [...PLACE_KEYS, ...kindKeys]) {
    const entry = entries[key];
    if (!entry || typeof entry.a !== 'number' || typeof entry.b !== 'number' || !Number.isFinite(entry.a) || !Number.isFinite(entry.b)) {
      throw new Error(`${file}: ${key} needs finite numbers a and b`);
    }
    out[key] = { a: entry.a, b: entry.b };
  }
  return out as PlaceDistances;
}

export interface VisualLoadOptions {
  /**
   * Run each perception network on the int16 kernels where its activation ranges were calibrated
   * (default true); false runs both float networks on tfjs.
   */
  readonly int16?: boolean;
}

export async function loadPerception(dir: string, options: VisualLoadOptions = {}): Promise<PerceptionModels> {
  const cellsDir = path.join(dir, 'cells');
  const cells = await loadModel(cellsDir);
  const objectsDir = path.join(dir, 'objects');
  const objects = await loadModel(objectsDir);
  const cellRanges = options.int16 === false ? null : readRanges(cellsDir);
  const objectRanges = options.int16 === false ? null : readRanges(objectsDir);
  const int16Cells = cellRanges ? Int16CellNetwork.from(cells, cellRanges) : null;
  const int16Objects = objectRanges ? Int16ObjectClassifier.from(objects, objectRanges) : null;
  return { cells, objects, runCells: foldedCellModel(tf, cells), ...(int16Cells ? { int16Cells } : {}), ...(int16Objects ? { int16Objects } : {}) };
}

export class VisualStage {
  private constructor(
    readonly models: AttentionModels,
    readonly runtime: RuntimeInfo,
    readonly directory: string,
  ) {}

  static async load(dir: string = DEFAULT_VISUAL_MODEL_DIR, options: VisualLoadOptions = {}): Promise<VisualStage> {
    const runtime = await initRuntime();
    const perception = await loadPerception(dir, options);
    const scorer = await loadModel(path.join(dir, 'scorer'));
    const scorerEvaluator = ScorerEvaluator.from(scorer);
    const placeDistances = readPlaceDistances(path.join(dir, 'place.json'));
    const stage = new VisualStage({ tf, perception, scorer, ...(scorerEvaluator ? { scorerEvaluator } : {}), placeDistances }, runtime, dir);
    stage.warmUp();
    return stage;
  }

  /** Which kernels run the perception networks, for logs and reports. */
  get perceptionKernels(): string {
    const { int16Cells, int16Objects } = this.models.perception;
    if (int16Cells && int16Objects) return 'int16 wasm kernels';
    if (int16Cells) return 'int16 wasm kernels (cell network), tfjs float (object classifier)';
    if (int16Objects) return 'tfjs float (cell network), int16 wasm kernels (object classifier)';
    return 'tfjs float';
  }

  /**
   * Runs every network once on a blank frame: the first call of each wasm kernel sets it up,
   * which would otherwise land on the first reminder's latency.
   */
  warmUp(width = NETWORK_IMAGE.width, height = NETWORK_IMAGE.height): void {
    const frame: CameraFrame = { width, height, rgb: new Uint8Array(width * height * 3).fill(128) };
    perceiveCells(tf, cellRunner(this.models.perception), frame);
    const probe: Region = { cells: Int32Array.of(0), u: 8, v: 8, box: { u0: 0, v0: 0, u1: 16, v1: 16 }, colourProbs: new Float32Array(PIXEL_COLOURS.length), person: false };
    const camera = tableCamera(robotCamera({ ...DEFAULT_CAMERA_SETTINGS, width, height }));
    classifyRegions(tf, objectRunner(this.models.perception), frame, [probe], camera);
    scoreInstances(tf, this.models.scorerEvaluator ?? this.models.scorer, [new Array<number>(FEATURE_COUNT).fill(0)]);
    this.warmUpGrounding(frame, camera);
  }

  /**
   * Grounds sample reminders on made-up objects a few times: V8 compiles a function fully only
   * after many calls, and a reminder comes every few seconds, so without this the first dozen
   * reminders of a run were the slowest (20-24 ms from words to correction against under 17 ms).
   */
  private warmUpGrounding(frame: CameraFrame, camera: AttentionContext['camera'], rounds = 10): void {
    const uniform = (n: number) => new Float32Array(n).fill(1 / n);
    const probes: PerceivedInstance[] = [0, 1, 2].map((i) => ({
      index: i, cells: Int32Array.of(2 * i, 2 * i + 1), u: 4 + 16 * i, v: 4, kind: 'cup', position: { x: 0.1 * i, y: 0.05 * i }, extent: 0.08,
      kindProbs: uniform(PIXEL_KINDS.length), colourProbs: uniform(PIXEL_COLOURS.length), stateProbs: uniform(PIXEL_STATES.length),
    }));
    const meanings: Meaning[] = [
      { ...EMPTY_MEANING, mistake: 'wrong_object', target: { kind: 'cup', colour: 'blue' }, locations: [{ term: 'left', viewpoint: 'speaker' }] },
      { ...EMPTY_MEANING, mistake: 'wrong_relation', relation: { type: 'in_front_of', reference: { kind: 'pitcher' }, viewpoint: null } },
      { ...EMPTY_MEANING, mistake: 'wrong_region', relation: { type: 'in', reference: { kind: 'mug' }, viewpoint: null } },
    ];
    const viewers = viewersFor({ x: 0.65, y: 0 }, { x: -0.55, y: 0 });
    const robots = [
      { currentTarget: null, holding: false, pouring: false, hand: null, task: null },
      { currentTarget: { x: 0, y: 0 }, holding: true, pouring: true, hand: { x: 0, y: 0, z: 0.2 }, task: { x: 0, y: 0 } },
    ];
    for (let round = 0; round < rounds; round++) {
      for (const meaning of meanings) for (const robot of robots) this.ground(frame, probes, meaning, { camera, viewers, robot });
    }
  }

  static fromModels(models: AttentionModels, runtime: RuntimeInfo): VisualStage {
    return new VisualStage(models, runtime, '');
  }

  /** Perceives a frame once; ground as many reminders against it as needed. */
  perceive(frame: CameraFrame, context: Pick<AttentionContext, 'camera'>): PerceivedInstance[] {
    return perceive(tf, this.models.perception, frame, context.camera);
  }

  /** As perceive, with which cells show something: what the perception memory needs to tell hidden from gone. */
  perceiveFrame(frame: CameraFrame, context: Pick<AttentionContext, 'camera'>): PerceivedFrame {
    return perceiveFrame(tf, this.models.perception, frame, context.camera);
  }

  ground(frame: CameraFrame, instances: readonly PerceivedInstance[], meaning: Meaning, context: AttentionContext): VisualAttentionResult {
    return attendToInstances(this.models, frame, instances, meaning, context);
  }

  attend(frame: CameraFrame, meaning: Meaning, context: AttentionContext): VisualAttentionResult {
    return this.ground(frame, this.perceive(frame, context), meaning, context);
  }

  async save(dir: string): Promise<void> {
    await saveModel(this.models.perception.cells, path.join(dir, 'cells'));
    await saveModel(this.models.perception.objects, path.join(dir, 'objects'));
    await saveModel(this.models.scorer, path.join(dir, 'scorer'));
    fs.writeFileSync(path.join(dir, 'place.json'), `${JSON.stringify(this.models.placeDistances, null, 1)}\n`);
  }
}
