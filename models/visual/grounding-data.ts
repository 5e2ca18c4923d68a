/**
 * Training and evaluation examples for the grounding scorer, stacked on the first stage: each
 * situation's Meaning is said in words (the corpus realiser, in a given split's families), read
 * back by the reminder parser, and the parse (not the gold Meaning) is grounded in what the
 * perception network sees. The label is the perceived instance that covers most of the target's
 * pixels (the instance mask is read here, for labels only).
 */
import { realise } from '../../language/corpus/realise';
import { Rng as CorpusRng } from '../../language/corpus/utterance';
import type { SplitName } from '../../language/corpus/vocabulary';
import type { DescribedKind, Meaning } from '../../semantics/meaning';
import { perceivedViewers } from './viewers';
import type { PerceivedInstance, TableCamera } from './instances';
import { groundingFeatures } from './grounding-features';
import { cellLabels } from './perception-data';
import { sampleSituation, type Situation, type SituationOptions } from './situations';
import { tableCamera } from './camera-preset';
import type { CameraFrame } from './perception';

export interface GroundingExample {
  readonly seed: number;
  readonly source: Situation['source'];
  readonly mistake: Meaning['mistake'];
  readonly text: string;
  readonly features: number[][];
  /** Index of the instance that shows the target; -1 when perception missed it. */
  readonly target: number;
}

/** Reads a reminder back into a Meaning (the trained parser, or the gold Meaning for ablations). */
export type Understand = (text: string, gold: Meaning) => Meaning;

/** Runs the perception networks on a frame. */
export type Perceive = (frame: CameraFrame, camera: TableCamera) => PerceivedInstance[];

/** The words a person says for a situation, realised with the given split's families. */
export function sayFor(situation: Situation, split: SplitName): string {
  const rng = new CorpusRng(situation.seed * 7919 + 17);
  const wrong = situation.truth?.wrongObject ? situation.scene.objects.find((o) => o.id === situation.truth?.wrongObject) : undefined;
  const plan = {
    meaning: situation.meaning,
    context: { scenario: situation.scene.scenario, currentAction: situation.currentAction, wrongKind: wrong?.kind as DescribedKind | undefined },
  };
  return realise(plan, rng, split).text;
}

/** The perceived instance covering most of `targetId`'s cells, or -1. */
export function instanceShowing(situation: Situation, instances: readonly PerceivedInstance[], targetId: string): number {
  const entity = situation.frame.entityIds.indexOf(targetId);
  if (entity < 0) return -1;
  const labels = cellLabels(situation.frame, situation.scene, situation.state);
  let best = -1;
  let bestCount = 0;
  for (const instance of instances) {
    let count = 0;
    for (const cell of instance.cells) if (labels.entity[cell] === entity) count++;
    if (count > bestCount) [best, bestCount] = [instance.index, count];
  }
  return best;
}

export async function groundingExamples(
  seeds: readonly number[],
  split: SplitName,
  understand: Understand,
  perceive: Perceive,
  options?: SituationOptions,
  onExample?: (done: number) => void,
): Promise<GroundingExample[]> {
  const examples: GroundingExample[] = [];
  for (const seed of seeds) {
    const situation = sampleSituation(seed, options);
    onExample?.(examples.length + 1);
    if (situation.targetId === null) continue; // places are the place head's business
    const text = sayFor(situation, split);
    const meaning = understand(text, situation.meaning);
    const camera = tableCamera(situation.camera);
    const instances = perceive(situation.frame, camera);
    const features = groundingFeatures(meaning, instances, perceivedViewers(instances, camera), situation.robot);
    examples.push({
      seed,
      source: situation.source,
      mistake: situation.meaning.mistake,
      text,
      features,
      target: instanceShowing(situation, instances, situation.targetId),
    });
  }
  return examples;
}
