/** What every part of an episode's stepping shares: its constants and a few lookups. */
import type { FailureKind } from './types';
import { TABLE, type Scene, type Task } from './world';
import type { EpisodeEventKind, EpisodeState } from './state';
import { vec3 } from './vec';

/** The constant part of an episode that `step()` needs. */
export interface StepContext {
  readonly scene: Scene;
  readonly task: Task;
  readonly dt: number;
  readonly visibleAt: number | null;
  readonly pointOfNoReturnAt: number | null;
}

const indexCache = new WeakMap<Scene, Map<string, number>>();

/** Index of an object in the scene (and in every state's objects, which keep the scene's order). */
export function objectIndexOf(scene: Scene, id: string): number {
  let map = indexCache.get(scene);
  if (!map) {
    map = new Map(scene.objects.map((o, i) => [o.id, i]));
    indexCache.set(scene, map);
  }
  return map.get(id) ?? -1;
}

export function personHandRest(scene: Scene): { x: number; y: number; z: number } {
  return vec3(TABLE.halfX + 0.03, scene.person.position.y + 0.17, 0.03);
}

/** Adds an event to a state (used by corrections and the runner). */
export function withEvent(state: EpisodeState, event: EpisodeEventKind, detail: string, failure: FailureKind | null = null): EpisodeState {
  return { ...state, events: [...state.events, { t: Math.round(state.t * 1e6) / 1e6, event, detail, failure }] };
}
