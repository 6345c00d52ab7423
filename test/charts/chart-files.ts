/** The chart's files as the tests read them: values, examples, templates with directives set aside. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { ROOT } from '../cli/run-cli.js';
import { defineBody, renderSubset, setAside } from './helm-template.js';

export const CHART = join(ROOT, 'charts/holmes');
export const TEMPLATES = join(CHART, 'templates');

export type Values = Record<string, unknown>;

export interface KubeDocument {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  [field: string]: unknown;
}

export function readChartFile(path: string): string {
  return readFileSync(join(CHART, path), 'utf8');
}

export const defaultValues = (): Values => parse(readChartFile('values.yaml')) as Values;

/** Example values files, each coalesced over values.yaml as Helm does. */
export function exampleValues(): Array<{ file: string; user: Values; values: Values }> {
  return readdirSync(join(CHART, 'examples'))
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => {
      const user = parse(readChartFile(`examples/${file}`)) as Values;
      return { file: `examples/${file}`, user, values: coalesce(defaultValues(), user) };
    });
}

function isMap(value: unknown): value is Values {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Helm's merge of user values over the chart's: maps merge, anything else replaces, null deletes. */
export function coalesce(base: Values, override: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === null) delete out[key];
    else out[key] = isMap(value) && isMap(base[key]) ? coalesce(base[key], value) : value;
  }
  return out;
}

/** Sprig's mustMergeOverwrite(dst, src): src's non-empty values win, maps merge. */
export function mergeOverwrite(destination: Values, source: Values): Values {
  const out: Values = { ...destination };
  for (const [key, value] of Object.entries(source)) {
    out[key] = isMap(value) && isMap(out[key]) ? mergeOverwrite(out[key], value) : value;
  }
  return out;
}

export function templateFiles(): string[] {
  return readdirSync(TEMPLATES).filter((file) => file.endsWith('.yaml'));
}

/** The documents of a template with its directives set aside (every branch kept). */
export function templateDocuments(file: string): KubeDocument[] {
  return parseAllDocuments(setAside(readFileSync(join(TEMPLATES, file), 'utf8')))
    .map((document) => document.toJS() as KubeDocument | null)
    .filter((document): document is KubeDocument => document !== null);
}

export function deploymentOf(): {
  spec: {
    template: {
      spec: {
        securityContext: Record<string, unknown>;
        containers: Array<Container>;
        volumes: Array<{ name: string; [source: string]: unknown }>;
        [field: string]: unknown;
      };
    };
    [field: string]: unknown;
  };
} {
  return templateDocuments('deployment.yaml')[0] as never;
}

export interface Container {
  name: string;
  args: string[];
  ports: Array<{ name: string; containerPort: number }>;
  env: Array<{ name: string; value?: string; valueFrom?: unknown }>;
  livenessProbe: { httpGet: { path: string; port: string } };
  readinessProbe: { httpGet: { path: string; port: string } };
  securityContext: Record<string, unknown>;
  volumeMounts: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
  [field: string]: unknown;
}

/** holmes.yaml as the chart writes it for these values: the user's config with the chart's part over it. */
export function renderedConfig(values: Values): Values {
  const body = defineBody(readFileSync(join(TEMPLATES, '_helpers.tpl'), 'utf8'), 'holmes.chartConfig');
  const chart = (parse(renderSubset(body, values)) ?? {}) as Values;
  return mergeOverwrite(structuredClone((values.config ?? {}) as Values), chart);
}
