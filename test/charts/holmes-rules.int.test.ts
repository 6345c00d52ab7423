import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { createServerMetrics } from '../../src/server/server-metrics.js';
import { ROOT } from '../cli/run-cli.js';

const run = promisify(execFile);
const CHART = join(ROOT, 'charts/holmes');
const RULES = join(CHART, 'rules/holmes.rules.yaml');
const PROMTOOL = process.env.HOLMES_PROMTOOL_BIN || 'promtool';

interface RuleFile {
  groups: Array<{
    name: string;
    rules: Array<{
      alert: string;
      expr: string;
      labels: { severity: string };
      annotations: { summary: string; description: string };
    }>;
  }>;
}

describe('charts/holmes/rules/holmes.rules.yaml', () => {
  it('passes `promtool check rules`', async () => {
    const { stdout } = await run(PROMTOOL, ['check', 'rules', RULES]);
    expect(stdout).toContain('SUCCESS: 6 rules found');
  });

  it('fires each alert on the series meant to raise it, and only there, per `promtool test rules`', async () => {
    const { stdout } = await run(PROMTOOL, ['test', 'rules', join(CHART, 'rules/holmes.rules.test.yaml')]);
    expect(stdout).toContain('SUCCESS');
  });

  it('covers budget burn, failing investigations, queue backlog and webhook rejections, each with a severity and a summary', async () => {
    const rules = (parse(await readFile(RULES, 'utf8')) as RuleFile).groups.flatMap((group) => group.rules);
    const alerts = rules.map((rule) => rule.alert);
    expect(alerts).toEqual([
      'HolmesBudgetExhausted',
      'HolmesBudgetBurnHigh',
      'HolmesInvestigationsFailing',
      'HolmesQueueBacklog',
      'HolmesWebhookQueueFull',
      'HolmesWebhookRejections',
    ]);
    for (const rule of rules) {
      expect(['warning', 'critical'], rule.alert).toContain(rule.labels.severity);
      expect(rule.annotations.summary.length, rule.alert).toBeGreaterThan(10);
    }
  });

  it('uses only metric names the server exposes', async () => {
    const text = await readFile(RULES, 'utf8');
    const used = new Set(
      (parse(text) as RuleFile).groups.flatMap((group) =>
        group.rules.flatMap((rule) => rule.expr.match(/\bholmes_[a-z_]+/g) ?? []),
      ),
    );
    const exposed = new Set((await createServerMetrics().registry.getMetricsAsJSON()).map((metric) => metric.name));
    expect([...used].sort()).toEqual([
      'holmes_budget_remaining_usd',
      'holmes_investigations_total',
      'holmes_queue_depth',
      'holmes_webhook_rejected_total',
    ]);
    for (const name of used) expect(exposed.has(name), name).toBe(true);
  });

  it('is the file the chart deploys as a PrometheusRule', async () => {
    const template = await readFile(join(CHART, 'templates/prometheusrule.yaml'), 'utf8');
    // The same groups, not a copy: the template reads the file promtool checks.
    expect(template).toContain('{{- $rules := .Files.Get "rules/holmes.rules.yaml" | fromYaml }}');
    expect(template).toContain('{{- toYaml $rules.groups | nindent 4 }}');
    const chart = parse(await readFile(join(CHART, 'Chart.yaml'), 'utf8')) as { name: string; apiVersion: string };
    expect(chart).toMatchObject({ name: 'holmes', apiVersion: 'v2' });
    const values = parse(await readFile(join(CHART, 'values.yaml'), 'utf8')) as {
      prometheusRule: { enabled: boolean };
    };
    expect(values.prometheusRule.enabled).toBe(false);
  });
});
