/**
 * execution_monitor: flags an abnormal execution and publishes the correction, or halts and asks.
 * Wiring only; the decisions live in monitor/execution-monitor.ts.
 */
import { QosProfiles, type GraphNode, type Publisher } from '../graph/api';
import type { Correction, DiagnosticArray, MessageOf } from '../graph/messages';
import { createMessage } from '../graph/message-validation';
import { declareParameters, type NodeDefinition, type ParameterSchema } from '../graph/node-definition';
import { ExecutionMonitor, type Decision, type PlannedCorrection } from '../monitor/execution-monitor';
import { executionStateProblem, languageAttentionProblem, visualAttentionProblem } from '../monitor/input-checks';

const parameters = {
  confidence_threshold: {
    defaultValue: 0.5,
    descriptor: { type: 'double', description: 'Below this language or visual confidence the monitor asks instead of acting', range: { from: 0, to: 1 } },
  },
  mistake_confidence_threshold: {
    defaultValue: 0.5,
    descriptor: { type: 'double', description: 'Below this mistake-type confidence the monitor asks what is wrong', range: { from: 0, to: 1 } },
  },
  region_radius: {
    defaultValue: 0.04,
    descriptor: { type: 'double', description: 'Radius in metres of the region sent with move_region corrections', range: { from: 0.005, to: 0.5 } },
  },
} as const satisfies ParameterSchema;

const CORRECTION_KIND: Readonly<Record<PlannedCorrection['kind'], number>> = {
  retarget: 0,
  move_region: 1,
  adjust_pose: 2,
  change_action: 3,
  halt: 4,
  resume: 5,
};

function toTime(key: bigint): { sec: number; nanosec: number } {
  return { sec: Number(key / 1_000_000_000n), nanosec: Number(key % 1_000_000_000n) };
}

interface Outputs {
  readonly corrections: Publisher<Correction>;
  readonly diagnostics: Publisher<DiagnosticArray>;
  readonly questions: Publisher<MessageOf<'std_msgs/msg/String'>>;
}

function publishDecisions(node: GraphNode, outputs: Outputs, episodeId: () => string, decisions: readonly Decision[]): void {
  for (const decision of decisions) {
    if (decision.type === 'correction') {
      const planned = decision.correction;
      const message = createMessage('h2r_interfaces/msg/Correction');
      message.header.stamp = node.now();
      message.episode_id = episodeId();
      message.kind = CORRECTION_KIND[planned.kind];
      message.target_object = planned.targetObject;
      message.point = { ...planned.point };
      message.radius = planned.radius;
      message.grasp = planned.grasp;
      message.action = planned.action;
      message.reason = planned.reason;
      message.reminder_stamp = toTime(planned.reminderStamp);
      outputs.corrections.publish(message);
      node.logger.info(`correction ${planned.kind}: ${planned.reason}`);
    } else if (decision.type === 'flag') {
      const array = createMessage('diagnostic_msgs/msg/DiagnosticArray');
      array.header.stamp = node.now();
      const status = createMessage('diagnostic_msgs/msg/DiagnosticStatus');
      status.level = decision.flag.level;
      status.name = `${node.name}: execution`;
      status.message = decision.flag.reason;
      status.hardware_id = episodeId();
      status.values = [{ key: 'mistake_type', value: decision.flag.mistakeType }, ...Object.entries(decision.flag.values).map(([key, value]) => ({ key, value }))];
      array.status = [status];
      outputs.diagnostics.publish(array);
    } else {
      outputs.questions.publish({ data: decision.text });
      node.logger.info(`asking: ${decision.text}`);
    }
  }
}

export const executionMonitor: NodeDefinition = {
  executable: 'execution_monitor',
  defaultName: 'execution_monitor',
  description: 'Flags abnormal robot actions from the person\'s attention and publishes corrections or questions',
  parameters,

  start(node) {
    const settings = declareParameters(node, parameters);
    const monitor = new ExecutionMonitor({
      confidenceThreshold: settings.confidence_threshold,
      mistakeConfidenceThreshold: settings.mistake_confidence_threshold,
      regionRadius: settings.region_radius,
    });
    const outputs: Outputs = {
      corrections: node.createPublisher('h2r_interfaces/msg/Correction', 'execution/correction', QosProfiles.standard),
      diagnostics: node.createPublisher('diagnostic_msgs/msg/DiagnosticArray', 'monitor/diagnostics', QosProfiles.standard),
      questions: node.createPublisher('std_msgs/msg/String', 'monitor/question', QosProfiles.standard),
    };
    let episode = '';
    const handle = <T>(topic: string, problem: (message: T) => string | null, decide: (message: T) => Decision[]) => (message: T) => {
      const reason = problem(message);
      if (reason) {
        node.logger.warn(`dropped a message on ${topic}: ${reason}`);
        return;
      }
      try {
        publishDecisions(node, outputs, () => episode, decide(message));
      } catch (error) {
        node.logger.warn(`dropped a message on ${topic}: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    node.createSubscription(
      'h2r_interfaces/msg/ExecutionState',
      'execution/state',
      handle('execution/state', executionStateProblem, (state) => {
        episode = state.episode_id;
        return monitor.onExecutionState(state);
      }),
      QosProfiles.sensorData,
    );
    node.createSubscription('h2r_interfaces/msg/LanguageAttention', 'attention/language', handle('attention/language', languageAttentionProblem, (m) => monitor.onLanguageAttention(m)), QosProfiles.standard);
    node.createSubscription('h2r_interfaces/msg/VisualAttention', 'attention/grounded', handle('attention/grounded', visualAttentionProblem, (m) => monitor.onVisualAttention(m)), QosProfiles.standard);
    return { stop() {} };
  },
};
