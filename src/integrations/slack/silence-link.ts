import type { SlackConfig } from '../../config/slack-schema.js';

/** A matcher value as Alertmanager's matcher syntax reads it inside double quotes. */
const quote = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

/**
 * A prefilled "new silence" form for exactly this alert (all its labels, as Alertmanager's own
 * Silence button does): Alertmanager's `#/silences/new?filter=…`, or `silenceUrl` with `{filter}`.
 */
export function silenceLink(
  config: Pick<SlackConfig, 'alertmanagerUrl' | 'silenceUrl'>,
  labels: Record<string, string>,
  comment: string,
): string | undefined {
  // A name outside Prometheus's label syntax cannot be a matcher (and came from a hand-made body).
  const filter = `{${Object.entries(labels)
    .filter(([name]) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    .map(([name, value]) => `${name}=${quote(value)}`)
    .join(',')}}`;
  if (config.silenceUrl) return config.silenceUrl.replace('{filter}', encodeURIComponent(filter));
  if (!config.alertmanagerUrl) return undefined;
  const base = config.alertmanagerUrl.replace(/\/+$/, '');
  return `${base}/#/silences/new?filter=${encodeURIComponent(filter)}&comment=${encodeURIComponent(comment)}`;
}
