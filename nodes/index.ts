/**
 * Every node of package h2r_at, by executable name. `h2r launch`, `h2r node` and the ROS 2
 * wrappers installed by ros/h2r_at find nodes here; a new node is one more entry.
 */
import type { NodeDefinition } from '../graph/node-definition';
import { operatorConsole } from './operator_console';
import { attentionTransfer } from './attention_transfer';
import { executionMonitor } from './execution_monitor';
import { reminderCollector } from './reminder_collector';
import { reminderParser } from './reminder_parser';
import { simulatedPerson } from './simulated_person';
import { simulator } from './simulator';
import { speechNode } from './speech';

export const NODE_DEFINITIONS: readonly NodeDefinition[] = [
  operatorConsole,
  simulator,
  reminderParser,
  attentionTransfer,
  executionMonitor,
  reminderCollector,
  simulatedPerson,
  speechNode,
];

export function findNodeDefinition(executable: string): NodeDefinition | undefined {
  return NODE_DEFINITIONS.find((definition) => definition.executable === executable);
}
