/**
 * Held-out evaluation of the visual stage: situations from seeds never trained on, said with the
 * held-out (test) template families, read by the parser and grounded end to end. The attended
 * object is the one whose pixels carry the most heat (the instance mask is used here, for
 * scoring only); a place counts when the heat peak lies inside the true region.
 */
import type { SplitName } from '../../language/corpus/vocabulary';
import { groundAttention } from '../../sim/grounding';
import type { Meaning } from '../../semantics/meaning';
import { attendToInstances, type AttentionModels, type VisualAttentionResult } from './attention-stage';
import { tableCamera } from './camera-preset';
import { sayFor, type Perceive, type Understand } from './grounding-data';
import { perceivedViewers } from './viewers';
import { sampleSituation, type Situation, type SituationOptions } from './situations';

export interface SituationResult {
  readonly seed: number;
  readonly source: Situation['source'];
  readonly mistake: Meaning['mistake'];
  readonly text: string;
  readonly correct: boolean;
  readonly attended: string;
  readonly truth: string;
  readonly confidence: number;
}

export function judge(situation: Situation, result: VisualAttentionResult): { correct: boolean; attended: string; truth: string } {
  if (situation.targetRegion) {
    const { centre, radius } = situation.targetRegion;
    const distance = Math.hypot(result.point.x - centre.x, result.point.y - centre.y);
    return { correct: result.place && distance <= radius, attended: `(${result.point.x.toFixed(3)}, ${result.point.y.toFixed(3)})`, truth: `region (${centre.x.toFixed(3)}, ${centre.y.toFixed(3)}) r ${radius.toFixed(3)}` };
  }
  const attended = groundAttention(result.heatmap, situation.frame).object;
  return { correct: attended === situation.targetId, attended, truth: situation.targetId ?? '' };
}

export async function evaluateSituations(
  seeds: readonly number[],
  split: SplitName,
  models: AttentionModels,
  understand: Understand,
  perceive: Perceive,
  options?: SituationOptions,
  onDone?: (done: number, result: SituationResult, situation: Situation, attention: VisualAttentionResult) => void,
): Promise<SituationResult[]> {
  const results: SituationResult[] = [];
  for (const seed of seeds) {
    const situation = sampleSituation(seed, options);
    const text = sayFor(situation, split);
    const meaning = understand(text, situation.meaning);
    const camera = tableCamera(situation.camera);
    const instances = perceive(situation.frame, camera);
    const attention = attendToInstances(models, situation.frame, instances, meaning, {
      camera,
      viewers: perceivedViewers(instances, camera),
      robot: situation.robot,
    });
    const verdict = judge(situation, attention);
    const result: SituationResult = { seed, source: situation.source, mistake: situation.meaning.mistake, text, confidence: attention.confidence, ...verdict };
    results.push(result);
    onDone?.(results.length, result, situation, attention);
  }
  return results;
}

export interface AccuracyTable {
  readonly overall: { readonly accuracy: number; readonly count: number };
  readonly bySource: Readonly<Record<string, { accuracy: number; count: number }>>;
  readonly byMistake: Readonly<Record<string, { accuracy: number; count: number }>>;
}

export function accuracyTable(results: readonly SituationResult[]): AccuracyTable {
  const group = (key: (r: SituationResult) => string) => {
    const out: Record<string, { accuracy: number; count: number }> = {};
    for (const r of results) {
      const k = key(r);
      const entry = out[k] ?? { accuracy: 0, count: 0 };
      entry.accuracy += r.correct ? 1 : 0;
      entry.count++;
      out[k] = entry;
    }
    for (const entry of Object.values(out)) entry.accuracy /= Math.max(1, entry.count);
    return out;
  };
  const correct = results.filter((r) => r.correct).length;
  return {
    overall: { accuracy: correct / Math.max(1, results.length), count: results.length },
    bySource: group((r) => r.source),
    byMistake: group((r) => r.mistake),
  };
}
