import { z } from 'zod';
import type { Alert } from '../../core/alert.js';
import { HolmesError } from '../../core/errors.js';

export interface FetchActiveAlertsOptions {
  /** Alertmanager's base URL, with its route prefix if it has one (`http://am:9093`, `http://host/alertmanager`). */
  url: string;
  /** A regular expression the alert name must match in full (Alertmanager anchors it). */
  alertname?: string;
  /** Labels that must be equal. */
  labels?: Record<string, string>;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

// What GET /api/v2/alerts returns (gettableAlerts); only the fields Holmes reads are required.
const gettableAlertSchema = z.object({
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()).default({}),
  startsAt: z.string(),
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().min(1),
  status: z.object({ state: z.string() }).optional(),
});
const responseSchema = z.array(gettableAlertSchema);

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A matcher as Alertmanager's `filter` parameter reads it: the value quoted, `\` and `"` escaped. */
function matcher(name: string, operator: '=' | '=~', value: string): string {
  if (!LABEL_NAME.test(name)) {
    throw new HolmesError('USAGE', `"${name}" is not a label name.`, {
      fix: 'Label names are letters, digits and _ and do not start with a digit, e.g. --label namespace=search.',
    });
  }
  return `${name}${operator}"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** The request Holmes sends: active alerts only (neither silenced nor inhibited), filtered by Alertmanager. */
export function activeAlertsUrl(options: Pick<FetchActiveAlertsOptions, 'url' | 'alertname' | 'labels'>): URL {
  let base: URL;
  try {
    base = new URL(options.url.endsWith('/') ? options.url : `${options.url}/`);
  } catch {
    throw new HolmesError('USAGE', `--url ${options.url} is not a URL.`, {
      fix: 'Give the Alertmanager base URL, e.g. --url http://alertmanager:9093.',
    });
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new HolmesError('USAGE', `--url ${options.url} is not an http(s) URL.`, {
      fix: 'Give the Alertmanager base URL, e.g. --url http://alertmanager:9093.',
    });
  }
  const url = new URL('api/v2/alerts', base);
  url.searchParams.set('active', 'true');
  url.searchParams.set('silenced', 'false');
  url.searchParams.set('inhibited', 'false');
  if (options.alertname !== undefined) url.searchParams.append('filter', matcher('alertname', '=~', options.alertname));
  for (const [name, value] of Object.entries(options.labels ?? {}))
    url.searchParams.append('filter', matcher(name, '=', value));
  return url;
}

/**
 * The alerts firing now in an Alertmanager (GET /api/v2/alerts, read-only), as Holmes alerts,
 * oldest first. Unreachable or refusing Alertmanager → UPSTREAM_UNAVAILABLE; a filter it
 * rejects (a bad regular expression) → USAGE with its message.
 */
export async function fetchActiveAlerts(options: FetchActiveAlertsOptions): Promise<Alert[]> {
  const url = activeAlertsUrl(options);
  const shown = `${url.origin}${url.pathname}`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json', ...options.headers },
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
  } catch (error) {
    const reason =
      error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    throw new HolmesError('UPSTREAM_UNAVAILABLE', `Cannot reach Alertmanager at ${shown}: ${reason}.`, {
      cause: error,
      isRetryable: true,
      fix: 'Check --url (Alertmanager listens on 9093 by default) and that this machine can reach it.',
    });
  }
  const text = await response.text();
  if (response.status === 400) {
    throw new HolmesError('USAGE', `Alertmanager refused the filter: ${text.trim().slice(0, 300)}`, {
      fix: '--alertname takes a regular expression (RE2), --label takes name=value.',
    });
  }
  if (!response.ok) {
    throw new HolmesError(
      'UPSTREAM_UNAVAILABLE',
      `Alertmanager at ${shown} answered ${response.status}: ${text.trim().slice(0, 300)}`,
      {
        isRetryable: response.status >= 500,
        fix: 'Check that --url points at Alertmanager (v0.16 or later serves /api/v2) and any route prefix is included.',
      },
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HolmesError('UPSTREAM_UNAVAILABLE', `${shown} did not answer JSON; is it Alertmanager?`, {
      fix: 'Check --url.',
    });
  }
  const parsed = responseSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HolmesError(
      'UPSTREAM_UNAVAILABLE',
      `${shown} answered something other than Alertmanager's alert list (${issue?.path.join('.') || '(root)'}: ${issue?.message}).`,
      {
        fix: 'Check that --url points at Alertmanager v0.16 or later.',
      },
    );
  }
  return parsed.data
    .map((alert): Alert => ({
      fingerprint: alert.fingerprint,
      status: 'firing',
      labels: alert.labels,
      annotations: alert.annotations,
      startsAt: alert.startsAt,
      ...(alert.endsAt ? { endsAt: alert.endsAt } : {}),
      ...(alert.generatorURL ? { generatorURL: alert.generatorURL } : {}),
      source: 'pull',
    }))
    .sort(
      (left, right) =>
        Date.parse(left.startsAt) - Date.parse(right.startsAt) || left.fingerprint.localeCompare(right.fingerprint),
    );
}
