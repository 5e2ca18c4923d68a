/** What a scenario module provides, and helpers shared by the three scenarios. */
import type { Colour, FailureKind, GraspMode, MistakeTruth, MistakeType, ObjectKind, Region, RobotAction, Scenario, SceneObject, SpatialRelation, Vec3 } from '../types';
import type { DeliveryMode, Intent } from '../intent';
import type { Rng } from '../rng';
import { PERSON_ID, footprintRadius, type Scene, type Task } from '../world';
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

/** An intent to fetch `item` and deliver it, with nothing to pour; `more` adds the rest. */
export function deliveryIntent(
  scenario: Scenario,
  item: string,
  itemGrasp: GraspMode,
  delivery: DeliveryMode,
  destination: Vec3,
  more: Partial<Intent> = {},
): Intent {
  return {
    scenario,
    source: null,
    sourceGrasp: 'side',
    sourceHome: null,
    pourInto: null,
    pourPoint: null,
    pourFirst: true,
    item,
    itemGrasp,
    delivery,
    destination,
    binDestination: null,
    dropHover: 0,
    abandoned: false,
    ...more,
  };
}

/**
 * A grip on `target` that gives way when lifted (`wrong` instead of `right`): visible as the
 * gripper closes in, past saving once the object slips.
 */
export function slippingGrip(
  intent: Intent,
  target: SceneObject,
  wrong: GraspMode,
  right: GraspMode,
  description: string,
  fills: Readonly<Record<string, number>> = {},
  visibleAt = 0.6,
): Injection {
  return {
    intent: target.id === intent.source ? { ...intent, sourceGrasp: wrong } : { ...intent, itemGrasp: wrong },
    truth: truthOf({ type: 'wrong_pose', description, target: target.id, correctGrasp: right, correction: { kind: 'adjust_pose', grasp: right }, failure: 'drop' }),
    visible: { action: 'reach', target: target.id, at: visibleAt },
    pointOfNoReturn: { action: 'lift', target: target.id, at: 'slip' },
    fills,
  };
}

/**
 * The item put down at `destination` instead of in `region` (a wrong spot, or the wrong side of a
 * reference): visible on the way there, past saving once the fingers open.
 */
export function misplaced(
  intent: Intent,
  destination: Vec3,
  truth: {
    readonly type: 'wrong_region' | 'wrong_relation';
    readonly description: string;
    readonly region: Region;
    readonly failure: FailureKind;
    readonly relation?: SpatialRelation;
    readonly referenceObject?: string;
  },
  fills: Readonly<Record<string, number>> = {},
): Injection {
  return {
    intent: { ...intent, destination },
    truth: truthOf({
      type: truth.type,
      description: truth.description,
      region: truth.region,
      relation: truth.relation ?? null,
      referenceObject: truth.referenceObject ?? null,
      correction: { kind: 'move_region', region: truth.region },
      failure: truth.failure,
    }),
    visible: { action: 'transport', occurrence: 'last', at: 0.5 },
    pointOfNoReturn: { action: 'place', occurrence: 'last', at: 'release' },
    fills,
  };
}

/**
 * Puts the item down where the person's hand would take it, past the table edge, instead of
 * handing it over: it falls. Visible as the arm stops there without offering it.
 */
export function placedPastEdge(intent: Intent, handPoint: Vec3, name: string, fills: Readonly<Record<string, number>> = {}): Injection {
  return {
    intent: { ...intent, delivery: 'place', destination: { x: handPoint.x, y: handPoint.y, z: 0 } },
    truth: truthOf({
      type: 'wrong_action',
      description: `puts the ${name} down past the table edge instead of handing it over`,
      target: PERSON_ID,
      correctAction: 'hand_over',
      correction: { kind: 'change_action', action: 'hand_over' },
      failure: 'drop',
    }),
    visible: { action: 'transport', occurrence: 'last', at: 0.75 },
    pointOfNoReturn: { action: 'place', occurrence: 'last', at: 'release' },
    fills,
  };
}
