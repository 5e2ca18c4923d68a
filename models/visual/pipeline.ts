/**
 * `h2r train visual` and `h2r eval visual` behind the CLI: perception network, place distances
 * and grounding scorer trained in that order on disjoint seed ranges, then a held-out report.
 *
 * Seed ranges (situations and frames are functions of their seed):
 *   perception frames   seed*1_000_000 + 1 ..   (training-scenes.ts)
 *   place episodes      seed*1_000_000 + 200_001 ..
 *   grounding examples  seed*1_000_000 + 400_001 ..
 *   held-out evaluation 900_000_001 ..          (never trained on, whatever the seed)
 * Reminders for training are realised with the training template families; the evaluation uses
 * the held-out (test) families and vocabulary.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ReminderParser, ReminderRejected } from '../../language/parser';
import { EMPTY_MEANING, type Meaning } from '../../semantics/meaning';
import { initRuntime, loadModel, seededRandom, tf } from '../runtime';
import { placeReferences, type AttentionModels } from './attention-stage';
import { perceive as runPerception, type PerceptionModels } from './perception';
import { tableCamera } from './camera-preset';
import { accuracyTable, evaluateSituations, type AccuracyTable, type SituationResult } from './evaluate';
import { groundingExamples, type Perceive, type Understand } from './grounding-data';
import { perceivedViewers } from './viewers';
import { findReference, fitPlaceDistances, meansPlace, placeDirection, placeKey, type PlaceObservation, type PlaceRelation } from './place-head';
import { predictTargets, trainScorer } from './train-scorer';
import { labelledFrames, trainObjectClassifier, trainPerception } from './train-perception';
import { sampleSituation } from './situations';
import { loadPerception, VisualStage } from './visual-stage';
import { hiddenLayers } from './int16-cells';
import { calibratePerception, DEFAULT_CALIBRATION_FRAMES, writeRanges } from './int16-calibration';

export const EVALUATION_SEED_BASE = 900_000_000;

export interface VisualTrainingOptions {
  readonly seed: number;
  readonly outDir: string;
  readonly languageModelDir?: string;
  /** Reuse a trained perception network from this directory instead of training one. */
  readonly perceptionFrom?: string;
  /** Reuse only the cell network of this directory and train the object classifier anew. */
  readonly cellsFrom?: string;
  /** Model directory whose object classifier the new one also learns from (distillation). */
  readonly distilFrom?: string;
  /** Reuse this directory's scorer (the place head is still fitted anew). */
  readonly scorerFrom?: string;
  /** With cellsFrom: go on training this directory's object classifier instead of a new one. */
  readonly objectsFrom?: string;
  /** The object classifier's learning rate (3e-3 when not given). */
  readonly objectRate?: number;
  /** Width of the new object classifier (DEFAULT_OBJECT_WIDTH when not given). */
  readonly objectWidth?: number;
  /** New perception networks with separable 3x3 convolutions (PerceptionModelOptions.separable). */
  readonly separable?: boolean;
  /** Widths of a new cell network (DEFAULT_PERCEPTION_OPTIONS when not given). */
  readonly fineChannels?: number;
  readonly coarseChannels?: number;
  readonly perceptionFrames: number;
  readonly perceptionSteps: number;
  readonly objectSteps: number;
  readonly placeEpisodes: number;
  readonly groundingExamples: number;
  readonly scorerEpochs: number;
  readonly evaluationSituations: number;
}

export interface TrainingProgress {
  readonly line: (text: string) => void;
  readonly phase: (name: string, total: number) => void;
  readonly tick: (done: number) => void;
}

export interface VisualReport {
  readonly backend: string;
  readonly seed: number;
  readonly split: string;
  readonly placeDistances: AttentionModels['placeDistances'];
  readonly train: { readonly groundingAccuracy: number; readonly perceptionMisses: number; readonly examples: number };
  readonly test: AccuracyTable;
  readonly seconds: Readonly<Record<string, number>>;
}

export async function parserUnderstanding(languageModelDir?: string): Promise<Understand> {
  const parser = await ReminderParser.load(languageModelDir);
  return (text: string): Meaning => {
    try {
      return parser.parse(text).meaning;
    } catch (error) {
      if (error instanceof ReminderRejected) return EMPTY_MEANING;
      throw error;
    }
  };
}

function perceiver(perception: PerceptionModels): Perceive {
  return (frame, camera) => runPerception(tf, perception, frame, camera);
}

async function fitPlaces(options: VisualTrainingOptions, perceive: Perceive, progress: TrainingProgress) {
  const observations: PlaceObservation[] = [];
  progress.phase('place episodes', options.placeEpisodes);
  for (let i = 1; i <= options.placeEpisodes; i++) {
    // Relations to objects (wrong_relation) and to the person ("in front of me", wrong_region).
    const mistake = i % 3 === 0 ? 'wrong_region' : 'wrong_relation';
    const situation = sampleSituation(options.seed * 1_000_000 + 200_000 + i, { episodeShare: 1, jitter: 0.03, mistake, scenario: i % 2 === 0 ? 'kitchen' : 'tabletop' });
    progress.tick(i);
    const relation = situation.meaning.relation;
    if (!situation.targetRegion || !relation || !meansPlace(situation.meaning, situation.robot)) continue;
    const camera = tableCamera(situation.camera);
    const instances = perceive(situation.frame, camera);
    const viewers = perceivedViewers(instances, camera);
    const reference = findReference(situation.meaning, placeReferences(instances, { camera, robot: situation.robot }), viewers);
    if (!reference || reference.fit < 0.3) continue;
    const type = relation.type as PlaceRelation;
    const kind = instances.find((instance) => reference.instance >= 0 && instance.index === reference.instance)?.kind;
    observations.push({
      key: placeKey(type, reference.instance < 0),
      reference: reference.position,
      extent: reference.extent,
      direction: placeDirection(type, reference.position, situation.meaning, viewers),
      truth: { x: situation.targetRegion.centre.x, y: situation.targetRegion.centre.y },
      ...(kind ? { kind } : {}),
    });
  }
  progress.line(`place distances fitted on ${observations.length} observations`);
  return fitPlaceDistances(observations);
}

export async function runVisualTraining(options: VisualTrainingOptions, progress: TrainingProgress): Promise<VisualReport> {
  if (options.perceptionFrom && options.cellsFrom) throw new Error('--perception-from and --cells-from exclude each other: the first reuses both perception networks');
  if (options.objectsFrom && !options.cellsFrom) throw new Error('--objects-from needs --cells-from: the classifier goes on learning the regions of a trained cell network');
  if (options.perceptionFrom && options.distilFrom) throw new Error('--perception-from and --distil-from exclude each other: no object classifier is trained when both perception networks are reused');
  const runtime = await initRuntime();
  const seconds: Record<string, number> = {};
  let started = Date.now();
  const lap = (name: string) => {
    seconds[name] = (Date.now() - started) / 1000;
    started = Date.now();
  };
  let perception: PerceptionModels;
  if (options.perceptionFrom) {
    perception = await loadPerception(options.perceptionFrom);
    progress.line(`perception network reused from ${options.perceptionFrom}`);
  } else {
    progress.phase('rendering frames', options.perceptionFrames);
    const frames = labelledFrames(options.seed * 1_000_000 + 1, options.perceptionFrames, (done) => progress.tick(done));
    const trainOptions = {
      cellSteps: options.cellsFrom ? 0 : options.perceptionSteps,
      objectSteps: options.objectSteps,
      batchSize: 16,
      crop: 96,
      learningRate: 3e-3,
      seed: options.seed,
      onStep: (step: number) => progress.tick(step),
      objectWidth: options.objectWidth,
      objectSeparable: options.separable,
      cellModel: {
        separable: options.separable ?? false,
        ...(options.fineChannels ? { fineChannels: options.fineChannels } : {}),
        ...(options.coarseChannels ? { coarseChannels: options.coarseChannels } : {}),
      },
      objectTeacher: options.distilFrom ? await loadModel(path.join(options.distilFrom, 'objects')) : undefined,
      objectStart: options.objectsFrom ? await loadModel(path.join(options.objectsFrom, 'objects')) : undefined,
      objectLearningRate: options.objectRate,
    };
    if (options.objectsFrom) progress.line(`object classifier of ${options.objectsFrom} trained further`);
    if (options.distilFrom) progress.line(`object classifier taught by ${options.distilFrom}`);
    const cells = options.cellsFrom ? await loadModel(path.join(options.cellsFrom, 'cells')) : null;
    if (options.cellsFrom) progress.line(`cell network reused from ${options.cellsFrom}`);
    progress.phase('training perception', trainOptions.cellSteps + trainOptions.objectSteps);
    if (cells) {
      perception = { cells, objects: await trainObjectClassifier(frames, cells, trainOptions, seededRandom(options.seed), trainOptions.onStep) };
    } else {
      perception = await trainPerception(frames, trainOptions);
    }
  }
  lap('perception');
  const perceive = perceiver(perception);
  const placeDistances = await fitPlaces(options, perceive, progress);
  lap('place');

  const understand = await parserUnderstanding(options.languageModelDir);
  progress.phase('grounding examples', options.groundingExamples);
  const seeds = Array.from({ length: options.groundingExamples }, (_, i) => options.seed * 1_000_000 + 400_001 + i);
  const examples = await groundingExamples(seeds, 'train', understand, perceive, undefined, (done) => progress.tick(done));
  const misses = examples.filter((e) => e.target < 0).length;
  progress.line(`${examples.length} grounding examples, ${misses} where perception missed the target`);
  const scorer = options.scorerFrom
    ? await loadModel(path.join(options.scorerFrom, 'scorer'))
    : await trainScorer(examples, {
        epochs: options.scorerEpochs,
        batchSize: 32,
        learningRate: 0.01,
        seed: options.seed,
        onEpoch: (epoch, loss) => progress.line(`scorer epoch ${epoch}: loss ${loss.toFixed(4)}`),
      });
  if (options.scorerFrom) progress.line(`scorer reused from ${options.scorerFrom}`);
  const predicted = predictTargets(scorer, examples);
  const trainAccuracy = examples.filter((e, i) => e.target >= 0 && predicted[i] === e.target).length / Math.max(1, examples.length);
  lap('scorer');

  fs.mkdirSync(options.outDir, { recursive: true });
  await VisualStage.fromModels({ tf, perception, scorer, placeDistances }, runtime).save(options.outDir);
  if (hiddenLayers(perception.cells)) {
    progress.phase('calibrating int16 perception', DEFAULT_CALIBRATION_FRAMES);
    writeRanges(options.outDir, calibratePerception(tf, perception, options.seed, DEFAULT_CALIBRATION_FRAMES, (done) => progress.tick(done)));
  }
  // Evaluated as it loads: on the int16 kernels where the networks were calibrated for them.
  const stage = await VisualStage.load(options.outDir);
  const test = await evaluateVisual(stage, understand, options.evaluationSituations, progress);
  lap('evaluation');
  const report: VisualReport = {
    backend: runtime.backend,
    seed: options.seed,
    split: `training seeds ${options.seed}*1e6+1.., evaluation seeds ${EVALUATION_SEED_BASE + 1}..${EVALUATION_SEED_BASE + options.evaluationSituations}; train families for training, held-out (test) families and words for evaluation`,
    placeDistances,
    train: { groundingAccuracy: trainAccuracy, perceptionMisses: misses, examples: examples.length },
    test: accuracyTable(test),
    seconds,
  };
  fs.writeFileSync(path.join(options.outDir, 'report.json'), `${JSON.stringify(report, null, 1)}\n`);
  return report;
}

export async function evaluateVisual(
  stage: VisualStage,
  understand: Understand,
  count: number,
  progress: TrainingProgress,
  onResult?: Parameters<typeof evaluateSituations>[6],
): Promise<SituationResult[]> {
  progress.phase('held-out evaluation', count);
  const seeds = Array.from({ length: count }, (_, i) => EVALUATION_SEED_BASE + 1 + i);
  return evaluateSituations(seeds, 'test', stage.models, understand, perceiver(stage.models.perception), undefined, (done, result, situation, attention) => {
    progress.tick(done);
    onResult?.(done, result, situation, attention);
  });
}
