/**
 * Writes the per-installation `types/interfaces.d.ts` of rclnodejs from our message registry, in
 * the format of rclnodejs 2.2.0's generator (rostsd_gen/index.cjs): one namespace per package and
 * subfolder with `Name` and `NameConstructor` interfaces, a `descriptor` namespace whose fields
 * are type-name literals, services as `NameConstructor extends ROSService` with `_Request`,
 * `_Response` and `_Event` messages, then `MessagesMap`, `MessageTypeClassName`, `ServicesMap`,
 * `ActionsMap` and the derived helper types. A real installation generates this file from the
 * installed ROS packages; the npm tarball lacks it.
 */
import type { FieldDefinition, MessageRegistry, MessageTypeDefinition, PrimitiveType } from '../message-registry';
import { primitiveTsType, typedArrayName } from '../gen-messages';

interface InterfaceEntry {
  readonly name: string;
  readonly kind: 'msg' | 'srv';
  /** For messages. */
  readonly definition?: MessageTypeDefinition;
}

function split(fullName: string): { pkg: string; subfolder: string; name: string } {
  const [pkg, subfolder, name] = fullName.split('/') as [string, string, string];
  return { pkg, subfolder, name };
}

/** The `<Service>_Event` message rosidl generates for service introspection (Iron and later). */
function eventMessage(service: string, request: string, response: string): MessageTypeDefinition {
  return {
    name: `${service}_Event`,
    constants: [],
    fields: [
      { name: 'info', type: 'service_msgs/msg/ServiceEventInfo', isMessage: true },
      { name: 'request', type: request, isMessage: true, array: { kind: 'bounded', maxLength: 1 } },
      { name: 'response', type: response, isMessage: true, array: { kind: 'bounded', maxLength: 1 } },
    ],
  };
}

function packages(registry: MessageRegistry): Map<string, Map<string, InterfaceEntry[]>> {
  const result = new Map<string, Map<string, InterfaceEntry[]>>();
  const add = (fullName: string, entry: Omit<InterfaceEntry, 'name'>): void => {
    const { pkg, subfolder, name } = split(fullName);
    if (!result.has(pkg)) result.set(pkg, new Map());
    const folders = result.get(pkg)!;
    if (!folders.has(subfolder)) folders.set(subfolder, []);
    folders.get(subfolder)!.push({ name, ...entry });
  };
  for (const name of registry.messageNames()) add(name, { kind: 'msg', definition: registry.message(name) });
  if (registry.hasMessage('service_msgs/msg/ServiceEventInfo')) {
    for (const name of registry.serviceNames()) {
      const service = registry.service(name);
      add(`${name}_Event`, { kind: 'msg', definition: eventMessage(name, service.request, service.response) });
    }
  }
  for (const name of registry.serviceNames()) add(name, { kind: 'srv' });
  const sorted = new Map([...result.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
  for (const folders of sorted.values()) {
    for (const entries of folders.values()) entries.sort((a, b) => (`${a.name}.js` < `${b.name}.js` ? -1 : 1));
  }
  return sorted;
}

function fieldLine(field: FieldDefinition, owner: { pkg: string; subfolder: string; name: string }, descriptor: boolean): string {
  const { pkg, subfolder, name } = field.isMessage ? split(field.type) : { pkg: '', subfolder: '', name: field.type };
  // rclnodejs names same-package types of a service's _Event message by the service's subfolder.
  const isEvent = owner.subfolder === 'srv' && owner.name.endsWith('_Event');
  const folder = isEvent && pkg === owner.pkg ? owner.subfolder : subfolder;
  let type: string;
  if (descriptor) type = field.isMessage ? `${pkg}/${folder}/${name}` : name;
  else type = field.isMessage ? `${pkg}.${folder}.${name}` : primitiveTsType(name as PrimitiveType);
  let array = '';
  if (field.array) {
    array = descriptor && field.array.kind === 'fixed' ? `[${field.array.length}]` : '[]';
    const typed = !descriptor && !field.isMessage ? typedArrayName(name as PrimitiveType) : undefined;
    if (typed && type === 'number') array += ` | ${typed}`;
  }
  return descriptor ? `${field.name}: '${type}${array}'` : `${field.name}: ${type}${array}`;
}

function indent(level: number, line: string): string {
  return line ? ' '.repeat(level * 2) + line : '';
}

function renderFolder(
  out: string[],
  pkg: string,
  subfolder: string,
  entries: readonly InterfaceEntry[],
  descriptor: boolean,
  maps: { messages: [string, string][]; services: [string, string][] },
): void {
  const level = descriptor ? 4 : 3;
  const prefix = descriptor ? 'descriptor/' : '';
  const path = descriptor ? 'descriptor.' : '';
  const names = new Set(entries.map((e) => e.name));
  for (const entry of entries) {
    const fullName = `${pkg}/${subfolder}/${prefix}${entry.name}`;
    const fullPath = `${pkg}.${subfolder}.${path}${entry.name}`;
    if (entry.kind === 'msg') {
      out.push(indent(level, `export interface ${entry.name} {`));
      for (const field of entry.definition!.fields) out.push(indent(level + 1, `${fieldLine(field, { pkg, subfolder, name: entry.name }, descriptor)};`));
      out.push(indent(level, '}'));
      out.push(indent(level, `export interface ${entry.name}Constructor {`));
      for (const constant of entry.definition!.constants) {
        out.push(indent(level, `  readonly ${constant.name}: ${primitiveTsType(constant.type)};`));
      }
      out.push(indent(level, `  new(other?: ${entry.name}): ${entry.name};`));
      out.push(indent(level, '}'));
      maps.messages.push([fullName, fullPath]);
    } else if (names.has(`${entry.name}_Request`) && names.has(`${entry.name}_Response`)) {
      out.push(indent(level, `export interface ${entry.name}Constructor extends ROSService {`));
      out.push(indent(level, `  readonly Request: ${entry.name}_RequestConstructor;`));
      out.push(indent(level, `  readonly Response: ${entry.name}_ResponseConstructor;`));
      out.push(indent(level, '}'));
      maps.services.push([fullName, `${fullPath}Constructor`]);
    }
  }
}

export function renderRclnodejsInterfaces(registry: MessageRegistry): string {
  const maps = { messages: [['string', 'string']] as [string, string][], services: [] as [string, string][] };
  const out: string[] = [
    '/* eslint-disable camelcase */',
    '/* eslint-disable max-len */',
    '// DO NOT EDIT',
    '// Generated by graph/ros2-typecheck/interfaces-dts.ts in the format of rclnodejs rostsd_gen',
    '',
    "declare module 'rclnodejs' {",
  ];
  for (const [pkg, folders] of packages(registry)) {
    out.push(`  namespace ${pkg} {`);
    for (const [subfolder, entries] of folders) {
      out.push(`    namespace ${subfolder} {`);
      renderFolder(out, pkg, subfolder, entries, false, maps);
      out.push('      namespace descriptor {');
      renderFolder(out, pkg, subfolder, entries, true, maps);
      out.push('      }');
      out.push('    }');
    }
    out.push('  }', '');
  }
  out.push('  type MessagesMap = {');
  for (const [key, value] of maps.messages) out.push(`    '${key}': ${value},`);
  out.push('  };');
  out.push('  type MessageTypeClassName = keyof MessagesMap;');
  out.push('  type Message = MessagesMap[MessageTypeClassName];');
  out.push(
    '  type MessageType<T> = T extends MessageTypeClassName ? MessagesMap[T] : T extends new (...args: any[]) => infer R ? R : object;',
    '',
  );
  out.push('  type MessageTypeClassConstructorMap = {');
  for (const [key, value] of maps.messages) out.push(key === 'string' ? "    'string': never," : `    '${key}': ${value}Constructor,`);
  out.push('  };');
  out.push('  type MessageConstructorType<T> = T extends MessageTypeClassName ? MessageTypeClassConstructorMap[T] : object;', '');
  out.push('  type ServicesMap = {');
  for (const [key, value] of maps.services) out.push(`    '${key}': ${value},`);
  out.push('  };');
  out.push('  type ServiceTypeClassName = keyof ServicesMap;');
  out.push('  type Service = ServicesMap[ServiceTypeClassName];');
  out.push(
    '  type ServiceType<T> = T extends ServiceTypeClassName ? ServicesMap[T] : T extends { Request: any; Response: any } ? T : object;',
    '',
  );
  out.push('  type ActionsMap = {', '  };');
  out.push('  type ActionTypeClassName = keyof ActionsMap;');
  out.push('  type Action = ActionsMap[ActionTypeClassName];');
  out.push(
    '  type ActionType<T> = T extends ActionTypeClassName ? ActionsMap[T] : T extends { Goal: any; Feedback: any; Result: any } ? T : object;',
    '',
  );
  out.push('  type TypeClassName = MessageTypeClassName | ServiceTypeClassName | ActionTypeClassName;');
  out.push('  type InterfaceType<T> = T extends TypeClassName ? (MessageTypeClassConstructorMap & ServicesMap & ActionsMap)[T] : object;');
  out.push('}', '');
  return out.join('\n');
}
