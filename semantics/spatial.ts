/**
 * Spatial terms as geometry on the table plane, in a viewer's frame.
 *
 * The corpus generator uses the crisp predicates (with margins, so that a generated reminder is
 * true beyond doubt); the visual stage computes the same quantities for the objects it perceives
 * and learns how to weigh them. One definition for both keeps "left of" meaning the same thing.
 */
import type { LocationTerm, RelationType, ViewpointWord } from './meaning';

export interface PlanePoint {
  readonly x: number;
  readonly y: number;
}

/** Where a viewer sits and which way it faces, on the table plane. */
export interface ViewFrame {
  readonly origin: PlanePoint;
  /** Unit vector the viewer faces. */
  readonly forward: PlanePoint;
}

/** The two viewers of every scene: the person across the table and the robot. */
export interface Viewers {
  readonly speaker: ViewFrame;
  readonly robot: ViewFrame;
}

/**
 * A viewer at `origin` seated at one side of the table, facing straight across it (along -x from
 * the person's side, +x from the robot's). People mean "left" and "in front" by how they sit,
 * not by where the table's centre happens to be, so the frame does not turn with their seat.
 */
export function frameFacingAcross(origin: PlanePoint): ViewFrame {
  if (Math.abs(origin.x) < 1e-9) throw new Error('a viewer must sit at one side of the table (x != 0)');
  return { origin, forward: { x: origin.x > 0 ? -1 : 1, y: 0 } };
}

export function viewersFor(person: PlanePoint, robot: PlanePoint): Viewers {
  return { speaker: frameFacingAcross(person), robot: frameFacingAcross(robot) };
}

/** Unmarked left/right/front/back are read in the speaker's frame: people describe what they see. */
export function frameOf(viewers: Viewers, viewpoint: ViewpointWord): ViewFrame {
  return viewpoint === 'robot' ? viewers.robot : viewers.speaker;
}

/** Signed distance to the viewer's right (metres). */
export function lateral(point: PlanePoint, frame: ViewFrame): number {
  const rightX = frame.forward.y;
  const rightY = -frame.forward.x;
  return (point.x - frame.origin.x) * rightX + (point.y - frame.origin.y) * rightY;
}

/** Distance along the viewer's line of sight: small is "front" (near the viewer). */
export function depth(point: PlanePoint, frame: ViewFrame): number {
  return (point.x - frame.origin.x) * frame.forward.x + (point.y - frame.origin.y) * frame.forward.y;
}

export function distance(a: PlanePoint, b: PlanePoint): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

export function centroid(points: readonly PlanePoint[]): PlanePoint {
  if (points.length === 0) throw new Error('centroid of no points');
  let x = 0;
  let y = 0;
  for (const p of points) {
    x += p.x;
    y += p.y;
  }
  return { x: x / points.length, y: y / points.length };
}

/** Distance from a point to its nearest neighbour among others (Infinity when alone). */
export function nearestNeighbourDistance(point: PlanePoint, others: readonly PlanePoint[]): number {
  let best = Infinity;
  for (const other of others) {
    if (other === point) continue;
    const d = distance(point, other);
    if (d > 1e-9 && d < best) best = d;
  }
  return best;
}

/**
 * The value a location term ranks candidates by: the candidate with the LARGEST value is the one
 * the term picks ("left" picks the most negative lateral, so its key is -lateral).
 */
export function locationKey(
  term: LocationTerm,
  point: PlanePoint,
  frame: ViewFrame,
  allObjects: readonly PlanePoint[],
): number {
  switch (term) {
    case 'left':
      return -lateral(point, frame);
    case 'right':
      return lateral(point, frame);
    case 'front':
      return -depth(point, frame);
    case 'back':
      return depth(point, frame);
    case 'middle':
      return -distance(point, centroid(allObjects));
    case 'alone':
      return nearestNeighbourDistance(point, allObjects);
  }
}

/** Relation geometry of `subject` to `reference` in a frame, in metres. */
export interface RelationGeometry {
  /** How far the subject is to the viewer's right of the reference. */
  readonly dLateral: number;
  /** How far the subject is beyond the reference, away from the viewer. */
  readonly dDepth: number;
  readonly distance: number;
}

export function relationGeometry(subject: PlanePoint, reference: PlanePoint, frame: ViewFrame): RelationGeometry {
  return {
    dLateral: lateral(subject, frame) - lateral(reference, frame),
    dDepth: depth(subject, frame) - depth(reference, frame),
    distance: distance(subject, reference),
  };
}

/** Scale of the scene's objects: margins and "near" distances grow with it. */
export interface SpatialScale {
  /** Below this difference two positions do not count as left/right or in front/behind. */
  readonly margin: number;
  /** Within this distance objects are "next to" each other. */
  readonly near: number;
}

export function scaleFor(typicalObjectSize: number): SpatialScale {
  return { margin: 0.5 * typicalObjectSize, near: 2.5 * typicalObjectSize };
}

/**
 * Whether a directional or proximity relation clearly holds between two objects (crisp, with the
 * scale's margins). Superlative relations (closest_to, farthest_from), `between`, `surrounded_by`
 * and `in` need the other objects too; see the corpus generator.
 */
export function pairRelationHolds(
  type: Extract<RelationType, 'left_of' | 'right_of' | 'in_front_of' | 'behind' | 'next_to'>,
  g: RelationGeometry,
  scale: SpatialScale,
): boolean {
  const mostlyLateral = Math.abs(g.dLateral) > Math.abs(g.dDepth);
  const close = g.distance < 3 * scale.near;
  switch (type) {
    case 'left_of':
      return close && mostlyLateral && g.dLateral < -scale.margin;
    case 'right_of':
      return close && mostlyLateral && g.dLateral > scale.margin;
    case 'in_front_of':
      return close && !mostlyLateral && g.dDepth < -scale.margin;
    case 'behind':
      return close && !mostlyLateral && g.dDepth > scale.margin;
    case 'next_to':
      return g.distance < scale.near;
  }
}

/** How far `point` lies from the segment a-b, and where along it (0 at a, 1 at b). */
export function segmentOffset(point: PlanePoint, a: PlanePoint, b: PlanePoint): { along: number; across: number } {
  const abx = b.x - a.x;
  const aby = b.y - a.y;
  const length2 = abx * abx + aby * aby;
  if (length2 < 1e-12) return { along: 0, across: distance(point, a) };
  const along = ((point.x - a.x) * abx + (point.y - a.y) * aby) / length2;
  const px = a.x + along * abx;
  const py = a.y + along * aby;
  return { along, across: Math.hypot(point.x - px, point.y - py) };
}

/** Angular coverage (radians, 0..2π) of the neighbours around a point: 2π means all round. */
export function angularCoverage(point: PlanePoint, neighbours: readonly PlanePoint[]): number {
  if (neighbours.length === 0) return 0;
  const angles = neighbours.map((n) => Math.atan2(n.y - point.y, n.x - point.x)).sort((a, b) => a - b);
  let largestGap = 0;
  for (let i = 0; i < angles.length; i++) {
    const next = i + 1 < angles.length ? angles[i + 1] : angles[0] + 2 * Math.PI;
    largestGap = Math.max(largestGap, next - angles[i]);
  }
  return 2 * Math.PI - largestGap;
}
