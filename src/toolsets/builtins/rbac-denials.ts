import type { KubeObject } from '../../core/kube-object.js';
import {
  alertStartOf,
  changedAtMs,
  listOrEmpty,
  minutesBetween,
  requireKube,
  textParam,
  workloadPods,
  type Json,
} from '../diagnostics/kube-reads.js';
import { cleanLine, readPodLogs } from '../diagnostics/read-pod-logs.js';
import type { BuiltinTool } from '../tool-context.js';

export interface Denial {
  user: string;
  verb: string;
  resource: string;
  group: string;
  /** The namespace of the refused request; null at the cluster scope. */
  namespace: string | null;
}

const FORBIDDEN =
  /User "([^"]+)" cannot ([a-z]+) resource "([^"]+)" in API group "([^"]*)"(?: in the namespace "([^"]+)"| at the cluster scope)?/;

/** The API server's 403 message, as clients log it (quotes often escaped inside JSON). */
export function parseDenial(line: string): Denial | null {
  const match = FORBIDDEN.exec(line.replace(/\\+"/g, '"'));
  if (!match) return null;
  return { user: match[1]!, verb: match[2]!, resource: match[3]!, group: match[4]!, namespace: match[5] ?? null };
}

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  resourceNames?: string[];
}

/** Whether a rule lets `verb` on `resource` (`pods`, `pods/log`) in `group` through (names aside). */
export function ruleAllows(rule: Rule, denial: Pick<Denial, 'verb' | 'resource' | 'group'>): boolean {
  const has = (list: string[] | undefined, value: string) =>
    (list ?? []).some((item) => item === '*' || item === value);
  return has(rule.apiGroups, denial.group) && has(rule.resources, denial.resource) && has(rule.verbs, denial.verb);
}

function bindsAccount(binding: KubeObject, namespace: string, account: string): boolean {
  return (((binding as Json).subjects ?? []) as Json[]).some(
    (subject) =>
      (subject.kind === 'ServiceAccount' &&
        subject.name === account &&
        (subject.namespace ?? binding.metadata.namespace) === namespace) ||
      (subject.kind === 'Group' &&
        ['system:serviceaccounts', `system:serviceaccounts:${namespace}`].includes(subject.name)),
  );
}

/**
 * `rbac_denials`: requests of the workload to the Kubernetes API that RBAC refuses. The 403s in
 * its logs (who, which verb on which resource, where), its ServiceAccount, the RoleBindings and
 * ClusterRoleBindings that bind it with their roles' rules, whether those rules grant each refused
 * request now, and when each role or binding last changed against the alert.
 */
export const rbacDenials: BuiltinTool = async (params, context) => {
  const kube = requireKube(context);
  const now = context.now();
  const startMs = alertStartOf(params, now);
  const namespace = textParam(params, 'namespace') ?? '';
  const { ours, request } = await workloadPods(kube, params);
  const { logs, requests } = await readPodLogs(kube, ours, { maxPods: 4, tailLines: 300, previous: true });
  const counts = new Map<string, Denial & { count: number; line: string }>();
  for (const log of logs)
    for (const line of log.lines) {
      const denial = parseDenial(line);
      if (!denial) continue;
      const key = `${denial.user} ${denial.verb} ${denial.resource} ${denial.group} ${denial.namespace}`;
      const known = counts.get(key);
      if (known) known.count += 1;
      else counts.set(key, { ...denial, count: 1, line: cleanLine(line, 240) });
    }
  const accounts = [
    ...new Set(ours.map((pod) => String((pod.spec as Json | undefined)?.serviceAccountName ?? 'default'))),
  ].sort();
  const [roleBindings, clusterBindings, roles, clusterRoles] = await Promise.all([
    listOrEmpty(kube, 'RoleBinding', { namespace }),
    listOrEmpty(kube, 'ClusterRoleBinding'),
    listOrEmpty(kube, 'Role', { namespace }),
    listOrEmpty(kube, 'ClusterRole'),
  ]);
  const bindings = [...roleBindings.items, ...clusterBindings.items].filter((binding) =>
    accounts.some((account) => bindsAccount(binding, namespace, account)),
  );
  const roleOf = (binding: KubeObject) => {
    const ref = ((binding as Json).roleRef ?? {}) as Json;
    const pool = ref.kind === 'ClusterRole' ? clusterRoles.items : roles.items;
    return { ref, role: pool.find((item) => item.metadata.name === ref.name) };
  };
  const granted = bindings.map((binding) => {
    const { ref, role } = roleOf(binding);
    return {
      binding: `${binding.kind}/${binding.metadata.name}`,
      role: `${ref.kind}/${ref.name}`,
      roleExists: role !== undefined,
      rules: ((role as Json | undefined)?.rules ?? []) as Rule[],
      roleChangedMinutesBeforeAlert: role ? minutesBetween(changedAtMs(role), startMs) : null,
      bindingChangedMinutesBeforeAlert: minutesBetween(changedAtMs(binding), startMs),
    };
  });
  const denials = [...counts.values()]
    .sort((left, right) => right.count - left.count)
    .map((denial) => ({
      ...denial,
      // A RoleBinding grants only in its namespace; a ClusterRoleBinding everywhere.
      grantedNow: granted.some(
        (entry) =>
          (entry.binding.startsWith('ClusterRoleBinding/') || denial.namespace === namespace) &&
          entry.rules.some((rule) => ruleAllows(rule, denial)),
      ),
    }));
  const data = {
    podCount: ours.length,
    serviceAccounts: accounts,
    denials: denials.slice(0, 10),
    stillDenied: denials
      .filter((denial) => !denial.grantedNow)
      .map((denial) => `${denial.verb} ${denial.resource}${denial.group ? `.${denial.group}` : ''}`),
    bindings: granted.map(({ rules, ...entry }) => ({
      ...entry,
      rules: rules.map(
        (rule) =>
          `${(rule.verbs ?? []).join(',')} ${(rule.resources ?? []).join(',')}${(rule.apiGroups ?? []).filter(Boolean).length > 0 ? ` (${(rule.apiGroups ?? []).join(',')})` : ''}`,
      ),
    })),
  };
  const lines = [
    `${denials.reduce((sum, denial) => sum + denial.count, 0)} API requests refused (403) in the logs of ${new Set(logs.map((log) => log.pod)).size} pod(s); ServiceAccount(s) ${accounts.join(', ')}.`,
    ...denials.map(
      (denial) =>
        `  ${denial.user} cannot ${denial.verb} ${denial.resource}${denial.group ? `.${denial.group}` : ''}${denial.namespace ? ` in ${denial.namespace}` : ' cluster-wide'} ×${denial.count}${denial.grantedNow ? ' (granted now)' : ''}`,
    ),
    ...data.bindings.map(
      (entry) =>
        `${entry.binding} → ${entry.role}${entry.roleExists ? '' : ' (role missing)'}, role changed ${entry.roleChangedMinutesBeforeAlert ?? '?'} min before the alert: ${entry.rules.join('; ') || 'no rules'}`,
    ),
  ];
  return {
    status: ours.length === 0 ? 'no_data' : 'success',
    text: lines.join('\n'),
    data,
    requests: [request, ...requests],
    raw: [],
  };
};
