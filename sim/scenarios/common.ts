/** What a scenario module provides, and helpers shared by the three scenarios. */
import type { Colour, MistakeTruth, MistakeType, ObjectKind, RobotAction, SceneObject } from '../types';
import type { Intent } from '../intent';
import type { Rng } from '../rng';
import { footprintRadius, type Scene, type Task } from '../world';
import { Layout } from '../layout';

/** Where in the uncorrected plan a moment falls: a step (by action and target) and a point in it. */
export interface TimeMarker {
  readonly action: RobotAction;
  /** The step's target; undefined matches any. */
  readonly target?: string | null;
  readonly occurrence?: 'first' | 'last';
  /**
   * A progress in the step; 'release' where the gripper lets go; 'slip' where a weak grip gives way
   * in a lift; { flow } when `flow` litres have run out of the held vessel ('outflow') or landed
   * outside any vessel ('spilled'), counting what still runs while the wrist levels it.
   */
  readonly at: number | 'release' | 'slip' | { readonly flow: number; readonly measure: 'outflow' | 'spilled' };
}

export interface Injection {
  readonly intent: Intent;
  readonly truth: MistakeTruth;
  readonly visible: TimeMarker | null;
  readonly pointOfNoReturn: TimeMarker | null;
  /** Litres of water in vessels at the start. */
  readonly fills: Readonly<Record<string, number>>;
}

export interface ScenarioModule {
  /** A random scene for the seed, laid out so that `mistake` can be injected, with its task. */
  generate(rng: Rng, mistake: MistakeType): Scene;
  /** A task for a scene that came without one; null when the scene cannot host the scenario. */
  drawTask(scene: Scene, rng: Rng, mistake: MistakeType): Task | null;
  /** The robot's (possibly wrong) intent and the truth about it; null when this scene cannot host it. */
  inject(scene: Scene, task: Task, mistake: Exclude<MistakeType, 'none'> | 'none', rng: Rng): Injection | null;
}

/** A truth with every optional field empty. */
export function truthOf(fields: Partial<MistakeTruth> & Pick<MistakeTruth, 'type' | 'description'>): MistakeTruth {
  return {
    wrongObject: null,
    target: null,
    region: null,
    relation: null,
    referenceObject: null,
    correctAction: null,
    correctGrasp: null,
    correction: null,
    failure: null,
    ...fields,
  };
}

export const describeObject = (o: SceneObject): string => `${o.colour} ${o.kind}`;

export function mustFind(scene: Scene, id: string): SceneObject {
  const o = scene.objects.find((x) => x.id === id);
  if (!o) throw new Error(`scene has no object '${id}'`);
  return o;
}

/** A layout with every object of the scene already taking its place. */
export function layoutOf(scene: Scene, rng: Rng): Layout {
  const layout = new Layout(rng);
  for (const o of scene.objects) layout.reserve(o.position.x, o.position.y, footprintRadius(o));
  return layout;
}

/** Object ids by kind with a running number, e.g. cup_1, cup_2, mug_1. */
export class IdMaker {
  private readonly counts = new Map<string, number>();
  next(kind: ObjectKind): string {
    const n = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, n);
    return `${kind}_${n}`;
  }
}

export const ALL_COLOURS: readonly Colour[] = [
  'red', 'orange', 'yellow', 'green', 'blue', 'purple', 'pink', 'white', 'black', 'grey', 'brown',
];

/** Draws colours so that some objects share a colour (then colour alone does not identify them). */
export function drawColours(rng: Rng, n: number, palette: readonly Colour[], repeat: number): Colour[] {
  const out: Colour[] = [];
  for (let i = 0; i < n; i++) out.push(out.length > 0 && rng.chance(repeat) ? rng.pick(out) : rng.pick(palette));
  return out;
}
