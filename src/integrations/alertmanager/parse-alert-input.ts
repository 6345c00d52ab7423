import { setImmediate as nextTurn } from 'node:timers/promises';
import { z } from 'zod';
import type { Alert } from '../../core/alert.js';
import { alertFingerprint } from '../../core/alert-fingerprint.js';
import { HolmesError, type Issue } from '../../core/errors.js';
import { MAX_ISSUES, zodIssues } from '../../core/zod-issues.js';

const FIRING_END = '0001-01-01T00:00:00Z';

/** Alerts validated per turn of the event loop by the sliced parser: a few milliseconds of work. */
const ALERTS_PER_SLICE = 500;

// A lone UTF-16 surrogate (possible through a JSON \ud800 escape) is not Unicode and cannot be stored as UTF-8.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const text = z.string().refine((value) => !LONE_SURROGATE.test(value), {
  message: 'is not valid Unicode (a lone UTF-16 surrogate, e.g. "\\ud800")',
});
const textMap = z.record(text, text);
/** RFC 3339 as Alertmanager writes it (Go's RFC3339Nano), any offset. */
const instant = z.iso.datetime({ offset: true, error: 'must be an RFC 3339 time, e.g. 2026-11-26T06:00:00Z' });

const inputAlertSchema = z.object({
  status: z.enum(['firing', 'resolved']).optional(),
  labels: textMap,
  annotations: textMap.optional(),
  startsAt: instant.optional(),
  endsAt: instant.optional(),
  generatorURL: text.optional(),
  fingerprint: text.optional(),
});

// Alertmanager's webhook body, version 4.
const envelopeFields = {
  version: z.string().optional(),
  groupKey: text.optional(),
  truncatedAlerts: z.number().optional(),
  status: z.enum(['firing', 'resolved']).optional(),
  receiver: text.optional(),
  groupLabels: textMap.optional(),
  commonLabels: textMap.optional(),
  commonAnnotations: textMap.optional(),
  externalURL: text.optional(),
};

/** Alertmanager's webhook body, version 4, without its alerts: those are checked slice by slice. */
const envelopeSchema = z.object({ ...envelopeFields, alerts: z.array(z.unknown()) });

export interface ParseAlertOptions {
  source?: Alert['source'];
  now?: Date;
}

export interface ParsedWebhook {
  groupKey: string | undefined;
  status: 'firing' | 'resolved';
  alerts: Alert[];
}

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
    // No start given: the store takes it for the alert already firing with this fingerprint, as Alertmanager does.
    ...(input.startsAt === undefined ? { startsAtInferred: true } : {}),
    endsAt: input.endsAt ?? FIRING_END,
    ...(input.generatorURL ? { generatorURL: input.generatorURL } : {}),
    ...(groupKey ? { groupKey } : {}),
    ...(source ? { source } : {}),
  };
}

const WEBHOOK_FIX = 'Send the body Alertmanager posts (version 4): { "alerts": [ { "labels": {…}, … } ], … }.';
const ALERT_FIX = 'An alert needs "labels" (string values), e.g. {"labels": {"alertname": "X", "namespace": "llm"}}.';

/**
 * Validates and converts alerts a slice at a time, yielding between slices so a caller on the
 * event loop can let other work run: a body of 10,000 alerts is then many short turns, not one.
 */
function* convert(
  list: unknown[],
  prefix: ReadonlyArray<PropertyKey>,
  groupKey: string | undefined,
  options: ParseAlertOptions,
): Generator<void, { alerts: Alert[]; issues: Issue[] }> {
  const now = options.now ?? new Date();
  const alerts: Alert[] = [];
  const issues: Issue[] = [];
  for (let start = 0; start < list.length && issues.length < MAX_ISSUES; start += ALERTS_PER_SLICE) {
    if (start > 0) yield;
    const parsed = z.array(inputAlertSchema).safeParse(list.slice(start, start + ALERTS_PER_SLICE));
    if (parsed.success) for (const input of parsed.data) alerts.push(toAlert(input, options.source, groupKey, now));
    else issues.push(...zodIssues(parsed.error, { prefix, offset: start }));
  }
  return { alerts, issues: issues.slice(0, MAX_ISSUES) };
}

function* webhook(value: unknown, options: ParseAlertOptions): Generator<void, ParsedWebhook> {
  const envelope = envelopeSchema.safeParse(value);
  const list = typeof value === 'object' && value !== null ? (value as { alerts?: unknown }).alerts : undefined;
  // The alerts are checked even when the envelope is wrong, so one answer names every bad field.
  const converted = Array.isArray(list)
    ? yield* convert(list, ['alerts'], envelope.data?.groupKey, options)
    : { alerts: [], issues: [] };
  const issues = [...(envelope.success ? [] : zodIssues(envelope.error)), ...converted.issues];
  if (issues.length > 0)
    throw new HolmesError('ALERT_INVALID', 'The Alertmanager webhook body is malformed.', {
      issues: issues.slice(0, MAX_ISSUES),
      fix: WEBHOOK_FIX,
    });
  if (converted.alerts.length === 0)
    throw new HolmesError('ALERT_INVALID', 'The webhook body has no alerts.', {
      fix: 'Include at least one alert in "alerts".',
    });
  return { groupKey: envelope.data!.groupKey, status: envelope.data!.status ?? 'firing', alerts: converted.alerts };
}

function* anyInput(value: unknown, options: ParseAlertOptions): Generator<void, Alert[]> {
  if (typeof value === 'object' && value !== null && 'alerts' in value) return (yield* webhook(value, options)).alerts;
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0)
    throw new HolmesError('ALERT_INVALID', 'The alert list is empty.', {
      fix: 'Give one alert object with "labels", or a webhook body.',
    });
  const { alerts, issues } = yield* convert(list, [], undefined, options);
  if (issues.length > 0) throw new HolmesError('ALERT_INVALID', 'The alert is malformed.', { issues, fix: ALERT_FIX });
  return alerts;
}

function runToEnd<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

async function runInTurns<T>(steps: Generator<void, T>): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await nextTurn();
  }
}

/**
 * Accepts what people paste: one alert, a list of alerts, or a whole Alertmanager webhook body.
 * Missing fingerprints are computed as Alertmanager does; a body with no alerts is an error.
 */
export function parseAlertInput(value: unknown, options: ParseAlertOptions = {}): Alert[] {
  return runToEnd(anyInput(value, options));
}

/** parseAlertInput for a server: the same result, computed over several turns of the event loop. */
export function parseAlertInputInTurns(value: unknown, options: ParseAlertOptions = {}): Promise<Alert[]> {
  return runInTurns(anyInput(value, options));
}

/** A webhook body (the envelope is required), over several turns of the event loop. */
export function parseWebhookInTurns(value: unknown, options: ParseAlertOptions = {}): Promise<ParsedWebhook> {
  return runInTurns(webhook(value, options));
}
