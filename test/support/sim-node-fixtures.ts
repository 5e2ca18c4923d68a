/** The simulator node on a manual-clock embedded graph, with a probe node recording what it publishes. */
import { QosProfiles } from '../../graph/api';
import { EmbeddedGraph } from '../../graph/embedded';
import { captureLogs } from '../../graph/logging';
import type { EpisodeEvent, ExecutionState, Image, VisualAttention } from '../../graph/messages';
import { simulator } from '../../nodes/simulator';

/** Starts the node with `-p` for each of `parameters` after the other `rosArgs` (`--log-level debug`). */
export async function startSimulatorOnGraph(parameters: readonly string[], rosArgs: readonly string[] = []) {
  const logs = captureLogs();
  const graph = new EmbeddedGraph({ clock: 'manual', logSink: logs.sink });
  const probe = graph.createNode('probe');
  const events: EpisodeEvent[] = [];
  const states: ExecutionState[] = [];
  const images: Image[] = [];
  const grounded: VisualAttention[] = [];
  probe.createSubscription('h2r_interfaces/msg/EpisodeEvent', 'episode/events', (m) => events.push(m), QosProfiles.standard);
  probe.createSubscription('h2r_interfaces/msg/ExecutionState', 'execution/state', (m) => states.push(m), QosProfiles.sensorData);
  probe.createSubscription('sensor_msgs/msg/Image', 'camera/image', (m) => images.push(m), QosProfiles.sensorData);
  probe.createSubscription('h2r_interfaces/msg/VisualAttention', 'attention/grounded', (m) => grounded.push(m), QosProfiles.standard);
  const node = graph.createNode('simulator', { arguments: ['--ros-args', ...rosArgs, ...parameters.flatMap((p) => ['-p', p])] });
  const running = await simulator.start(node, { print: () => undefined });
  await graph.spinUntilIdle();
  return { graph, probe, events, states, images, grounded, running, logs };
}
