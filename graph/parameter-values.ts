/**
 * Parameter values typed the way ROS types them. YAML text (`-p name:=value`, parameter files) is
 * read as YAML 1.1 like rcl_yaml_param_parser: `3` is an integer, `3.0` a double, `true`/`yes`/`on`
 * a bool, `[1, 2]` an integer array; anything else is a string.
 *
 * One deliberate difference from rclcpp: an integer given for a double parameter (`-p rate:=10`
 * for a double `rate`) is accepted as that double, since no precision is lost. rclcpp rejects it
 * with InvalidParameterTypeException; a double for an integer parameter is rejected here too.
 */
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { ParameterDescriptor, ParameterType, ParameterValue } from './api';

/** An array with no elements fits every array type. */
const EMPTY_ARRAY = 'empty_array';
type YamlType = ParameterType | typeof EMPTY_ARRAY;

/** A value with the ROS type it was written as (`empty_array` fits every array type). */
export interface ParsedParameterValue {
  readonly type: YamlType;
  readonly value: ParameterValue;
}

export const YAML_OPTIONS = { version: '1.1', intAsBigInt: true } as const;

function scalarType(value: unknown): { type: 'bool' | 'integer' | 'double' | 'string'; value: boolean | number | string } | string {
  if (typeof value === 'boolean') return { type: 'bool', value };
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      return `integer ${value} is outside the range JavaScript numbers hold exactly`;
    }
    return { type: 'integer', value: Number(value) };
  }
  if (typeof value === 'number') return { type: 'double', value };
  if (typeof value === 'string') return { type: 'string', value };
  return `${value === null ? 'an empty value' : `a ${typeof value}`} is not a parameter value`;
}

/**
 * Types a value read from YAML with intAsBigInt (integers are bigint, so `3` and `3.0` differ).
 * Returns a problem description instead when it is not a ROS parameter value.
 */
export function typeYamlValue(value: unknown): ParsedParameterValue | string {
  if (!Array.isArray(value)) return scalarType(value);
  if (value.length === 0) return { type: EMPTY_ARRAY, value: [] };
  const typed = value.map(scalarType);
  const problem = typed.find((t): t is string => typeof t === 'string');
  if (problem) return `array element: ${problem}`;
  const scalars = typed as Exclude<ReturnType<typeof scalarType>, string>[];
  const types = new Set(scalars.map((t) => t.type));
  if (types.size === 2 && types.has('integer') && types.has('double')) types.delete('integer');
  if (types.size > 1) return `an array mixes ${[...types].join(' and ')} elements`;
  const [elementType] = [...types];
  return { type: `${elementType!}_array` as ParameterType, value: scalars.map((t) => t.value) as ParameterValue };
}

/** Parses the YAML text of `-p name:=text`. */
export function parseYamlParameterValue(text: string): ParsedParameterValue | string {
  const document = parseDocument(text, YAML_OPTIONS);
  if (document.errors.length > 0) return `not valid YAML (${document.errors[0]!.message.split('\n')[0]})`;
  if (isMap(document.contents)) return 'a map is not a parameter value';
  if (isSeq(document.contents) && document.contents.items.some((item) => !isScalar(item))) {
    return 'nested arrays and maps are not parameter values';
  }
  return typeYamlValue(document.toJS());
}

/** The ROS type of a value set from JavaScript (a whole number counts as an integer). */
export function typeOfJsValue(value: unknown): ParsedParameterValue | string {
  if (Array.isArray(value)) {
    if (value.length === 0) return { type: EMPTY_ARRAY, value: [] };
    return typeYamlValue(value.map((v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : v)));
  }
  if (typeof value === 'number' && Number.isInteger(value)) return scalarType(BigInt(value));
  return scalarType(value);
}

export function describeParameterValue(typed: ParsedParameterValue): string {
  if (typed.type === EMPTY_ARRAY) return 'an empty array';
  const text = typeof typed.value === 'string' ? `'${typed.value}'` : JSON.stringify(typed.value);
  return `${typed.type} ${text}`;
}

function coerce(given: ParsedParameterValue, expected: ParameterType): ParameterValue | undefined {
  if (given.type === expected) return given.value;
  if (given.type === EMPTY_ARRAY && expected.endsWith('_array')) return [] as unknown as ParameterValue;
  if (given.type === 'integer' && expected === 'double') return given.value;
  if (given.type === 'integer_array' && expected === 'double_array') return given.value;
  return undefined;
}

function inRange(value: number, range: { readonly from: number; readonly to: number }): boolean {
  return value >= range.from && value <= range.to;
}

/**
 * Checks a typed value against a descriptor and returns the value to store, or a reason to reject
 * it that names what was expected and what was given.
 */
export function checkParameterValue(
  given: ParsedParameterValue,
  descriptor: ParameterDescriptor,
): { readonly value: ParameterValue } | { readonly reason: string } {
  const value = coerce(given, descriptor.type);
  if (value === undefined) return { reason: `expected ${descriptor.type} but got ${describeParameterValue(given)}` };
  const elements = (Array.isArray(value) ? value : [value]) as readonly (number | string | boolean)[];
  const { range, choices } = descriptor;
  if (range) {
    const outside = elements.find((e) => typeof e === 'number' && !inRange(e, range));
    if (outside !== undefined) return { reason: `${outside} is out of range ${range.from}..${range.to}` };
  }
  if (choices) {
    const unknown = elements.find((e) => typeof e === 'string' && !choices.includes(e));
    if (unknown !== undefined) return { reason: `'${unknown}' is not one of ${choices.map((c) => `'${c}'`).join(', ')}` };
  }
  return { value };
}

/** checkParameterValue for a value set from JavaScript (a default, or an argument of setParameter). */
export function checkJsParameterValue(
  value: unknown,
  descriptor: ParameterDescriptor,
): { readonly value: ParameterValue } | { readonly reason: string } {
  const typed = typeOfJsValue(value);
  return typeof typed === 'string' ? { reason: typed } : checkParameterValue(typed, descriptor);
}
