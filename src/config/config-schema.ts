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
  storage: z
    .strictObject({
      /** SQLite file for alerts, investigations and the spend ledger; created on first use. */
      path: z.string().default('.holmes/holmes.db'),
      /** `normal` survives a process crash (WAL); `full` also a power cut, at a cost in intake rate. */
      synchronous: z.enum(['normal', 'full']).default('normal'),
    })
    .prefault({}),
  server: z
    .strictObject({
      host: z.string().default('127.0.0.1'),
      port: z.number().int().min(0).max(65_535).default(8080),
      /** Bearer tokens accepted (Alertmanager's http_config.authorization.credentials). */
      tokens: z.array(secretSchema).default([]),
      basicAuth: z.strictObject({ username: z.string().min(1), password: secretSchema }).optional(),
      /** Serving without any credential must be asked for explicitly. */
      allowUnauthenticated: z.boolean().default(false),
      bodyLimitBytes: z.number().int().positive().default(1_048_576),
      /** Investigations waiting beyond this make the webhook answer 503 with Retry-After. */
      maxQueue: z.number().int().positive().default(1_000),
      concurrency: z.number().int().positive().max(64).default(2),
      maxAlertsPerGroup: z.number().int().positive().default(20),
      shutdownGraceMs: z.number().int().nonnegative().default(20_000),
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
export const SECRET_PATHS = ['prometheus.bearerToken', 'server.tokens', 'server.basicAuth.password'] as const;
