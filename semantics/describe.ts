/**
 * Referring-expression generation: every way a person could single out one object in a scene
 * with a description, a location or a relation to another object, each true beyond doubt.
 * The corpus generator picks among them; the visual stage must then find the object again.
 */
import type { Description, DescribedKind, Location, LocationTerm, Relation, ViewpointWord } from './meaning';
import {
  angularCoverage,
  distance,
  frameOf,
  locationKey,
  pairRelationHolds,
  relationGeometry,
  scaleFor,
  segmentOffset,
  type PlanePoint,
  type SpatialScale,
  type Viewers,
} from './spatial';

/** An object as the generator sees it: ground truth, on the table plane. */
export interface Describable {
  readonly id: string;
  readonly kind: DescribedKind;
  readonly colour: string;
  readonly sizeClass: 'small' | 'medium' | 'big';
  readonly state: 'none' | 'empty' | 'full' | 'good' | 'defective';
  readonly position: PlanePoint;
  /** Largest footprint dimension, metres. */
  readonly extent: number;
}

/** One way to single out the target. */
export interface Reference {
  readonly target: Description;
  readonly locations: readonly Location[];
  readonly relation: Relation | null;
  readonly ordinal: number;
  /** How people tend to prefer this form; the generator samples by it. */
  readonly weight: number;
}

const VIEWPOINTS: readonly ViewpointWord[] = [null, 'speaker', 'robot'];
const DIRECTIONAL_TERMS: readonly LocationTerm[] = ['left', 'right', 'front', 'back'];

export function matches(object: Describable, description: Description): boolean {
  if (description.kind !== undefined && description.kind !== object.kind) return false;
  if (description.colour !== undefined && description.colour !== object.colour) return false;
  if (description.size !== undefined && description.size !== object.sizeClass) return false;
  if (description.state !== undefined && description.state !== object.state) return false;
  return true;
}

/** Attribute-only descriptions of an object, from plain to detailed. */
export function attributeDescriptions(object: Describable): Description[] {
  const out: Description[] = [{ kind: object.kind }];
  const attributes: Description[] = [];
  if (object.colour) attributes.push({ colour: object.colour });
  if (object.sizeClass !== 'medium') attributes.push({ size: object.sizeClass });
  if (object.state !== 'none') attributes.push({ state: object.state });
  for (const a of attributes) out.push({ ...a, kind: object.kind });
  for (let i = 0; i < attributes.length; i++) {
    for (let j = i + 1; j < attributes.length; j++) out.push({ ...attributes[i], ...attributes[j], kind: object.kind });
  }
  return out;
}

function uniqueArgmax(values: readonly number[], index: number, margin: number): boolean {
  for (let i = 0; i < values.length; i++) {
    if (i !== index && values[i] > values[index] - margin) return false;
  }
  return true;
}

function typicalExtent(objects: readonly Describable[]): number {
  const extents = objects.filter((o) => o.kind !== 'person' && o.kind !== 'robot').map((o) => o.extent);
  if (extents.length === 0) return 0.06;
  extents.sort((a, b) => a - b);
  return extents[Math.floor(extents.length / 2)];
}

interface Context {
  readonly objects: readonly Describable[];
  readonly target: Describable;
  readonly viewers: Viewers;
  readonly scale: SpatialScale;
  /** Table-top objects only (no person, no robot). */
  readonly things: readonly Describable[];
}

function locationReferences(ctx: Context, description: Description, candidates: readonly Describable[]): Reference[] {
  const out: Reference[] = [];
  const index = candidates.indexOf(ctx.target);
  const allPoints = ctx.things.map((o) => o.position);
  for (const viewpoint of VIEWPOINTS) {
    const frame = frameOf(ctx.viewers, viewpoint);
    for (const term of DIRECTIONAL_TERMS) {
      const keys = candidates.map((c) => locationKey(term, c.position, frame, allPoints));
      if (uniqueArgmax(keys, index, ctx.scale.margin)) {
        out.push({ target: description, locations: [{ term, viewpoint }], relation: null, ordinal: 0, weight: viewpoint === null ? 1 : 0.8 });
      } else if (candidates.length >= 3 && (term === 'left' || term === 'right')) {
        const order = keys.map((k, i) => ({ k, i })).sort((a, b) => b.k - a.k);
        if (order[1].i === index && order[0].k - order[1].k > ctx.scale.margin && order[1].k - (order[2]?.k ?? -Infinity) > ctx.scale.margin) {
          out.push({ target: description, locations: [{ term, viewpoint }], relation: null, ordinal: 2, weight: 0.4 });
        }
      }
    }
  }
  if (candidates.length >= 3) {
    for (const term of ['middle', 'alone'] as const) {
      const keys = candidates.map((c) => locationKey(term, c.position, ctx.viewers.speaker, allPoints));
      const margin = term === 'alone' ? ctx.scale.near * 0.5 : ctx.scale.margin;
      if (uniqueArgmax(keys, index, margin)) {
        out.push({ target: description, locations: [{ term, viewpoint: null }], relation: null, ordinal: 0, weight: 0.6 });
      }
    }
  }
  return out;
}

/** The reference objects a person can name uniquely by attributes alone, with that name. */
function uniquelyNamed(ctx: Context, exclude: Describable): { object: Describable; description: Description }[] {
  const out: { object: Describable; description: Description }[] = [];
  for (const object of ctx.objects) {
    if (object === exclude) continue;
    if (object.kind === 'person' || object.kind === 'robot') {
      out.push({ object, description: { kind: object.kind } });
      continue;
    }
    const unique = attributeDescriptions(object).find((d) => ctx.objects.filter((o) => matches(o, d)).length === 1);
    if (unique) out.push({ object, description: unique });
  }
  return out;
}

function relationReferences(ctx: Context, description: Description, candidates: readonly Describable[]): Reference[] {
  const out: Reference[] = [];
  const others = candidates.filter((c) => c !== ctx.target);
  const named = uniquelyNamed(ctx, ctx.target);
  for (const { object: reference, description: referenceDescription } of named) {
    const isViewer = reference.kind === 'person' || reference.kind === 'robot';
    if (!isViewer) {
      for (const viewpoint of VIEWPOINTS) {
        const frame = frameOf(ctx.viewers, viewpoint);
        for (const type of ['left_of', 'right_of', 'in_front_of', 'behind'] as const) {
          const holds = (c: Describable) => c !== reference && pairRelationHolds(type, relationGeometry(c.position, reference.position, frame), ctx.scale);
          if (holds(ctx.target) && !others.some(holds)) {
            out.push({ target: description, locations: [], relation: { type, reference: referenceDescription, viewpoint }, ordinal: 0, weight: viewpoint === null ? 0.9 : 0.6 });
          }
        }
      }
      const nextTo = (c: Describable) => c !== reference && distance(c.position, reference.position) < ctx.scale.near;
      if (nextTo(ctx.target) && !others.some(nextTo)) {
        out.push({ target: description, locations: [], relation: { type: 'next_to', reference: referenceDescription, viewpoint: null }, ordinal: 0, weight: 0.8 });
      }
    }
    if (candidates.length >= 2) {
      const d = candidates.filter((c) => c !== reference).map((c) => distance(c.position, reference.position));
      const index = candidates.filter((c) => c !== reference).indexOf(ctx.target);
      if (index >= 0 && d.length >= 2) {
        if (uniqueArgmax(d.map((v) => -v), index, ctx.scale.margin)) {
          out.push({ target: description, locations: [], relation: { type: 'closest_to', reference: referenceDescription, viewpoint: null }, ordinal: 0, weight: isViewer ? 1 : 0.7 });
        }
        if (uniqueArgmax(d, index, ctx.scale.margin)) {
          out.push({ target: description, locations: [], relation: { type: 'farthest_from', reference: referenceDescription, viewpoint: null }, ordinal: 0, weight: isViewer ? 0.6 : 0.4 });
        }
      }
    }
  }
  out.push(...betweenReferences(ctx, description, candidates, named));
  out.push(...surroundedReferences(ctx, description, candidates));
  return out;
}

function betweenReferences(
  ctx: Context,
  description: Description,
  candidates: readonly Describable[],
  named: readonly { object: Describable; description: Description }[],
): Reference[] {
  const out: Reference[] = [];
  const things = named.filter((n) => n.object.kind !== 'person' && n.object.kind !== 'robot');
  const inBetween = (c: Describable, a: Describable, b: Describable) => {
    if (c === a || c === b) return false;
    const { along, across } = segmentOffset(c.position, a.position, b.position);
    return along > 0.2 && along < 0.8 && across < ctx.scale.margin * 1.5 && distance(a.position, b.position) < 4 * ctx.scale.near;
  };
  for (let i = 0; i < things.length; i++) {
    for (let j = i + 1; j < things.length; j++) {
      const a = things[i].object;
      const b = things[j].object;
      if (inBetween(ctx.target, a, b) && !candidates.some((c) => c !== ctx.target && inBetween(c, a, b))) {
        out.push({
          target: description,
          locations: [],
          relation: { type: 'between', reference: things[i].description, reference2: things[j].description, viewpoint: null },
          ordinal: 0,
          weight: 0.6,
        });
      }
    }
  }
  return out;
}

/** "The yellow block surrounded by orange blocks": several same-coloured neighbours all round. */
function surroundedReferences(ctx: Context, description: Description, candidates: readonly Describable[]): Reference[] {
  const out: Reference[] = [];
  const colours = new Set(ctx.things.map((o) => o.colour));
  for (const colour of colours) {
    const surrounders = (c: Describable) =>
      ctx.things.filter((o) => o !== c && o.colour === colour && distance(o.position, c.position) < ctx.scale.near);
    const isSurrounded = (c: Describable) => {
      const around = surrounders(c);
      return around.length >= 3 && angularCoverage(c.position, around.map((o) => o.position)) >= Math.PI;
    };
    if (isSurrounded(ctx.target) && !candidates.some((c) => c !== ctx.target && isSurrounded(c))) {
      const kind = ctx.target.kind === 'block' ? 'block' : undefined;
      out.push({
        target: description,
        locations: [],
        relation: { type: 'surrounded_by', reference: { colour, kind, count: surrounders(ctx.target).length }, viewpoint: null },
        ordinal: 0,
        weight: 0.5,
      });
    }
  }
  return out;
}

/** Every true, unique way to single out `targetId`; empty only when the target is indistinguishable. */
export function referencesTo(objects: readonly Describable[], targetId: string, viewers: Viewers): Reference[] {
  const target = objects.find((o) => o.id === targetId);
  if (!target) throw new Error(`no object "${targetId}" in the scene`);
  const things = objects.filter((o) => o.kind !== 'person' && o.kind !== 'robot');
  const ctx: Context = { objects, target, viewers, scale: scaleFor(typicalExtent(things)), things };
  if (target.kind === 'person' || target.kind === 'robot') {
    return [{ target: { kind: target.kind }, locations: [], relation: null, ordinal: 0, weight: 1 }];
  }
  const out: Reference[] = [];
  for (const description of attributeDescriptions(target)) {
    const candidates = things.filter((o) => matches(o, description));
    const detail = Object.keys(description).length;
    if (candidates.length === 1) {
      out.push({ target: description, locations: [], relation: null, ordinal: 0, weight: 1.5 / detail });
      continue;
    }
    out.push(...locationReferences(ctx, description, candidates));
    out.push(...relationReferences(ctx, description, candidates));
  }
  return out;
}
