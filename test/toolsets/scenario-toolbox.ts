/**
 * A scenario made live with a toolbox pointed at it, the way production wires one: Prometheus
 * (behind a recording proxy) and the lab's Kubernetes API through its kubeconfig. Shared by the
 * toolset integration tests and the token benchmark.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../../src/lab/load-scenario.js';
import type { Scenario } from '../../src/lab/scenario.js';
import { startLab, type Lab } from '../../src/lab/start-lab.js';
import { createKubeClient } from '../../src/telemetry/kube-client.js';
import { createPrometheusClient } from '../../src/telemetry/prometheus-client.js';
import { createToolbox, type Toolbox } from '../../src/toolsets/create-toolbox.js';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy.js';

export const EXAMPLE_SCENARIOS_DIR = fileURLToPath(new URL('../../evals/scenarios/', import.meta.url));

export interface ScenarioToolbox {
  scenario: Scenario;
  lab: Lab;
  toolbox: Toolbox;
  /** Every request that reached Prometheus, as the proxy saw it. */
  prometheusRequests: RecordingProxy['requests'];
  close(): Promise<void>;
}

export interface LoadableScenarios {
  scenarios: Array<{ dir: string; scenario: Scenario }>;
  /** Folders that do not load (being written, or broken), with the reason. */
  skipped: Array<{ dir: string; reason: string }>;
}

/** Every scenario folder under `root` that loads; the rest with why not. */
export async function loadableScenarios(root = EXAMPLE_SCENARIOS_DIR): Promise<LoadableScenarios> {
  const result: LoadableScenarios = { scenarios: [], skipped: [] };
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  for (const entry of entries.filter((item) => item.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const dir = join(root, entry.name);
    try {
      result.scenarios.push({ dir, scenario: await loadScenario(dir) });
    } catch (error) {
      result.skipped.push({ dir, reason: (error as Error).message.split('\n')[0] ?? String(error) });
    }
  }
  return result;
}

export interface ScenarioToolboxOptions {
  keepRaw?: boolean;
  maxOutputTokens?: number;
}

/** Starts the lab for a loaded scenario and a toolbox on it; close() stops everything. */
export async function startScenarioToolbox(
  scenario: Scenario,
  options: ScenarioToolboxOptions = {},
): Promise<ScenarioToolbox> {
  const lab = await startLab(scenario);
  let proxy: RecordingProxy | undefined;
  try {
    proxy = await startRecordingProxy(lab.prometheusUrl);
    const toolbox = await createToolbox({
      prometheus: createPrometheusClient({ url: proxy.url }),
      kube: createKubeClient({ kubeconfigPath: lab.kubeconfigPath }),
      now: () => scenario.now,
      ...(options.keepRaw ? { keepRaw: true } : {}),
      ...(options.maxOutputTokens ? { maxOutputTokens: options.maxOutputTokens } : {}),
    });
    // Prerequisites are checked in the background; the tests read the statuses they end with.
    await toolbox.refresh();
    const opened = proxy;
    return {
      scenario,
      lab,
      toolbox,
      prometheusRequests: opened.requests,
      close: async () => {
        await Promise.allSettled([opened.close(), lab.close()]);
      },
    };
  } catch (error) {
    await Promise.allSettled([proxy?.close(), lab.close()]);
    throw error;
  }
}
