import { HolmesError } from '../../core/errors.js';

/** How a failed Jira call is handled: later, never (a config error), or as a vanished issue. */
export type JiraFailure =
  | { kind: 'retry'; reason: 'unreachable' | 'rate_limited' | 'server_error'; message: string; retryAfterMs?: number }
  | { kind: 'config'; reason: 'config'; status: number; message: string; fix: string; signature: string }
  | { kind: 'not_found'; reason: 'not_found'; status: 404; message: string };

interface ErrorBody {
  errorMessages?: unknown;
  errors?: unknown;
}

/** What the field names in Jira's `errors` map mean for Holmes's config. */
const FIELD_FIXES: Record<string, string> = {
  project: 'Set jira.project to the key of a project the Jira account can create issues in.',
  issuetype: "Set jira.issueType to an issue type of the project's scheme (e.g. Task, Bug).",
  priority:
    "Set jira.priorities to priority names of the site's priority scheme, or add Priority to the project's create screen.",
  components: 'Set jira.components to components that exist in the project, or remove them.',
  labels: 'Check jira.labels: letters, digits, _ . : - only, and the project must allow labels.',
  summary: 'The summary was refused; report this with the ticket body in the debug log.',
  description: 'The description was refused; report this with the ticket body in the debug log.',
};

const OPERATION_FIXES: Record<string, string> = {
  'search tickets': 'Check that jira.project names an existing project the Jira account can browse.',
  'search --jql': "Fix the JQL (try it in Jira's issue search first).",
};

function describeBody(data: unknown): { text: string; fields: string[] } {
  if (typeof data !== 'object' || data === null)
    return { text: typeof data === 'string' ? data.slice(0, 300) : '', fields: [] };
  const body = data as ErrorBody;
  const messages = Array.isArray(body.errorMessages) ? body.errorMessages.map(String) : [];
  const errors =
    typeof body.errors === 'object' && body.errors !== null
      ? Object.entries(body.errors as Record<string, unknown>)
      : [];
  const parts = [...messages, ...errors.map(([field, message]) => `${field}: ${String(message)}`)];
  return { text: parts.join('; ').slice(0, 1_000), fields: errors.map(([field]) => field) };
}

/** Retry-After: seconds or an HTTP date. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(String(value));
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

interface HttpShape {
  status?: number;
  response?: unknown;
  cause?: { response?: { headers?: Record<string, unknown>; data?: unknown } };
  code?: string;
  message?: string;
}

/**
 * Classifies what jira.js threw (its HttpException with the status and body, or an axios error
 * without a response when Jira could not be reached).
 */
export function classifyJiraError(error: unknown, operation: string): JiraFailure {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as HttpShape;
  const response = shape.cause?.response;
  const status = typeof shape.status === 'number' && response ? shape.status : undefined;
  if (status === undefined) {
    const message = `${operation}: Jira did not answer (${shape.code ?? shape.message ?? String(error)})`;
    return { kind: 'retry', reason: 'unreachable', message };
  }
  const body = describeBody(response?.data);
  const detail = body.text ? `: ${body.text}` : '';
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(response?.headers?.['retry-after']);
    return {
      kind: 'retry',
      reason: 'rate_limited',
      message: `${operation}: Jira answered 429 (rate limited)`,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }
  if (status >= 500)
    return { kind: 'retry', reason: 'server_error', message: `${operation}: Jira answered ${status}${detail}` };
  if (status === 404 && operation !== 'create issue')
    return { kind: 'not_found', reason: 'not_found', status: 404, message: `${operation}: Jira answered 404${detail}` };
  const fix =
    status === 401
      ? 'Check jira.email and jira.apiToken (Jira Cloud) or jira.personalAccessToken (Data Center); the token may have expired.'
      : status === 403
        ? 'Give the Jira account the Browse, Create issues, Add comments and Transition issues permissions in the project.'
        : body.fields
            .map(
              (field) =>
                FIELD_FIXES[field] ??
                `Jira requires or refuses the field '${field}': check the project's create screen.`,
            )
            .join(' ') ||
          (OPERATION_FIXES[operation] ?? 'Check the jira section of the config against the project.');
  return {
    kind: 'config',
    reason: 'config',
    status,
    message: `${operation}: Jira refused the request (${status})${detail}`,
    fix,
    signature: `${operation}:${status}:${body.fields.sort().join(',')}:${body.fields.length === 0 ? body.text : ''}`,
  };
}

/** A failed call as a HolmesError, for the CLI (user errors print one line with the fix). */
export function jiraHolmesError(failure: JiraFailure): HolmesError {
  if (failure.kind === 'config')
    return new HolmesError('CONFIG_INVALID', failure.message, {
      fix: failure.fix,
      details: { status: failure.status },
    });
  return new HolmesError('UPSTREAM_UNAVAILABLE', failure.message, {
    isRetryable: failure.kind === 'retry',
    fix:
      failure.kind === 'retry' ? 'Check that jira.url is reachable from here, then try again.' : 'Check the issue key.',
  });
}
