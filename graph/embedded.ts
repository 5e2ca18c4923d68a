/**
 * The embedded graph: every node of a launch in one process, with ROS 2 semantics (names,
 * remapping, QoS, parameters, services, timers, loggers) and no ROS installation.
 *
 * Callbacks run from the graph's executor after the publish or call that caused them. With
 * `clock: 'manual'` time stands still until `advance(ms)`, which fires due timers in time order
 * and lets every resulting callback run before the next timer; `spinUntilIdle()` waits until no
 * callback is queued. Global `arguments` act like the process's `--ros-args` under rcl: every
 * node applies them after its own. `--enclave`, `--log-config-file`, `--log-file-name` and the
 * rosout/external-lib log switches are accepted and have no effect here (there is no /rosout).
 */
import type { Client, Graph, GraphNode, NodeOptions, ParameterDescriptor, ParameterValidator, ParameterValue, Publisher, QosProfile, Service, SetParameterResult, Subscription, Time, Timer } from './api';
import { QosProfiles } from './api';
import { type ClockKind, type GraphClock, ManualClock, SystemClock, TimerSchedule, type ScheduledTimer } from './clock';
import { ServiceRegistry } from './embedded-services';
import { type EmbeddedPublisher, type EmbeddedSubscription, TopicRegistry, checkQos } from './embedded-topics';
import { Executor } from './executor';
import { GraphLogger, type LogSink, effectiveLogLevel, stderrSink } from './logging';
import { messageChecker, messageRegistry } from './message-validation';
import type { MessageOf, MessageTypeName, RequestOf, ResponseOf, ServiceTypeName } from './messages';
import { expandTopicName, fullyQualifiedNodeName, nodeLoggerName, normalizeNamespace, remapName, remapNamespace, remapNodeName, validateNodeName } from './names';
import { ParameterStore, type ParamsFileEntry, readParamsFile, resolveOverrides } from './parameters';
import { type RosArguments, parseRosArguments } from './ros-args';

export interface EmbeddedGraphOptions {
  /** Global ROS arguments (`--ros-args -r a:=b -p x:=1 --params-file f.yaml --log-level debug`). */
  readonly arguments?: readonly string[];
  /** 'system' (default) follows wall time; 'manual' is simulated time moved by advance(ms). */
  readonly clock?: ClockKind;
  /** Start of simulated time in ms (manual clock only); default 0. */
  readonly startTimeMs?: number;
  /** Receives every log line; default: stderr, or nothing after `--disable-stdout-logs`. */
  readonly logSink?: LogSink;
}

function parseArguments(argv: readonly string[], whose: string): RosArguments {
  try {
    return parseRosArguments(argv);
  } catch (error) {
    throw new Error(`${whose}: ${(error as Error).message}`);
  }
}

export class EmbeddedGraph implements Graph {
  readonly backend = 'embedded' as const;
  readonly clock: GraphClock;
  readonly executor = new Executor();
  readonly topics = new TopicRegistry(this.executor);
  readonly services = new ServiceRegistry(this.executor);
  readonly globalArguments: RosArguments;
  readonly globalParamsFiles: readonly ParamsFileEntry[][];
  readonly logSink: LogSink;
  readonly #schedule = new TimerSchedule();
  readonly #nodes = new Set<EmbeddedNode>();
  #wakeTimer: NodeJS.Timeout | undefined;
  #shutDown = false;

  constructor(options: EmbeddedGraphOptions = {}) {
    this.globalArguments = parseArguments(options.arguments ?? [], 'graph arguments');
    this.globalParamsFiles = this.globalArguments.paramsFiles.map(readParamsFile);
    this.clock = options.clock === 'manual' ? new ManualClock(options.startTimeMs ?? 0) : new SystemClock();
    this.logSink = options.logSink ?? (this.globalArguments.stdoutLogs === false ? () => undefined : stderrSink);
  }

  createNode(name: string, options: NodeOptions = {}): EmbeddedNode {
    if (this.#shutDown) throw new Error(`cannot create node '${name}': the graph was shut down`);
    const node = new EmbeddedNode(this, name, options);
    for (const other of this.#nodes) {
      if (other.fullyQualifiedName === node.fullyQualifiedName) {
        node.logger.warn(`another node named ${node.fullyQualifiedName} already exists; names in a graph should be unique`);
      }
    }
    this.#nodes.add(node);
    return node;
  }

  /** @internal Called by EmbeddedNode.destroy. */
  forgetNode(node: EmbeddedNode): void {
    this.#nodes.delete(node);
  }

  /** @internal */
  addTimer(periodMs: number, fire: () => void): ScheduledTimer {
    const timer = this.#schedule.add(periodMs, this.clock.nowMs(), fire);
    this.#armWakeTimer();
    return timer;
  }

  /** @internal */
  removeTimer(timer: ScheduledTimer): void {
    this.#schedule.remove(timer);
    this.#armWakeTimer();
  }

  /** Resolves once every queued callback (and every running async service handler) has run. */
  spinUntilIdle(): Promise<void> {
    return this.executor.spinUntilIdle();
  }

  /**
   * Moves the manual clock forward by `ms`, firing each due timer at its own time, in order, and
   * running all callbacks that follow from it before the next timer fires.
   */
  async advance(ms: number): Promise<void> {
    const clock = this.clock;
    if (!(clock instanceof ManualClock)) throw new Error("advance() needs a graph created with clock: 'manual'");
    if (!(ms >= 0)) throw new Error(`advance() needs a non-negative number of ms, got ${ms}`);
    const target = clock.nowMs() + ms;
    await this.spinUntilIdle();
    for (let timer = this.#schedule.next(); timer && timer.dueMs <= target; timer = this.#schedule.next()) {
      clock.set(timer.dueMs);
      this.#schedule.reschedule(timer, timer.dueMs);
      timer.fire();
      await this.spinUntilIdle();
    }
    clock.set(target);
  }

  async shutdown(): Promise<void> {
    this.#shutDown = true;
    for (const node of [...this.#nodes]) node.destroy();
    this.#schedule.clear();
    this.#armWakeTimer();
  }

  /** With the system clock, one setTimeout wakes the graph for the earliest due timer. */
  #armWakeTimer(): void {
    if (this.clock.kind !== 'system') return;
    if (this.#wakeTimer) clearTimeout(this.#wakeTimer);
    this.#wakeTimer = undefined;
    const next = this.#schedule.next();
    if (!next) return;
    this.#wakeTimer = setTimeout(() => {
      this.#wakeTimer = undefined;
      const now = this.clock.nowMs();
      for (let timer = this.#schedule.next(); timer && timer.dueMs <= now; timer = this.#schedule.next()) {
        this.#schedule.reschedule(timer, now);
        timer.fire();
      }
      this.#armWakeTimer();
    }, Math.max(0, next.dueMs - this.clock.nowMs()));
  }
}

export class EmbeddedNode implements GraphNode {
  readonly name: string;
  readonly namespace: string;
  readonly fullyQualifiedName: string;
  readonly logger: GraphLogger;
  readonly #graph: EmbeddedGraph;
  readonly #localArguments: RosArguments;
  readonly #parameters: ParameterStore;
  readonly #publishers: EmbeddedPublisher<unknown>[] = [];
  readonly #subscriptions: EmbeddedSubscription[] = [];
  readonly #services: Service[] = [];
  readonly #clients: Client<unknown, unknown>[] = [];
  readonly #timers: ScheduledTimer[] = [];
  #destroyed = false;

  constructor(graph: EmbeddedGraph, requestedName: string, options: NodeOptions) {
    this.#graph = graph;
    this.#localArguments = parseArguments(options.arguments ?? [], `node '${requestedName}' arguments`);
    const rules = this.#remapRules();
    try {
      validateNodeName(requestedName);
      this.name = remapNodeName(requestedName, rules);
      this.namespace = remapNamespace(requestedName, normalizeNamespace(options.namespace ?? ''), rules);
    } catch (error) {
      throw new Error(`node '${requestedName}': ${(error as Error).message}`);
    }
    this.fullyQualifiedName = fullyQualifiedNodeName(this.namespace, this.name);
    const loggerName = nodeLoggerName(this.namespace, this.name);
    const levels = [...graph.globalArguments.logLevels, ...this.#localArguments.logLevels];
    this.logger = new GraphLogger(loggerName, effectiveLogLevel(loggerName, levels), () => graph.clock.now(), graph.logSink);
    const files = [...graph.globalParamsFiles, ...this.#localArguments.paramsFiles.map(readParamsFile)];
    const assignments = [...graph.globalArguments.parameters, ...this.#localArguments.parameters];
    this.#parameters = new ParameterStore(this.fullyQualifiedName, resolveOverrides(this.fullyQualifiedName, files, assignments), (error) =>
      this.logger.error(`exception in parameter change callback: ${(error as Error).message}`),
    );
  }

  #remapRules(): RosArguments['remaps'] {
    return [...this.#localArguments.remaps, ...this.#graph.globalArguments.remaps];
  }

  #alive(what: string): void {
    if (this.#destroyed) throw new Error(`node ${this.fullyQualifiedName} was destroyed; cannot ${what}`);
  }

  /** The fully resolved name of a topic or service for this node (expanded, then remapped). */
  resolveName(name: string, kind: 'topic name' | 'service name' = 'topic name'): string {
    try {
      return remapName(expandTopicName(name, this.name, this.namespace, kind), this.#remapRules(), this.name, this.namespace, kind);
    } catch (error) {
      throw new Error(`node ${this.fullyQualifiedName}: ${(error as Error).message}`);
    }
  }

  createPublisher<K extends MessageTypeName>(type: K, topic: string, qos: QosProfile = QosProfiles.standard): Publisher<MessageOf<K>> {
    this.#alive('create a publisher');
    const name = this.resolveName(topic);
    checkQos(qos, `publisher on '${name}'`);
    const publisher = this.#graph.topics.addPublisher<MessageOf<K>>(this, type, name, qos, messageChecker(type));
    this.#publishers.push(publisher as EmbeddedPublisher<unknown>);
    return publisher;
  }

  createSubscription<K extends MessageTypeName>(
    type: K,
    topic: string,
    callback: (message: MessageOf<K>) => void,
    qos: QosProfile = QosProfiles.standard,
  ): Subscription {
    this.#alive('create a subscription');
    const name = this.resolveName(topic);
    checkQos(qos, `subscription on '${name}'`);
    messageRegistry().message(type);
    const subscription = this.#graph.topics.addSubscription(this, type, name, qos, callback as (message: never) => unknown);
    this.#subscriptions.push(subscription);
    return subscription;
  }

  createService<K extends ServiceTypeName>(
    type: K,
    name: string,
    handler: (request: RequestOf<K>) => ResponseOf<K> | Promise<ResponseOf<K>>,
  ): Service {
    this.#alive('create a service');
    const service = this.#graph.services.addServer(this, type, this.resolveName(name, 'service name'), handler as (request: never) => unknown);
    this.#services.push(service);
    return service;
  }

  createClient<K extends ServiceTypeName>(type: K, name: string): Client<RequestOf<K>, ResponseOf<K>> {
    this.#alive('create a client');
    const client = this.#graph.services.addClient<RequestOf<K>, ResponseOf<K>>(this, type, this.resolveName(name, 'service name'));
    this.#clients.push(client as Client<unknown, unknown>);
    return client;
  }

  createTimer(periodMs: number, callback: () => void): Timer {
    this.#alive('create a timer');
    const timer = this.#graph.addTimer(periodMs, () => {
      try {
        const result = callback() as unknown;
        if (result instanceof Promise) result.catch((error: unknown) => this.#timerFailed(error));
      } catch (error) {
        this.#timerFailed(error);
      }
    });
    this.#timers.push(timer);
    return { cancel: () => this.#graph.removeTimer(timer) };
  }

  #timerFailed(error: unknown): void {
    this.logger.error(`exception in timer callback: ${error instanceof Error ? error.message : String(error)}`);
  }

  declareParameter<V extends ParameterValue>(name: string, defaultValue: V, descriptor: ParameterDescriptor): V {
    this.#alive('declare a parameter');
    return this.#parameters.declare(name, defaultValue, descriptor);
  }

  getParameter(name: string): ParameterValue {
    return this.#parameters.get(name);
  }

  setParameter(name: string, value: ParameterValue): SetParameterResult {
    return this.#parameters.set(name, value);
  }

  addParameterValidator(validator: ParameterValidator): void {
    this.#parameters.addValidator(validator);
  }

  onParameterChanged(callback: (name: string, value: ParameterValue) => void): void {
    this.#parameters.onChanged(callback);
  }

  now(): Time {
    return this.#graph.clock.now();
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    for (const timer of this.#timers) this.#graph.removeTimer(timer);
    for (const publisher of this.#publishers) this.#graph.topics.removePublisher(publisher);
    for (const subscription of this.#subscriptions) this.#graph.topics.removeSubscription(subscription);
    for (const service of this.#services) this.#graph.services.removeServer(service);
    for (const client of this.#clients) this.#graph.services.removeClient(client);
    this.#graph.forgetNode(this);
  }
}
