import { matchesLabels, parseLabelMatcher } from '../../core/label-matcher.js';
import type { InvestigationResult } from '../../core/investigation.js';
import type { JiraConfig } from '../../config/jira-schema.js';

export type TicketDecision = { open: true } | { open: false; reason: string };

/** Whether an investigation opens a ticket, from `jira.when`; the reason is logged when it does not. */
export function createTicketPolicy(jira: JiraConfig) {
  const matchers = jira.when.matchers.map(parseLabelMatcher);
  const threshold = jira.when.minSeverity === undefined ? undefined : jira.severities.indexOf(jira.when.minSeverity);
  return (result: InvestigationResult): TicketDecision => {
    if (!jira.project) return { open: false, reason: 'jira.project is not set' };
    const alert = result.alert;
    if (result.kind !== 'alert' || !alert) return { open: false, reason: 'not an alert investigation' };
    if (threshold !== undefined) {
      const severity = alert.labels[jira.severityLabel];
      const rank = severity === undefined ? -1 : jira.severities.indexOf(severity);
      if (rank < 0)
        return {
          open: false,
          reason: `severity ${severity === undefined ? 'missing' : `'${severity}' unknown`} (jira.severities)`,
        };
      if (rank > threshold) return { open: false, reason: `severity ${severity} is below ${jira.when.minSeverity}` };
    }
    const failing = matchers.find((matcher) => !matchesLabels(matcher, alert.labels));
    if (failing)
      return { open: false, reason: `labels do not match ${failing.name}${failing.operator}"${failing.value}"` };
    if (jira.when.onlyWithRootCause && !result.rootCause)
      return { open: false, reason: 'no root cause was determined (jira.when.onlyWithRootCause)' };
    return { open: true };
  };
}

export type TicketPolicy = ReturnType<typeof createTicketPolicy>;
