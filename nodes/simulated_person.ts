/**
 * simulated_person: the person at the table when no one is there to type. While a mistake unfolds
 * they say a reminder (held-out template families), they approve of a normal episode, and they
 * answer the robot's questions, as the trial's person does (trial/person.ts), and say when they
 * start and stop speaking on voice_activity, as a microphone's detector would. Wiring only.
 */
import { QosProfiles } from '../graph/api';
import { SimulatedPerson, episodeStartFromTruth, type WorldView } from '../trial/person';
import { declareParameters, type NodeDefinition, type ParameterSchema } from '../graph/node-definition';
import type { RobotAction } from '../sim/types';

const parameters = {
  seed: { defaultValue: 1, descriptor: { type: 'integer', description: 'Seed of what the person says and when', range: { from: 0, to: 2147483647 }, readOnly: true } },
  speaker: { defaultValue: 'simulated', descriptor: { type: 'string', description: 'Speaker id put on each reminder', readOnly: true } },
} as const satisfies ParameterSchema;

export const simulatedPerson: NodeDefinition = {
  executable: 'simulated_person',
  defaultName: 'simulated_person',
  description: 'A simulated person who watches the episodes, speaks reminders and answers questions',
  parameters,

  start(node) {
    const p = declareParameters(node, parameters);
    const person = new SimulatedPerson(p.seed);
    const reminders = node.createPublisher('h2r_interfaces/msg/Reminder', 'reminder', QosProfiles.standard);
    const voiceActivity = node.createPublisher('std_msgs/msg/Bool', 'voice_activity', QosProfiles.standard);
    let action: RobotAction = 'idle';
    let now = 0;
    let episode = '';
    node.createSubscription('h2r_interfaces/msg/EpisodeEvent', 'episode/events', (event) => {
      if (event.event !== 'started') return;
      try {
        const start = episodeStartFromTruth(event.truth_json);
        if (person.isSpeaking) voiceActivity.publish({ data: false });
        person.episodeStarted(start);
        episode = start.episodeId;
      } catch (error) {
        node.logger.warn(`episode start not understood, staying quiet this episode: ${error instanceof Error ? error.message : String(error)}`);
        episode = '';
      }
    }, QosProfiles.standard);
    node.createSubscription('h2r_interfaces/msg/ExecutionState', 'execution/state', (state) => {
      action = state.action as RobotAction;
    }, QosProfiles.sensorData);
    node.createSubscription('std_msgs/msg/String', 'monitor/question', () => person.heardQuestion(now), QosProfiles.standard);
    node.createSubscription('h2r_interfaces/msg/WorldState', 'episode/world', (world) => {
      if (world.episode_id !== episode) return;
      now = world.time;
      const view: WorldView = { person: { x: world.person.x, y: world.person.y }, positions: new Map(world.objects.map((o) => [o.id, { x: o.position.x, y: o.position.y }])) };
      const said = person.step(now, view, action);
      if (said.startedSpeaking) voiceActivity.publish({ data: true });
      if (said.finished) {
        voiceActivity.publish({ data: false });
        reminders.publish({ header: { stamp: node.now(), frame_id: '' }, text: said.finished.text, source: 'corpus', speaker: p.speaker, word_confidences: [] });
      }
    }, QosProfiles.sensorData);
    return { stop() {} };
  },
};
