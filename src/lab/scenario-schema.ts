import { z } from 'zod';
import { CAUSE_CLASSES, CAUSE_IDS, NO_CAUSE } from '../core/causes.js';
import { parseDuration } from '../core/duration.js';
import { HolmesError } from '../core/errors.js';

/**
 * The shape of scenario.yaml (shared/SCENARIOS.md). Checks that need one field only live here;
 * checks across fields and files (id vs folder, duplicate series, log files) are in load-scenario.
 */
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function duration(options: { positive: boolean }) {
  return z.string().superRefine((value, context) => {
    try {
      const ms = parseDuration(value);
      if (options.positive && ms === 0) {
        context.addIssue({
          code: 'custom',
          message: 'must be longer than 0',
          params: { fix: 'Use a positive duration such as 30s.' },
        });
      }
    } catch (error) {
      const message = HolmesError.isInstance(error) ? error.message : String(error);
      context.addIssue({
        code: 'custom',
        message,
        params: { fix: HolmesError.isInstance(error) ? error.fix : undefined },
      });
    }
  });
}

const nonEmpty = z.string().min(1);

export const logEntrySchema = z.strictObject({
  namespace: nonEmpty,
  pod: nonEmpty,
  container: nonEmpty,
  previous: z.boolean().optional(),
  file: nonEmpty.optional(),
  text: z.string().optional(),
});

const seriesEntrySchema = z.strictObject({
  series: nonEmpty,
  // A bare YAML number (`values: 5`) is one sample; promtool reads it as text too.
  values: z.union([z.string(), z.number()]),
});

const alertEntrySchema = z.strictObject({
  labels: z.record(z.string(), z.string()).superRefine((labels, context) => {
    for (const name of Object.keys(labels)) {
      if (!LABEL_NAME.test(name)) {
        context.addIssue({
          code: 'custom',
          path: [name],
          message: `'${name}' is not a valid label name`,
          params: { fix: 'Label names match [a-zA-Z_][a-zA-Z0-9_]*, as in Prometheus.' },
        });
      }
    }
    if (labels.alertname === undefined || labels.alertname === '') {
      context.addIssue({
        code: 'custom',
        message: 'the alert has no alertname label',
        params: { fix: 'Add the alert rule name, e.g. `labels: {alertname: InferenceP99High, ...}`.' },
      });
    }
  }),
  annotations: z.record(z.string(), z.string()).optional(),
  startsAgo: duration({ positive: false }),
  generatorURL: z.string().optional(),
});

export const scenarioFileSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: nonEmpty,
  class: z.enum(CAUSE_CLASSES),
  interval: duration({ positive: true }),
  alert: alertEntrySchema,
  series: z.array(seriesEntrySchema),
  kubernetes: nonEmpty.optional(),
  logs: z.array(logEntrySchema).optional(),
  expected: z.strictObject({
    // `none`: the cause lies outside the vocabulary, or nothing is wrong any more (SCENARIOS.md).
    rootCause: z.enum([...CAUSE_IDS, NO_CAUSE]),
    mentions: z.array(nonEmpty).optional(),
  }),
});

export type ScenarioFile = z.infer<typeof scenarioFileSchema>;
export type LogEntry = z.infer<typeof logEntrySchema>;

interface FieldHelp {
  expected: string;
  fix: string;
}

/** What each field holds and how to fix it; keys are paths with array indexes written as []. */
export const FIELD_HELP: Record<string, FieldHelp> = {
  id: {
    expected: 'an id of lower-case letters, digits and dashes',
    fix: 'Set `id:` to the folder name, e.g. `id: chat-api-p99-gpu-node-1`.',
  },
  title: { expected: 'a one-line title', fix: 'Add `title:` describing the incident for people.' },
  class: {
    expected: `one of ${CAUSE_CLASSES.join(' | ')}`,
    fix: `Set \`class:\` to the symptom's class: ${CAUSE_CLASSES.join(', ')}.`,
  },
  interval: {
    expected: 'a Prometheus duration such as 30s',
    fix: 'Set `interval:` to the spacing of the samples, e.g. `interval: 30s`.',
  },
  alert: {
    expected: 'the alert: labels, annotations, startsAgo, generatorURL',
    fix: 'Add `alert:` with at least `labels` and `startsAgo`.',
  },
  'alert.labels': {
    expected: 'a map of label names to string values',
    fix: 'Write `labels: {alertname: X, severity: critical}`; quote numbers, e.g. gpu: "0".',
  },
  'alert.annotations': {
    expected: 'a map of names to string values',
    fix: 'Write `annotations: {summary: "..."}`; quote numbers.',
  },
  'alert.startsAgo': {
    expected: 'a Prometheus duration such as 10m',
    fix: 'Set `startsAgo:` to how long before now the alert started, e.g. `startsAgo: 10m`.',
  },
  'alert.generatorURL': { expected: 'a URL string', fix: 'Quote the URL or remove `generatorURL:`.' },
  series: {
    expected: 'a list of {series, values} entries',
    fix: 'Write `series:` as a list, e.g. `- {series: \'up{job="x"}\', values: "1x10"}` (an empty list is fine).',
  },
  'series[]': {
    expected: 'an entry with series and values',
    fix: 'Write each entry as `- series: \'name{label="value"}\'` and `values: "1+1x10"`.',
  },
  'series[].series': {
    expected: 'a series such as name{label="value"}',
    fix: 'Quote the series in single quotes: `series: \'name{label="value"}\'`.',
  },
  'series[].values': {
    expected: 'promtool series notation such as "1+1x10 5x3"',
    fix: 'Quote the values: `values: "45+0x200 98x40"`.',
  },
  kubernetes: {
    expected: 'a file name relative to the scenario folder',
    fix: 'Write `kubernetes: kubernetes.yaml` or remove the field.',
  },
  logs: {
    expected: 'a list of log entries',
    fix: 'Write `logs:` as a list of {namespace, pod, container, file or text}.',
  },
  'logs[]': {
    expected: 'an entry with namespace, pod, container and file or text',
    fix: 'Write `- {namespace: llm, pod: p, container: c, file: logs/p.log}`.',
  },
  'logs[].namespace': { expected: 'a namespace name', fix: 'Add `namespace:` to the log entry.' },
  'logs[].pod': { expected: 'a pod name', fix: 'Add `pod:` to the log entry.' },
  'logs[].container': { expected: 'a container name', fix: 'Add `container:` to the log entry.' },
  'logs[].previous': {
    expected: 'true or false',
    fix: "Write `previous: true` for the previous instance's log, or remove it.",
  },
  'logs[].file': { expected: 'a file path relative to the scenario folder', fix: 'Write `file: logs/NAME.log`.' },
  'logs[].text': { expected: 'the log text', fix: 'Quote the text or use a block scalar (`text: |`).' },
  expected: {
    expected: 'the expected answer: rootCause and mentions',
    fix: 'Add `expected: {rootCause: <cause id>, mentions: [...]}`.',
  },
  'expected.rootCause': {
    expected: 'one cause id, or none',
    fix: `Use one of: ${CAUSE_IDS.join(', ')}; or ${NO_CAUSE} when the cause lies outside them.`,
  },
  'expected.mentions': {
    expected: 'a list of non-empty strings',
    fix: 'Write `mentions: [pod-name, "gpu 0"]` (may be empty).',
  },
  'expected.mentions[]': { expected: 'a non-empty string', fix: 'Quote each mention; remove empty ones.' },
};

/** The keys each object in scenario.yaml accepts, for "unknown key" messages. */
export const KNOWN_KEYS: Record<string, readonly string[]> = {
  '': Object.keys(scenarioFileSchema.shape),
  alert: Object.keys(alertEntrySchema.shape),
  'series[]': Object.keys(seriesEntrySchema.shape),
  'logs[]': Object.keys(logEntrySchema.shape),
  expected: ['rootCause', 'mentions'],
};

/** `series.3.values` → `series[].values`, the key of FIELD_HELP. */
export function fieldKey(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((key, part) => {
    if (typeof part === 'number') return `${key}[]`;
    return key === '' ? String(part) : `${key}.${String(part)}`;
  }, '');
}
