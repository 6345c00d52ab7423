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

// RFC 7235 credentials: the scheme, whitespace, then one token68 or blob — nothing after it.
const CREDENTIALS = /^([A-Za-z]+) +(\S+)$/;
// Canonical base64 only: the alphabet, padded to a multiple of 4 (Buffer.from would skip junk).
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The scheme and value of an Authorization header, or undefined when it is not one well-formed credential. */
function parseAuthorization(header: string): { scheme: string; value: string } | undefined {
  const match = CREDENTIALS.exec(header.trim());
  return match ? { scheme: match[1]!.toLowerCase(), value: match[2]! } : undefined;
}

/** user:password of a Basic credential, or undefined when the value is not strict base64 of UTF-8 text. */
function decodeBasic(value: string): string | undefined {
  if (!BASE64.test(value)) return undefined;
  const bytes = Buffer.from(value, 'base64');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
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
  const index = options.tokens.findIndex((token) => token === '' || /\s/.test(token));
  if (index >= 0) {
    throw new HolmesError('CONFIG_INVALID', `server.tokens[${index}] is empty or contains whitespace.`, {
      fix: 'A bearer token is one word (letters, digits, -._~+/=): generate one with `openssl rand -hex 32`.',
    });
  }
  const expectedBasic = options.basic ? `${options.basic.username}:${options.basic.password}` : undefined;
  return async (context, next) => {
    if (options.tokens.length === 0 && !expectedBasic) return next();
    const credentials = parseAuthorization(context.req.header('authorization') ?? '');
    let ok = false;
    if (credentials?.scheme === 'bearer') {
      // Compare against every token so the time does not reveal which one matched.
      ok = options.tokens.map((token) => same(credentials.value, token)).includes(true);
    } else if (credentials?.scheme === 'basic' && expectedBasic) {
      const decoded = decodeBasic(credentials.value);
      ok = decoded !== undefined && same(decoded, expectedBasic);
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
