/**
 * Writes a typed parameter value back as the text after `-p name:=`, such that reading it as YAML
 * (as rcl and the embedded graph do) gives the same type: doubles keep a decimal point, strings
 * are quoted.
 */
import type { ParsedParameterValue } from '../../graph/parameter-values';

export function encodeParameterValue(typed: ParsedParameterValue): string {
  const isDouble = typed.type === 'double' || typed.type === 'double_array';
  const encode = (value: boolean | number | string): string => {
    if (typeof value === 'string') return JSON.stringify(value);
    if (typeof value === 'number' && isDouble) return encodeDouble(value);
    return String(value);
  };
  const value: boolean | number | string | readonly (boolean | number | string)[] = typed.value;
  return Array.isArray(value) ? `[${value.map(encode).join(', ')}]` : encode(value as boolean | number | string);
}

function encodeDouble(value: number): string {
  if (Number.isNaN(value)) return '.nan';
  if (value === Infinity) return '.inf';
  if (value === -Infinity) return '-.inf';
  // YAML 1.1 reads a float only with a '.', and an exponent only with its sign (JavaScript writes one).
  const text = String(value);
  if (text.includes('.')) return text;
  const exponent = text.indexOf('e');
  return exponent === -1 ? `${text}.0` : `${text.slice(0, exponent)}.0${text.slice(exponent)}`;
}
