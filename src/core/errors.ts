/**
 * One error type for everything Holmes reports on purpose. `code` says which kind; `fix` says
 * what the user should do. User errors (`isUserError`) are printed once, without a stack.
 */
export type HolmesErrorCode =
  | 'CONFIG_INVALID'
  | 'CONFIG_NOT_FOUND'
  | 'SCENARIO_INVALID'
  | 'SCENARIO_NOT_FOUND'
  | 'USAGE'
  | 'DEPENDENCY_MISSING'
  | 'LAB_START_FAILED'
  | 'TOOLSET_INVALID'
  | 'TOOL_PARAMS_INVALID'
  | 'RUNBOOK_INVALID'
  | 'ALERT_INVALID'
  | 'READ_ONLY_VIOLATION'
  /** A value (an alert label, a source's label) cannot be placed safely where a template puts it. */
  | 'TEMPLATE_UNSAFE'
  | 'UPSTREAM_UNAVAILABLE'
  | 'TIMEOUT'
  | 'GRAPH_INVALID'
  | 'GRAPH_RENDER_FAILED'
  | 'INTERNAL';

const USER_CODES: ReadonlySet<HolmesErrorCode> = new Set([
  'CONFIG_INVALID',
  'CONFIG_NOT_FOUND',
  'SCENARIO_INVALID',
  'SCENARIO_NOT_FOUND',
  'USAGE',
  'DEPENDENCY_MISSING',
  'LAB_START_FAILED',
  'TOOLSET_INVALID',
  'TOOL_PARAMS_INVALID',
  'RUNBOOK_INVALID',
  'ALERT_INVALID',
  'UPSTREAM_UNAVAILABLE',
]);

/** A problem located in a file: what was found, where, and how to fix it. */
export interface Issue {
  /** Path inside the document, e.g. `series[2].values`. */
  path: string;
  message: string;
  file?: string;
  line?: number;
  fix?: string;
}

export interface HolmesErrorOptions {
  cause?: unknown;
  fix?: string;
  issues?: Issue[];
  isRetryable?: boolean;
  details?: Record<string, unknown>;
}

// A marker survives two copies of this package in one process, unlike `instanceof`.
const MARKER = Symbol.for('holmes.error');

export class HolmesError extends Error {
  readonly [MARKER] = true;
  readonly code: HolmesErrorCode;
  readonly fix: string | undefined;
  readonly issues: Issue[];
  readonly isRetryable: boolean;
  readonly details: Record<string, unknown>;

  constructor(code: HolmesErrorCode, message: string, options: HolmesErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HolmesError';
    this.code = code;
    this.fix = options.fix;
    this.issues = options.issues ?? [];
    this.isRetryable = options.isRetryable ?? false;
    this.details = options.details ?? {};
  }

  get isUserError(): boolean {
    return USER_CODES.has(this.code);
  }

  static isInstance(error: unknown): error is HolmesError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}

/** Renders an issue as `file:line: path: message (fix)`. */
export function formatIssue(issue: Issue): string {
  const where = [issue.file, issue.line].filter((part) => part !== undefined).join(':');
  const head = [where, issue.path].filter(Boolean).join(': ');
  const fix = issue.fix ? ` Fix: ${issue.fix}` : '';
  return `${head ? `${head}: ` : ''}${issue.message}${fix}`;
}
