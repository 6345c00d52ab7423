import { z } from 'zod';
import { ENTITY_NAMES } from '../core/entity-names.js';

/**
 * What the deterministic investigator resolved from the alert: a runbook check that does not set
 * a parameter with `entity` gets it from there, so checks stay short and a typo cannot drop it.
 */
export const ENTITY_FILLS = [
  'namespace',
  'workload',
  'workload_kind',
  'pods',
  'nodes',
  'containers',
  'service',
  'hpa',
  'model',
  'team',
  'api_key',
  'alert_start',
  /** The alert's rule expression, from its generatorURL: raw PromQL, for tools that draw the symptom. */
  'alert_expr',
] as const;
export type EntityFill = (typeof ENTITY_FILLS)[number];

/** A parameter a tool accepts; becomes a zod schema at load time. */
export const parameterSchema = z.strictObject({
  type: z.enum([
    'string',
    'integer',
    'number',
    'boolean',
    'duration',
    'enum',
    'label_value',
    'regex',
    'promql',
    'selector',
    /** A list of names (pods, nodes): comma-separated or an array. */
    'names',
    /** An instant (RFC 3339), e.g. when the alert started. */
    'timestamp',
  ]),
  description: z.string().min(1),
  /** Filled from the investigation's entities when a runbook check leaves it out. */
  entity: z.enum(ENTITY_FILLS).optional(),
  /** An enum whose values are the names of every loaded signal. */
  valuesFrom: z.literal('signals').optional(),
  required: z.boolean().default(false),
  default: z.union([z.string(), z.number(), z.boolean()]).optional(),
  values: z.array(z.string()).optional(),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
});

/** How a series' values are turned into words: an enumeration (XID codes) or a bitmask (clock events). */
export const decoderSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('map'), values: z.record(z.string(), z.string()), unknown: z.string().optional() }),
  z.strictObject({ type: z.literal('bitmask'), bits: z.record(z.string(), z.string()) }),
]);

export const outputSchema = z
  .strictObject({
    /** Unit of the values, for formatting (`ratio` 0-1 shown as %, `MiB`, `seconds` …). */
    unit: z.string().optional(),
    /** Name of a decoder of this toolset applied to each value. */
    decode: z.string().optional(),
    /** Decode this label's value instead of the sample value (e.g. the `xid` label of an XID counter). */
    decodeLabel: z.string().optional(),
    /** Labels shown per series; default: every label that differs between the series. */
    labels: z.array(z.string()).optional(),
    topK: z.number().int().positive().default(10),
    sort: z.enum(['desc', 'asc']).default('desc'),
    /** A range result is summarised per series unless this is false. */
    summarize: z.boolean().default(true),
  })
  .prefault({});

const querySchema = z.strictObject({
  /** Key in the structured result; short and snake_case. */
  name: z.string().regex(/^[a-z][a-z0-9_]*$/),
  title: z.string().optional(),
  query: z.string().min(1),
  output: outputSchema,
});

export const promqlImplementationSchema = z.strictObject({
  /** `instant` evaluates at one time; `range` over `lookback` with `step`. */
  type: z.enum(['instant', 'range']),
  /** Parameter names or literal durations; templated like queries. */
  lookback: z.string().default('1h'),
  step: z.string().optional(),
  /**
   * Instant tools: labels (templated, comma-separated values allowed) whose values make one row
   * with every query's value on it, instead of one section per query.
   */
  join: z.array(z.string()).optional(),
  queries: z.array(querySchema).min(1),
});

const kubernetesImplementationSchema = z.strictObject({
  verb: z.enum(['list', 'get', 'describe', 'events', 'logs', 'owners', 'rollouts', 'kinds', 'nodes']),
  kind: z.string().optional(),
});

/**
 * Data a tool reads beyond its toolset's prerequisites, which some clusters do not keep: `holmes
 * doctor` lists it for each runbook that checks with the tool, and says when it is missing.
 */
export const readsSchema = z
  .strictObject({
    /** What it is, for people: "kubelet volume stats". */
    what: z.string().min(3),
    /** Metrics that must all have series. */
    metrics: z.array(z.string()).min(1).optional(),
    /** Kubernetes events (kept 1 h by default: kube-apiserver --event-ttl). */
    events: z.literal(true).optional(),
    /** How to collect it when missing. */
    collect: z.string().min(10),
  })
  .refine((entry) => Boolean(entry.metrics) !== Boolean(entry.events), {
    message: 'a reads entry names either metrics or events: true',
  });

export const toolSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'tool names are snake_case'),
    description: z.string().min(10),
    parameters: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), parameterSchema).default({}),
    promql: promqlImplementationSchema.optional(),
    kubernetes: kubernetesImplementationSchema.optional(),
    /** A named code tool from src/toolsets/builtins, for what templates cannot express. */
    builtin: z.string().optional(),
    reads: z.array(readsSchema).optional(),
    /**
     * Entities without which the tool's answer means nothing (GPU sharing without the pods is no
     * answer). A check over the tool is unavailable when one is unresolved, unless it says otherwise.
     */
    needs: z.array(z.enum(ENTITY_NAMES)).optional(),
  })
  .refine((tool) => [tool.promql, tool.kubernetes, tool.builtin].filter(Boolean).length === 1, {
    message: 'a tool needs exactly one implementation: promql, kubernetes or builtin',
  });

export const prerequisiteSchema = z.union([
  z.strictObject({ prometheus: z.literal(true) }),
  z.strictObject({ kubernetes: z.literal(true) }),
  /** At least one of these metrics has a series. */
  z.strictObject({ metrics: z.array(z.string()).min(1) }),
]);

/**
 * A named time series over the alert's entities, read before and after the change behind the
 * alert. The first query whose metrics all have samples is used: one entry per exporter dialect.
 */
export const signalSchema = z.strictObject({
  title: z.string().min(3),
  /** Unit of the values (`ratio` 0-1, `percent`, `seconds`, `/s`, `tokens`, `usd/h`, `°C`, `MHz`, `W`…). */
  unit: z.string().min(1),
  /** What one series is about, and how it is told ours or another's. */
  subject: z.enum([
    'pod',
    'container',
    'node',
    'gpu',
    'client',
    'model',
    'namespace',
    'autoscaler',
    'port',
    /** A version of the workload: its ReplicaSet (label `replicaset`). */
    'version',
    'total',
  ]),
  /** How our series make one figure: the worst (max), the total (sum), the typical (avg) or the least (min). */
  combine: z.enum(['max', 'sum', 'avg', 'min']).default('max'),
  /** Dialects in order; `{{{scope}}}` is the selector of the entities (see toolsets/README.md). */
  queries: z.array(z.string().min(1)).min(1),
  /** How to collect it where it is off by default (an exporter flag, a counters file line). */
  collect: z.string().optional(),
});

export const toolsetFileSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, 'toolset ids are domain/name, e.g. gpu/dcgm'),
  description: z.string().min(10),
  prerequisites: z.array(prerequisiteSchema).default([]),
  /** Label names that mean the same thing across exporter versions, e.g. Hostname → node. */
  labelAliases: z.record(z.string(), z.string()).default({}),
  decoders: z.record(z.string(), decoderSchema).default({}),
  /** Named series the `signal_change` tool reads; see signalSchema. */
  signals: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), signalSchema).default({}),
  tools: z.array(toolSchema).default([]),
});

export type ParameterSpec = z.infer<typeof parameterSchema>;
export type DecoderSpec = z.infer<typeof decoderSchema>;
export type OutputSpec = z.infer<typeof outputSchema>;
export type PromqlImplementation = z.infer<typeof promqlImplementationSchema>;
export type ToolSpec = z.infer<typeof toolSchema>;
export type ToolsetSpec = z.infer<typeof toolsetFileSchema>;
export type SignalSpec = z.infer<typeof signalSchema>;
export type Prerequisite = z.infer<typeof prerequisiteSchema>;
