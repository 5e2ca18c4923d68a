/**
 * Every node of package h2r_at, by executable name. `h2r launch`, `h2r node` and the ROS 2
 * wrappers installed by ros/h2r_at find nodes here; a new node is one more entry.
 */
import type { NodeDefinition } from '../graph/node-definition';
import { operatorConsole } from './operator_console';
import { reminderCollector } from './reminder_collector';
import { reminderParser } from './reminder_parser';
import { simulator } from './simulator';
import { speechNode } from './speech';

export const NODE_DEFINITIONS: readonly NodeDefinition[] = [operatorConsole, simulator, reminderParser, reminderCollector, speechNode];

export function findNodeDefinition(executable: string): NodeDefinition | undefined {
  return NODE_DEFINITIONS.find((definition) => definition.executable === executable);
}
