/**
 * The subset of ROS 2 launch XML that `h2r launch` understands, checked over the whole file (also
 * inside groups whose condition is false) before anything is evaluated.
 */
import { LaunchError } from './errors';
import type { XmlElement } from './xml';

interface ElementRule {
  readonly required: readonly string[];
  readonly optional: readonly string[];
  readonly children: readonly string[];
}

const CONDITION = ['if', 'unless'];
const ACTIONS = ['arg', 'let', 'node', 'executable', 'group', 'push-ros-namespace'];

const RULES: Readonly<Record<string, ElementRule>> = {
  launch: { required: [], optional: [], children: ACTIONS },
  group: { required: [], optional: ['scoped', ...CONDITION], children: ACTIONS },
  arg: { required: ['name'], optional: ['default', 'description'], children: ['choice'] },
  choice: { required: ['value'], optional: [], children: [] },
  let: { required: ['name', 'value'], optional: CONDITION, children: [] },
  'push-ros-namespace': { required: ['namespace'], optional: CONDITION, children: [] },
  node: {
    required: ['pkg', 'exec'],
    optional: ['name', 'namespace', 'output', ...CONDITION],
    children: ['param', 'remap'],
  },
  // Either from="file.yaml", or name with value, or name with nested <param> children.
  param: { required: [], optional: ['name', 'value', 'from'], children: ['param'] },
  remap: { required: ['from', 'to'], optional: [], children: [] },
  executable: { required: ['cmd'], optional: ['cwd', 'name', 'output', ...CONDITION], children: [] },
};

/** ROS 2 launch elements that exist but that h2r launch does not run. */
const ROS_ONLY_ELEMENTS = new Set([
  'include', 'set_env', 'unset_env', 'set_parameter', 'set_remap', 'set_parameters_from_file', 'timer',
  'log', 'composable_node_container', 'load_composable_node', 'lifecycle_node', 'ros_timer',
  'set_use_sim_time', 'push_ros_namespace', 'pop-ros-namespace', 'env', 'keep',
]);

/** Throws LaunchError at the first element or attribute outside the supported subset. */
export function checkLaunchStructure(root: XmlElement): void {
  if (root.name !== 'launch') {
    throw new LaunchError(root.location, `the top-level element is <${root.name}>, expected <launch>`);
  }
  checkElement(root, undefined);
}

function checkElement(element: XmlElement, parent: XmlElement | undefined): void {
  const rule = RULES[element.name];
  if (parent !== undefined) {
    const allowed = (RULES[parent.name] as ElementRule).children;
    if (rule === undefined || !allowed.includes(element.name)) {
      throw new LaunchError(element.location, unsupportedElement(element.name, parent.name, allowed));
    }
  }
  if (rule === undefined) return;
  const known = [...rule.required, ...rule.optional];
  for (const [name, attribute] of element.attributes) {
    if (!known.includes(name)) {
      throw new LaunchError(
        { file: element.location.file, line: attribute.line },
        `<${element.name}> has no attribute '${name}' (allowed: ${known.join(', ')})`,
      );
    }
  }
  for (const name of rule.required) {
    if (!element.attributes.has(name)) {
      throw new LaunchError(element.location, `<${element.name}> needs the attribute '${name}'`);
    }
  }
  if (element.attributes.has('if') && element.attributes.has('unless')) {
    throw new LaunchError(element.location, `<${element.name}> has both 'if' and 'unless'; give one`);
  }
  for (const child of element.children) checkElement(child, element);
}

function unsupportedElement(name: string, parent: string, allowed: readonly string[]): string {
  const where = `inside <${parent}>`;
  const choices = allowed.length === 0 ? `<${parent}> takes no child elements` : `allowed: ${allowed.join(', ')}`;
  if (ROS_ONLY_ELEMENTS.has(name)) {
    return `<${name}> is a ROS 2 launch element that h2r launch does not support ${where} (${choices})`;
  }
  if (RULES[name] !== undefined) return `<${name}> cannot appear ${where} (${choices})`;
  return `unknown element <${name}> ${where} (${choices})`;
}
