import type { Entities } from '../core/investigation.js';
import type { KubeObject } from '../core/kube-object.js';
import type { Toolbox } from '../toolsets/create-toolbox.js';
import { renderPromql } from '../toolsets/render-promql.js';
import { RegexValue } from '../toolsets/template-values.js';

type Series = Array<{ labels: Record<string, string> }>;

/** Team → namespaces, as the config's kubernetes.teamNamespaces gives them. */
export type TeamNamespaces = Readonly<Record<string, readonly string[]>>;

const GATEWAY_METRICS =
  '{__name__=~"litellm_spend_metric_total|litellm_proxy_total_requests_metric_total|litellm_total_tokens_total"';
/** Namespace label keys (last path segment, normalised) that name the owning team. */
const OWNER_KEYS = new Set(['team', 'owner', 'teamname', 'ownerteam', 'costcenter', 'squad']);

/** `Customer_Care`, `customer-care` and `customer care` are the same team. */
export function normaliseName(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** A case-insensitive PromQL regex that also accepts another separator (or none) between words. */
export function spellingRegex(value: string): string {
  const parts = value
    .split(/[-_. /]+/)
    .filter(Boolean)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return `(?i)${parts.join('[-_. /]?')}`;
}

async function series(toolbox: Toolbox, query: string): Promise<Series> {
  const result = await toolbox.run('prometheus_instant_query', { query, top_k: 100 });
  return result.status === 'success' ? ((result.data as { result?: Series }).result ?? []) : [];
}

/** The one distinct value of `pick` among the series, or undefined when none or several. */
function single(found: Series, pick: (labels: Record<string, string>) => string | undefined): string | undefined {
  const values = [
    ...new Set(found.map((entry) => pick(entry.labels)).filter((value): value is string => Boolean(value))),
  ];
  return values.length === 1 ? values[0] : undefined;
}

/**
 * Spend alerts name a team or an API key, often not as the gateway spells it (case, separators,
 * a hashed key instead of its alias, a team alias instead of the team). Ties them to LiteLLM's label
 * values, and, when the alert names no namespace, to the one namespace the team owns. What cannot
 * be matched unambiguously is left as the alert said it.
 */
export async function resolveTeamEntities(
  entities: Entities,
  toolbox: Toolbox,
  teamNamespaces: TeamNamespaces = {},
): Promise<void> {
  const teamNames = new Set(entities.team ? [entities.team] : []);
  if (entities.apiKey) {
    const pattern = new RegexValue(spellingRegex(entities.apiKey));
    const found = await series(
      toolbox,
      renderPromql(
        `group by (team, api_key_alias, hashed_api_key) (${GATEWAY_METRICS}, api_key_alias=~"{{pattern}}"}) or group by (team, api_key_alias, hashed_api_key) (${GATEWAY_METRICS}, hashed_api_key=~"{{pattern}}"})`,
        { pattern },
      ),
    );
    const alias = single(found, (labels) => labels.api_key_alias || labels.hashed_api_key);
    if (alias && alias !== entities.apiKey) {
      entities.notes.push(`API key ${entities.apiKey} is ${alias} at the LLM gateway`);
      entities.apiKey = alias;
    }
    const team = alias ? single(found, (labels) => labels.team) : undefined;
    if (!entities.team && team) {
      entities.team = team;
      entities.notes.push(`team ${team} from the gateway's labels of key ${alias}`);
    }
  }
  let gatewayTeam = Boolean(entities.apiKey);
  if (entities.team) {
    const pattern = new RegexValue(spellingRegex(entities.team));
    const found = await series(
      toolbox,
      renderPromql(
        `group by (team, team_alias) (${GATEWAY_METRICS}, team=~"{{pattern}}"}) or group by (team, team_alias) (${GATEWAY_METRICS}, team_alias=~"{{pattern}}"})`,
        { pattern },
      ),
    );
    const known = found.some((entry) => entry.labels.team === entities.team);
    const team = single(found, (labels) => labels.team);
    if (!known && team) {
      entities.notes.push(`team ${entities.team} is ${team} at the LLM gateway`);
      entities.team = team;
    }
    // The gateway's id and aliases of the team: the config may name it by either.
    for (const entry of found)
      if (entry.labels.team === entities.team)
        for (const name of [entry.labels.team, entry.labels.team_alias]) if (name) teamNames.add(name);
    const alias = single(
      found.filter((entry) => entry.labels.team === entities.team),
      (labels) => labels.team_alias,
    );
    if (alias && alias !== entities.team && alias !== 'None') entities.teamAlias = alias;
    gatewayTeam ||= found.length > 0;
  }
  if (entities.team) teamNames.add(entities.team);
  const configured = entities.namespace ? undefined : configuredNamespaces([...teamNames], teamNamespaces);
  if (entities.team && configured) {
    // The operator's word outranks labels, for gateway teams too: they said where the team runs.
    const [only] = configured.namespaces;
    if (configured.namespaces.length === 1) entities.namespace = only;
    else entities.teamNamespaces = configured.namespaces;
    entities.notes.push(
      `team ${entities.team} owns namespace${configured.namespaces.length === 1 ? '' : 's'} ${configured.namespaces.join(', ')} (config kubernetes.teamNamespaces.${configured.key})`,
    );
    return;
  }
  // A team that spends through the LLM gateway is about gateway spend: its namespace's pods are
  // not what the alert measures. Other teams' cost lives in the namespace they own.
  if (entities.team && !entities.namespace && !gatewayTeam) {
    const namespace = await teamNamespace(entities.team, toolbox);
    if (typeof namespace === 'string') {
      entities.namespace = namespace;
      entities.notes.push(`namespace ${namespace}: the one namespace labelled as owned by team ${entities.team}`);
    } else if (namespace) {
      // Checks take one namespace: the investigation runs once per namespace (investigate-team.ts).
      entities.teamNamespaces = namespace.several;
      entities.notes.push(`team ${entities.team} owns namespaces ${namespace.several.join(', ')}`);
    }
  }
}

/** The namespaces whose owner label names the team (Kubernetes first, kube-state-metrics second). */
async function teamNamespace(team: string, toolbox: Toolbox): Promise<string | { several: string[] } | undefined> {
  const wanted = normaliseName(team);
  const listed = await toolbox.run('kubernetes_list', { kind: 'Namespace', top_k: 200 });
  if (listed.status === 'success') {
    const owned = (listed.data as KubeObject[]).filter((namespace) =>
      Object.entries(namespace.metadata.labels ?? {}).some(
        ([key, value]) =>
          OWNER_KEYS.has(normaliseName(key.split('/').at(-1) ?? key)) && normaliseName(value) === wanted,
      ),
    );
    if (owned.length > 0)
      return owned.length === 1
        ? owned[0]!.metadata.name
        : { several: owned.map((namespace) => namespace.metadata.name) };
  }
  const found = await series(
    toolbox,
    renderPromql(
      'group by (namespace) (kube_namespace_labels{label_team=~"{{pattern}}"} or kube_namespace_labels{label_owner=~"{{pattern}}"})',
      { pattern: new RegexValue(spellingRegex(team)) },
    ),
  );
  const namespaces = [...new Set(found.map((entry) => entry.labels.namespace).filter(Boolean) as string[])].sort();
  return namespaces.length > 1 ? { several: namespaces } : namespaces[0];
}

/** The configured namespaces of the first of the team's names (as alerted, gateway id, alias) that a key matches. */
export function configuredNamespaces(
  names: string[],
  teamNamespaces: TeamNamespaces,
): { key: string; namespaces: string[] } | undefined {
  const keys = Object.keys(teamNamespaces);
  for (const name of names) {
    const key =
      keys.find((candidate) => candidate === name) ??
      keys.find((candidate) => normaliseName(candidate) === normaliseName(name));
    if (key) return { key, namespaces: [...new Set(teamNamespaces[key])] };
  }
  return undefined;
}
