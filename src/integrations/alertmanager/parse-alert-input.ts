import { z } from 'zod';
import type { Alert } from '../../core/alert.js';
import { alertFingerprint } from '../../core/alert-fingerprint.js';
import { HolmesError } from '../../core/errors.js';

const FIRING_END = '0001-01-01T00:00:00Z';

const inputAlertSchema = z.object({
  status: z.enum(['firing', 'resolved']).optional(),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()).optional(),
  startsAt: z.string().optional(),
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().optional(),
});

/** Alertmanager's webhook body, version 4. */
export const webhookSchema = z.object({
  version: z.string().optional(),
  groupKey: z.string().optional(),
  truncatedAlerts: z.number().optional(),
  status: z.enum(['firing', 'resolved']).optional(),
  receiver: z.string().optional(),
  groupLabels: z.record(z.string(), z.string()).optional(),
  commonLabels: z.record(z.string(), z.string()).optional(),
  commonAnnotations: z.record(z.string(), z.string()).optional(),
  externalURL: z.string().optional(),
  alerts: z.array(inputAlertSchema),
});

function toAlert(
  input: z.infer<typeof inputAlertSchema>,
  source: Alert['source'],
  groupKey: string | undefined,
  now: Date,
): Alert {
  return {
    fingerprint: input.fingerprint ?? alertFingerprint(input.labels),
    status: input.status ?? 'firing',
    labels: input.labels,
    annotations: input.annotations ?? {},
    startsAt: input.startsAt ?? now.toISOString(),
    endsAt: input.endsAt ?? FIRING_END,
    ...(input.generatorURL ? { generatorURL: input.generatorURL } : {}),
    ...(groupKey ? { groupKey } : {}),
    ...(source ? { source } : {}),
  };
}

/**
 * Accepts what people paste: one alert, a list of alerts, or a whole Alertmanager webhook body.
 * Missing fingerprints are computed as Alertmanager does; a body with no alerts is an error.
 */
export function parseAlertInput(value: unknown, options: { source?: Alert['source']; now?: Date } = {}): Alert[] {
  const now = options.now ?? new Date();
  const issues = (error: z.ZodError) =>
    error.issues.map((issue) => ({ path: issue.path.join('.') || '(root)', message: issue.message }));
  if (typeof value === 'object' && value !== null && 'alerts' in value) {
    const parsed = webhookSchema.safeParse(value);
    if (!parsed.success)
      throw new HolmesError('ALERT_INVALID', 'The Alertmanager webhook body is malformed.', {
        issues: issues(parsed.error),
        fix: 'Send the body Alertmanager posts (version 4): { "alerts": [ { "labels": {…}, … } ], … }.',
      });
    if (parsed.data.alerts.length === 0)
      throw new HolmesError('ALERT_INVALID', 'The webhook body has no alerts.', {
        fix: 'Include at least one alert in "alerts".',
      });
    return parsed.data.alerts.map((alert) => toAlert(alert, options.source, parsed.data.groupKey, now));
  }
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0)
    throw new HolmesError('ALERT_INVALID', 'The alert list is empty.', {
      fix: 'Give one alert object with "labels", or a webhook body.',
    });
  const parsed = z.array(inputAlertSchema).safeParse(list);
  if (!parsed.success)
    throw new HolmesError('ALERT_INVALID', 'The alert is malformed.', {
      issues: issues(parsed.error),
      fix: 'An alert needs "labels" (string values), e.g. {"labels": {"alertname": "X", "namespace": "llm"}}.',
    });
  return parsed.data.map((alert) => toAlert(alert, options.source, undefined, now));
}
