/**
 * Checks messages against their definitions and copies them, and builds default-filled messages.
 *
 * One converter is compiled per type and cached, so the hot path is a walk over precomputed field
 * lists. A converter checks and copies in one pass: the graph publishes the copy, so a publisher may
 * reuse and change its message object after `publish` (as rclcpp/rclpy serialise at publish time).
 * Numeric arrays arrive as number[] (checked element by element) or as their TypedArray (checked
 * by class and length only, so a 640x480 rgb8 image costs one memcpy); the copy is always the
 * TypedArray. Errors name the type and the field path:
 * `sensor_msgs/msg/Image.data: expected uint8[] but got string`.
 */
import type { MessageOf, MessageTypeName, RequestOf, ResponseOf, ServiceTypeName } from './messages';
import { INTERFACE_SOURCES } from './messages';
import {
  type ArrayShape,
  type FieldDefinition,
  MessageRegistry,
  type MessageTypeDefinition,
  type PrimitiveType,
} from './message-registry';

/** A message that does not match its definition. */
export class MessageValidationError extends Error {
  constructor(
    readonly typeName: string,
    readonly fieldPath: string,
    readonly problem: string,
  ) {
    super(`${typeName}${fieldPath ? `.${fieldPath}` : ''}: ${problem}`);
    this.name = 'MessageValidationError';
  }
}

/** Thrown inside converters; the path grows from the failing leaf outwards, then is joined once. */
class FieldProblem {
  readonly path: (string | number)[] = [];
  constructor(readonly problem: string) {}
}

type Converter = (value: unknown) => unknown;

let suiteRegistry: MessageRegistry | undefined;

/** The registry of the standard ros2jazzy types and the suite's h2r_interfaces. */
export function messageRegistry(): MessageRegistry {
  suiteRegistry ??= MessageRegistry.withStandardTypes(INTERFACE_SOURCES);
  return suiteRegistry;
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  if (typeof value === 'number') return `number ${value}`;
  if (typeof value === 'bigint') return `bigint ${value}`;
  return typeof value;
}

const INTEGER_RANGES: Partial<Record<PrimitiveType, readonly [number, number]>> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
};
const BIGINT_RANGES: Partial<Record<PrimitiveType, readonly [bigint, bigint]>> = {
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
};
const FLOAT32_MAX = 3.4028234663852886e38;

type TypedArrayConstructor =
  | Int8ArrayConstructor
  | Uint8ArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor;

const TYPED_ARRAYS: Partial<Record<PrimitiveType, TypedArrayConstructor>> = {
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  float32: Float32Array,
  float64: Float64Array,
};

function primitiveConverter(type: PrimitiveType, stringMaxLength?: number): Converter {
  const range = INTEGER_RANGES[type];
  if (range) {
    const [min, max] = range;
    return (value) => {
      if (typeof value !== 'number') throw new FieldProblem(`expected ${type} but got ${describeValue(value)}`);
      if (!Number.isInteger(value)) throw new FieldProblem(`expected ${type} but got ${value} (not an integer)`);
      if (value < min || value > max) throw new FieldProblem(`${type} value ${value} is out of range ${min}..${max}`);
      return value;
    };
  }
  const bigRange = BIGINT_RANGES[type];
  if (bigRange) {
    const [min, max] = bigRange;
    return (value) => {
      let big: bigint;
      if (typeof value === 'bigint') big = value;
      else if (typeof value === 'number' && Number.isSafeInteger(value)) big = BigInt(value);
      else throw new FieldProblem(`expected ${type} (bigint or safe integer) but got ${describeValue(value)}`);
      if (big < min || big > max) throw new FieldProblem(`${type} value ${big} is out of range ${min}..${max}`);
      return big;
    };
  }
  switch (type) {
    case 'float32':
      return (value) => {
        if (typeof value !== 'number') throw new FieldProblem(`expected float32 but got ${describeValue(value)}`);
        if (Math.abs(value) > FLOAT32_MAX && Number.isFinite(value)) {
          throw new FieldProblem(`float32 value ${value} is out of range (largest magnitude ${FLOAT32_MAX})`);
        }
        return value;
      };
    case 'float64':
      return (value) => {
        if (typeof value !== 'number') throw new FieldProblem(`expected float64 but got ${describeValue(value)}`);
        return value;
      };
    case 'bool':
      return (value) => {
        if (typeof value !== 'boolean') throw new FieldProblem(`expected bool but got ${describeValue(value)}`);
        return value;
      };
    default:
      return (value) => {
        if (typeof value !== 'string') throw new FieldProblem(`expected ${type} but got ${describeValue(value)}`);
        if (stringMaxLength !== undefined && Buffer.byteLength(value) > stringMaxLength) {
          throw new FieldProblem(`${type}<=${stringMaxLength} is ${Buffer.byteLength(value)} bytes long`);
        }
        return value;
      };
  }
}

function arrayTypeName(field: FieldDefinition, shape: ArrayShape): string {
  if (shape.kind === 'fixed') return `${field.type}[${shape.length}]`;
  if (shape.kind === 'bounded') return `${field.type}[<=${shape.maxLength}]`;
  return `${field.type}[]`;
}

function checkLength(field: FieldDefinition, shape: ArrayShape, length: number): void {
  if (shape.kind === 'fixed' && length !== shape.length) {
    throw new FieldProblem(`expected ${arrayTypeName(field, shape)} but got ${length} elements`);
  }
  if (shape.kind === 'bounded' && length > shape.maxLength) {
    throw new FieldProblem(`expected ${arrayTypeName(field, shape)} but got ${length} elements`);
  }
}

function withIndex(problem: unknown, index: number): unknown {
  if (problem instanceof FieldProblem) problem.path.push(index);
  return problem;
}

function arrayConverter(field: FieldDefinition, shape: ArrayShape, element: Converter): Converter {
  const typeName = arrayTypeName(field, shape);
  const Typed = field.isMessage ? undefined : TYPED_ARRAYS[field.type as PrimitiveType];
  const convertElements = (value: unknown[]): unknown[] => {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      try {
        out[i] = element(value[i]);
      } catch (problem) {
        throw withIndex(problem, i);
      }
    }
    return out;
  };
  if (!Typed) {
    return (value) => {
      if (!Array.isArray(value)) throw new FieldProblem(`expected ${typeName} but got ${describeValue(value)}`);
      checkLength(field, shape, value.length);
      return convertElements(value);
    };
  }
  const acceptsClamped = Typed === Uint8Array;
  return (value) => {
    if (value instanceof Typed || (acceptsClamped && value instanceof Uint8ClampedArray)) {
      checkLength(field, shape, value.length);
      return new Typed(value as ArrayLike<number>);
    }
    if (ArrayBuffer.isView(value)) {
      throw new FieldProblem(`expected ${typeName} but got ${describeValue(value)} (use number[] or ${Typed.name})`);
    }
    if (!Array.isArray(value)) throw new FieldProblem(`expected ${typeName} but got ${describeValue(value)}`);
    checkLength(field, shape, value.length);
    return Typed.from(convertElements(value) as number[]);
  };
}

/** Compiled converters per registry and type name. */
const convertersByRegistry = new WeakMap<MessageRegistry, Map<string, Converter>>();

function fieldConverter(registry: MessageRegistry, field: FieldDefinition): Converter {
  const element = field.isMessage
    ? messageConverter(registry, field.type)
    : primitiveConverter(field.type as PrimitiveType, field.stringMaxLength);
  return field.array ? arrayConverter(field, field.array, element) : element;
}

function messageConverter(registry: MessageRegistry, typeName: string): Converter {
  let converters = convertersByRegistry.get(registry);
  if (!converters) {
    converters = new Map();
    convertersByRegistry.set(registry, converters);
  }
  const cached = converters.get(typeName);
  if (cached) return cached;
  const definition: MessageTypeDefinition = registry.message(typeName);
  const names = definition.fields.map((f) => f.name);
  const known = new Set(names);
  const convert = definition.fields.map((f) => fieldConverter(registry, f));
  const count = names.length;
  const converter: Converter = (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || ArrayBuffer.isView(value)) {
      throw new FieldProblem(`expected a ${typeName} message but got ${describeValue(value)}`);
    }
    const source = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (let i = 0; i < count; i++) {
      const name = names[i]!;
      const fieldValue = source[name];
      if (fieldValue === undefined) {
        const problem = new FieldProblem('missing');
        problem.path.push(name);
        throw problem;
      }
      try {
        out[name] = convert[i]!(fieldValue);
      } catch (problem) {
        if (problem instanceof FieldProblem) problem.path.push(name);
        throw problem;
      }
    }
    let present = 0;
    for (const key in source) if (Object.prototype.hasOwnProperty.call(source, key)) present++;
    if (present !== count) {
      const extra = Object.keys(source).find((key) => !known.has(key)) ?? '?';
      const problem = new FieldProblem(`unknown field (${typeName} has ${names.join(', ') || 'no fields'})`);
      problem.path.push(extra);
      throw problem;
    }
    return out;
  };
  converters.set(typeName, converter);
  return converter;
}

function joinPath(path: readonly (string | number)[]): string {
  let text = '';
  for (let i = path.length - 1; i >= 0; i--) {
    const part = path[i]!;
    text += typeof part === 'number' ? `[${part}]` : text ? `.${part}` : part;
  }
  return text;
}

/** Checks a value against one message type and returns a copy of it. */
export type MessageChecker = (value: unknown) => unknown;

/**
 * Compiles (once per type) the checker of message type `typeName`. It returns a copy of a valid
 * value and throws a MessageValidationError naming the type and field path for an invalid one.
 * Throws at once for an unknown type.
 */
export function messageChecker(typeName: string, registry: MessageRegistry = messageRegistry()): MessageChecker {
  const converter = messageConverter(registry, typeName);
  return (value) => {
    try {
      return converter(value);
    } catch (problem) {
      if (problem instanceof FieldProblem) throw new MessageValidationError(typeName, joinPath(problem.path), problem.problem);
      throw problem;
    }
  };
}

export function checkMessage(typeName: string, value: unknown, registry: MessageRegistry = messageRegistry()): unknown {
  return messageChecker(typeName, registry)(value);
}

/** A checked copy of a message, typed by its ROS name. */
export function validateMessage<K extends MessageTypeName>(typeName: K, value: unknown): MessageOf<K> {
  return checkMessage(typeName, value) as MessageOf<K>;
}

export function validateRequest<K extends ServiceTypeName>(serviceType: K, value: unknown): RequestOf<K> {
  return checkMessage(messageRegistry().service(serviceType).request, value) as RequestOf<K>;
}

export function validateResponse<K extends ServiceTypeName>(serviceType: K, value: unknown): ResponseOf<K> {
  return checkMessage(messageRegistry().service(serviceType).response, value) as ResponseOf<K>;
}

function defaultPrimitive(type: PrimitiveType): unknown {
  if (type === 'bool') return false;
  if (type === 'string' || type === 'wstring') return '';
  if (type === 'int64' || type === 'uint64') return 0n;
  return 0;
}

function defaultField(registry: MessageRegistry, field: FieldDefinition): unknown {
  if (field.isMessage) {
    if (!field.array) return defaultMessage(registry, field.type);
    const length = field.array.kind === 'fixed' ? field.array.length : 0;
    return Array.from({ length }, () => defaultMessage(registry, field.type));
  }
  const type = field.type as PrimitiveType;
  const given = field.defaultValue;
  const isBig = type === 'int64' || type === 'uint64';
  if (!field.array) return given === undefined ? defaultPrimitive(type) : isBig ? BigInt(given as number) : given;
  const values: unknown[] = Array.isArray(given)
    ? [...(given as unknown[])]
    : Array.from({ length: field.array.kind === 'fixed' ? field.array.length : 0 }, () => defaultPrimitive(type));
  const Typed = TYPED_ARRAYS[type];
  if (Typed) return Typed.from(values as number[]);
  return isBig ? values.map((v) => BigInt(v as number)) : values;
}

function defaultMessage(registry: MessageRegistry, typeName: string): Record<string, unknown> {
  const message: Record<string, unknown> = {};
  for (const field of registry.message(typeName).fields) message[field.name] = defaultField(registry, field);
  return message;
}

/**
 * A new message with every field at its default: the `.msg` default when there is one, else 0,
 * 0n, false, '' and empty arrays (fixed-size arrays filled to their length), nested messages
 * filled the same way. Numeric arrays are TypedArrays.
 */
export function createMessage<K extends MessageTypeName>(typeName: K): MessageOf<K> {
  return defaultMessage(messageRegistry(), typeName) as unknown as MessageOf<K>;
}

export function createRequest<K extends ServiceTypeName>(serviceType: K): RequestOf<K> {
  const registry = messageRegistry();
  return defaultMessage(registry, registry.service(serviceType).request) as unknown as RequestOf<K>;
}

export function createResponse<K extends ServiceTypeName>(serviceType: K): ResponseOf<K> {
  const registry = messageRegistry();
  return defaultMessage(registry, registry.service(serviceType).response) as unknown as ResponseOf<K>;
}
