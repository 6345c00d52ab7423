import type { z } from 'zod';
import type { Issue } from './errors.js';

// A hostile body can raise thousands of issues with huge keys; the first few say enough.
export const MAX_ISSUES = 20;
const MAX_PATH_SEGMENT = 80;

export interface ZodIssuesOptions {
  /** Path of the validated value inside the whole document, e.g. `['alerts']`. */
  prefix?: ReadonlyArray<PropertyKey>;
  /** The value was a slice of a list starting here: the first path segment is shifted by it. */
  offset?: number;
}

/** Validation issues as data with a path (`alerts.3.labels.pod`), at most MAX_ISSUES, long keys cut. */
export function zodIssues(error: z.ZodError, options: ZodIssuesOptions = {}): Issue[] {
  const offset = options.offset ?? 0;
  return error.issues.slice(0, MAX_ISSUES).map((issue) => {
    const path = offset > 0 ? [Number(issue.path[0]) + offset, ...issue.path.slice(1)] : issue.path;
    return {
      path:
        [...(options.prefix ?? []), ...path].map((segment) => String(segment).slice(0, MAX_PATH_SEGMENT)).join('.') ||
        '(root)',
      message: issue.message,
    };
  });
}
