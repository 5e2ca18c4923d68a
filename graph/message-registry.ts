/**
 * Resolved ROS 2 message and service definitions.
 *
 * Standard types come from `@foxglove/rosmsg-msgs-common` (the ros2jazzy set); the suite's own
 * `.msg`/`.srv` files are parsed with `@foxglove/rosmsg`. Every type is stored under its full ROS 2
 * name (`pkg/msg/Name`, service parts as `pkg/srv/Name_Request` and `pkg/srv/Name_Response`), and
 * every field type is resolved to either a primitive or such a full name, so later stages never
 * guess at package-relative names.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@foxglove/rosmsg';
import type { MessageDefinition, MessageDefinitionField } from '@foxglove/message-definition';
import { ros2jazzy } from '@foxglove/rosmsg-msgs-common';

export type PrimitiveType =
  | 'bool'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'float32'
  | 'float64'
  | 'string'
  | 'wstring';

const PRIMITIVES: ReadonlySet<string> = new Set<PrimitiveType>([
  'bool', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'float32', 'float64',
  'string', 'wstring',
]);

/** ROS 2 `byte` and `char` are 8-bit unsigned (rosidl maps both onto uint8). */
const PRIMITIVE_ALIASES: Readonly<Record<string, PrimitiveType>> = { byte: 'uint8', char: 'uint8' };

export type ArrayShape =
  | { readonly kind: 'dynamic' }
  | { readonly kind: 'fixed'; readonly length: number }
  | { readonly kind: 'bounded'; readonly maxLength: number };

export type DefaultValue = string | number | bigint | boolean | readonly (string | number | bigint | boolean)[];

export interface FieldDefinition {
  readonly name: string;
  /** A primitive type, or the full name (`pkg/msg/Name`) of a nested message. */
  readonly type: string;
  readonly isMessage: boolean;
  readonly array?: ArrayShape;
  /** `string<=N`: the largest length in UTF-8 bytes. */
  readonly stringMaxLength?: number;
  readonly defaultValue?: DefaultValue;
}

export interface ConstantDefinition {
  readonly name: string;
  readonly type: PrimitiveType;
  readonly value: string | number | bigint | boolean;
}

export interface MessageTypeDefinition {
  readonly name: string;
  readonly fields: readonly FieldDefinition[];
  readonly constants: readonly ConstantDefinition[];
}

export interface ServiceTypeDefinition {
  readonly name: string;
  readonly request: string;
  readonly response: string;
}

/** The text of one interface file; `name` is `pkg/msg/Name` or `pkg/srv/Name`. */
export interface InterfaceSource {
  readonly name: string;
  readonly text: string;
}

export function isPrimitive(type: string): type is PrimitiveType {
  return PRIMITIVES.has(type);
}

/** Reads `msg/*.msg` and `srv/*.srv` of one ROS 2 interface package, sorted by name. */
export function readInterfacePackage(packageDir: string, packageName: string): InterfaceSource[] {
  const sources: InterfaceSource[] = [];
  for (const kind of ['msg', 'srv'] as const) {
    let files: string[];
    try {
      files = readdirSync(join(packageDir, kind));
    } catch {
      continue;
    }
    for (const file of files.filter((f) => f.endsWith(`.${kind}`)).sort()) {
      const text = readFileSync(join(packageDir, kind, file), 'utf8');
      sources.push({ name: `${packageName}/${kind}/${file.slice(0, -kind.length - 1)}`, text });
    }
  }
  return sources;
}

export class MessageRegistry {
  readonly #messages = new Map<string, MessageTypeDefinition>();
  readonly #services = new Map<string, ServiceTypeDefinition>();

  /** The ros2jazzy standard types plus the given interface files (which may replace nothing). */
  static withStandardTypes(sources: readonly InterfaceSource[]): MessageRegistry {
    const registry = new MessageRegistry();
    for (const [key, definition] of Object.entries(ros2jazzy as Record<string, MessageDefinition>)) {
      const [pkg, name] = key.split('/');
      registry.#addMessage(`${pkg}/msg/${name}`, definition, pkg!);
    }
    for (const source of sources) registry.addSource(source);
    registry.#checkReferences();
    return registry;
  }

  /** Adds one `.msg` or `.srv` file; throws naming the file when it does not parse. */
  addSource(source: InterfaceSource): void {
    const match = /^([a-z][a-z0-9_]*)\/(msg|srv)\/([A-Z][A-Za-z0-9]*)$/.exec(source.name);
    if (!match) throw new Error(`interface name '${source.name}' is not of the form pkg/msg/Name or pkg/srv/Name`);
    const [, pkg, kind, name] = match as unknown as [string, string, string, string];
    if (kind === 'msg') {
      this.#addMessage(source.name, parseDefinition(source.name, source.text), pkg);
      return;
    }
    const parts = source.text.split(/^---[ \t]*$/m);
    if (parts.length !== 2) throw new Error(`${source.name}: a service needs exactly one '---' line, found ${parts.length - 1}`);
    const request = `${pkg}/srv/${name}_Request`;
    const response = `${pkg}/srv/${name}_Response`;
    this.#addMessage(request, parseDefinition(request, parts[0]!), pkg);
    this.#addMessage(response, parseDefinition(response, parts[1]!), pkg);
    this.#services.set(source.name, { name: source.name, request, response });
  }

  hasMessage(name: string): boolean {
    return this.#messages.has(name);
  }

  hasService(name: string): boolean {
    return this.#services.has(name);
  }

  message(name: string): MessageTypeDefinition {
    const found = this.#messages.get(name);
    if (!found) throw new Error(`unknown message type '${name}'${suggestion(name, this.#messages.keys())}`);
    return found;
  }

  service(name: string): ServiceTypeDefinition {
    const found = this.#services.get(name);
    if (!found) throw new Error(`unknown service type '${name}'${suggestion(name, this.#services.keys())}`);
    return found;
  }

  messageNames(): string[] {
    return [...this.#messages.keys()].sort();
  }

  serviceNames(): string[] {
    return [...this.#services.keys()].sort();
  }

  /** The named message types and every type they contain, sorted by name. */
  closure(names: Iterable<string>): string[] {
    const seen = new Set<string>();
    const visit = (name: string): void => {
      if (seen.has(name)) return;
      seen.add(name);
      for (const field of this.message(name).fields) if (field.isMessage) visit(field.type);
    };
    for (const name of names) visit(name);
    return [...seen].sort();
  }

  #addMessage(fullName: string, definition: MessageDefinition, pkg: string): void {
    const fields: FieldDefinition[] = [];
    const constants: ConstantDefinition[] = [];
    for (const field of definition.definitions) {
      if (field.isConstant) {
        constants.push({ name: field.name, type: primitiveOf(fullName, field), value: field.value as ConstantDefinition['value'] });
      } else {
        fields.push(resolveField(fullName, field, pkg));
      }
    }
    this.#messages.set(fullName, { name: fullName, fields, constants });
  }

  #checkReferences(): void {
    for (const message of this.#messages.values()) {
      for (const field of message.fields) {
        if (field.isMessage && !this.#messages.has(field.type)) {
          throw new Error(`${message.name}.${field.name}: unknown type '${field.type}'`);
        }
      }
    }
  }
}

function parseDefinition(name: string, text: string): MessageDefinition {
  try {
    const [top] = parse(text, { ros2: true, skipTypeFixup: true });
    return top ?? { definitions: [] };
  } catch (error) {
    throw new Error(`${name}: ${(error as Error).message}`);
  }
}

function primitiveOf(owner: string, field: MessageDefinitionField): PrimitiveType {
  const type = PRIMITIVE_ALIASES[field.type] ?? field.type;
  if (!isPrimitive(type)) throw new Error(`${owner}.${field.name}: '${field.type}' is not a primitive type`);
  return type;
}

/** Resolves `time`, `Name`, `pkg/Name` and `pkg/msg/Name` to full names. */
function resolveTypeName(type: string, pkg: string): string {
  if (type === 'time') return 'builtin_interfaces/msg/Time';
  if (type === 'duration') return 'builtin_interfaces/msg/Duration';
  const parts = type.split('/');
  if (parts.length === 1) return `${pkg}/msg/${type}`;
  if (parts.length === 2) return `${parts[0]}/msg/${parts[1]}`;
  return type;
}

function resolveField(owner: string, field: MessageDefinitionField, pkg: string): FieldDefinition {
  const aliased = PRIMITIVE_ALIASES[field.type] ?? field.type;
  const isMessage = !isPrimitive(aliased);
  const type = isMessage ? resolveTypeName(field.type, pkg) : aliased;
  let array: ArrayShape | undefined;
  if (field.isArray) {
    if (field.arrayLength !== undefined) array = { kind: 'fixed', length: field.arrayLength };
    else if (field.arrayUpperBound !== undefined) array = { kind: 'bounded', maxLength: field.arrayUpperBound };
    else array = { kind: 'dynamic' };
  }
  const resolved: FieldDefinition = {
    name: field.name,
    type,
    isMessage,
    ...(array ? { array } : {}),
    ...(field.upperBound !== undefined ? { stringMaxLength: field.upperBound } : {}),
    ...(field.defaultValue !== undefined ? { defaultValue: field.defaultValue as DefaultValue } : {}),
  };
  if (isMessage && resolved.defaultValue !== undefined) {
    throw new Error(`${owner}.${field.name}: a nested message cannot have a default value`);
  }
  return resolved;
}

function suggestion(name: string, known: Iterable<string>): string {
  const tail = name.split('/').pop()?.toLowerCase() ?? '';
  const close = [...known].filter((k) => k.toLowerCase().endsWith(`/${tail}`));
  return close.length > 0 ? ` (did you mean ${close.map((k) => `'${k}'`).join(' or ')}?)` : '';
}
