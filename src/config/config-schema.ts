import { z } from 'zod';
import { secretSchema } from './secret.js';

const durationMs = z.number().int().positive();

export const configSchema = z.strictObject({
  prometheus: z
    .strictObject({
      url: z.url().optional(),
      bearerToken: secretSchema.optional(),
      headers: z.record(z.string(), z.string()).default({}),
      timeoutMs: durationMs.default(15_000),
    })
    .prefault({}),
  kubernetes: z
    .strictObject({
      kubeconfig: z.string().optional(),
      context: z.string().optional(),
      inCluster: z.boolean().default(false),
      /** An API server URL with no auth (the lab); overrides kubeconfig. */
      server: z.url().optional(),
      timeoutMs: durationMs.default(15_000),
    })
    .prefault({}),
  toolsets: z
    .strictObject({
      directories: z.array(z.string()).default([]),
      disabled: z.array(z.string()).default([]),
      /** Cap on a tool's model-facing output, counted in tokens. */
      maxOutputTokens: z.number().int().positive().default(2_000),
      timeoutMs: durationMs.default(20_000),
    })
    .prefault({}),
  runbooks: z
    .strictObject({
      directories: z.array(z.string()).default([]),
    })
    .prefault({}),
  log: z
    .strictObject({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
    })
    .prefault({}),
});

export type HolmesConfig = z.infer<typeof configSchema>;
/** Paths (dot-separated) of fields holding secrets, for redaction. */
export const SECRET_PATHS = ['prometheus.bearerToken'] as const;
