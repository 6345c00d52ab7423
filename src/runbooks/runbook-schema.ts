import { z } from 'zod';
import { CAUSE_CLASSES } from '../core/causes.js';
import { ENTITY_NAMES } from '../core/entity-names.js';

/** Names every template (explain, remediation, params) can use: the entity view of the investigation. */
export const VIEW_NAMES = [
  'alertname',
  'alert_age',
  'window',
  'baseline_offset',
  'lookback',
  'namespace',
  'service',
  'workload',
  'workload_kind',
  'model',
  'team',
  'team_name',
  'api_key',
  'hpa',
  'pods',
  'pod_list',
  'first_pod',
  'nodes',
  'node_list',
  'gpu_list',
  'containers',
] as const;

export const checkSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  /** What the check looks at, for people. */
  description: z.string().min(5),
  /** A tool of any loaded toolset (`name` or `toolset-id/name`). */
  tool: z.string().min(1),
  /** Tool parameters; strings are templates over the resolved entities (`{{namespace}}`, `{{pods}}` …). */
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])).default({}),
  /** Entities without which the check is unavailable; the tool's own `needs` when left out. */
  needs: z.array(z.enum(ENTITY_NAMES)).optional(),
  /** Named JSONata expressions over `{ data, status, entities }`; their values fill the sentences. */
  facts: z.record(z.string(), z.string()).default({}),
  /** JSONata over `{ data, status, entities, facts… }`: true means evidence for the cause. */
  supports: z.string().min(1),
  /** JSONata: true means evidence against. Checked only when `supports` is false. */
  contradicts: z.string().optional(),
  weight: z.number().positive().max(10),
  /** A cause whose required check does not support it cannot rank high. */
  required: z.boolean().default(false),
  explain: z.strictObject({
    supports: z.string().min(5).optional(),
    contradicts: z.string().optional(),
    inconclusive: z.string().optional(),
  }),
});

const remediationStepSchema = z.strictObject({
  title: z.string().min(3),
  /** A command or config change a person would apply; Holmes never applies it. */
  command: z.string().optional(),
  details: z.string().optional(),
});

export const runbookFrontMatterSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string().min(5),
  class: z.enum(CAUSE_CLASSES),
  candidate: z.strictObject({
    /** Regexes (case-insensitive) on the alert name and summary. */
    alerts: z.array(z.string()).default([]),
    /** Symptoms found by triage (see runbooks/symptoms.yaml) that make this cause worth checking. */
    symptoms: z.array(z.string()).default([]),
  }),
  checks: z.array(checkSchema).min(1),
  remediation: z.array(remediationStepSchema).min(1),
});

export type CheckSpec = z.infer<typeof checkSchema>;
export type RunbookFrontMatter = z.infer<typeof runbookFrontMatterSchema>;
export interface Runbook extends RunbookFrontMatter {
  file: string;
  /** The Markdown after the front matter: goal, how to investigate, decide, fix. */
  body: string;
}
