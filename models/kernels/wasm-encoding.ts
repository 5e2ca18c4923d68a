/**
 * Just enough of the WebAssembly binary format (core 2.0 with fixed-width SIMD) to emit the
 * generated inference kernels: one module, its own exported memory, functions of i32/f32
 * parameters. Kernels are generated per layer shape at model load so that every shape figure is an
 * immediate (load offsets, loop bounds), which is what lets V8 keep the inner loops tight.
 */

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;
export type ValueType = typeof I32 | typeof F32 | typeof V128;

/** Single-byte core opcodes used by the kernels. */
export const Op = {
  block: 0x02,
  loop: 0x03,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Const: 0x41,
  f32Const: 0x43,
  i32Eqz: 0x45,
  i32Ne: 0x47,
  i32LtU: 0x49,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
} as const;

/** SIMD opcodes (after the 0xfd prefix). */
export const Simd = {
  load: 0x00,
  load32Splat: 0x09,
  store: 0x0b,
  const: 0x0c,
  f32x4Splat: 0x13,
  i16x8NarrowI32x4S: 0x85,
  i16x8MaxS: 0x98,
  i16x8ExtendLowI8x16U: 0x89,
  i16x8ExtendHighI8x16U: 0x8a,
  store64Lane: 0x5b,
  i32x4Add: 0xae,
  i32x4DotI16x8S: 0xba,
  f32x4Add: 0xe4,
  f32x4Mul: 0xe6,
  f32x4Min: 0xe8,
  f32x4Max: 0xe9,
  i32x4TruncSatF32x4S: 0xf8,
  f32x4ConvertI32x4S: 0xfa,
  f32x4Nearest: 0x6a,
} as const;

export function unsignedLeb(value: number): number[] {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`not a u32: ${value}`);
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

export function signedLeb(value: number): number[] {
  if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) throw new RangeError(`not an i32: ${value}`);
  const bytes: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
    bytes.push(done ? byte : byte | 0x80);
    if (done) return bytes;
  }
}

function utf8Name(name: string): number[] {
  const bytes = [...Buffer.from(name, 'utf8')];
  return [...unsignedLeb(bytes.length), ...bytes];
}

function vector(items: readonly number[][]): number[] {
  return [...unsignedLeb(items.length), ...items.flat()];
}

function section(id: number, content: number[]): number[] {
  return [id, ...unsignedLeb(content.length), ...content];
}

/** A function body under construction: instructions appended in order. */
export class FunctionBody {
  readonly code: number[] = [];
  private readonly locals: ValueType[] = [];

  constructor(readonly params: readonly ValueType[]) {}

  /** Declares a local and returns its index (parameters come first). */
  local(type: ValueType): number {
    this.locals.push(type);
    return this.params.length + this.locals.length - 1;
  }

  emit(...bytes: number[]): this {
    this.code.push(...bytes);
    return this;
  }

  get(index: number): this {
    return this.emit(Op.localGet, ...unsignedLeb(index));
  }

  set(index: number): this {
    return this.emit(Op.localSet, ...unsignedLeb(index));
  }

  tee(index: number): this {
    return this.emit(Op.localTee, ...unsignedLeb(index));
  }

  i32(value: number): this {
    return this.emit(Op.i32Const, ...signedLeb(value));
  }

  f32(value: number): this {
    const bytes = new Uint8Array(new Float32Array([value]).buffer);
    return this.emit(Op.f32Const, ...bytes);
  }

  /** Leaves local - 1 on the stack and stores it: the condition of a loop counting down to zero. */
  countDown(index: number): this {
    return this.get(index).i32(1).emit(Op.i32Sub).tee(index);
  }

  /** local = local + delta */
  addTo(index: number, delta: number): this {
    return this.get(index).i32(delta).emit(Op.i32Add).set(index);
  }

  simd(opcode: number): this {
    return this.emit(0xfd, ...unsignedLeb(opcode));
  }

  /** A SIMD memory access: address on the stack, `offset` an immediate; alignment hint 1 byte. */
  simdMemory(opcode: number, offset: number): this {
    return this.emit(0xfd, ...unsignedLeb(opcode), 0, ...unsignedLeb(offset));
  }

  /** A SIMD lane store: address then vector on the stack, `offset` and `lane` immediates. */
  simdLane(opcode: number, offset: number, lane: number): this {
    return this.emit(0xfd, ...unsignedLeb(opcode), 0, ...unsignedLeb(offset), lane);
  }

  zeroVector(): this {
    return this.simd(Simd.const).emit(...new Array(16).fill(0));
  }

  /** A do-while loop: `body` runs, then the loop repeats while `condition` leaves non-zero. */
  doWhile(body: () => void, condition: () => void): this {
    this.emit(Op.loop, 0x40);
    body();
    condition();
    return this.emit(Op.brIf, 0, Op.end);
  }

  encode(): number[] {
    const groups: number[][] = [];
    for (const type of this.locals) {
      const last = groups[groups.length - 1];
      if (last && last[1] === type) last[0]++;
      else groups.push([1, type]);
    }
    const declared = vector(groups.map(([count, type]) => [...unsignedLeb(count), type]));
    const body = [...declared, ...this.code, Op.end];
    return [...unsignedLeb(body.length), ...body];
  }
}

export interface ExportedFunction {
  readonly name: string;
  readonly body: FunctionBody;
}

/** A module of functions returning nothing, with one exported memory ("memory") of `pages` 64 KiB pages. */
export function encodeModule(functions: readonly ExportedFunction[], pages: number): Uint8Array {
  const types = vector(functions.map((f) => [0x60, ...vector(f.body.params.map((type) => [type])), 0]));
  const functionIndices = vector(functions.map((_, i) => unsignedLeb(i)));
  const memory = vector([[0x00, ...unsignedLeb(pages)]]);
  const exports = vector([...functions.map((f, i) => [...utf8Name(f.name), 0x00, ...unsignedLeb(i)]), [...utf8Name('memory'), 0x02, 0]]);
  const code = vector(functions.map((f) => f.body.encode()));
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, types),
    ...section(3, functionIndices),
    ...section(5, memory),
    ...section(7, exports),
    ...section(10, code),
  ]);
}
