/**
 * Generates graph/messages.ts (TypeScript types, constants and the interface sources) from the
 * `.msg`/`.srv` files of interfaces/h2r_interfaces and the standard ros2jazzy definitions.
 *
 * Run `npm run gen:messages` after changing a `.msg`/`.srv` file or STANDARD_TYPES below; the test
 * "generated message types match the .msg files" fails while the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type FieldDefinition,
  type InterfaceSource,
  MessageRegistry,
  type PrimitiveType,
  readInterfacePackage,
} from './message-registry';

export const INTERFACE_PACKAGE = 'h2r_interfaces';
export const INTERFACE_PACKAGE_DIR = join('interfaces', INTERFACE_PACKAGE);
export const GENERATED_FILE = join('graph', 'messages.ts');

/** Standard types the suite uses; their nested types come along. Add one here to use it. */
export const STANDARD_TYPES: readonly string[] = [
  'builtin_interfaces/msg/Duration',
  'builtin_interfaces/msg/Time',
  'diagnostic_msgs/msg/DiagnosticArray',
  'diagnostic_msgs/msg/DiagnosticStatus',
  'diagnostic_msgs/msg/KeyValue',
  'geometry_msgs/msg/Point',
  'geometry_msgs/msg/Pose',
  'geometry_msgs/msg/PoseStamped',
  'geometry_msgs/msg/Quaternion',
  'geometry_msgs/msg/Vector3',
  'sensor_msgs/msg/CameraInfo',
  'sensor_msgs/msg/Image',
  'std_msgs/msg/Bool',
  'std_msgs/msg/Empty',
  'std_msgs/msg/Float32',
  'std_msgs/msg/Header',
  'std_msgs/msg/String',
];

const TYPED_ARRAYS: Partial<Record<PrimitiveType, string>> = {
  int8: 'Int8Array',
  uint8: 'Uint8Array',
  int16: 'Int16Array',
  uint16: 'Uint16Array',
  int32: 'Int32Array',
  uint32: 'Uint32Array',
  float32: 'Float32Array',
  float64: 'Float64Array',
};

/** The TypedArray class that carries a numeric array field, or undefined (bool, string, 64-bit). */
export function typedArrayName(type: PrimitiveType): string | undefined {
  return TYPED_ARRAYS[type];
}

/** How a primitive looks in JavaScript, as rclnodejs maps it (64-bit integers are bigint). */
export function primitiveTsType(type: PrimitiveType): string {
  switch (type) {
    case 'bool':
      return 'boolean';
    case 'string':
    case 'wstring':
      return 'string';
    case 'int64':
    case 'uint64':
      return 'bigint';
    default:
      return 'number';
  }
}

/** Names a message may not take in TypeScript because a JavaScript global already has them. */
const GLOBAL_NAMES: ReadonlySet<string> = new Set(['String', 'Boolean', 'Number', 'Object', 'Array', 'Date', 'Error', 'Map', 'Set']);

/** The TypeScript name of a message type: its short name, `std_msgs_String` where that is a JS global. */
export function shortName(fullName: string): string {
  const name = fullName.slice(fullName.lastIndexOf('/') + 1);
  return GLOBAL_NAMES.has(name) ? `${fullName.slice(0, fullName.indexOf('/'))}_${name}` : name;
}

function fieldTsType(field: FieldDefinition): string {
  const base = field.isMessage ? shortName(field.type) : primitiveTsType(field.type as PrimitiveType);
  if (!field.array) return base;
  const typed = field.isMessage ? undefined : typedArrayName(field.type as PrimitiveType);
  return typed ? `${base}[] | ${typed}` : `${base}[]`;
}

/** Trailing `# comment` of each field line in a custom .msg text, by field name. */
function fieldComments(text: string): Map<string, string> {
  const comments = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^\s*[A-Za-z][\w/]*(?:<=\d+)?(?:\[[^\]]*\])?\s+(\w+)(?:\s+[^#=]+)?\s*#\s*(.+?)\s*$/.exec(line);
    if (match) comments.set(match[1]!, match[2]!);
  }
  return comments;
}

function literal(value: string | number | bigint | boolean): string {
  if (typeof value === 'bigint') return `${value}n`;
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** The complete text of graph/messages.ts for these interface sources. */
export function renderMessagesModule(sources: readonly InterfaceSource[]): string {
  const registry = MessageRegistry.withStandardTypes(sources);
  const services = sources.filter((s) => s.name.includes('/srv/')).map((s) => registry.service(s.name));
  const roots = [
    ...STANDARD_TYPES,
    ...sources.filter((s) => s.name.includes('/msg/')).map((s) => s.name),
    ...services.flatMap((s) => [s.request, s.response]),
  ];
  const messages = registry.closure(roots);
  const owners = new Map<string, string>();
  for (const name of messages) {
    const clash = owners.get(shortName(name));
    if (clash) throw new Error(`message types ${clash} and ${name} would share the TypeScript name ${shortName(name)}`);
    owners.set(shortName(name), name);
  }
  const commentsByType = new Map<string, Map<string, string>>();
  for (const source of sources) {
    if (source.name.includes('/msg/')) {
      commentsByType.set(source.name, fieldComments(source.text));
    } else {
      const service = registry.service(source.name);
      const [request, response] = source.text.split(/^---[ \t]*$/m);
      commentsByType.set(service.request, fieldComments(request ?? ''));
      commentsByType.set(service.response, fieldComments(response ?? ''));
    }
  }

  const out: string[] = [
    '// GENERATED by graph/gen-messages.ts from interfaces/h2r_interfaces and the ros2jazzy definitions',
    '// of @foxglove/rosmsg-msgs-common. Do not edit: change the .msg/.srv files and run `npm run gen:messages`.',
    '/* eslint-disable */',
    '/**',
    ' * Message shapes as rclnodejs gives them: int64/uint64 are bigint; a numeric array field accepts',
    ' * number[] or its TypedArray (uint8[] as Uint8Array, float32[] as Float32Array, ...) when published,',
    ' * and the graph always delivers the TypedArray. 64-bit, bool and string arrays are plain arrays.',
    ' * Constants are plain objects named like their message (`Correction.HALT`).',
    ' */',
    "import type { InterfaceSource } from './message-registry';",
    '',
  ];
  for (const name of messages) {
    const definition = registry.message(name);
    const comments = commentsByType.get(name);
    out.push(`/** ${name} */`);
    out.push(`export interface ${shortName(name)} {`);
    for (const field of definition.fields) {
      const comment = comments?.get(field.name);
      if (comment) out.push(`  /** ${comment.replace(/\*\//g, '* /')} */`);
      out.push(`  ${field.name}: ${fieldTsType(field)};`);
    }
    out.push('}');
    if (definition.constants.length > 0) {
      out.push(`export const ${shortName(name)} = {`);
      for (const constant of definition.constants) out.push(`  ${constant.name}: ${literal(constant.value)},`);
      out.push('} as const;');
    }
    out.push('');
  }
  out.push('/** Every message type by its ROS 2 name. */');
  out.push('export interface MessagesMap {');
  for (const name of messages) out.push(`  '${name}': ${shortName(name)};`);
  out.push('}');
  out.push('export type MessageTypeName = keyof MessagesMap;');
  out.push('export type MessageOf<K extends MessageTypeName> = MessagesMap[K];');
  out.push('');
  out.push('/** Every service type by its ROS 2 name. */');
  out.push('export interface ServicesMap {');
  for (const service of services) {
    out.push(`  '${service.name}': { request: ${shortName(service.request)}; response: ${shortName(service.response)} };`);
  }
  out.push('}');
  out.push('export type ServiceTypeName = keyof ServicesMap;');
  out.push("export type RequestOf<K extends ServiceTypeName> = ServicesMap[K]['request'];");
  out.push("export type ResponseOf<K extends ServiceTypeName> = ServicesMap[K]['response'];");
  out.push('');
  out.push('export const MESSAGE_TYPE_NAMES: readonly MessageTypeName[] = [');
  for (const name of messages) out.push(`  '${name}',`);
  out.push('];');
  out.push('export const SERVICE_TYPE_NAMES: readonly ServiceTypeName[] = [');
  for (const service of services) out.push(`  '${service.name}',`);
  out.push('];');
  out.push('');
  out.push(`/** The ${INTERFACE_PACKAGE} interface files, so that the runtime registry needs no file access. */`);
  out.push('export const INTERFACE_SOURCES: readonly InterfaceSource[] = [');
  for (const source of sources) out.push(`  { name: '${source.name}', text: ${JSON.stringify(source.text)} },`);
  out.push('];');
  out.push('');
  return out.join('\n');
}

export function readSuiteInterfaces(root: string): InterfaceSource[] {
  return readInterfacePackage(join(root, INTERFACE_PACKAGE_DIR), INTERFACE_PACKAGE);
}

if (require.main === module) {
  const root = process.cwd();
  const text = renderMessagesModule(readSuiteInterfaces(root));
  writeFileSync(join(root, GENERATED_FILE), text);
  process.stdout.write(`wrote ${GENERATED_FILE} (${text.split('\n').length} lines)\n`);
}
