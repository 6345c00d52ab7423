/**
 * charts/holmes without Helm: values against values.schema.json (ajv), every template well-formed
 * YAML once its directives are set aside, the kinds it creates, and the Deployment's promises
 * (probes the server answers, non-root, read-only root filesystem, requests, spread, strategy).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import type { Hono } from 'hono';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/logger.js';
import { createInvestigationStore } from '../../src/ledger/investigation-store.js';
import { openDatabase } from '../../src/ledger/open-database.js';
import { createApp } from '../../src/server/create-app.js';
import { createServerMetrics } from '../../src/server/server-metrics.js';
import { ROOT } from '../cli/run-cli.js';
import {
  coalesce,
  defaultValues,
  deploymentOf,
  exampleValues,
  readChartFile,
  templateDocuments,
  templateFiles,
  TEMPLATES,
  type Values,
} from './chart-files.js';
import { enclosingBlocks, lintTemplate, setAside } from './helm-template.js';

/** The real HTTP app, with a token and an in-memory store. */
async function withApp(use: (app: Hono) => Promise<void>): Promise<void> {
  const db = openDatabase({ path: ':memory:' });
  try {
    await use(
      createApp({
        store: createInvestigationStore(db),
        metrics: createServerMetrics(),
        logger: await createLogger({ level: 'silent' }),
        auth: { tokens: ['a-token-of-32-characters-or-more'], allowUnauthenticated: false },
        bodyLimitBytes: 4_096,
        maxQueue: 3,
        maxAlertsPerGroup: 20,
        onQueued: () => undefined,
        isReady: () => true,
      }),
    );
  } finally {
    db.close();
  }
}

const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readChartFile('values.schema.json')));

function schemaErrors(values: Values): string[] {
  return validate(values)
    ? []
    : (validate.errors ?? []).map((error: ErrorObject) => `${error.instancePath || '/'} ${error.message}`);
}

describe('charts/holmes values.schema.json', () => {
  it('accepts values.yaml and every example values file', () => {
    const examples = exampleValues();
    expect(examples.length).toBeGreaterThanOrEqual(3);
    expect(schemaErrors(defaultValues())).toEqual([]);
    for (const example of examples) expect(schemaErrors(example.values), example.file).toEqual([]);
  });

  it('refuses more than one replica unless PostgreSQL is configured', () => {
    expect(schemaErrors(coalesce(defaultValues(), { replicaCount: 2 })).join('\n')).toMatch(/postgres\/enabled/);
    const postgres = { enabled: true, url: 'postgres://holmes@db.svc:5432/holmes' };
    expect(schemaErrors(coalesce(defaultValues(), { replicaCount: 3, postgres }))).toEqual([]);
    expect(schemaErrors(coalesce(defaultValues(), { postgres: { enabled: true } }))).not.toEqual([]);
    // The URL may come from the Secret instead (urlKey); one of the two is needed.
    const fromSecret = { enabled: true, urlKey: 'uri' };
    expect(schemaErrors(coalesce(defaultValues(), { replicaCount: 2, postgres: fromSecret }))).toEqual([]);
    expect(schemaErrors(coalesce(defaultValues(), { postgres: { pool: { max: 1 } } }))).not.toEqual([]);
  });

  it('refuses secret values anywhere in values: only Secret names and keys are accepted', () => {
    const attempts: Values[] = [
      { webhookToken: { token: 's3cret' } },
      { slack: { enabled: true, botToken: 'xoxb-1' } },
      { config: { slack: { botToken: 'xoxb-1' } } },
      { jira: { enabled: true, url: 'https://x.atlassian.net', apiToken: 'tok' } },
      { postgres: { enabled: true, url: 'postgres://holmes:s3cret@db:5432/holmes' } },
      { postgres: { password: 's3cret' } },
      { config: { server: { tokens: ['s3cret'] } } },
      { config: { prometheus: { bearerToken: 's3cret' } } },
      { config: { models: [{ provider: 'openai', model: 'gpt-4o-mini', apiKeys: ['sk-1'] }] } },
    ];
    for (const attempt of attempts)
      expect(schemaErrors(coalesce(defaultValues(), attempt)), JSON.stringify(attempt)).not.toEqual([]);
  });

  it('refuses the config sections the chart writes itself', () => {
    for (const config of [{ storage: { path: '/x' } }, { kubernetes: { inCluster: false } }, { server: { port: 9 } }])
      expect(schemaErrors(coalesce(defaultValues(), { config })), JSON.stringify(config)).not.toEqual([]);
    expect(schemaErrors(coalesce(defaultValues(), { config: { server: { concurrency: 4 } } }))).toEqual([]);
  });

  it('requires resource requests', () => {
    expect(schemaErrors(coalesce(defaultValues(), { resources: { limits: { memory: '1Gi' } } }))).toEqual([]);
    expect(schemaErrors({ ...defaultValues(), resources: { limits: { memory: '1Gi' } } })).not.toEqual([]);
  });
});

/** What each template creates: apiVersion/kind of its documents. */
const KINDS: Record<string, string[]> = {
  'clusterrole.yaml': ['rbac.authorization.k8s.io/v1 ClusterRole', 'rbac.authorization.k8s.io/v1 ClusterRoleBinding'],
  'configmap.yaml': ['v1 ConfigMap'],
  'deployment.yaml': ['apps/v1 Deployment'],
  'networkpolicy.yaml': ['networking.k8s.io/v1 NetworkPolicy'],
  'pdb.yaml': ['policy/v1 PodDisruptionBudget'],
  'prometheusrule.yaml': ['monitoring.coreos.com/v1 PrometheusRule'],
  'pvc.yaml': ['v1 PersistentVolumeClaim'],
  'runbooks-configmap.yaml': ['v1 ConfigMap'],
  'service.yaml': ['v1 Service'],
  'serviceaccount.yaml': ['v1 ServiceAccount'],
  'servicemonitor.yaml': ['monitoring.coreos.com/v1 ServiceMonitor'],
  'toolsets-configmap.yaml': ['v1 ConfigMap'],
};

describe('charts/holmes templates', () => {
  it('have balanced blocks and only known functions, helpers and NOTES.txt included', () => {
    for (const file of readdirSync(TEMPLATES))
      expect(lintTemplate(readFileSync(join(TEMPLATES, file), 'utf8')), file).toEqual([]);
  });

  it('are each well-formed YAML once their directives are set aside', () => {
    for (const file of templateFiles()) {
      const documents = parseAllDocuments(setAside(readFileSync(join(TEMPLATES, file), 'utf8')));
      expect(
        documents.flatMap((document) => document.errors.map((error) => error.message)),
        file,
      ).toEqual([]);
    }
  });

  it('create exactly the kinds expected, at served API versions', () => {
    const found = Object.fromEntries(
      templateFiles().map((file) => [file, templateDocuments(file).map((doc) => `${doc.apiVersion} ${doc.kind}`)]),
    );
    expect(found).toEqual(KINDS);
  });

  it('never create a Secret: secrets are only referenced by name', () => {
    for (const file of templateFiles()) {
      for (const document of templateDocuments(file)) expect(document.kind, file).not.toBe('Secret');
      expect(readFileSync(join(TEMPLATES, file), 'utf8'), file).not.toMatch(/stringData|\.Values\.\w+\.token\b/);
    }
  });

  it('create the optional resources only when asked', () => {
    const guards: Record<string, string> = {
      'pvc.yaml':
        'if and (not .Values.postgres.enabled) .Values.persistence.enabled (not .Values.persistence.existingClaim)',
      'servicemonitor.yaml': 'if .Values.serviceMonitor.enabled',
      'prometheusrule.yaml': 'if .Values.prometheusRule.enabled',
      'networkpolicy.yaml': 'if .Values.networkPolicy.enabled',
      'pdb.yaml': 'if gt (int .Values.replicaCount) 1',
    };
    for (const [file, guard] of Object.entries(guards))
      expect(enclosingBlocks(readChartFile(`templates/${file}`), 'kind:'), file).toEqual([guard]);
    const values = defaultValues() as Record<string, { enabled: boolean }>;
    for (const key of ['serviceMonitor', 'prometheusRule', 'networkPolicy'])
      expect(values[key]!.enabled, key).toBe(false);
  });

  it('carry the version of package.json', () => {
    const chart = readChartFile('Chart.yaml');
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(chart).toContain(`version: ${version}`);
    expect(chart).toContain(`appVersion: "${version}"`);
  });
});

describe('charts/holmes Deployment', () => {
  const deployment = deploymentOf();
  const pod = deployment.spec.template.spec;
  const [container] = pod.containers;
  const template = readChartFile('templates/deployment.yaml');

  it('probes /healthz for liveness and /readyz for readiness, which the server answers without credentials', async () => {
    expect(container!.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container!.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(container!.ports.map((port) => port.name)).toContain('http');
    await withApp(async (app) => {
      for (const path of [container!.livenessProbe.httpGet.path, container!.readinessProbe.httpGet.path])
        expect((await app.request(path)).status, path).toBe(200);
    });
  });

  it('runs as a non-root user on a read-only root filesystem with no privilege to gain', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001 });
    expect(container!.securityContext).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    // The only writable places are volumes: the data directory and /tmp.
    const writable = container!.volumeMounts.filter((mount) => !mount.readOnly).map((mount) => mount.mountPath);
    expect(writable.sort()).toEqual(['/tmp', '/var/lib/holmes']);
  });

  it('requests resources from values', () => {
    expect(template).toContain('{{- toYaml .Values.resources | nindent 12 }}');
    expect(defaultValues().resources).toMatchObject({
      requests: { cpu: expect.any(String), memory: expect.any(String) },
    });
  });

  it('spreads replicas over nodes and zones only when there are several, and replaces a lone SQLite pod with Recreate', () => {
    expect(enclosingBlocks(template, 'topologySpreadConstraints:')).toEqual(['if gt (int .Values.replicaCount) 1']);
    expect(template).toContain('type: {{ ternary "RollingUpdate" "Recreate" .Values.postgres.enabled }}');
    // Helm without values.schema.json (--skip-schema-validation) still refuses several SQLite replicas.
    expect(enclosingBlocks(template, 'fail "replicaCount above 1 needs postgres.enabled')).toEqual([
      'if and (gt (int .Values.replicaCount) 1) (not .Values.postgres.enabled)',
    ]);
    expect(defaultValues()).toMatchObject({ replicaCount: 1, postgres: { enabled: false } });
    // PostgreSQL needs no claim; the data directory is then an emptyDir for the agent's records.
    expect(enclosingBlocks(template, 'persistentVolumeClaim:')).toEqual([
      'if and (not .Values.postgres.enabled) .Values.persistence.enabled',
    ]);
    expect(enclosingBlocks(template, 'emptyDir: {}')).toEqual([
      'if and (not .Values.postgres.enabled) .Values.persistence.enabled (else)',
    ]);
  });
});

describe('charts/holmes NOTES.txt', () => {
  it('prints the Alertmanager receiver to add, pointing at the webhook route with the bearer token file', async () => {
    const notes = readChartFile('templates/NOTES.txt');
    for (const text of ['receivers:', 'webhook_configs:', 'send_resolved: true', 'type: Bearer', 'credentials_file:'])
      expect(notes).toContain(text);
    const route = /url: \{\{ \$url \}\}(\/\S+)/.exec(notes)?.[1];
    expect(route).toBe('/api/v1/alertmanager');
    // The route exists and wants the token: 401 without it (an unknown path would be 404).
    await withApp(async (app) => {
      expect((await app.request(route!, { method: 'POST', body: '{}' })).status).toBe(401);
    });
  });
});
