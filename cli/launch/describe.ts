/** Human-readable forms of a launch file's arguments and of a plan, for --show-args and --dry-run. */
import { describeParameterValue } from '../../graph/parameter-values';
import { displayPath, formatLocation } from './errors';
import type { LaunchPlan } from './plan';
import type { XmlElement } from './xml';

/** Like `ros2 launch --show-args`: every `<arg>` with its default and description. */
export function describeLaunchArguments(root: XmlElement, file: string): string[] {
  const lines = [`Arguments of ${displayPath(file)} (pass as name:=value):`];
  const visit = (element: XmlElement): void => {
    if (element.name === 'arg') {
      const name = element.attributes.get('name')?.value ?? '?';
      const fallback = element.attributes.get('default')?.value;
      const choices = element.children.map((choice) => choice.attributes.get('value')?.value ?? '');
      lines.push(`  ${name}:`);
      lines.push(`      ${element.attributes.get('description')?.value ?? 'no description given'}`);
      if (choices.length > 0) lines.push(`      one of: ${choices.join(', ')}`);
      lines.push(fallback === undefined ? '      (required)' : `      (default: '${fallback}')`);
    }
    element.children.forEach(visit);
  };
  visit(root);
  if (lines.length === 1) lines.push('  (none)');
  return lines;
}

export function describePlan(plan: LaunchPlan): string[] {
  const lines = [`Launch plan of ${displayPath(plan.file)}`];
  lines.push('arguments:');
  for (const argument of plan.arguments) lines.push(`  ${argument.name} = '${argument.value}' (${argument.source})`);
  for (const node of plan.nodes) {
    lines.push(`node ${node.fullyQualifiedName} (exec ${node.executable}, ${formatLocation(node.location)})`);
    for (const parameter of node.parameters) {
      const value = describeParameterValue({ type: parameter.type, value: parameter.value });
      lines.push(`  parameter ${parameter.name} = ${value} (${parameter.origin})`);
    }
    for (const remap of node.remaps) lines.push(`  remap ${remap.from} -> ${remap.to}`);
    lines.push(`  ros arguments: ${node.rosArguments.join(' ')}`);
  }
  for (const process of plan.processes) {
    lines.push(`process ${process.name} (${formatLocation(process.location)}): ${process.command.join(' ')} [in ${process.cwd}]`);
  }
  if (plan.nodes.length === 0 && plan.processes.length === 0) lines.push('nothing to start');
  for (const warning of plan.warnings) lines.push(`warning: ${warning}`);
  return lines;
}
