import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { HolmesError } from '../core/errors.js';
import { REDACTED, rememberSecret } from '../core/redact-secrets.js';

/**
 * A secret in the config: a literal, `{ env: NAME }` or `{ file: PATH }`. Keeping the reference
 * (not the value) in the config object means printing the config can never leak it.
 */
export const secretSchema = z.union([
  z.string().refine((value) => value.trim() !== '', 'a secret must not be empty'),
  z.strictObject({ env: z.string().min(1) }),
  z.strictObject({ file: z.string().min(1) }),
]);

export type Secret = z.infer<typeof secretSchema>;

export { REDACTED };

/**
 * Resolves a secret at the moment it is used; the error names where it should have come from.
 * The value is remembered for redaction, and an empty one is refused wherever it comes from: an
 * empty token would otherwise match an empty `Authorization: Bearer`.
 */
export function resolveSecret(secret: Secret, path: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = read(secret, path, env);
  rememberSecret(value);
  return value;
}

function read(secret: Secret, path: string, env: NodeJS.ProcessEnv): string {
  if (typeof secret === 'string') return secret;
  if ('env' in secret) {
    const value = env[secret.env];
    if (value === undefined || value.trim() === '') {
      throw new HolmesError('CONFIG_INVALID', `${path}: environment variable ${secret.env} is not set or empty.`, {
        fix: `Export ${secret.env} with the secret, or change ${path} in the config.`,
      });
    }
    return value;
  }
  let text: string;
  try {
    text = readFileSync(secret.file, 'utf8').trim();
  } catch (error) {
    throw new HolmesError('CONFIG_INVALID', `${path}: cannot read secret file ${secret.file}.`, {
      cause: error,
      fix: `Create ${secret.file} or point ${path}.file at the mounted secret.`,
    });
  }
  if (text === '') {
    throw new HolmesError(
      'CONFIG_INVALID',
      `${path}: secret file ${secret.file} is empty (or holds only whitespace).`,
      {
        fix: `Write the secret into ${secret.file}, or point ${path}.file at the file that holds it.`,
      },
    );
  }
  return text;
}

/** How a secret is shown: where it comes from, never its value. */
export function describeSecret(secret: Secret): string | Record<string, string> {
  return typeof secret === 'string' ? REDACTED : secret;
}
