import { createHash } from 'node:crypto';

/**
 * The label that ties every ticket of one incident together: a hash of the Alertmanager group
 * key (or of the alert's fingerprint), so an untrusted label value never reaches JQL or Jira's
 * label field — the result is always `holmes-` and hex, a token Jira accepts and JQL needs no
 * escaping for.
 */
export function dedupLabel(by: 'group' | 'fingerprint', groupKey: string | null, fingerprint: string): string {
  const basis = by === 'group' && groupKey ? `group:${groupKey}` : `fingerprint:${fingerprint}`;
  return `holmes-${createHash('sha256').update(basis).digest('hex').slice(0, 20)}`;
}

/** A JQL string literal: double-quoted, with backslashes and quotes escaped. */
export function jqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Tickets of one dedup label in one project, newest first. */
export function ticketsJql(project: string, label: string): string {
  return `project = ${jqlString(project)} AND labels = ${jqlString(label)} ORDER BY created DESC`;
}

const ISSUE_KEY = /^[A-Z][A-Z0-9_]*-[1-9][0-9]*$/;

/** An issue key from Jira's answer, checked before it goes into a request path. */
export function isIssueKey(value: unknown): value is string {
  return typeof value === 'string' && ISSUE_KEY.test(value);
}
