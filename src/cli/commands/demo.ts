import { fileURLToPath } from 'node:url';
import type { CommandContext } from '../command-context.js';
import { investigateCommand } from './investigate.js';

/** The example GPU incident shipped with Holmes, wherever Holmes is run from. */
export const DEMO_SCENARIO = fileURLToPath(
  new URL('../../../evals/scenarios/chat-api-p99-shared-gpu', import.meta.url),
);

/**
 * `holmes demo [SCENARIO]`: a complete investigation of a GPU incident in the lab — a real
 * Prometheus and Kubernetes API filled with the incident — printed as a report.
 */
export async function demo(context: CommandContext, dir: string | undefined): Promise<void> {
  const scenario = dir ?? DEMO_SCENARIO;
  context.err.write(
    `Holmes demo: the lab starts a real Prometheus and a Kubernetes API holding the incident in ${scenario}, then investigates its alert (no model, zero tokens).\n\n`,
  );
  await investigateCommand(context, { scenario });
}
