/**
 * The ros2 graph backend: the graph interface on real ROS 2 through rclnodejs.
 *
 * This module and graph/ros2-load.ts are the only ones that touch rclnodejs, through `import type`
 * and a lazy `require` in loadRclnodejs(), so the suite builds and runs without ROS 2. When it
 * cannot load, one Ros2UnavailableError says why and what to do. Under the main build 'rclnodejs' resolves to
 * graph/rclnodejs-absent.d.ts (untyped); `npm run typecheck:ros2` checks this file against the real
 * rclnodejs 2.2.0 declarations.
 *
 * Differences from the embedded graph, all ROS 2's own: rcl parses the `--ros-args` (remaps,
 * parameters, log levels), so an integer for a double parameter is rejected as rclcpp does; a
 * service handler that throws is logged on the server and the caller times out (ROS services
 * carry no error); logs go to rcutils' console, not to a LogSink; time is ROS time (use_sim_time).
 * Messages are checked with the same validators before they reach rclnodejs; rclnodejs delivers
 * numeric arrays as TypedArrays and 64-bit integers as bigint, as graph/messages.ts declares.
 */
import type * as rclnodejs from 'rclnodejs';
import type {
  Client,
  Graph,
  GraphNode,
  LogLevel,
  Logger,
  NodeOptions,
  ParameterDescriptor,
  ParameterType,
  ParameterValidator,
  ParameterValue,
  Publisher,
  QosProfile,
  Service,
  SetParameterResult,
  Subscription,
  Time,
  Timer,
} from './api';
import { QosProfiles } from './api';
import { DEFAULT_CALL_TIMEOUT_MS } from './embedded-services';
import { messageChecker, messageRegistry } from './message-validation';
import type { MessageOf, MessageTypeName, RequestOf, ResponseOf, ServiceTypeName } from './messages';
import { checkJsParameterValue } from './parameter-values';
import { type Ros2Environment, loadRclnodejs, processEnvironment } from './ros2-load';

export { type Ros2Environment, Ros2UnavailableError, loadRclnodejs } from './ros2-load';

/*
 * Types are derived from the module's own declarations (typeof rclnodejs) rather than named by
 * namespace path, so that the untyped stand-in of the main build yields `any` for all of them.
 */
type Rclnodejs = typeof rclnodejs;
type RclNode = InstanceType<Rclnodejs['Node']>;
type RclContext = InstanceType<Rclnodejs['Context']>;
type RclParameter = InstanceType<Rclnodejs['Parameter']>;
type RclParameterType = ConstructorParameters<Rclnodejs['Parameter']>[1];
type RclQos = InstanceType<Rclnodejs['QoS']>;
type RclLogging = ReturnType<RclNode['getLogger']>;
type RclSeverity = Parameters<RclLogging['setLoggerLevel']>[0];
/** What a service handler needs of rclnodejs's ServiceResponse. */
interface RclServiceResponse {
  send(response: unknown): void;
}

function parameterType(rcl: Rclnodejs, type: ParameterType): RclParameterType {
  switch (type) {
    case 'bool':
      return rcl.ParameterType.PARAMETER_BOOL;
    case 'integer':
      return rcl.ParameterType.PARAMETER_INTEGER;
    case 'double':
      return rcl.ParameterType.PARAMETER_DOUBLE;
    case 'string':
      return rcl.ParameterType.PARAMETER_STRING;
    case 'bool_array':
      return rcl.ParameterType.PARAMETER_BOOL_ARRAY;
    case 'integer_array':
      return rcl.ParameterType.PARAMETER_INTEGER_ARRAY;
    case 'double_array':
      return rcl.ParameterType.PARAMETER_DOUBLE_ARRAY;
    case 'string_array':
      return rcl.ParameterType.PARAMETER_STRING_ARRAY;
  }
}

/** rcutils severities (rclnodejs's Logging.LoggingSeverity is not reachable as a value). */
const SEVERITIES: Readonly<Record<LogLevel, RclSeverity>> = {
  debug: 10 as RclSeverity,
  info: 20 as RclSeverity,
  warn: 30 as RclSeverity,
  error: 40 as RclSeverity,
  fatal: 50 as RclSeverity,
};

/** rclnodejs holds integer parameters as bigint. */
function toRclValue(type: ParameterType, value: ParameterValue): unknown {
  if (type === 'integer') return BigInt(value as number);
  if (type === 'integer_array') return (value as number[]).map((v) => BigInt(v));
  return value;
}

function fromRclValue(value: unknown): ParameterValue {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map((v: unknown) => (typeof v === 'bigint' ? Number(v) : v)) as ParameterValue;
  return value as ParameterValue;
}

function toRclQos(rcl: Rclnodejs, qos: QosProfile): RclQos {
  const profile = new rcl.QoS(
    rcl.QoS.HistoryPolicy.RMW_QOS_POLICY_HISTORY_KEEP_LAST,
    qos.depth,
    qos.reliability === 'reliable'
      ? rcl.QoS.ReliabilityPolicy.RMW_QOS_POLICY_RELIABILITY_RELIABLE
      : rcl.QoS.ReliabilityPolicy.RMW_QOS_POLICY_RELIABILITY_BEST_EFFORT,
  );
  // DurabilityPolicy is not exported from rclnodejs's QoS namespace: 1 TRANSIENT_LOCAL, 2 VOLATILE.
  profile.durability = qos.durability === 'transient_local' ? 1 : 2;
  return profile;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

class Ros2Logger implements Logger {
  #level: LogLevel = 'info';

  constructor(private readonly logging: RclLogging) {}

  get name(): string {
    return this.logging.name;
  }

  get level(): LogLevel {
    return this.#level;
  }

  set level(level: LogLevel) {
    this.#level = level;
    this.logging.setLoggerLevel(SEVERITIES[level]);
  }

  debug(message: string): void {
    this.logging.debug(message);
  }

  info(message: string): void {
    this.logging.info(message);
  }

  warn(message: string): void {
    this.logging.warn(message);
  }

  error(message: string): void {
    this.logging.error(message);
  }

  fatal(message: string): void {
    this.logging.fatal(message);
  }
}

class Ros2Node implements GraphNode {
  readonly logger: Ros2Logger;
  readonly #descriptors = new Map<string, ParameterDescriptor>();

  constructor(
    private readonly rcl: Rclnodejs,
    private readonly node: RclNode,
  ) {
    this.logger = new Ros2Logger(node.getLogger());
  }

  get name(): string {
    return this.node.name();
  }

  get namespace(): string {
    return this.node.namespace();
  }

  get fullyQualifiedName(): string {
    return this.node.getFullyQualifiedName();
  }

  createPublisher<K extends MessageTypeName>(type: K, topic: string, qos: QosProfile = QosProfiles.standard): Publisher<MessageOf<K>> {
    const check = messageChecker(type);
    const publisher = this.node.createPublisher(type, topic, { qos: toRclQos(this.rcl, qos) });
    return {
      topic: publisher.topic,
      publish: (message) => publisher.publish(check(message) as Parameters<typeof publisher.publish>[0]),
      subscriptionCount: () => publisher.subscriptionCount(),
    };
  }

  createSubscription<K extends MessageTypeName>(
    type: K,
    topic: string,
    callback: (message: MessageOf<K>) => void,
    qos: QosProfile = QosProfiles.standard,
  ): Subscription {
    const subscription = this.node.createSubscription(type, topic, { qos: toRclQos(this.rcl, qos) }, (message: unknown) => {
      try {
        callback(message as unknown as MessageOf<K>);
      } catch (error) {
        this.logger.error(`exception in subscription callback on topic '${subscription.topic}' (${type}): ${errorText(error)}`);
      }
    });
    return { topic: subscription.topic };
  }

  createService<K extends ServiceTypeName>(
    type: K,
    name: string,
    handler: (request: RequestOf<K>) => ResponseOf<K> | Promise<ResponseOf<K>>,
  ): Service {
    const checkResponse = messageChecker(messageRegistry().service(type).response);
    const service = this.node.createService(type, name, (request: unknown, response: RclServiceResponse) => {
      const fail = (error: unknown): void =>
        this.logger.error(`service '${service.serviceName}' (${type}) failed in its handler: ${errorText(error)}`);
      Promise.resolve()
        .then(() => handler(request as unknown as RequestOf<K>))
        .then((answer) => response.send(checkResponse(answer)), fail);
    });
    return { name: service.serviceName };
  }

  createClient<K extends ServiceTypeName>(type: K, name: string): Client<RequestOf<K>, ResponseOf<K>> {
    const checkRequest = messageChecker(messageRegistry().service(type).request);
    const client = this.node.createClient(type, name);
    return {
      name: client.serviceName,
      waitForService: (timeoutMs) => client.waitForService(timeoutMs),
      call: (request, timeoutMs = DEFAULT_CALL_TIMEOUT_MS) =>
        new Promise<ResponseOf<K>>((resolve, reject) => {
          const checked = checkRequest(request) as Parameters<typeof client.sendRequest>[0];
          const available = client.isServiceServerAvailable();
          const timer = setTimeout(() => {
            const why = available ? `did not answer within ${timeoutMs} ms` : `is not available: no server answered within ${timeoutMs} ms`;
            reject(new Error(`service '${client.serviceName}' (${type}) ${why}`));
          }, timeoutMs);
          client.sendRequest(checked, (response: unknown) => {
            clearTimeout(timer);
            resolve(response as unknown as ResponseOf<K>);
          });
        }),
    };
  }

  createTimer(periodMs: number, callback: () => void): Timer {
    const timer = this.node.createTimer(BigInt(Math.round(periodMs * 1e6)), () => {
      try {
        callback();
      } catch (error) {
        this.logger.error(`exception in timer callback: ${errorText(error)}`);
      }
    });
    return { cancel: () => timer.cancel() };
  }

  declareParameter<V extends ParameterValue>(name: string, defaultValue: V, descriptor: ParameterDescriptor): V {
    const problem = (text: string): Error => new Error(`node ${this.fullyQualifiedName}: parameter '${name}' ${text}`);
    const type = parameterType(this.rcl, descriptor.type);
    const { range } = descriptor;
    const rclRange =
      range === undefined
        ? undefined
        : descriptor.type === 'integer' || descriptor.type === 'integer_array'
          ? new this.rcl.IntegerRange(BigInt(range.from), BigInt(range.to))
          : new this.rcl.FloatingPointRange(range.from, range.to);
    const rclDescriptor = new this.rcl.ParameterDescriptor(name, type, descriptor.description, descriptor.readOnly ?? false, rclRange);
    const constraints = [descriptor.additionalConstraints, descriptor.choices && `one of: ${descriptor.choices.join(', ')}`];
    rclDescriptor.additionalConstraints = constraints.filter(Boolean).join('; ');
    let declared: RclParameter;
    try {
      declared = this.node.declareParameter(new this.rcl.Parameter(name, type, toRclValue(descriptor.type, defaultValue)), rclDescriptor);
    } catch (error) {
      throw problem(errorText(error));
    }
    const value = fromRclValue(declared.value);
    const checked = checkJsParameterValue(value, descriptor);
    if ('reason' in checked) throw problem(checked.reason);
    this.#descriptors.set(name, descriptor);
    return checked.value as V;
  }

  getParameter(name: string): ParameterValue {
    return fromRclValue(this.node.getParameter(name).value);
  }

  setParameter(name: string, value: ParameterValue): SetParameterResult {
    const descriptor = this.#descriptors.get(name);
    if (!descriptor) return { successful: false, reason: `parameter '${name}': is not declared` };
    const checked = checkJsParameterValue(value, descriptor);
    if ('reason' in checked) return { successful: false, reason: `parameter '${name}': ${checked.reason}` };
    const type = parameterType(this.rcl, descriptor.type);
    const result = this.node.setParameter(new this.rcl.Parameter(name, type, toRclValue(descriptor.type, checked.value)));
    return { successful: result.successful, reason: result.reason };
  }

  addParameterValidator(validator: ParameterValidator): void {
    this.node.addOnSetParametersCallback((parameters: RclParameter[]) => {
      for (const parameter of parameters) {
        const reason = validator(parameter.name, fromRclValue(parameter.value));
        if (reason !== null) return { successful: false, reason: `parameter '${parameter.name}': ${reason}` };
      }
      return { successful: true, reason: '' };
    });
  }

  onParameterChanged(callback: (name: string, value: ParameterValue) => void): void {
    this.node.addPostSetParametersCallback((parameters: RclParameter[]) => {
      for (const parameter of parameters) callback(parameter.name, fromRclValue(parameter.value));
    });
  }

  now(): Time {
    const { seconds, nanoseconds } = this.node.now().secondsAndNanoseconds;
    return { sec: Number(seconds), nanosec: Number(nanoseconds) };
  }

  destroy(): void {
    this.node.destroy();
  }
}

export class Ros2Graph implements Graph {
  readonly backend = 'ros2' as const;
  readonly #nodes: Ros2Node[] = [];

  constructor(
    private readonly rcl: Rclnodejs,
    private readonly context: RclContext,
  ) {}

  createNode(name: string, options: NodeOptions = {}): Ros2Node {
    const node = this.rcl.createNode(name, options.namespace ?? '', this.context, undefined, [...(options.arguments ?? [])]);
    node.spin();
    const wrapped = new Ros2Node(this.rcl, node);
    this.#nodes.push(wrapped);
    return wrapped;
  }

  async shutdown(): Promise<void> {
    for (const node of this.#nodes.splice(0)) node.destroy();
    this.rcl.shutdown(this.context);
  }
}

/**
 * Initialises rclnodejs with the global ROS arguments (rcl parses them, including `--ros-args`
 * sections) and returns a graph on it. Throws Ros2UnavailableError when ROS 2 cannot be used.
 */
export async function createRos2Graph(
  globalArguments: readonly string[] = [],
  environment: Ros2Environment = processEnvironment,
): Promise<Ros2Graph> {
  const rcl = loadRclnodejs(environment);
  const context = new rcl.Context();
  await rcl.init(context, ['h2r', ...globalArguments]);
  return new Ros2Graph(rcl, context);
}
