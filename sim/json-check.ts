/**
 * Small runtime checks for JSON input that name the path of a bad field
 * (`objects[2].colour: "teal" is not a colour; expected one of ...`).
 */
export class SceneFormatError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = 'SceneFormatError';
  }
}

export type Json = unknown;

export const show = (v: unknown): string => {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return String(v);
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : typeof v;
};

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function record(v: unknown, path: string, allowed: readonly string[]): Record<string, unknown> {
  if (!isRecord(v)) throw new SceneFormatError(path === '' ? 'scene' : path, `expected an object, got ${show(v)}`);
  for (const key of Object.keys(v)) {
    if (!allowed.includes(key)) throw new SceneFormatError(path === '' ? key : `${path}.${key}`, `is not a field here; expected one of ${allowed.join(', ')}`);
  }
  return v;
}

export function required(r: Record<string, unknown>, key: string, path: string): unknown {
  if (!(key in r) || r[key] === undefined) throw new SceneFormatError(join(path, key), 'is missing');
  return r[key];
}

export const join = (path: string, key: string | number): string =>
  typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;

export function finite(v: unknown, path: string): number {
  if (typeof v !== 'number') throw new SceneFormatError(path, `expected a number, got ${show(v)}`);
  if (!Number.isFinite(v)) throw new SceneFormatError(path, `must be a finite number, got ${v}`);
  return v;
}

export function str(v: unknown, path: string): string {
  if (typeof v !== 'string') throw new SceneFormatError(path, `expected a string, got ${show(v)}`);
  return v;
}

export function oneOf<T extends string>(v: unknown, path: string, choices: readonly T[], what: string): T {
  if (typeof v !== 'string' || !(choices as readonly string[]).includes(v)) {
    throw new SceneFormatError(path, `${show(v)} is not ${what}; expected one of ${choices.join(', ')}`);
  }
  return v as T;
}

export function tuple3(v: unknown, path: string): [number, number, number] {
  if (!Array.isArray(v) || v.length !== 3) throw new SceneFormatError(path, `expected [x, y, z] (three numbers), got ${show(v)}${Array.isArray(v) ? ` of length ${v.length}` : ''}`);
  return [finite(v[0], join(path, 0)), finite(v[1], join(path, 1)), finite(v[2], join(path, 2))];
}

/** A point as {x, y, z} (z optional, default 0) or [x, y, z]. */
export function point(v: unknown, path: string): { x: number; y: number; z: number } {
  if (Array.isArray(v)) {
    const [x, y, z] = tuple3(v, path);
    return { x, y, z };
  }
  const r = record(v, path, ['x', 'y', 'z']);
  return {
    x: finite(required(r, 'x', path), join(path, 'x')),
    y: finite(required(r, 'y', path), join(path, 'y')),
    z: r.z === undefined ? 0 : finite(r.z, join(path, 'z')),
  };
}
