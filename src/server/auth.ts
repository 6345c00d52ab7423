import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { HolmesError } from '../core/errors.js';

export interface AuthOptions {
  tokens: string[];
  basic?: { username: string; password: string };
  allowUnauthenticated: boolean;
}

// Hashing first gives equal lengths, so the comparison time says nothing about the secret.
function same(given: string, expected: string): boolean {
  const left = createHash('sha256').update(given).digest();
  const right = createHash('sha256').update(expected).digest();
  return timingSafeEqual(left, right);
}

/**
 * Bearer tokens (Alertmanager's `http_config.authorization`) or basic auth, compared in constant
 * time. Checked once at construction: a server with no credential must be asked for explicitly.
 */
export function createAuth(options: AuthOptions): MiddlewareHandler {
  if (options.tokens.length === 0 && !options.basic && !options.allowUnauthenticated) {
    throw new HolmesError(
      'CONFIG_INVALID',
      'holmes serve needs credentials: no server.tokens and no server.basicAuth are configured.',
      {
        fix: 'Set server.tokens (e.g. [{ env: HOLMES_SERVER_TOKEN }]) or server.basicAuth, or set server.allowUnauthenticated: true for a trusted network only.',
      },
    );
  }
  const expectedBasic = options.basic ? `${options.basic.username}:${options.basic.password}` : undefined;
  return async (context, next) => {
    if (options.tokens.length === 0 && !expectedBasic) return next();
    const header = context.req.header('authorization') ?? '';
    const [scheme, value = ''] = header.split(/\s+/, 2);
    let ok = false;
    if (scheme?.toLowerCase() === 'bearer') {
      // Compare against every token so the time does not reveal which one matched.
      ok = options.tokens.map((token) => same(value, token)).includes(true);
    } else if (scheme?.toLowerCase() === 'basic' && expectedBasic) {
      ok = same(Buffer.from(value, 'base64').toString('utf8'), expectedBasic);
    }
    if (!ok) {
      context.header('WWW-Authenticate', expectedBasic ? 'Basic realm="holmes", Bearer' : 'Bearer realm="holmes"');
      return context.json(
        {
          error: 'unauthorized',
          message:
            'Send Authorization: Bearer <token> (or basic auth) as configured in server.tokens / server.basicAuth.',
        },
        401,
      );
    }
    return next();
  };
}
