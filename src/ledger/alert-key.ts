import type { Alert } from '../core/alert.js';
import { storedText } from './stored-text.js';

export interface AlertKey {
  fingerprint: string;
  startsAt: string;
}

// RFC 3339 with any offset and precision; Go's RFC3339Nano (what Alertmanager sends) is already canonical.
const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/i;

/**
 * What makes two notifications the same alert: its fingerprint and the instant it started, in
 * one form (UTC, no trailing zeros in the fraction), so `07:00:00+01:00` and `06:00:00.000Z` match.
 */
export function alertKey(alert: Alert): AlertKey {
  return { fingerprint: storedText(alert.fingerprint), startsAt: canonicalInstant(alert.startsAt) };
}

function canonicalInstant(value: string): string {
  const match = RFC3339.exec(value);
  const ms = match ? Date.parse(`${match[1]}${match[3]!.toUpperCase()}`) : Number.NaN;
  if (!match || !Number.isFinite(ms)) return storedText(value);
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  return `${new Date(ms).toISOString().slice(0, 19)}${fraction ? `.${fraction}` : ''}Z`;
}

/** The outcome of a notification refused because the queue is full: nothing was written. */
export const QUEUE_FULL = {
  accepted: 0,
  duplicates: 0,
  investigationId: undefined,
  created: false,
  resolvedUpdated: 0,
  queueFull: true,
} as const;
