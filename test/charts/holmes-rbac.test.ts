/**
 * The ClusterRole, read statically: read verbs only, no Secrets, and a grant for every kind Holmes
 * can read, found from the code and data that read them (the client's kind table, the requests
 * the client really sends, the toolsets, the runbooks, the investigator) rather than from a list
 * kept here. A toolset or tool that starts reading a new kind fails here until RBAC grants it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBE_KINDS as LAB_API_KINDS } from '../../src/lab/kube-api/kinds.js';
import { assertKubeReadOnly } from '../../src/telemetry/assert-kube-read-only.js';
import { createKubeClient } from '../../src/telemetry/kube-client.js';
import { CUSTOM_KINDS_READ, findKubeKind, KUBE_KINDS } from '../../src/telemetry/kube-kinds.js';
import { ROOT } from '../cli/run-cli.js';
import { startRecordingServer, type RecordingServer } from '../telemetry/recording-server.js';
import { coalesce, defaultValues, exampleValues, readChartFile, type Values } from './chart-files.js';
import { renderSubset } from './helm-template.js';
import { groupOf, rbacAllows, type PolicyRule, type ResourceRequest } from './rbac-allows.js';

const TEMPLATE = readChartFile('templates/clusterrole.yaml');

function rulesFor(values: Values): PolicyRule[] {
  const [role] = renderSubset(TEMPLATE, values).split(/^---$/m);
  const document = parse(role!) as { kind: string; rules: PolicyRule[] } | null;
  if (!document) return [];
  expect(document.kind).toBe('ClusterRole');
  return document.rules;
}

const RULES = rulesFor(defaultValues());
const READ_VERBS = ['get', 'list'];

/** Where a kind name read somewhere resolves in the client, and whether RBAC lets Holmes read it. */
function grantProblem(kindName: string, where: string): string | undefined {
  const kind = findKubeKind(kindName);
  if (!kind)
    return `${where} reads '${kindName}', which the Kubernetes client's kind table (src/telemetry/kube-kinds.ts) lacks`;
  const missing = READ_VERBS.filter(
    (verb) => !rbacAllows(RULES, { verb, group: groupOf(kind.apiVersion), resource: kind.plural }),
  );
  return missing.length > 0
    ? `${where} reads ${kind.kind} (${kind.plural}.${groupOf(kind.apiVersion) || 'core'}); the ClusterRole lacks ${missing.join(', ')}`
    : undefined;
}

/** RBAC attributes of a request path, as the API server derives them. */
function requestAttributes(method: string, url: string): ResourceRequest | undefined {
  const { pathname, searchParams } = new URL(url, 'http://api');
  const parts = pathname.split('/').filter(Boolean);
  const rest = parts[0] === 'api' ? parts.slice(2) : parts[0] === 'apis' ? parts.slice(3) : undefined;
  if (!rest || method !== 'GET') return undefined;
  const group = parts[0] === 'api' ? '' : parts[1]!;
  const scoped = rest[0] === 'namespaces' && rest.length >= 3 ? rest.slice(2) : rest;
  const [resource, name, subresource] = scoped;
  const verb = searchParams.get('watch') === 'true' ? 'watch' : name ? 'get' : 'list';
  return { verb, group, resource: subresource ? `${resource}/${subresource}` : resource! };
}

describe('charts/holmes ClusterRole', () => {
  it('grants read verbs only, on no Secret, to one ServiceAccount, for the defaults and every example', () => {
    for (const values of [defaultValues(), ...exampleValues().map((example) => example.values)]) {
      const rules = rulesFor(values);
      for (const rule of rules) {
        expect(READ_VERBS, JSON.stringify(rule)).toEqual(expect.arrayContaining(rule.verbs));
        expect(rule.nonResourceURLs ?? []).toEqual([]);
      }
      for (const verb of ['get', 'list', 'watch', '*'])
        expect(rbacAllows(rules, { verb, group: '', resource: 'secrets' }), verb).toBe(false);
      for (const subresource of ['exec', 'attach', 'portforward', 'proxy'])
        expect(rbacAllows(rules, { verb: 'get', group: '', resource: `pods/${subresource}` })).toBe(false);
    }
    const binding = parse(renderSubset(TEMPLATE, defaultValues()).split(/^---$/m)[1]!) as {
      kind: string;
      roleRef: { kind: string };
      subjects: Array<{ kind: string }>;
    };
    expect(binding).toMatchObject({ kind: 'ClusterRoleBinding', roleRef: { kind: 'ClusterRole' } });
    expect(binding.subjects.map((subject) => subject.kind)).toEqual(['ServiceAccount']);
  });

  it('grants no watch, because the client refuses to watch', () => {
    expect(() => assertKubeReadOnly('GET', 'http://api/api/v1/pods?watch=true')).toThrow(/watch/);
    for (const rule of RULES) expect(rule.verbs).not.toContain('watch');
  });

  it('grants get and list on every kind the Kubernetes client can be asked for', () => {
    const problems = KUBE_KINDS.map((kind) => grantProblem(kind.kind, 'the client')).filter(Boolean);
    expect(problems).toEqual([]);
  });

  it('grants every kind and read-only subresource the lab serves, since the lab serves what Holmes reads', () => {
    const problems: string[] = [];
    for (const kind of LAB_API_KINDS) {
      for (const verb of kind.verbs)
        if (!rbacAllows(RULES, { verb, group: kind.group, resource: kind.plural }))
          problems.push(`${verb} ${kind.plural}.${kind.group || 'core'}`);
      for (const subresource of kind.subresources)
        if (!rbacAllows(RULES, { verb: 'get', group: kind.group, resource: `${kind.plural}/${subresource}` }))
          problems.push(`get ${kind.plural}/${subresource}`);
    }
    expect(problems).toEqual([]);
  });

  it('grants nothing beyond those kinds and subresources, apart from the custom resource groups of values', () => {
    const needed = new Set([
      ...KUBE_KINDS.map((kind) => `${groupOf(kind.apiVersion)}:${kind.plural}`),
      ...LAB_API_KINDS.flatMap((kind) => kind.subresources.map((sub) => `${kind.group}:${kind.plural}/${sub}`)),
    ]);
    const extra = new Set((defaultValues().rbac as { extraReadGroups: string[] }).extraReadGroups);
    const granted = RULES.flatMap((rule) =>
      (rule.apiGroups ?? [])
        .filter((group) => !extra.has(group))
        .flatMap((group) => (rule.resources ?? []).map((resource) => `${group}:${resource}`)),
    );
    expect(granted.filter((grant) => !needed.has(grant))).toEqual([]);
  });

  describe('the requests the client really sends', () => {
    let server: RecordingServer;
    beforeAll(async () => {
      server = await startRecordingServer((request) =>
        request.url.includes('/log') ? { body: 'line\n' } : { body: { items: [], metadata: {} } },
      );
    });
    afterAll(() => server.close());

    it('are each allowed by the ClusterRole, for every kind, pod logs and events', async () => {
      const kube = createKubeClient({ server: server.url });
      for (const kind of KUBE_KINDS) {
        await kube.list(kind.kind, kind.namespaced ? { namespace: 'llm' } : {});
        await kube.list(kind.kind);
        await kube.get(kind.kind, 'name-1', kind.namespaced ? 'llm' : undefined);
      }
      await kube.podLogs({ namespace: 'llm', pod: 'chat-api-0', previous: true, tailLines: 10 });
      await kube.events({ namespace: 'llm', kind: 'Pod', name: 'chat-api-0' });

      const resourceRequests = server.requests
        .map((request) => ({ url: request.url, attributes: requestAttributes(request.method, request.url) }))
        .filter((request) => request.attributes);
      expect(resourceRequests.length).toBeGreaterThanOrEqual(KUBE_KINDS.length * 3 + 2);
      expect(resourceRequests.map((request) => request.attributes!.resource)).toContain('pods/log');
      const denied = resourceRequests.filter((request) => !rbacAllows(RULES, request.attributes!));
      expect(denied.map((request) => request.url)).toEqual([]);
    });
  });

  it('grants every kind the toolsets name, in `kubernetes: { kind }` and in kind parameters with fixed values', () => {
    const problems: string[] = [];
    for (const file of readdirSync(join(ROOT, 'toolsets')).filter((name) => name.endsWith('.yaml'))) {
      const spec = parse(readFileSync(join(ROOT, 'toolsets', file), 'utf8')) as {
        tools?: Array<{
          name: string;
          kubernetes?: { kind?: string };
          parameters?: Record<string, { type: string; values?: string[] }>;
        }>;
      };
      for (const tool of spec.tools ?? []) {
        const where = `toolsets/${file} ${tool.name}`;
        if (tool.kubernetes?.kind) problems.push(grantProblem(tool.kubernetes.kind, where) ?? '');
        for (const [name, parameter] of Object.entries(tool.parameters ?? {}))
          if (/kind/i.test(name))
            for (const value of parameter.values ?? []) problems.push(grantProblem(value, where) ?? '');
      }
    }
    expect(problems.filter(Boolean)).toEqual([]);
  });

  it('grants every kind a runbook check passes as a literal kind parameter', () => {
    const kinds: Array<[string, string]> = [];
    for (const file of readdirSync(join(ROOT, 'runbooks')).filter((name) => name.endsWith('.md'))) {
      const front = /^---\n([\s\S]*?)\n---/.exec(readFileSync(join(ROOT, 'runbooks', file), 'utf8'));
      if (!front) continue;
      const runbook = parse(front[1]!) as { checks?: Array<{ params?: Record<string, unknown> }> };
      for (const check of runbook.checks ?? []) {
        const kind = check.params?.kind;
        if (typeof kind === 'string' && !kind.includes('{{')) kinds.push([kind, `runbooks/${file}`]);
      }
    }
    expect(kinds.length).toBeGreaterThan(0);
    expect(kinds.map(([kind, where]) => grantProblem(kind, where)).filter(Boolean)).toEqual([]);
  });

  it('grants every kind the investigator and the code tools ask for by name', () => {
    // Custom kinds the code tools read when a cluster serves them: granted through a group of values.
    const customKinds: Record<string, string> = {
      ExternalSecret: 'external-secrets.io',
      ...Object.fromEntries(CUSTOM_KINDS_READ.map(({ kind, group }) => [kind, group])),
    };
    const groups = (defaultValues().rbac as { extraReadGroups: string[] }).extraReadGroups;
    const kinds: Array<[string, string]> = [];
    for (const folder of [
      'src/investigator',
      'src/toolsets/kube-verbs',
      'src/toolsets/builtins',
      'src/toolsets/diagnostics',
    ]) {
      for (const file of readdirSync(join(ROOT, folder)).filter((name) => name.endsWith('.ts'))) {
        const source = readFileSync(join(ROOT, folder, file), 'utf8');
        for (const match of source.matchAll(
          /\b(?:kind:\s*|kube\.(?:list|get)\(|listOrEmpty\(kube,\s*)'([A-Z][A-Za-z]+)'/g,
        ))
          kinds.push([match[1]!, `${folder}/${file}`]);
      }
    }
    expect(kinds.map(([kind]) => kind)).toEqual(
      expect.arrayContaining(['Namespace', 'Pod', 'ReplicaSet', 'NetworkPolicy', 'RoleBinding', 'StorageClass']),
    );
    const problems = kinds.map(([kind, where]) =>
      customKinds[kind]
        ? groups.includes(customKinds[kind])
          ? undefined
          : `${where} reads ${kind}; rbac.extraReadGroups lacks ${customKinds[kind]}`
        : grantProblem(kind, where),
    );
    expect(problems.filter(Boolean)).toEqual([]);
  });

  it('reads the custom resource groups of rbac.extraReadGroups with get and list only', () => {
    const groups = (defaultValues().rbac as { extraReadGroups: string[] }).extraReadGroups;
    expect(groups).toEqual([
      'argoproj.io',
      'keda.sh',
      'kubeflow.org',
      'jobset.x-k8s.io',
      'leaderworkerset.x-k8s.io',
      'external-secrets.io',
    ]);
    // Every custom kind Holmes reads is granted by default.
    for (const { group } of CUSTOM_KINDS_READ) expect(groups).toContain(group);
    for (const group of groups) {
      expect(rbacAllows(RULES, { verb: 'list', group, resource: 'rollouts' })).toBe(true);
      expect(rbacAllows(RULES, { verb: 'watch', group, resource: 'rollouts' })).toBe(false);
      expect(rbacAllows(RULES, { verb: 'delete', group, resource: 'rollouts' })).toBe(false);
    }
    const none = rulesFor(coalesce(defaultValues(), { rbac: { extraReadGroups: [] } }));
    expect(rbacAllows(none, { verb: 'list', group: 'argoproj.io', resource: 'rollouts' })).toBe(false);
    expect(rulesFor(coalesce(defaultValues(), { rbac: { create: false } }))).toEqual([]);
  });

  it('is refused by values.schema.json when extraReadGroups would reach the core group (Secrets) or every group', () => {
    const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readChartFile('values.schema.json')));
    for (const group of ['', '*', 'apps', 'rbac.authorization.k8s.io/v1'])
      expect(validate(coalesce(defaultValues(), { rbac: { extraReadGroups: [group] } })), JSON.stringify(group)).toBe(
        false,
      );
    expect(validate(coalesce(defaultValues(), { rbac: { extraReadGroups: ['ray.io'] } }))).toBe(true);
  });
});
