import type { Alert } from '../core/alert.js';
import type { InvestigationResult, InvestigationStep } from '../core/investigation.js';
import type { HolmesConfig } from '../config/config-schema.js';
import { BUILTIN_RUNBOOKS_DIR, loadRunbooks, type LoadRunbooksResult } from '../runbooks/load-runbooks.js';
import type { Toolbox } from '../toolsets/create-toolbox.js';
import { prometheusFromConfig } from '../telemetry/clients-from-config.js';
import { describeProfile } from '../toolsets/signals/describe-profile.js';
import { telemetryProfile } from '../toolsets/signals/telemetry-profile.js';
import { toolboxFromConfig } from '../toolsets/toolbox-from-config.js';
import { investigate } from './investigate.js';

export interface Investigator {
  toolbox: Toolbox;
  runbooks: LoadRunbooksResult;
  investigate(alert: Alert, onStep?: (step: InvestigationStep) => void): Promise<InvestigationResult>;
}

/** Builds clients, toolbox and runbooks once from the config; each alert then costs only its queries. */
export async function createInvestigator(config: HolmesConfig): Promise<Investigator> {
  const toolbox = await toolboxFromConfig(config);
  // Checked against the tools they call: a runbook with a typo is skipped with its file and line.
  const runbooks = await loadRunbooks([BUILTIN_RUNBOOKS_DIR, ...config.runbooks.directories], {
    tools: toolbox.tools({ all: true }),
  });
  const skipped = runbooks.failures.map(describeSkipped);
  const prometheus = prometheusFromConfig(config);
  const sources = prometheus ? async () => describeProfile(await telemetryProfile(prometheus)) : undefined;
  return {
    toolbox,
    runbooks,
    investigate: (alert, onStep) =>
      investigate({
        alert,
        toolbox,
        runbooks: runbooks.runbooks,
        skipped,
        teamNamespaces: config.kubernetes.teamNamespaces,
        ...(sources ? { sources } : {}),
        ...(onStep ? { onStep } : {}),
      }),
  };
}

/** `runbook gpu-x.md skipped: line 12: checks[0].tool: … Fix: …` — the first problem; `holmes runbooks check` lists all. */
function describeSkipped(failure: LoadRunbooksResult['failures'][number]): string {
  const [first] = failure.issues;
  const where = first?.line ? `line ${first.line}: ` : '';
  const more = failure.issues.length > 1 ? ` (+${failure.issues.length - 1} more: holmes runbooks check)` : '';
  return `runbook ${failure.file} skipped: ${where}${first ? `${first.path ? `${first.path}: ` : ''}${first.message}${first.fix ? ` Fix: ${first.fix}` : ''}` : 'invalid'}${more}`;
}
