import type { CommandContext } from '../command-context.js';
import { writeJson } from '../command-context.js';
import { withLab } from '../with-sources.js';

export interface LabUpOptions {
  /** Stop right after printing (for scripts and tests); default: stay up until interrupted. */
  once?: boolean;
}

/** `holmes lab up DIR`: makes one scenario live and keeps it up until interrupted. */
export async function labUp(context: CommandContext, dir: string, options: LabUpOptions = {}): Promise<void> {
  // Listen from the start: a Ctrl-C while the lab starts then stops it cleanly once it is up.
  const interrupted = options.once ? undefined : context.interrupted;
  await withLab(dir, async (lab) => {
    const { scenario } = lab;
    const info = {
      scenario: scenario.id,
      now: scenario.now.toISOString(),
      prometheusUrl: lab.prometheusUrl,
      kubeApiUrl: lab.kubeApiUrl,
      kubeconfig: lab.kubeconfigPath,
    };
    if (context.json) writeJson(context, info);
    else {
      context.out.write(
        [
          `Lab for scenario ${scenario.id} is up (now = ${info.now}).`,
          `  Prometheus      ${info.prometheusUrl}`,
          `  Kubernetes API  ${info.kubeApiUrl}`,
          `  kubeconfig      ${info.kubeconfig}`,
          '',
          'Try:',
          `  curl -s '${info.prometheusUrl}/api/v1/query?query=count(up)%20or%20vector(0)'`,
          `  kubectl --kubeconfig ${info.kubeconfig} get pods -A`,
          '',
          options.once ? '' : 'Press Ctrl-C to stop; everything started is removed on exit.',
          '',
        ].join('\n'),
      );
    }
    if (interrupted) await interrupted;
  });
}
