/**
 * What the robot saw while the person spoke. One frame's object classifier is wrong on some
 * objects (a pitcher half behind the arm reads as a mug), but the same object seen in twenty frames
 * a second apart is mostly seen right: the arm has moved on. So each object is tracked from frame to
 * frame while a reminder is spoken, and the frame the reminder is grounded on gets, for each
 * object, its kind, state and colour averaged over its track.
 *
 * A sighting extends the track it is closest to, where that track was last seen or where it stands
 * on average (a gear on the belt moves a centimetre a frame; what the arm leaves visible of a still
 * cup moves about its middle), if its colour agrees. A track ends after maxGapMs unseen: by then
 * another gear can stand where the last one was seen.
 * Only the classes are pooled, never the pixels: the heatmap and the attended object stay those of
 * the frame grounded on. What the robot holds (`unsteady`) is neither tracked nor pooled: it moves
 * with the arm, past other things.
 *
 * An object hidden in the frame grounded on (the cup under the pouring arm, which is when "not
 * beside the mug, into it" is said) is offered too, as it was last seen: see `recalled`. The
 * attention node then stamps its attention with that frame, so the heat stays on the object's pixels.
 */
import { PIXEL_KINDS } from './labels';
import { PERCEPTION_STRIDE } from './perception-model';
import { placeOnTable, type PerceivedInstance, type TableCamera } from './instances';

export interface PerceptionMemoryOptions {
  /** A track not seen for longer than this ends, ms. */
  readonly maxGapMs: number;
  /** An object moves less than this between two sightings of its track, m. */
  readonly matchDistance: number;
  /** The pooled instances of this many recent frames are kept for grounding. */
  readonly maxFrames: number;
  /** A still object seen steadily until this long ago but hidden now is recalled, ms (0: never). */
  readonly recallMs: number;
}

export const DEFAULT_PERCEPTION_MEMORY: PerceptionMemoryOptions = { maxGapMs: 3000, matchDistance: 0.03, maxFrames: 8, recallMs: 1500 };

/** Where sightings are compared: every kind read at one height, so a changed kind does not move it. */
const MATCH_HEIGHT = 0.04;

/** A track whose last sighting is this close to its average one has not moved, m. */
const STILL = 0.015;

/** A hidden object's cells (where it was last seen) at least this share covered now. */
const MIN_HIDDEN = 0.5;

/** Colour distributions that share less than this are two objects, however close. */
const MIN_COLOUR_AGREEMENT = 0.25;

interface Track {
  /** Where it was last seen. */
  x: number;
  y: number;
  /** Sums of where it was seen (a still object's best estimate: the arm shifts what is visible of it). */
  sumX: number;
  sumY: number;
  /** Sums of its centre in the image. */
  sumU: number;
  sumV: number;
  lastMs: number;
  count: number;
  /** Its sighting in the frame it was last seen in. */
  last: PerceivedInstance;
  readonly kind: Float32Array;
  readonly state: Float32Array;
  readonly colour: Float32Array;
}

interface PooledFrame {
  readonly stampMs: number;
  readonly instances: readonly PerceivedInstance[];
}

function argmax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** Probability mass two colour distributions share; `b` summed over `count` sightings. */
function colourAgreement(a: Float32Array, b: Float32Array, count: number): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.min(a[i], b[i] / count);
  return sum;
}

function addInto(sum: Float32Array, values: Float32Array): void {
  for (let i = 0; i < sum.length; i++) sum[i] += values[i];
}

export class PerceptionMemory {
  private tracks: Track[] = [];
  private frames: PooledFrame[] = [];

  constructor(
    private readonly camera: TableCamera,
    private readonly options: PerceptionMemoryOptions = DEFAULT_PERCEPTION_MEMORY,
  ) {
    if (!(options.maxGapMs >= 0) || !(options.maxFrames >= 1) || !(options.matchDistance > 0)) {
      throw new Error(`perception memory needs maxGapMs >= 0, maxFrames >= 1 and matchDistance > 0, got ${JSON.stringify(options)}`);
    }
  }

  /** Objects followed now. */
  get trackCount(): number {
    return this.tracks.length;
  }

  /** Forgets everything (a new reminder begins: what was seen before belongs to another moment). */
  clear(): void {
    this.tracks = [];
    this.frames = [];
  }

  /**
   * Follows the objects of one perceived frame, newer than the last, but for the instances indexed
   * in `unsteady`. An older or repeated stamp is ignored. `covered` (the frame's cells that show
   * something other than bare surface) lets a still object hidden under the arm be recalled.
   */
  remember(stampMs: number, instances: readonly PerceivedInstance[], unsteady: ReadonlySet<number> = new Set(), covered?: Uint8Array): void {
    const newest = this.frames.length > 0 ? this.frames[this.frames.length - 1].stampMs : -Infinity;
    if (!Number.isFinite(stampMs) || stampMs <= newest) return;
    this.tracks = this.tracks.filter((track) => stampMs - track.lastMs <= this.options.maxGapMs);
    const followed = instances.map((instance) => (unsteady.has(instance.index) || instance.kind === 'person' ? null : instance));
    const trackOf = this.follow(stampMs, followed);
    const pooled = instances.map((instance, i) => {
      const track = trackOf[i];
      return track && track.count > 1 ? this.pooledInstance(instance, track) : instance;
    });
    this.frames.push({ stampMs, instances: [...pooled, ...this.recalled(stampMs, pooled, new Set(trackOf), unsteady, covered)] });
    if (this.frames.length > this.options.maxFrames) this.frames.shift();
  }

  /**
   * The instances of the remembered frame stamped `stampMs`, each with kind, state and colour
   * averaged over its track up to that frame; `instances` as they are for a frame not remembered.
   */
  pooled(stampMs: number, instances: readonly PerceivedInstance[]): readonly PerceivedInstance[] {
    const frame = this.frames.find((f) => f.stampMs === stampMs);
    return frame && frame.instances.length >= instances.length ? frame.instances : instances;
  }

  /** Extends the tracks with this frame's sightings (closest pairs first) and starts new ones; the track of each. */
  private follow(stampMs: number, instances: readonly (PerceivedInstance | null)[]): (Track | null)[] {
    const at = instances.map((instance) => (instance ? this.camera.unprojectToTable(instance.u, instance.v, MATCH_HEIGHT) : null));
    const candidates: Array<{ i: number; track: Track; distance: number }> = [];
    instances.forEach((instance, i) => {
      const p = at[i];
      if (!instance || !p) return;
      for (const track of this.tracks) {
        const distance = Math.min(Math.hypot(p.x - track.x, p.y - track.y), Math.hypot(p.x - track.sumX / track.count, p.y - track.sumY / track.count));
        if (distance <= this.options.matchDistance && colourAgreement(instance.colourProbs, track.colour, track.count) >= MIN_COLOUR_AGREEMENT) {
          candidates.push({ i, track, distance });
        }
      }
    });
    candidates.sort((a, b) => a.distance - b.distance);
    const trackOf: (Track | null)[] = instances.map(() => null);
    const extended = new Set<Track>();
    for (const { i, track } of candidates) {
      if (trackOf[i] || extended.has(track)) continue;
      trackOf[i] = track;
      extended.add(track);
    }
    instances.forEach((instance, i) => {
      const p = at[i];
      if (!instance || !p) return;
      let track = trackOf[i];
      if (track) {
        addInto(track.kind, instance.kindProbs);
        addInto(track.state, instance.stateProbs);
        addInto(track.colour, instance.colourProbs);
        track.count += 1;
      } else {
        track = { x: 0, y: 0, sumX: 0, sumY: 0, sumU: 0, sumV: 0, lastMs: 0, count: 1, last: instance, kind: Float32Array.from(instance.kindProbs), state: Float32Array.from(instance.stateProbs), colour: Float32Array.from(instance.colourProbs) };
        this.tracks.push(track);
        trackOf[i] = track;
      }
      track.x = p.x;
      track.y = p.y;
      track.sumX += p.x;
      track.sumY += p.y;
      track.sumU += instance.u;
      track.sumV += instance.v;
      track.lastMs = stampMs;
      track.last = instance;
    });
    return trackOf;
  }

  /**
   * Still objects seen steadily (three sightings or more) until a moment ago and not seen now: the
   * cup under the pouring arm. One is recalled only where its cells now show something (the arm,
   * what it holds), not bare table (taken away), and no other steady object stands in its place.
   * Indexed after the frame's own instances. Without `covered`, nothing is recalled.
   */
  private recalled(
    stampMs: number,
    seen: readonly PerceivedInstance[],
    extended: ReadonlySet<Track | null>,
    unsteady: ReadonlySet<number>,
    covered: Uint8Array | undefined,
  ): PerceivedInstance[] {
    if (this.options.recallMs <= 0 || !covered) return [];
    const out: PerceivedInstance[] = [];
    for (const track of this.tracks) {
      if (extended.has(track) || track.count < 3 || stampMs - track.lastMs > this.options.recallMs) continue;
      const mx = track.sumX / track.count;
      const my = track.sumY / track.count;
      if (Math.hypot(track.x - mx, track.y - my) > STILL) continue;
      let hidden = 0;
      for (const cell of track.last.cells) hidden += covered[cell] ?? 0;
      if (hidden < MIN_HIDDEN * track.last.cells.length) continue;
      const replaced = seen.some((instance) => {
        if (unsteady.has(instance.index) || instance.kind === 'robot' || instance.kind === 'person') return false;
        const at = this.camera.unprojectToTable(instance.u, instance.v, MATCH_HEIGHT);
        return Math.hypot(at.x - mx, at.y - my) <= this.options.matchDistance;
      });
      if (replaced) continue;
      out.push({ ...this.pooledInstance(track.last, track), index: seen.length + out.length, recalledFrom: track.lastMs });
    }
    return out;
  }

  private pooledInstance(instance: PerceivedInstance, track: Track): PerceivedInstance {
    const mean = (sum: Float32Array) => sum.map((value) => value / track.count);
    const kindProbs = mean(track.kind);
    const kind = PIXEL_KINDS[argmax(kindProbs)];
    // A still object stands where it was seen on average: the arm passing by shifts what is visible of it.
    const still = Math.hypot(track.x - track.sumX / track.count, track.y - track.sumY / track.count) <= STILL;
    const [u, v] = still ? [track.sumU / track.count, track.sumV / track.count] : [instance.u, instance.v];
    const placed = kind === instance.kind && !still ? {} : placeOnTable(u, v, instance.cells.length, kind, this.camera, PERCEPTION_STRIDE);
    return { ...instance, kindProbs, stateProbs: mean(track.state), colourProbs: mean(track.colour), kind, ...placed };
  }
}
