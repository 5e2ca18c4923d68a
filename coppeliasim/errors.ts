/** The one error type of the CoppeliaSim client; `kind` tells a remote failure from a link failure. */

/** remote: CoppeliaSim answered with an error; protocol: a reply or return value of the wrong shape; the others are about the link. */
export type CoppeliaSimErrorKind = 'remote' | 'timeout' | 'disconnected' | 'not-connected' | 'protocol' | 'closed';

export class CoppeliaSimError extends Error {
  override readonly name = 'CoppeliaSimError';
  constructor(
    readonly kind: CoppeliaSimErrorKind,
    message: string,
    /** The remote function (or `eval <expression>`) the error belongs to, when there is one. */
    readonly func: string | null = null,
    /** CoppeliaSim's own error text, for kind 'remote'. */
    readonly remoteMessage: string | null = null,
  ) {
    super(message);
  }
}

/** True for errors after which the connection is gone (the bridge should halt and mark the episode interrupted). */
export function isLinkFailure(err: unknown): boolean {
  return err instanceof CoppeliaSimError && (err.kind === 'disconnected' || err.kind === 'not-connected' || err.kind === 'closed');
}
