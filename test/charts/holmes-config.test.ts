/**
 * holmes.yaml as charts/holmes writes it, for values.yaml and every example: it loads in Holmes
 * (its own config schema), every secret reference it holds is filled by the pod, every path it
 * names is mounted, and the users' own toolsets and runbooks load with Holmes's loaders.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/config-schema.js';
import { envOverrides } from '../../src/config/env-overrides.js';
import { loadRunbooks } from '../../src/runbooks/load-runbooks.js';
import { BUILTIN_TOOLSETS_DIR, loadToolsets } from '../../src/toolsets/load-toolsets.js';
import { BUILTINS } from '../../src/toolsets/builtins/index.js';
import {
  coalesce,
  defaultValues,
  deploymentOf,
  exampleValues,
  readChartFile,
  renderedConfig,
  templateDocuments,
  type Values,
} from './chart-files.js';
import { defineBody } from './helm-template.js';

const ALL_VALUES: Array<{ file: string; values: Values }> = [
  { file: 'values.yaml', values: defaultValues() },
  ...exampleValues().map(({ file, values }) => ({ file, values })),
];

/** Every `{ env }` and `{ file }` reference in a config, with where it is. */
function references(node: unknown, path = ''): Array<{ path: string; env?: string; file?: string }> {
  if (Array.isArray(node)) return node.flatMap((item, index) => references(item, `${path}[${index}]`));
  if (typeof node !== 'object' || node === null) return [];
  const entries = Object.entries(node as Values);
  if (entries.length === 1 && (entries[0]![0] === 'env' || entries[0]![0] === 'file'))
    return [{ path, [entries[0]![0]]: String(entries[0]![1]) }];
  return entries.flatMap(([key, value]) => references(value, path ? `${path}.${key}` : key));
}

const pod = deploymentOf().spec.template.spec;
const container = pod.containers[0]!;
const mountOf = (volume: string) => container.volumeMounts.find((mount) => mount.name === volume)?.mountPath;

describe('holmes.yaml written by charts/holmes', () => {
  it('is the chart part merged over the user config, both read by these tests', () => {
    const helper = defineBody(readChartFile('templates/_helpers.tpl'), 'holmes.config');
    expect(helper).toContain('$chart := include "holmes.chartConfig" . | fromYaml');
    expect(helper).toContain('toYaml (mustMergeOverwrite (deepCopy .Values.config) $chart)');
    expect(readChartFile('templates/configmap.yaml')).toContain('{{- include "holmes.config" . | nindent 4 }}');
  });

  it('loads with Holmes config schema for values.yaml and every example', () => {
    for (const { file, values } of ALL_VALUES) {
      const parsed = configSchema.safeParse(renderedConfig(values));
      expect(
        parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
        file,
      ).toEqual([]);
    }
  });

  it('renders only the sections the values enable', () => {
    const config = renderedConfig(defaultValues());
    expect(Object.keys(config).sort()).toEqual(['kubernetes', 'log', 'prometheus', 'server', 'storage']);
    expect(config.storage).toEqual({ path: '/var/lib/holmes/holmes.db' });
    const full = exampleValues().find((example) => example.file.endsWith('llm-slack-jira.yaml'))!;
    expect(renderedConfig(full.values)).toMatchObject({
      slack: {
        mode: 'socket',
        botToken: { env: 'SLACK_BOT_TOKEN' },
        appToken: { env: 'SLACK_APP_TOKEN' },
        defaultChannel: 'C0ALERTS',
      },
      jira: { url: 'https://example.atlassian.net', apiToken: { env: 'JIRA_API_TOKEN' } },
      toolsets: { directories: ['/etc/holmes/toolsets'] },
    });
    const postgres = exampleValues().find((example) => example.file.endsWith('postgres-replicas.yaml'))!;
    expect(renderedConfig(postgres.values).storage).toEqual({
      // Unused with PostgreSQL, but on the writable volume: on a read-only root filesystem the default path is not.
      path: '/var/lib/holmes/holmes.db',
      postgres: {
        url: 'postgres://holmes@postgres-rw.databases.svc:5432/holmes',
        password: { env: 'HOLMES_POSTGRES_PASSWORD' },
        sslmode: 'verify-full',
        pool: { max: 10, statementTimeoutMs: 30_000 },
      },
    });
    // A URL kept in a Secret (CloudNativePG's `uri`) is read from the environment the Deployment fills.
    const fromSecret = renderedConfig(coalesce(postgres.values, { postgres: { urlKey: 'uri' } }));
    expect(fromSecret.storage).toMatchObject({ postgres: { url: { env: 'HOLMES_POSTGRES_URL' } } });
    expect(configSchema.safeParse(fromSecret).success).toBe(true);
  });

  it('holds secret references only, each filled by the pod: environment from Secrets, files from a mounted Secret', () => {
    const chartEnv = new Set(container.env.map((entry) => entry.name));
    for (const { file, values } of ALL_VALUES) {
      const secretEnv = new Set((values.secretEnv as Array<{ name: string }>).map((entry) => entry.name));
      for (const reference of references(renderedConfig(values))) {
        const where = `${file} ${reference.path}`;
        if (reference.env) expect(chartEnv.has(reference.env) || secretEnv.has(reference.env), where).toBe(true);
        if (reference.file) {
          const mount = container.volumeMounts.find((entry) => entry.mountPath === dirname(reference.file!));
          const volume = pod.volumes.find((entry) => entry.name === mount?.name) as
            { secret?: { items: Array<{ path: string }> } } | undefined;
          expect(
            volume?.secret?.items.map((item) => item.path),
            where,
          ).toContain(reference.file.split('/').at(-1));
        }
      }
    }
    for (const entry of container.env) expect(entry.valueFrom, entry.name).toHaveProperty('secretKeyRef');
  });

  it('names only places the pod mounts, and the port the container exposes', () => {
    for (const { file, values } of ALL_VALUES) {
      const config = renderedConfig(values) as {
        server: { port: number };
        storage: { path?: string };
        toolsets?: { directories: string[] };
        runbooks?: { directories: string[] };
      };
      expect(
        container.ports.map((port) => port.containerPort),
        file,
      ).toContain(config.server.port);
      if (config.storage.path) expect(dirname(config.storage.path), file).toBe(mountOf('data'));
      for (const directory of config.toolsets?.directories ?? []) expect(directory, file).toBe(mountOf('toolsets'));
      for (const directory of config.runbooks?.directories ?? []) expect(directory, file).toBe(mountOf('runbooks'));
    }
    const [configMap] = templateDocuments('configmap.yaml') as unknown as Array<{ data: Record<string, string> }>;
    const flag = container.args.indexOf('--config');
    expect(container.args[flag + 1]).toBe(`${mountOf('config')}/${Object.keys(configMap!.data)[0]}`);
  });

  it('is not overridden by the environment the chart sets', () => {
    const env = Object.fromEntries(container.env.map((entry) => [entry.name, 'x']));
    expect(envOverrides(configSchema, env).overrides).toEqual({});
  });
});

describe("charts/holmes users' toolsets and runbooks", () => {
  it('load with Holmes loaders from the examples, with the tools their checks call', async () => {
    const examples = exampleValues().filter(
      (example) =>
        Object.keys((example.values.toolsets as { files: Values }).files).length > 0 ||
        Object.keys((example.values.runbooks as { files: Values }).files).length > 0,
    );
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) {
      const dir = await mkdtemp(join(tmpdir(), 'holmes-chart-'));
      try {
        const toolsetsDir = join(dir, 'toolsets');
        const runbooksDir = join(dir, 'runbooks');
        for (const [kind, target] of [
          ['toolsets', toolsetsDir],
          ['runbooks', runbooksDir],
        ] as const) {
          await mkdir(target);
          for (const [name, content] of Object.entries((example.values[kind] as { files: Values }).files))
            await writeFile(join(target, name), String(content));
        }
        const toolsets = await loadToolsets({
          directories: [BUILTIN_TOOLSETS_DIR, toolsetsDir],
          builtins: new Set(Object.keys(BUILTINS)),
        });
        expect(toolsets.failures, example.file).toEqual([]);
        const runbooks = await loadRunbooks([runbooksDir]);
        expect(runbooks.failures, example.file).toEqual([]);
        const tools = new Set(toolsets.toolsets.flatMap((toolset) => toolset.spec.tools.map((tool) => tool.name)));
        for (const check of runbooks.runbooks.flatMap((runbook) => runbook.checks))
          expect(tools.has(check.tool), `${example.file} ${check.tool}`).toBe(true);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
  });
});
