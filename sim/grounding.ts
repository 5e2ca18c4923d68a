/**
 * Resolving visual attention to an object with the instance mask, which never leaves the
 * simulator: the attended object is the attendable entity whose pixels carry the most heat.
 */
import { isAttendable } from './render';

export interface MaskFrame {
  readonly width: number;
  readonly height: number;
  readonly mask: Uint16Array;
  readonly entityIds: readonly string[];
}

export interface Grounding {
  /** The attendable entity with the most heat, or '' when no attendable pixel has any heat. */
  readonly object: string;
  /** Its share of the total heat (0..1). */
  readonly share: number;
}

/** Sums heat per entity over the mask; heat must have one non-negative value per pixel. */
export function groundAttention(heat: Float32Array, frame: MaskFrame): Grounding {
  const n = frame.width * frame.height;
  if (heat.length !== n) throw new Error(`heatmap has ${heat.length} values, the frame ${frame.width}x${frame.height} has ${n} pixels`);
  const sums = new Float64Array(frame.entityIds.length);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const h = heat[i]!;
    if (!(h > 0)) continue;
    total += h;
    const id = frame.mask[i]!;
    if (id < sums.length) sums[id]! += h;
  }
  let best = -1;
  for (let k = 0; k < sums.length; k++) {
    if (!isAttendable(frame.entityIds[k] ?? '')) continue;
    if (sums[k]! > 0 && (best < 0 || sums[k]! > sums[best]!)) best = k;
  }
  if (best < 0 || total <= 0) return { object: '', share: 0 };
  return { object: frame.entityIds[best] as string, share: sums[best]! / total };
}

/** The masks of the last few published frames, found again by their stamp. */
export class MaskRing {
  private readonly entries: { key: string; frame: MaskFrame }[] = [];

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`MaskRing: capacity must be a positive integer, got ${capacity}`);
  }

  static key(stamp: { sec: number; nanosec: number }): string {
    return `${stamp.sec}.${stamp.nanosec}`;
  }

  put(stamp: { sec: number; nanosec: number }, frame: MaskFrame): void {
    this.entries.push({ key: MaskRing.key(stamp), frame });
    if (this.entries.length > this.capacity) this.entries.shift();
  }

  find(stamp: { sec: number; nanosec: number }): MaskFrame | undefined {
    const key = MaskRing.key(stamp);
    for (let i = this.entries.length - 1; i >= 0; i--) if (this.entries[i]!.key === key) return this.entries[i]!.frame;
    return undefined;
  }

  clear(): void {
    this.entries.length = 0;
  }

  get size(): number {
    return this.entries.length;
  }
}
