/**
 * Every tool of every enabled toolset against every example scenario made live (real Prometheus,
 * the lab's Kubernetes API), with every request recorded: reads only, answers within the cap,
 * and the facts each scenario's data implies found by the tools meant to find them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeriesSummary } from '../../src/telemetry/summarize-series.js';
import { loadTokenCounter } from '../../src/toolsets/count-tokens.js';
import {
  discriminatingWord,
  logLines,
  objectsOf,
  ownerChainOf,
  rolloutsWithin,
  sharedGpus,
  troubledPods,
  vllmLatencyAlert,
  warningEvents,
} from './scenario-facts.js';
import { loadableScenarios, startScenarioToolbox, type ScenarioToolbox } from './scenario-toolbox.js';
import { scenarioFocus, toolCallsForScenario } from './tool-params-for-scenario.js';

const MAX_OUTPUT_TOKENS = 2_000;
const PROMETHEUS_READ =
  /^\/api\/v1\/(query|query_range|series|labels|label\/[A-Za-z_][A-Za-z0-9_]*\/values|metadata|rules|alerts|status\/buildinfo)$/;
const PROMETHEUS_POST = /^\/api\/v1\/(query|query_range|series|labels)$/;
const KUBE_FORBIDDEN = /\/(secrets|exec|attach|portforward|proxy|watch)(\/|$)/;

const { scenarios } = await loadableScenarios();
const countTokens = await loadTokenCounter();

describe('createToolbox on the example scenarios', () => {
  it('finds example scenarios that load', () => {
    expect(scenarios.length).toBeGreaterThan(0);
  });
});

for (const { scenario } of scenarios) {
  const focus = scenarioFocus(scenario);
  const shared = sharedGpus(scenario);
  // A `none` scenario may alert on a threshold its latency never crossed (a bad rule): nothing to see rise.
  const latency = scenario.expected.rootCause === 'none' ? undefined : vllmLatencyAlert(scenario);
  const focusPod = focus.pod;
  const focusPodObject =
    focusPod && objectsOf(scenario, 'Pod', focusPod.namespace).find((pod) => pod.metadata.name === focusPod.name);
  const chain = focusPodObject ? ownerChainOf(scenario, focusPodObject) : [];
  const currentLog = focusPod && logLines(scenario, focusPod.namespace, focusPod.name, focusPod.container, false);
  const previousLog = focusPod && logLines(scenario, focusPod.namespace, focusPod.name, focusPod.container, true);
  const listNamespace = focus.namespace;
  const troubled = troubledPods(scenario, listNamespace);
  const warnings = warningEvents(scenario, listNamespace);
  const spendAlert = /spend|budget|cost/i.test(scenario.alert.labels.alertname ?? '');
  const spendTeam =
    spendAlert &&
    scenario.series.some(
      (series) => series.metric === 'litellm_spend_metric_total' && series.labels.team === focus.team,
    )
      ? focus.team
      : undefined;

  describe(`createToolbox on ${scenario.id}`, () => {
    let live: ScenarioToolbox;
    const run = (tool: string, params: Record<string, unknown>) => live.toolbox.run(tool, params);
    const enabled = (toolset: string) =>
      live.toolbox.statuses.some((status) => status.id === toolset && status.status === 'enabled');

    beforeAll(async () => {
      live = await startScenarioToolbox(scenario, { maxOutputTokens: MAX_OUTPUT_TOKENS });
    });

    afterAll(async () => {
      await live?.close();
    });

    it('enables the Kubernetes and generic Prometheus toolsets the lab always serves', () => {
      // The reason rides along so a failure says why the toolset is off.
      const byId = Object.fromEntries(
        live.toolbox.statuses.map((status) => [
          status.id,
          status.status === 'enabled' ? 'enabled' : `${status.status}: ${status.reason}`,
        ]),
      );
      expect(byId['kubernetes/core']).toBe('enabled');
      expect(byId['prometheus/metrics']).toBe('enabled');
      expect(live.toolbox.failures).toEqual([]);
    });

    it('runs every tool of every enabled toolset to success or no_data, with its requests and text within the cap', async () => {
      const tools = live.toolbox.tools();
      const { calls, problems } = toolCallsForScenario(scenario, tools);
      expect(problems).toEqual([]);
      expect(new Set(calls.map((call) => call.tool))).toEqual(new Set(tools.map((tool) => tool.spec.name)));
      const failures: string[] = [];
      for (const call of calls) {
        const result = await run(call.tool, call.params);
        const where = `${call.tool} ${JSON.stringify(call.params)}`;
        if (result.status === 'error') failures.push(`${where}: ${result.error ?? result.text}`);
        // A signal the telemetry profile shows is not collected here is answered without a query, with its fix.
        else if (result.requests.length === 0 && !result.missing) failures.push(`${where}: no requests recorded`);
        else if (countTokens(result.text) > MAX_OUTPUT_TOKENS)
          failures.push(`${where}: ${countTokens(result.text)} tokens of text`);
        else if (result.text.trim().length === 0) failures.push(`${where}: empty text`);
      }
      expect(failures).toEqual([]);
    });

    it('lists the pods of the namespace in question, troubled ones first with their reasons', async () => {
      const pods = objectsOf(scenario, 'Pod', listNamespace);
      const result = await run('kubernetes_list', {
        kind: 'Pod',
        ...(listNamespace ? { namespace: listNamespace } : {}),
        top_k: 200,
      });

      expect(result.status).toBe(pods.length > 0 ? 'success' : 'no_data');
      if (pods.length > 0) expect(result.text.split('\n')[0]).toBe(`${pods.length} Pod:`);
      // Under the token cap every pod is listed; over it, the troubled ones (listed first) still are.
      const mustShow = result.omitted ? troubled.map(({ pod }) => pod) : pods;
      for (const pod of mustShow) expect(result.text).toContain(pod.metadata.name);
      const lines = result.text.split('\n').slice(1);
      for (const { pod, reasons } of troubled) {
        const line = lines.find((entry) => entry.includes(`/${pod.metadata.name} `));
        for (const reason of reasons) expect(line).toContain(reason);
      }
      const firstHealthy = lines.findIndex(
        (line) => / ready (\d+)\/\1, restarts 0, /.test(line) && !line.includes('waiting ['),
      );
      const lastTroubled = Math.max(
        -1,
        ...troubled.map(({ pod }) => lines.findIndex((line) => line.includes(`/${pod.metadata.name} `))),
      );
      if (firstHealthy >= 0) expect(lastTroubled).toBeLessThan(firstHealthy);
    });

    if (chain.length > 1) {
      it('walks the focus pod up its owner chain as the scenario defines it', async () => {
        const result = await run('owner_chain', { kind: 'Pod', name: focusPod!.name, namespace: focusPod!.namespace });

        const walked = (result.data as { chain: Array<{ kind: string; metadata: { name: string } }> }).chain;
        expect(walked.map((object) => `${object.kind}/${object.metadata.name}`)).toEqual(
          chain.map((object) => `${object.kind}/${object.metadata.name}`),
        );
        const lines = result.text.split('\n');
        chain.forEach((object, index) => {
          expect(lines[index]).toContain(
            `${index > 0 ? '↑ ' : ''}${object.kind} ${object.metadata.namespace}/${object.metadata.name}`,
          );
        });
      });
    }

    it('finds exactly the rollouts of the last 6h that the ReplicaSets imply', async () => {
      const expected = rolloutsWithin(scenario, '6h', focus.alertNamespace);
      const result = await run('recent_rollouts', {
        ...(focus.alertNamespace ? { namespace: focus.alertNamespace } : {}),
        within: '6h',
      });

      expect(result.status).toBe(expected.length > 0 ? 'success' : 'no_data');
      expect(
        (result.data as { rollouts: Array<{ replicaSet: string }> }).rollouts
          .map((rollout) => rollout.replicaSet)
          .sort(),
      ).toEqual(expected.map((set) => set.metadata.name).sort());
    });

    if (warnings.length > 0) {
      it('lists the Warning events of the namespace and no Normal ones when asked for warnings', async () => {
        const result = await run('kubernetes_events', {
          ...(listNamespace ? { namespace: listNamespace } : {}),
          type: 'Warning',
          top_k: 200,
        });

        expect(result.status).toBe('success');
        for (const event of warnings)
          expect(result.text).toContain(` Warning ${String((event as { reason?: string }).reason)} `);
        expect(result.text).not.toMatch(/ Normal /);
      });
    }

    if (currentLog && currentLog.length > 0) {
      it('reads only the last tail_lines of the focus pod log, newest last', async () => {
        const result = await run('pod_logs', {
          namespace: focusPod!.namespace,
          pod: focusPod!.name,
          container: focusPod!.container,
          tail_lines: 3,
        });

        const data = result.data as { total: number; lines: string[] };
        expect(data.total).toBe(Math.min(3, currentLog.length));
        // Shown lines lose only a date said once in the header, a fold count, or a cut past 400 characters.
        const shown = result.text
          .split('\n')
          .slice(1)
          .map((line) => line.replace(/ \(repeated \d+x\)$/, '').replace(/…$/, ''));
        expect(shown.length).toBeGreaterThan(0);
        expect(shown.length).toBeLessThanOrEqual(3);
        for (const line of shown) expect(currentLog.slice(-3).some((logged) => logged.includes(line))).toBe(true);
      });

      const word = discriminatingWord(currentLog);
      if (word) {
        it('keeps exactly the log lines a filter matches', async () => {
          const result = await run('pod_logs', {
            namespace: focusPod!.namespace,
            pod: focusPod!.name,
            container: focusPod!.container,
            tail_lines: 5000,
            filter: word,
            top_k: 500,
          });

          const data = result.data as { matched: number; lines: string[] };
          expect(data.matched).toBe(currentLog.filter((line) => line.toLowerCase().includes(word)).length);
          for (const line of data.lines) expect(line.toLowerCase()).toContain(word);
        });
      }
    }

    if (previousLog && previousLog.length > 0) {
      it("reads the previous instance's log when asked for it", async () => {
        const result = await run('pod_logs', {
          namespace: focusPod!.namespace,
          pod: focusPod!.name,
          container: focusPod!.container,
          previous: true,
          tail_lines: 5000,
        });

        expect(result.status).toBe('success');
        expect((result.data as { total: number }).total).toBe(previousLog.length);
        expect(result.text).toContain('(previous instance)');
      });
    }

    if (shared.length > 0) {
      it('finds every GPU that DCGM attributes to several pods, with those pods and how they share it', async () => {
        if (!enabled('gpu/dcgm')) throw new Error('gpu/dcgm is not enabled although the scenario has DCGM series');
        const result = await run('gpu_sharing', {});

        const found = (
          result.data as {
            sharedGpus: Array<{
              node: string;
              gpu: string;
              mode: string;
              workloads: Array<{ namespace: string; pod: string }>;
            }>;
          }
        ).sharedGpus;
        for (const fact of shared) {
          const gpu = found.find((entry) => entry.node === fact.node && entry.gpu === fact.gpu);
          expect(gpu, `GPU ${fact.gpu} on ${fact.node}`).toBeDefined();
          expect([...new Set(gpu!.workloads.map((entry) => `${entry.namespace}/${entry.pod}`))].sort()).toEqual(
            fact.pods,
          );
          expect(gpu!.mode).toBe(fact.mig ? 'mig' : 'time-slicing');
          for (const pod of fact.pods) expect(result.text).toContain(pod);
        }
      });

      const neighbours = shared.filter((fact) => fact.pods.some((pod) => pod.startsWith(`${focus.alertNamespace}/`)));
      if (focus.alertNamespace && neighbours.length > 0) {
        it("names the other namespace's pod on a GPU the alert's namespace shares", async () => {
          const result = await run('gpu_sharing', { namespace: focus.alertNamespace });

          for (const fact of neighbours) for (const pod of fact.pods) expect(result.text).toContain(pod);
        });
      }
    }

    if (latency) {
      it(`shows the alerting vLLM latency (${latency.query}) rising past the alert's threshold`, async () => {
        if (!enabled('llm/serving'))
          throw new Error('llm/serving is not enabled although the alert is about vLLM latency');
        const result = await run('vllm_overview', {
          ...(focus.alertNamespace ? { namespace: focus.alertNamespace } : {}),
          ...(focus.model ? { model: focus.model } : {}),
        });

        const series = (result.data as Record<string, Array<{ summary?: SeriesSummary }>>)[latency.query] ?? [];
        const worst = series.map((entry) => entry.summary!).sort((a, b) => b.last - a.last)[0];
        expect(worst, `${latency.query} has a series`).toBeDefined();
        expect(worst!.last).toBeGreaterThan(latency.threshold);
        expect(worst!.first).toBeLessThan(worst!.last);
        expect(worst!.trend).toBe('rising');
        const title = latency.query === 'ttft_p99' ? 'Time to first token p99' : 'End-to-end latency p99';
        expect(result.text.split('\n').find((line) => line.startsWith(title)) ?? result.text).toMatch(/rising/);
      });
    }

    if (spendTeam) {
      it("shows the alerting team's LLM spend above its baseline window", async () => {
        if (!enabled('cost/llm-spend'))
          throw new Error('cost/llm-spend is not enabled although the scenario has LiteLLM spend series');
        const result = await run('llm_spend_breakdown', { by: 'team', team: spendTeam });

        const data = result.data as Record<string, Array<{ labels: Record<string, string>; value?: number }>>;
        const spend = (query: string) => data[query]?.find((entry) => entry.labels.team === spendTeam)?.value ?? 0;
        expect(spend('spend_recent')).toBeGreaterThan(spend('spend_baseline'));
        const row = result.text.split('\n').find((line) => line.startsWith(`  ${spendTeam}: `));
        expect(row, `a row for team ${spendTeam}`).toMatch(/^ {2}\S+: \$[\d.]+k? \| \$[\d.]+k? \|/);
      });
    }

    it('sent Prometheus only reads, on its read endpoints', () => {
      expect(live.prometheusRequests.length).toBeGreaterThan(0);
      const refused = live.prometheusRequests.filter((request) =>
        request.method === 'GET'
          ? !PROMETHEUS_READ.test(request.path)
          : !(request.method === 'POST' && PROMETHEUS_POST.test(request.path)),
      );
      expect(refused).toEqual([]);
    });

    it('sent Kubernetes only GETs, none touching secrets, exec, attach, port-forward, proxy or watch', () => {
      const requests = live.lab.kubeApi.requests;
      expect(requests.length).toBeGreaterThan(0);
      expect(requests.filter((request) => request.method !== 'GET')).toEqual([]);
      expect(
        requests.filter(
          (request) => KUBE_FORBIDDEN.test(request.path) || ['true', '1'].includes(request.query.watch ?? ''),
        ),
      ).toEqual([]);
    });
  });
}
