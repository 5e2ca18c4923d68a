/**
 * Services and clients of the embedded graph. A request is checked against the service's Request
 * type in `call`, handled from the executor (never inside `call`), and the handler's answer is
 * checked against the Response type. A missing server, a handler that throws or rejects, and an
 * invalid response all reach the caller as Errors naming the service. Call timeouts are wall time,
 * like rclcpp's future timeouts, so they also run out under a simulated clock.
 */
import type { Client, Service } from './api';
import type { Executor } from './executor';
import type { EndpointOwner } from './embedded-topics';
import { type MessageChecker, messageChecker, messageRegistry } from './message-validation';

/** Used when `call` gets no timeout. */
export const DEFAULT_CALL_TIMEOUT_MS = 5000;

type Handler = (request: never) => unknown;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

class EmbeddedService implements Service {
  destroyed = false;
  readonly #checkResponse: MessageChecker;

  constructor(
    readonly name: string,
    readonly type: string,
    readonly owner: EndpointOwner,
    private readonly handler: Handler,
    private readonly executor: Executor,
  ) {
    this.#checkResponse = messageChecker(messageRegistry().service(type).response);
  }

  /** Runs the handler for one request and reports its checked answer or failure. */
  handle(request: unknown, answer: (response: unknown) => void, fail: (error: Error) => void): void {
    const failWith = (what: string, error: unknown): void => {
      const text = `service '${this.name}' (${this.type}) ${what}: ${messageOf(error)}`;
      this.owner.logger.error(text);
      fail(new Error(text));
    };
    const finish = (response: unknown): void => {
      let checked: unknown;
      try {
        checked = this.#checkResponse(response);
      } catch (error) {
        failWith('returned an invalid response', error);
        return;
      }
      answer(checked);
    };
    let result: unknown;
    try {
      result = this.handler(request as never);
    } catch (error) {
      failWith('failed in its handler', error);
      return;
    }
    if (result instanceof Promise) {
      void this.executor.trackAsync(result.then(finish, (error: unknown) => failWith('failed in its handler', error)));
    } else {
      finish(result);
    }
  }
}

class EmbeddedClient<Req, Res> implements Client<Req, Res> {
  destroyed = false;
  readonly #checkRequest: MessageChecker;

  constructor(
    readonly name: string,
    readonly type: string,
    readonly owner: EndpointOwner,
    private readonly registry: ServiceRegistry,
  ) {
    this.#checkRequest = messageChecker(messageRegistry().service(type).request);
  }

  waitForService(timeoutMs: number): Promise<boolean> {
    if (this.registry.server(this.name)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        stopWaiting();
        resolve(false);
      }, timeoutMs);
      const stopWaiting = this.registry.whenAvailable(this.name, () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  async call(request: Req, timeoutMs = DEFAULT_CALL_TIMEOUT_MS): Promise<Res> {
    if (this.destroyed) throw new Error(`the client of ${this.owner.fullyQualifiedName} for service '${this.name}' was destroyed`);
    const checked = this.#checkRequest(request);
    return new Promise<Res>((resolve, reject) => {
      let settled = false;
      let dispatched = false;
      let stopWaiting = (): void => undefined;
      const timer = setTimeout(() => {
        settled = true;
        stopWaiting();
        reject(
          new Error(
            dispatched
              ? `service '${this.name}' (${this.type}) did not answer within ${timeoutMs} ms`
              : `service '${this.name}' (${this.type}) is not available: no server appeared within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      const settle = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        outcome();
      };
      const dispatch = (server: EmbeddedService): void => {
        dispatched = true;
        this.registry.executor.enqueue({
          run: () =>
            server.handle(
              checked,
              (response) => settle(() => resolve(response as Res)),
              (error) => settle(() => reject(error)),
            ),
          reportError: (error) => settle(() => reject(error instanceof Error ? error : new Error(String(error)))),
        });
      };
      const server = this.registry.server(this.name);
      if (server) dispatch(server);
      else stopWaiting = this.registry.whenAvailable(this.name, dispatch);
    });
  }
}

export class ServiceRegistry {
  readonly #servers = new Map<string, EmbeddedService>();
  readonly #clientTypes = new Map<string, { type: string; owner: string; count: number }>();
  readonly #waiters = new Map<string, Set<(server: EmbeddedService) => void>>();

  constructor(readonly executor: Executor) {}

  server(name: string): EmbeddedService | undefined {
    return this.#servers.get(name);
  }

  /** Calls `onServer` once a server for `name` exists; returns a function that stops waiting. */
  whenAvailable(name: string, onServer: (server: EmbeddedService) => void): () => void {
    let waiters = this.#waiters.get(name);
    if (!waiters) {
      waiters = new Set();
      this.#waiters.set(name, waiters);
    }
    waiters.add(onServer);
    return () => waiters.delete(onServer);
  }

  #checkType(name: string, type: string, kind: string, owner: EndpointOwner): void {
    const server = this.#servers.get(name);
    const client = this.#clientTypes.get(name);
    const existing = server ? { type: server.type, what: `server of ${server.owner.fullyQualifiedName}` } : client ? { type: client.type, what: `client of ${client.owner}` } : undefined;
    if (existing && existing.type !== type) {
      throw new Error(
        `type mismatch on service '${name}': cannot create a ${kind} of ${type} for ${owner.fullyQualifiedName}; ` +
          `the service is ${existing.type} (${existing.what})`,
      );
    }
  }

  addServer(owner: EndpointOwner, type: string, name: string, handler: Handler): EmbeddedService {
    this.#checkType(name, type, 'server', owner);
    const existing = this.#servers.get(name);
    if (existing) throw new Error(`service '${name}' is already provided by ${existing.owner.fullyQualifiedName}`);
    const service = new EmbeddedService(name, type, owner, handler, this.executor);
    this.#servers.set(name, service);
    const waiters = this.#waiters.get(name);
    this.#waiters.delete(name);
    for (const wake of waiters ?? []) wake(service);
    return service;
  }

  addClient<Req, Res>(owner: EndpointOwner, type: string, name: string): EmbeddedClient<Req, Res> {
    this.#checkType(name, type, 'client', owner);
    const client = new EmbeddedClient<Req, Res>(name, type, owner, this);
    const entry = this.#clientTypes.get(name);
    if (entry) entry.count++;
    else this.#clientTypes.set(name, { type, owner: owner.fullyQualifiedName, count: 1 });
    return client;
  }

  removeServer(service: Service): void {
    const found = this.#servers.get(service.name);
    if (found === service) {
      found.destroyed = true;
      this.#servers.delete(service.name);
    }
  }

  removeClient(client: Client<unknown, unknown>): void {
    if (!(client instanceof EmbeddedClient) || client.destroyed) return;
    client.destroyed = true;
    const entry = this.#clientTypes.get(client.name);
    if (entry && --entry.count === 0) this.#clientTypes.delete(client.name);
  }
}
