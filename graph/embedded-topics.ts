/**
 * Topics of the embedded graph: publishers, subscriptions and QoS matching as in ROS 2.
 *
 * - A subscription has a KEEP_LAST queue of its QoS depth; a full queue drops its OLDEST message.
 * - Reliability: a best-effort publisher does not match a reliable subscription.
 * - Durability: a volatile publisher does not match a transient-local subscription; a
 *   transient-local publisher keeps its last `depth` messages and hands them to each
 *   transient-local subscription that matches it later. A volatile subscription gets nothing old.
 * - One topic carries one type; an endpoint of another type is an error naming both.
 * Incompatible pairs are reported on both nodes' loggers with rclcpp's wording.
 */
import type { Durability, Publisher, QosProfile, Reliability, Subscription } from './api';
import type { Executor, ExecutorWork } from './executor';
import type { GraphLogger } from './logging';
import type { MessageChecker } from './message-validation';

export interface EndpointOwner {
  readonly fullyQualifiedName: string;
  readonly logger: GraphLogger;
}

const RELIABILITIES: readonly Reliability[] = ['reliable', 'best_effort'];
const DURABILITIES: readonly Durability[] = ['volatile', 'transient_local'];

export function checkQos(qos: QosProfile, where: string): void {
  if (!Number.isInteger(qos.depth) || qos.depth < 1) throw new Error(`${where}: QoS depth must be a positive integer, got ${qos.depth}`);
  if (!RELIABILITIES.includes(qos.reliability)) throw new Error(`${where}: unknown QoS reliability '${qos.reliability}'`);
  if (!DURABILITIES.includes(qos.durability)) throw new Error(`${where}: unknown QoS durability '${qos.durability}'`);
}

/** The policy that keeps a publisher and a subscription apart, or undefined when they match. */
export function qosIncompatibility(offered: QosProfile, requested: QosProfile): 'RELIABILITY' | 'DURABILITY' | undefined {
  if (offered.reliability === 'best_effort' && requested.reliability === 'reliable') return 'RELIABILITY';
  if (offered.durability === 'volatile' && requested.durability === 'transient_local') return 'DURABILITY';
  return undefined;
}

interface Topic {
  readonly name: string;
  type: string | undefined;
  readonly publishers: EmbeddedPublisher<unknown>[];
  readonly subscriptions: EmbeddedSubscription[];
}

interface HistoryEntry {
  readonly sequence: number;
  readonly message: unknown;
}

let publishSequence = 0;

export class EmbeddedSubscription implements Subscription, ExecutorWork {
  readonly #queue: unknown[];
  #head = 0;
  #size = 0;
  destroyed = false;

  constructor(
    readonly topic: string,
    readonly type: string,
    readonly qos: QosProfile,
    readonly owner: EndpointOwner,
    private readonly callback: (message: never) => unknown,
    private readonly executor: Executor,
  ) {
    this.#queue = new Array<unknown>(qos.depth);
  }

  /** Queues one message, dropping the oldest when the queue is full, and wakes the executor. */
  push(message: unknown): void {
    const depth = this.#queue.length;
    if (this.#size === depth) {
      this.#head = (this.#head + 1) % depth;
      this.#size--;
    }
    this.#queue[(this.#head + this.#size) % depth] = message;
    this.#size++;
    this.executor.enqueue(this);
  }

  run(): void {
    if (this.#size === 0 || this.destroyed) return;
    const message = this.#queue[this.#head];
    this.#queue[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.#queue.length;
    this.#size--;
    const result = this.callback(message as never) as { then?: unknown } | undefined;
    if (result !== undefined && result !== null && typeof result.then === 'function') {
      (result as Promise<unknown>).then(undefined, (error: unknown) => this.reportError(error));
    }
  }

  reportError(error: unknown): void {
    const text = error instanceof Error ? error.message : String(error);
    this.owner.logger.error(`exception in subscription callback on topic '${this.topic}' (${this.type}): ${text}`);
  }
}

export class EmbeddedPublisher<T> implements Publisher<T> {
  matched: EmbeddedSubscription[] = [];
  readonly history: HistoryEntry[] = [];
  destroyed = false;

  constructor(
    readonly topic: string,
    readonly type: string,
    readonly qos: QosProfile,
    readonly owner: EndpointOwner,
    private readonly check: MessageChecker,
  ) {}

  publish(message: T): void {
    if (this.destroyed) throw new Error(`the publisher of ${this.owner.fullyQualifiedName} on '${this.topic}' was destroyed`);
    const copy = this.check(message);
    if (this.qos.durability === 'transient_local') {
      this.history.push({ sequence: publishSequence++, message: copy });
      if (this.history.length > this.qos.depth) this.history.shift();
    }
    const matched = this.matched;
    for (let i = 0; i < matched.length; i++) matched[i]!.push(copy);
  }

  subscriptionCount(): number {
    return this.matched.length;
  }
}

export class TopicRegistry {
  readonly #topics = new Map<string, Topic>();

  constructor(private readonly executor: Executor) {}

  #topicFor(name: string, type: string, kind: string, owner: EndpointOwner): Topic {
    let topic = this.#topics.get(name);
    if (!topic) {
      topic = { name, type: undefined, publishers: [], subscriptions: [] };
      this.#topics.set(name, topic);
    }
    if (topic.type !== undefined && topic.type !== type) {
      const other = topic.publishers[0] ?? topic.subscriptions[0];
      const otherKind = topic.publishers[0] ? 'publisher' : 'subscription';
      throw new Error(
        `type mismatch on topic '${name}': cannot create a ${kind} of ${type} for ${owner.fullyQualifiedName}; ` +
          `the topic carries ${topic.type} (${otherKind} of ${other?.owner.fullyQualifiedName})`,
      );
    }
    topic.type = type;
    return topic;
  }

  addPublisher<T>(owner: EndpointOwner, type: string, name: string, qos: QosProfile, check: MessageChecker): EmbeddedPublisher<T> {
    const topic = this.#topicFor(name, type, 'publisher', owner);
    const publisher = new EmbeddedPublisher<T>(name, type, qos, owner, check);
    for (const subscription of topic.subscriptions) {
      const policy = qosIncompatibility(qos, subscription.qos);
      if (policy) reportIncompatible(name, publisher, subscription, policy);
      else publisher.matched.push(subscription);
    }
    topic.publishers.push(publisher as EmbeddedPublisher<unknown>);
    return publisher;
  }

  addSubscription(
    owner: EndpointOwner,
    type: string,
    name: string,
    qos: QosProfile,
    callback: (message: never) => unknown,
  ): EmbeddedSubscription {
    const topic = this.#topicFor(name, type, 'subscription', owner);
    const subscription = new EmbeddedSubscription(name, type, qos, owner, callback, this.executor);
    const old: HistoryEntry[] = [];
    for (const publisher of topic.publishers) {
      const policy = qosIncompatibility(publisher.qos, qos);
      if (policy) {
        reportIncompatible(name, publisher, subscription, policy);
        continue;
      }
      publisher.matched = [...publisher.matched, subscription];
      if (qos.durability === 'transient_local') old.push(...publisher.history);
    }
    topic.subscriptions.push(subscription);
    for (const entry of old.sort((a, b) => a.sequence - b.sequence)) subscription.push(entry.message);
    return subscription;
  }

  removePublisher(publisher: EmbeddedPublisher<unknown>): void {
    publisher.destroyed = true;
    const topic = this.#topics.get(publisher.topic);
    if (!topic) return;
    remove(topic.publishers, publisher);
    this.#forgetIfUnused(topic);
  }

  removeSubscription(subscription: EmbeddedSubscription): void {
    subscription.destroyed = true;
    const topic = this.#topics.get(subscription.topic);
    if (!topic) return;
    remove(topic.subscriptions, subscription);
    for (const publisher of topic.publishers) publisher.matched = publisher.matched.filter((s) => s !== subscription);
    this.#forgetIfUnused(topic);
  }

  #forgetIfUnused(topic: Topic): void {
    if (topic.publishers.length === 0 && topic.subscriptions.length === 0) this.#topics.delete(topic.name);
  }
}

function remove<T>(list: T[], item: T): void {
  const index = list.indexOf(item);
  if (index >= 0) list.splice(index, 1);
}

function reportIncompatible(
  topic: string,
  publisher: EmbeddedPublisher<unknown>,
  subscription: EmbeddedSubscription,
  policy: string,
): void {
  subscription.owner.logger.warn(
    `New publisher discovered on topic '${topic}', offering incompatible QoS. No messages will be received from it. Last incompatible policy: ${policy}`,
  );
  publisher.owner.logger.warn(
    `New subscription discovered on topic '${topic}', requesting incompatible QoS. No messages will be sent to it. Last incompatible policy: ${policy}`,
  );
}
