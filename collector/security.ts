/**
 * The collector's guards: the admin token (random, compared in constant time, then kept in an
 * HttpOnly SameSite cookie), the origins a page may come from, and the response headers every
 * answer carries.
 */
import { createHash, randomBytes, timingSafeEqual } from 'crypto';
import * as os from 'os';

export const ADMIN_COOKIE = 'h2r_admin';

/** Equality of two secrets that takes as long for an early mismatch as for a late one. */
export function sameSecret(given: string, expected: string): boolean {
  // Hashing first gives equal lengths, so the comparison does not reveal the length either.
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

export function newAdminToken(): string {
  return randomBytes(24).toString('base64url');
}

/** What the cookie holds: derived from the token, so the token itself is not kept by the browser. */
export function cookieValueFor(token: string): string {
  return createHash('sha256').update(`h2r-admin-cookie:${token}`).digest('base64url');
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const equals = part.indexOf('=');
    if (equals > 0) cookies.set(part.slice(0, equals).trim(), part.slice(equals + 1).trim());
  }
  return cookies;
}

export type AdminVerdict = 'allowed' | 'missing' | 'wrong';

/**
 * Whether a request carries the admin token: as `Authorization: Bearer`, `X-Admin-Token`, the
 * `token` query parameter, or the cookie set after one of those.
 */
export function checkAdmin(token: string, headers: Record<string, string | string[] | undefined>, query: URLSearchParams): { verdict: AdminVerdict; viaQuery: boolean } {
  const authorization = headers['authorization'];
  const bearer = typeof authorization === 'string' && authorization.startsWith('Bearer ') ? authorization.slice(7) : undefined;
  const header = typeof headers['x-admin-token'] === 'string' ? headers['x-admin-token'] : undefined;
  const fromQuery = query.get('token') ?? undefined;
  const given = bearer ?? header ?? fromQuery;
  if (given !== undefined) return { verdict: sameSecret(given, token) ? 'allowed' : 'wrong', viaQuery: given === fromQuery && bearer === undefined && header === undefined };
  const cookie = parseCookies(typeof headers['cookie'] === 'string' ? headers['cookie'] : undefined).get(ADMIN_COOKIE);
  if (cookie === undefined) return { verdict: 'missing', viaQuery: false };
  return { verdict: sameSecret(cookie, cookieValueFor(token)) ? 'allowed' : 'wrong', viaQuery: false };
}

/**
 * The origins the page may be served from: the bound address and port, localhost for a loopback
 * bind, every interface address for a wildcard bind, and the extra ones configured (a proxy).
 */
export function allowedOrigins(host: string, port: number, extra: readonly string[]): Set<string> {
  const hosts = new Set<string>();
  const wildcard = host === '0.0.0.0' || host === '::';
  if (wildcard) {
    for (const addresses of Object.values(os.networkInterfaces())) {
      for (const a of addresses ?? []) if (host === '::' || a.family === 'IPv4') hosts.add(a.family === 'IPv6' ? `[${a.address}]` : a.address);
    }
  } else {
    hosts.add(host.includes(':') ? `[${host}]` : host);
  }
  if (wildcard || host === '127.0.0.1' || host === '::1' || host === 'localhost') {
    hosts.add('localhost');
    hosts.add('127.0.0.1');
  }
  return new Set([...[...hosts].map((h) => `http://${h}:${port}`), ...extra]);
}

/** Whether the Host header names this server (a page reached by DNS rebinding does not). */
export function hostAllowed(hostHeader: string | undefined, origins: ReadonlySet<string>): boolean {
  if (hostHeader === undefined) return false;
  return [...origins].some((origin) => new URL(origin).host === hostHeader.toLowerCase());
}

/** Headers on every response: a strict Content-Security-Policy and friends. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' blob:",
    "connect-src 'self'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; '),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'microphone=(self), camera=(), geolocation=()',
  'Cache-Control': 'no-store',
};
