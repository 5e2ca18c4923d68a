/** Reconnection delays: exponential growth with a cap, spread by jitter so many clients do not retry in step. */

export interface BackoffPolicy {
  /** Delay before the first retry, ms. */
  readonly initialDelayMs: number;
  /** No base delay grows past this, ms. */
  readonly maxDelayMs: number;
  /** Growth per failed attempt (>= 1). */
  readonly factor: number;
  /** Relative spread in [0, 1): a delay lands within ±jitter of its base. */
  readonly jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialDelayMs: 250, maxDelayMs: 10_000, factor: 2, jitter: 0.2 };

/** Fills in defaults and throws naming the field for a value that would make no sense. */
export function backoffPolicy(overrides: Partial<BackoffPolicy> = {}): BackoffPolicy {
  const policy = { ...DEFAULT_BACKOFF, ...overrides };
  const check = (field: keyof BackoffPolicy, ok: boolean, rule: string): void => {
    if (!ok) throw new RangeError(`backoff.${field} = ${policy[field]} is invalid: it must be ${rule}`);
  };
  check('initialDelayMs', Number.isFinite(policy.initialDelayMs) && policy.initialDelayMs > 0, 'a positive number of ms');
  check('maxDelayMs', Number.isFinite(policy.maxDelayMs) && policy.maxDelayMs >= policy.initialDelayMs, 'at least initialDelayMs');
  check('factor', Number.isFinite(policy.factor) && policy.factor >= 1, 'at least 1');
  check('jitter', policy.jitter >= 0 && policy.jitter < 1, 'in [0, 1)');
  return policy;
}

/**
 * Delay before retry number `attempt` (0 for the first): min(max, initial * factor^attempt),
 * scaled by a factor drawn uniformly from [1 - jitter, 1 + jitter] with `random` (values in [0, 1)).
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** Math.max(0, attempt));
  return Math.max(1, Math.round(base * (1 + policy.jitter * (2 * random() - 1))));
}
