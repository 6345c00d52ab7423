import type { Alert } from '../../core/alert.js';

export interface AlertGroup {
  /** Alertmanager's groupKey, or `alertname:NAME` for alerts that carry none. */
  key: string;
  /** The alert the investigation starts from: the group's first firing one, else its first. */
  lead: Alert;
  /** Every distinct alert of the group (same fingerprint and start: kept once), in input order. */
  alerts: Alert[];
}

/**
 * Groups alerts for investigation as `holmes serve` does: one investigation per Alertmanager group
 * (its groupKey); alerts that carry none are grouped by alertname, as a route with
 * `group_by: [alertname]` would. A storm of one alert is then one investigation, not thousands.
 */
export function groupAlerts(alerts: ReadonlyArray<Alert>): AlertGroup[] {
  const seen = new Set<string>();
  const groups = new Map<string, Alert[]>();
  for (const alert of alerts) {
    const identity = `${alert.fingerprint}\u0000${alert.startsAt}`;
    if (seen.has(identity)) continue;
    seen.add(identity);
    const key = alert.groupKey ?? `alertname:${alert.labels.alertname ?? ''}`;
    const members = groups.get(key);
    if (members) members.push(alert);
    else groups.set(key, [alert]);
  }
  return [...groups].map(([key, members]) => ({
    key,
    lead: members.find((alert) => alert.status === 'firing') ?? members[0]!,
    alerts: members,
  }));
}
