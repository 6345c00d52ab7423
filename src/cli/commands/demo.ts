import type { CommandContext } from '../command-context.js';
import { writeJson } from '../command-context.js';

/**
 * `holmes demo [SCENARIO]`: the lab for an example incident with a first look at it.
 * (Becomes a full investigation once the investigator lands.)
 */
export async function demo(context: CommandContext, dir: string): Promise<void> {
  const [{ loadScenario }, { startLab }, { registerCleanup }] = await Promise.all([
    import('../../lab/load-scenario.js'),
    import('../../lab/start-lab.js'),
    import('../../lab/prometheus/index.js'),
  ]);
  const scenario = await loadScenario(dir);
  context.err.write(`Starting the lab for ${scenario.id} (real Prometheus + Kubernetes API)…\n`);
  const lab = await startLab(scenario);
  const unregister = registerCleanup(() => lab.close());
  try {
    const query = 'topk(5, max by (Hostname, hostname, gpu, pod) (DCGM_FI_DEV_GPU_UTIL))';
    const url = `${lab.prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`;
    const body = (await (await fetch(url)).json()) as {
      data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
    };
    const namespace = scenario.alert.labels.namespace;
    const podsPath = namespace ? `/api/v1/namespaces/${namespace}/pods` : '/api/v1/pods';
    const pods = (await (await fetch(`${lab.kubeApiUrl}${podsPath}`)).json()) as {
      items: Array<{ metadata: { name: string }; spec?: { nodeName?: string }; status?: { phase?: string } }>;
    };
    const result = {
      alert: scenario.alert.labels,
      query,
      gpus: body.data.result.map((sample) => ({ labels: sample.metric, value: Number(sample.value[1]) })),
      pods: pods.items.map((pod) => ({ name: pod.metadata.name, node: pod.spec?.nodeName, phase: pod.status?.phase })),
    };
    if (context.json) return writeJson(context, result);
    const lines = [
      `Alert: ${scenario.alert.labels.alertname ?? '(no alertname)'} ${JSON.stringify(scenario.alert.labels)}`,
      '',
      `Prometheus ${lab.prometheusUrl}: ${query}`,
      ...result.gpus.map((gpu) => `  ${JSON.stringify(gpu.labels)} = ${gpu.value}`),
      '',
      `Kubernetes ${lab.kubeApiUrl}${podsPath}:`,
      ...result.pods.map((pod) => `  ${pod.name}  ${pod.phase ?? '?'}  on ${pod.node ?? '(unscheduled)'}`),
      '',
    ];
    context.out.write(lines.join('\n'));
  } finally {
    unregister();
    await lab.close();
  }
}
