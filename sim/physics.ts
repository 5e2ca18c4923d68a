/**
 * The simulator's physical rules: water flow and where a stream lands, whether a grip holds,
 * what supports a released object. Pure functions over plain values; the episode runner applies them.
 */
import type { GraspMode, ObjectKind, SceneObject, Vec3 } from './types';
import { TABLE, capacityLitres, emptyMass, isVessel, openingRadius, type Conveyor, type Scene } from './world';
import { clamp } from './vec';

export const GRAVITY = 9.81;
/** A released or slipping object that falls further than this is dropped (a failure). */
export const DROP_HEIGHT_LIMIT = 0.03;
/** A grip that cannot carry the load gives way once the object is this high off its support. */
export const SLIP_HEIGHT = 0.04;
/** Water leaving a tilted vessel, litres per second. */
export const FLOW_RATE = 0.12;
/** More water than this outside any vessel is a spill. */
export const SPILL_LIMIT = 0.04;
/** The robot pours until the cup holds this share of its capacity. */
export const FILL_TARGET = 0.85;
/** A served cup must hold at least this share of its capacity. */
export const FILL_MIN = 0.7;
/** How fast the wrist brings a tilted vessel back upright, rad/s. */
export const UNTILT_RATE = 6;
/** Tilt the robot pours at; beyond horizontal so that any fill runs out. */
export const POUR_TILT = 1.9;

export interface ObjectDyn {
  readonly id: string;
  /** Centre of the object's base, world frame. */
  readonly base: Vec3;
  readonly yaw: number;
  /** Rotation about the object's local +y after yaw (tips its +x side down), radians. */
  readonly tilt: number;
  /** Water inside, litres. */
  readonly fill: number;
  readonly holder: 'robot' | 'person' | null;
  readonly place: Placement;
  /** Downward speed while falling, m/s. */
  readonly fallSpeed: number;
  /** The bin the object lies in, when place is 'bin'. */
  readonly bin: string | null;
}

/** Where an object is: on a surface, in a gripper or hand, falling, or gone off the end of the belt. */
export type Placement = 'table' | 'belt' | 'bin' | 'floor' | 'held' | 'falling' | 'gone' | 'on_object';

/** Tilt at which water starts to run over the rim (or out of the spout), for the current fill. */
export function flowThreshold(o: SceneObject, fill: number): number {
  const r = o.kind === 'bottle' ? 0.5 * Math.min(o.size[0], o.size[1]) - 0.003 : openingRadius(o);
  const h = o.size[2];
  const area = Math.PI * r * r * 1000; // litres per metre of water height
  const level = clamp(fill / area, 0, h);
  // The surface stays level; it reaches the rim on the low side when r * tan(tilt) >= h - level.
  // A spout lowers the lip a little; a bottle's mouth sits at the centre of a narrow neck.
  const lip = o.kind === 'pitcher' ? 0.012 : 0;
  const rise = Math.max(0, h - lip - level);
  return Math.atan2(rise, o.kind === 'bottle' ? 0.6 * r : r);
}

/** Where water leaves a vessel, in the vessel's own frame (spout, mouth or rim on its +x side). */
export function spoutLocal(o: SceneObject): Vec3 {
  const r = 0.5 * Math.min(o.size[0], o.size[1]);
  const h = o.size[2];
  if (o.kind === 'bottle') return { x: 0, y: 0, z: h + 0.02 };
  if (o.kind === 'pitcher') return { x: r + 0.015, y: 0, z: h };
  return { x: r, y: 0, z: h };
}

/** Load a grip must carry, kg. */
export function loadKg(o: SceneObject, fill: number): number {
  return emptyMass(o) + fill; // a litre of water weighs a kilogram
}

/**
 * What a grip can carry before the object slips, kg. A side grip wraps the body; a top grip on a
 * part's centre pinches it squarely; a rim pinch or an off-centre grip only holds light things.
 */
export function gripCapacityKg(kind: ObjectKind, mode: GraspMode): number {
  switch (mode) {
    case 'side':
    case 'tilted':
      return isVessel(kind) || kind === 'block' ? 3 : 0.3;
    case 'centre':
      return kind === 'gear' || kind === 'block' ? 1 : 0.25;
    case 'rim':
      // A pinch on a vessel's rim holds an empty cup; on a solid part it is an edge pinch.
      return isVessel(kind) ? 0.2 : 0.015;
    case 'off_centre':
      return 0.015;
  }
}

export function gripHolds(o: SceneObject, fill: number, mode: GraspMode): boolean {
  return loadKg(o, fill) <= gripCapacityKg(o.kind, mode);
}

/** The surface a released object at (x, y) comes to rest on. */
export type Support =
  | { readonly kind: 'bin'; readonly bin: string; readonly z: number }
  | { readonly kind: 'belt'; readonly z: number }
  | { readonly kind: 'output' }
  | { readonly kind: 'table'; readonly z: number }
  | { readonly kind: 'on_object'; readonly object: string; readonly z: number }
  | { readonly kind: 'floor'; readonly z: number };

/** Inner half-size of a bin's opening. */
export const binInnerHalf = (bin: SceneObject): number => 0.5 * Math.min(bin.size[0], bin.size[1]) - 0.008;

export function onBelt(conveyor: Conveyor | null, x: number, y: number): boolean {
  return (
    conveyor !== null &&
    Math.abs(x - conveyor.centreX) <= conveyor.width / 2 &&
    Math.abs(y) <= conveyor.halfLength
  );
}

/** Past the belt's downstream end: a part there falls into the outgoing chute and leaves. */
export function pastBeltEnd(conveyor: Conveyor | null, x: number, y: number): boolean {
  if (conveyor === null || Math.abs(x - conveyor.centreX) > conveyor.width / 2 + 0.03) return false;
  return Math.sign(conveyor.speed) * y > conveyor.halfLength;
}

/**
 * What catches an object dropped at (x, y) from height `fromZ`. Bins catch anything whose centre is
 * over their opening; the belt, other objects' tops and the table hold objects whose centre is over
 * them; everything else falls to the floor.
 */
export function supportAt(
  scene: Scene,
  objects: readonly ObjectDyn[],
  selfId: string,
  x: number,
  y: number,
  fromZ: number,
): Support {
  for (const o of scene.objects) {
    if (o.kind !== 'bin') continue;
    const half = binInnerHalf(o);
    const dx = x - o.position.x;
    const dy = y - o.position.y;
    const c = Math.cos(-o.yaw);
    const s = Math.sin(-o.yaw);
    if (Math.abs(dx * c - dy * s) <= half && Math.abs(dx * s + dy * c) <= half) {
      return { kind: 'bin', bin: o.id, z: o.position.z + 0.01 };
    }
  }
  if (pastBeltEnd(scene.conveyor, x, y)) return { kind: 'output' };
  if (scene.conveyor !== null && onBelt(scene.conveyor, x, y)) return { kind: 'belt', z: scene.conveyor.height };
  let best: Support | null = null;
  for (let i = 0; i < objects.length; i++) {
    const d = objects[i] as ObjectDyn;
    const so = scene.objects[i] as SceneObject;
    if (d.id === selfId || d.place === 'held' || d.place === 'gone' || d.place === 'falling') continue;
    if (so.kind === 'bin' || so.kind === 'plate') continue; // plates are flat: treat as table
    const top = d.base.z + so.size[2];
    if (top > fromZ + 1e-6) continue;
    if (Math.hypot(x - d.base.x, y - d.base.y) <= 0.45 * Math.min(so.size[0], so.size[1])) {
      if (best === null || (best.kind === 'on_object' && top > best.z)) best = { kind: 'on_object', object: d.id, z: top };
    }
  }
  if (best !== null) return best;
  if (Math.abs(x) <= TABLE.halfX && Math.abs(y) <= TABLE.halfY) return { kind: 'table', z: 0 };
  return { kind: 'floor', z: TABLE.floorZ };
}

/** Height of the surface a resting object stands on at (x, y) when nothing is stacked. */
export function restingHeight(scene: Scene, x: number, y: number): number {
  return scene.conveyor !== null && onBelt(scene.conveyor, x, y) ? scene.conveyor.height : 0;
}

/**
 * The vessel a stream falling from `spout` pours into: an upright, unheld vessel whose opening
 * contains the stream and whose rim lies below the spout. Null when the water hits anything else.
 */
export function receivingVessel(
  scene: Scene,
  objects: readonly ObjectDyn[],
  spout: Vec3,
  pouringId: string,
): number {
  let best = -1;
  let bestTop = -Infinity;
  for (let i = 0; i < objects.length; i++) {
    const d = objects[i] as ObjectDyn;
    const so = scene.objects[i] as SceneObject;
    if (d.id === pouringId || !isVessel(so.kind) || d.place === 'held' || d.place === 'falling') continue;
    if (d.place === 'gone' || d.place === 'floor' || Math.abs(d.tilt) > 0.05) continue;
    const top = d.base.z + so.size[2];
    if (top >= spout.z) continue;
    const streamRadius = 0.006;
    if (Math.hypot(spout.x - d.base.x, spout.y - d.base.y) <= openingRadius(so) - streamRadius && top > bestTop) {
      best = i;
      bestTop = top;
    }
  }
  return best;
}

/** Litres that fit into a vessel before it overflows. */
export const roomLeft = (o: SceneObject, fill: number): number => Math.max(0, capacityLitres(o) - fill);

/**
 * Seconds within [t0, t1] during which a linearly changing tilt exceeds the flow threshold.
 * Steps are short enough that tilt is close to linear inside one.
 */
export function timeAboveThreshold(tilt0: number, tilt1: number, threshold: number, dt: number): number {
  const a = tilt0 - threshold;
  const b = tilt1 - threshold;
  if (a <= 0 && b <= 0) return 0;
  if (a > 0 && b > 0) return dt;
  const cross = a / (a - b);
  return a > 0 ? dt * cross : dt * (1 - cross);
}
