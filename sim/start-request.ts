/** Checking a StartEpisode request (scenario, seed, mistake, optional SCENE JSON) before it runs. */
import { MISTAKE_TYPES, SCENARIOS, type MistakeType, type Scenario } from './types';
import { parseScene } from './scene-format';
import type { StartRequest } from './backend';

export const MISTAKE_CHOICES: readonly (MistakeType | 'random')[] = ['random', ...MISTAKE_TYPES];

export interface StartFields {
  readonly scenario: string;
  readonly seed: number;
  readonly mistake: string;
  readonly scene_json: string;
}

/** The request to start, or why it cannot be: empty scenario/mistake fall back to the defaults given. */
export function checkStartRequest(fields: StartFields, defaults: { scenario: Scenario; mistake: MistakeType | 'random' }): StartRequest | string {
  const mistake = fields.mistake === '' ? defaults.mistake : fields.mistake;
  if (!(MISTAKE_CHOICES as readonly string[]).includes(mistake)) return `mistake '${mistake}' is not one of ${MISTAKE_CHOICES.join(', ')}`;
  if (!Number.isInteger(fields.seed) || fields.seed < 0) return `seed must be a non-negative integer, got ${fields.seed}`;
  let scene = null;
  if (fields.scene_json.trim() !== '') {
    let json: unknown;
    try {
      json = JSON.parse(fields.scene_json);
    } catch (error) {
      return `scene_json is not JSON: ${(error as Error).message}`;
    }
    try {
      scene = parseScene(json);
    } catch (error) {
      return `scene_json: ${(error as Error).message}`;
    }
  }
  const scenario = fields.scenario === '' ? scene?.scenario ?? defaults.scenario : fields.scenario;
  if (!(SCENARIOS as readonly string[]).includes(scenario)) return `scenario '${scenario}' is not one of ${SCENARIOS.join(', ')}`;
  if (scene && scene.scenario !== scenario) return `scenario '${scenario}' does not match the scene's '${scene.scenario}'`;
  return { scenario: scenario as Scenario, seed: fields.seed, mistake: mistake as MistakeType | 'random', scene };
}
