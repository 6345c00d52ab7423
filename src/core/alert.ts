import { z } from 'zod';

/** One alert as Holmes sees it, whatever brought it in (webhook, file, pull, lab). */
export const alertSchema = z.object({
  fingerprint: z.string().min(1),
  status: z.enum(['firing', 'resolved']),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()).default({}),
  /** RFC 3339. */
  startsAt: z.string(),
  /** The sender gave no start: startsAt is when Holmes received it, and a repeat is the same firing alert. */
  startsAtInferred: z.boolean().optional(),
  /** RFC 3339; Alertmanager sends `0001-01-01T00:00:00Z` while firing. */
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  groupKey: z.string().optional(),
  source: z.enum(['webhook', 'file', 'pull', 'lab', 'api', 'mcp']).optional(),
});

export type Alert = z.infer<typeof alertSchema>;
