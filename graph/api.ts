/**
 * The one graph interface every node uses. It is shaped like rclnodejs so that the same node code
 * runs on the embedded in-process graph (the default) and on real ROS 2 through rclnodejs.
 *
 * Message and service types are named by their ROS type name (`sensor_msgs/msg/Image`); the
 * TypeScript shape of each comes from the `.msg`/`.srv` files (see graph/messages.ts).
 */
import type {
  MessageOf,
  MessageTypeName,
  RequestOf,
  ResponseOf,
  ServiceTypeName,
  Time,
} from './messages';

export type { MessageOf, MessageTypeName, RequestOf, ResponseOf, ServiceTypeName, Time };

export type Reliability = 'reliable' | 'best_effort';
export type Durability = 'volatile' | 'transient_local';

export interface QosProfile {
  /** KEEP_LAST history depth: a full queue drops its oldest message. */
  readonly depth: number;
  readonly reliability: Reliability;
  readonly durability: Durability;
}

/** Named QoS profiles; nodes pick one of these instead of spelling numbers. */
export const QosProfiles = {
  /** Commands, reminders, corrections, events: reliable, nothing dropped while a reader keeps up. */
  standard: { depth: 10, reliability: 'reliable', durability: 'volatile' },
  /** Camera frames and execution state: only the newest matters. */
  sensorData: { depth: 5, reliability: 'best_effort', durability: 'volatile' },
  /** State that a late subscriber must still receive (the last message is kept). */
  latched: { depth: 1, reliability: 'reliable', durability: 'transient_local' },
} as const satisfies Record<string, QosProfile>;

export type ParameterValue = boolean | number | string | boolean[] | number[] | string[];

export type ParameterType =
  | 'bool'
  | 'integer'
  | 'double'
  | 'string'
  | 'bool_array'
  | 'integer_array'
  | 'double_array'
  | 'string_array';

export interface ParameterDescriptor {
  readonly type: ParameterType;
  readonly description: string;
  readonly readOnly?: boolean;
  /** Inclusive numeric range for integer and double parameters. */
  readonly range?: { readonly from: number; readonly to: number };
  /** Allowed values for string parameters. */
  readonly choices?: readonly string[];
  readonly additionalConstraints?: string;
}

export interface SetParameterResult {
  readonly successful: boolean;
  readonly reason: string;
}

/** Returns a reason to reject the change, or null to accept it. */
export type ParameterValidator = (name: string, value: ParameterValue) => string | null;

export interface Publisher<T> {
  /** The fully resolved topic name. */
  readonly topic: string;
  publish(message: T): void;
  subscriptionCount(): number;
}

export interface Subscription {
  readonly topic: string;
}

export interface Service {
  readonly name: string;
}

export interface Client<Req, Res> {
  readonly name: string;
  /** Resolves true once a server exists, false after timeoutMs. */
  waitForService(timeoutMs: number): Promise<boolean>;
  /** Rejects with an error naming the service when no answer arrives within timeoutMs. */
  call(request: Req, timeoutMs?: number): Promise<Res>;
}

export interface Timer {
  cancel(): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'fatal';

export interface Logger {
  readonly name: string;
  level: LogLevel;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  fatal(message: string): void;
}

export interface GraphNode {
  readonly name: string;
  readonly namespace: string;
  /** `/namespace/name` */
  readonly fullyQualifiedName: string;
  readonly logger: Logger;

  createPublisher<K extends MessageTypeName>(type: K, topic: string, qos?: QosProfile): Publisher<MessageOf<K>>;
  createSubscription<K extends MessageTypeName>(
    type: K,
    topic: string,
    callback: (message: MessageOf<K>) => void,
    qos?: QosProfile,
  ): Subscription;
  createService<K extends ServiceTypeName>(
    type: K,
    name: string,
    handler: (request: RequestOf<K>) => ResponseOf<K> | Promise<ResponseOf<K>>,
  ): Service;
  createClient<K extends ServiceTypeName>(type: K, name: string): Client<RequestOf<K>, ResponseOf<K>>;
  /** Fires every periodMs of the graph's clock (simulated time when the graph runs on one). */
  createTimer(periodMs: number, callback: () => void): Timer;

  /**
   * Declares a parameter with its default and descriptor and returns its effective value:
   * default < parameter YAML < command line (`--ros-args -p [node:]name:=value`).
   * Throws, naming the parameter, when an override has the wrong type or is out of range.
   */
  declareParameter<V extends ParameterValue>(name: string, defaultValue: V, descriptor: ParameterDescriptor): V;
  getParameter(name: string): ParameterValue;
  setParameter(name: string, value: ParameterValue): SetParameterResult;
  /** Runs before a change is accepted; any non-null answer rejects it with that reason. */
  addParameterValidator(validator: ParameterValidator): void;
  /** Runs after a change was accepted. */
  onParameterChanged(callback: (name: string, value: ParameterValue) => void): void;

  /** The graph clock's current time. */
  now(): Time;
  destroy(): void;
}

export interface NodeOptions {
  readonly namespace?: string;
  /** ROS arguments for this node: `--ros-args -r from:=to -p name:=value --params-file f.yaml`. */
  readonly arguments?: readonly string[];
}

export type GraphBackend = 'embedded' | 'ros2';

export interface Graph {
  readonly backend: GraphBackend;
  createNode(name: string, options?: NodeOptions): GraphNode;
  /** Destroys every node and stops every timer. */
  shutdown(): Promise<void>;
}
