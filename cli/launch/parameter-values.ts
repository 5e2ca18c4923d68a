/**
 * Parameter values as ROS 2 types them: `5` is an integer, `5.0` a double, `'5'` a string, and a
 * YAML list is an array of one element type. The type comes from how the value is written, so a
 * launch file can be checked against a node's schema the way rcl would check it.
 */
import { isScalar, isSeq, parseDocument, type Scalar } from 'yaml';
import type { ParameterType, ParameterValue } from '../../graph/api';
import type { ParameterSpec } from '../../graph/node-definition';

export interface TypedValue {
  readonly type: ParameterType;
  readonly value: ParameterValue;
}

const INTEGER_SOURCE = /^[-+]?(0|[1-9][0-9]*|0x[0-9a-fA-F]+|0o[0-7]+)$/;

/** Types one YAML node (from a parameter file or a parsed `value=`); throws Error with the reason. */
export function typedValueFromYaml(node: unknown): TypedValue {
  if (isScalar(node)) return typedScalar(node);
  if (isSeq(node)) {
    const items = node.items.map((item) => {
      if (!isScalar(item)) throw new Error('an array may hold only plain values, not lists or maps');
      return typedScalar(item);
    });
    return typedArray(items);
  }
  throw new Error('a parameter value must be a bool, number, string or a list of one of these, not a map');
}

/** Types the text of `<param value="...">` after substitution, the way launch_ros reads it as YAML. */
export function typedValueFromText(text: string): TypedValue {
  if (text.trim() === '') return { type: 'string', value: text };
  const document = parseDocument(text);
  if (document.errors.length > 0) return { type: 'string', value: text };
  return typedValueFromYaml(document.contents);
}

function typedScalar(node: Scalar): TypedValue {
  const value: unknown = node.value;
  if (typeof value === 'boolean') return { type: 'bool', value };
  if (typeof value === 'number') {
    const source = typeof node.source === 'string' ? node.source : String(value);
    const isInteger = node.type === 'PLAIN' && INTEGER_SOURCE.test(source.trim());
    return { type: isInteger ? 'integer' : 'double', value };
  }
  if (typeof value === 'string') return { type: 'string', value };
  if (value === null) throw new Error('the value is empty (null)');
  throw new Error(`unsupported value ${String(value)}`);
}

function typedArray(items: readonly TypedValue[]): TypedValue {
  const types = new Set(items.map((item) => item.type));
  if (types.size === 0) return { type: 'string_array', value: [] };
  if (types.size > 1) {
    throw new Error(`an array must hold one type, this one mixes ${[...types].join(' and ')}`);
  }
  const [elementType] = types;
  const values = items.map((item) => item.value);
  switch (elementType) {
    case 'bool':
      return { type: 'bool_array', value: values as boolean[] };
    case 'integer':
      return { type: 'integer_array', value: values as number[] };
    case 'double':
      return { type: 'double_array', value: values as number[] };
    default:
      return { type: 'string_array', value: values as string[] };
  }
}

/** "integer 5", "string 'kitchen'", "double_array [0.5, 1.0]" */
export function describeTypedValue(typed: TypedValue): string {
  return `${typed.type} ${renderValue(typed, (text) => `'${text}'`)}`;
}

/** The value as written after `-p name:=`, so that rcl's YAML reading gives back the same type. */
export function encodeForRosArguments(typed: TypedValue): string {
  return renderValue(typed, (text) => JSON.stringify(text));
}

function renderValue(typed: TypedValue, quote: (text: string) => string): string {
  const isDouble = typed.type === 'double' || typed.type === 'double_array';
  const render = (value: boolean | number | string): string => {
    if (typeof value === 'string') return quote(value);
    if (typeof value === 'number' && isDouble) return formatDouble(value);
    return String(value);
  };
  return Array.isArray(typed.value) ? `[${typed.value.map(render).join(', ')}]` : render(typed.value);
}

function formatDouble(value: number): string {
  if (Number.isNaN(value)) return '.nan';
  if (value === Infinity) return '.inf';
  if (value === -Infinity) return '-.inf';
  const text = String(value);
  return /^-?\d+$/.test(text) ? `${text}.0` : text;
}

/** What the descriptor accepts, for error messages: "integer in 1..10000". */
export function describeExpectation(spec: ParameterSpec): string {
  const { type, range, choices } = spec.descriptor;
  if (range !== undefined) return `${type} in ${range.from}..${range.to}`;
  if (choices !== undefined) return `${type} (one of ${choices.join(', ')})`;
  return type;
}

/**
 * Why a value does not fit a declared parameter, or null when it fits. Like rclcpp, an integer is
 * not accepted for a double; an empty list fits any array type.
 */
export function parameterValueProblem(spec: ParameterSpec, typed: TypedValue): string | null {
  const declared = spec.descriptor.type;
  const isEmptyArray = Array.isArray(typed.value) && typed.value.length === 0 && declared.endsWith('_array');
  if (typed.type !== declared && !isEmptyArray) {
    const hint =
      (declared === 'double' && typed.type === 'integer') || (declared === 'double_array' && typed.type === 'integer_array')
        ? ' (write it with a decimal point: ROS 2 does not accept an integer for a double)'
        : declared === 'string' && typed.type !== 'string_array'
          ? ' (quote it to make it a string)'
          : '';
    return `expected ${describeExpectation(spec)}, given ${describeTypedValue(typed)}${hint}`;
  }
  const elements: readonly (boolean | number | string)[] = Array.isArray(typed.value) ? typed.value : [typed.value];
  const { range, choices } = spec.descriptor;
  for (const element of elements) {
    if (range !== undefined && typeof element === 'number' && !(element >= range.from && element <= range.to)) {
      return `expected ${describeExpectation(spec)}, given ${describeTypedValue(typed)} (out of range)`;
    }
    if (choices !== undefined && typeof element === 'string' && !choices.includes(element)) {
      return `expected ${describeExpectation(spec)}, given ${describeTypedValue(typed)}`;
    }
  }
  return null;
}
