import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { HolmesError } from '../core/errors.js';

/**
 * A secret in the config: a literal, `{ env: NAME }` or `{ file: PATH }`. Keeping the reference
 * (not the value) in the config object means printing the config can never leak it.
 */
export const secretSchema = z.union([
  z.string().min(1),
  z.strictObject({ env: z.string().min(1) }),
  z.strictObject({ file: z.string().min(1) }),
]);

export type Secret = z.infer<typeof secretSchema>;

export const REDACTED = '[redacted]';

/** Resolves a secret at the moment it is used; the error names where it should have come from. */
export function resolveSecret(secret: Secret, path: string, env: NodeJS.ProcessEnv = process.env): string {
  if (typeof secret === 'string') return secret;
  if ('env' in secret) {
    const value = env[secret.env];
    if (value === undefined || value === '') {
      throw new HolmesError('CONFIG_INVALID', `${path}: environment variable ${secret.env} is not set.`, {
        fix: `Export ${secret.env}, or change ${path} in the config.`,
      });
    }
    return value;
  }
  try {
    return readFileSync(secret.file, 'utf8').trim();
  } catch (error) {
    throw new HolmesError('CONFIG_INVALID', `${path}: cannot read secret file ${secret.file}.`, {
      cause: error,
      fix: `Create ${secret.file} or point ${path}.file at the mounted secret.`,
    });
  }
}

/** How a secret is shown: where it comes from, never its value. */
export function describeSecret(secret: Secret): string | Record<string, string> {
  return typeof secret === 'string' ? REDACTED : secret;
}
