import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/config-schema.js';
import { createTicketPolicy } from '../../../src/integrations/jira/ticket-policy.js';
import { chatAlert, richResult } from './jira-harness.js';

const policy = (when: Record<string, unknown>, project: string | null = 'OPS') =>
  createTicketPolicy(
    configSchema.parse({
      jira: {
        url: 'https://x.atlassian.net',
        personalAccessToken: { env: 'P' },
        ...(project ? { project } : {}),
        when,
      },
    }).jira!,
  );

describe('createTicketPolicy', () => {
  it('opens a ticket at or above minSeverity and says why not below it or without a known severity', () => {
    const atLeastWarning = policy({ minSeverity: 'warning' });
    expect(atLeastWarning(richResult(chatAlert({ severity: 'critical' })))).toEqual({ open: true });
    expect(atLeastWarning(richResult(chatAlert({ severity: 'warning' })))).toEqual({ open: true });
    expect(atLeastWarning(richResult(chatAlert({ severity: 'info' })))).toEqual({
      open: false,
      reason: 'severity info is below warning',
    });
    expect(atLeastWarning(richResult(chatAlert({ severity: 'sev2' })))).toEqual({
      open: false,
      reason: "severity 'sev2' unknown (jira.severities)",
    });
  });

  it('requires every matcher, and a root cause when asked to', () => {
    const strict = policy({ matchers: ['namespace=~"chat|search"', 'team!="sandbox"'], onlyWithRootCause: true });
    expect(strict(richResult(chatAlert()))).toEqual({ open: true });
    expect(strict(richResult(chatAlert({ namespace: 'batch' })))).toEqual({
      open: false,
      reason: 'labels do not match namespace=~"chat|search"',
    });
    expect(strict(richResult(chatAlert(), { rootCause: null }))).toEqual({
      open: false,
      reason: 'no root cause was determined (jira.when.onlyWithRootCause)',
    });
    expect(policy({})(richResult(chatAlert(), { rootCause: null }))).toEqual({ open: true });
  });

  it('opens nothing without a project', () => {
    expect(policy({}, null)(richResult(chatAlert()))).toEqual({ open: false, reason: 'jira.project is not set' });
  });
});
