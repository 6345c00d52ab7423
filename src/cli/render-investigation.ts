import { notDetermined } from '../core/not-determined.js';
import { renderAgentResult } from '../agent/render-agent-result.js';
import type { InvestigationResult, LlmOutcome } from '../core/investigation.js';
import { terminalText } from '../core/terminal-text.js';
import type { GraphFailure } from '../graphs/render-result-graphs.js';
import { renderGraphFiles, type GraphFile } from './write-result-graphs.js';
import { teamLabel } from '../core/team-label.js';

/** The graphs `--graphs DIR` wrote, and those it could not draw. */
export interface WrittenGraphs {
  files: GraphFile[];
  failures: GraphFailure[];
}

const MARK = { supports: '+', contradicts: '-', inconclusive: '?', unavailable: '·' } as const;

/** The report a person reads in a terminal: cause, evidence, remediation, what was not checked. */
export function renderInvestigation(
  result: InvestigationResult,
  options: { hypotheses?: number; graphs?: WrittenGraphs } = {},
): string {
  const lines: string[] = [];
  if (result.alert) {
    const labels = Object.entries(result.alert.labels)
      .filter(([name]) => name !== 'alertname')
      .map(([name, value]) => `${name}=${value}`)
      .join(' ');
    lines.push(`Alert ${result.alert.labels.alertname ?? '?'} ${labels}`);
  }
  lines.push(
    `Status ${result.status} · ${result.mode} · ${result.timings.durationMs} ms · ${result.usage.queries} queries · 0 tokens`,
  );
  lines.push('');
  if (result.rootCause) {
    lines.push(
      `ROOT CAUSE  ${result.rootCause.id} — ${result.rootCause.title} (confidence ${Math.round(result.rootCause.confidence * 100)}%)`,
    );
    lines.push(`  ${result.rootCause.summary}`);
  } else {
    const [headline, ...details] = notDetermined(result.hypotheses);
    lines.push(`ROOT CAUSE  ${headline}`, ...details.map((line) => `  ${line}`));
  }
  lines.push('');
  lines.push('HYPOTHESES');
  const inPlay = result.hypotheses.filter(
    (hypothesis) => hypothesis.candidateBecause.length > 0 || hypothesis.confidence > 0,
  );
  for (const hypothesis of inPlay.slice(0, options.hypotheses ?? 3)) {
    lines.push(
      `  ${hypothesis.cause} score ${hypothesis.score} confidence ${Math.round(hypothesis.confidence * 100)}%`,
    );
    for (const evidence of hypothesis.evidence) lines.push(`    ${MARK[evidence.verdict]} ${evidence.sentence}`);
  }
  const ruledOut = result.hypotheses
    .filter((hypothesis) => !inPlay.includes(hypothesis))
    .map((hypothesis) => hypothesis.cause);
  if (ruledOut.length > 0) lines.push(`  ruled out at triage (key symptom absent): ${ruledOut.join(', ')}`);
  if (result.remediation) {
    lines.push('');
    lines.push(`REMEDIATION (runbook ${result.remediation.runbook}; Holmes applies nothing)`);
    result.remediation.steps.forEach((step, index) => {
      lines.push(`  ${index + 1}. ${step.title}`);
      if (step.command) lines.push(...step.command.split('\n').map((line) => `       ${line}`));
      if (step.details) lines.push(`     ${step.details}`);
    });
  }
  const entities = result.entities;
  lines.push('');
  lines.push(
    `ENTITIES namespace ${entities.namespace ?? '?'} · workload ${entities.workload ? `${entities.workload.kind}/${entities.workload.name}` : '?'} · pods ${entities.pods.map((pod) => (pod.namespace && pod.namespace !== entities.namespace ? `${pod.namespace}/${pod.name}` : pod.name)).join(', ') || '-'} · nodes ${entities.nodes.join(', ') || '-'}${entities.gpus.length ? ` · GPUs ${entities.gpus.map((gpu) => `${gpu.node}/${gpu.gpu}`).join(', ')}` : ''}${entities.model ? ` · model ${entities.model}` : ''}${entities.team ? ` · team ${teamLabel(entities)}` : ''}`,
  );
  if (result.sources && result.sources.length > 0) lines.push(`SOURCES ${result.sources.join(' · ')}`);
  const graphSection = options.graphs ? renderGraphFiles(options.graphs.files, options.graphs.failures) : '';
  if (graphSection) lines.push('', ...graphSection.trimEnd().split('\n'));
  else if (result.graphs && result.graphs.length > 0)
    lines.push('', `GRAPHS ${result.graphs.length} for the root cause (write them as PNG with --graphs DIR)`);
  if (result.notChecked.length > 0) {
    lines.push('');
    lines.push('NOT CHECKED');
    for (const item of result.notChecked.slice(0, 8)) lines.push(`  · ${item}`);
    if (result.notChecked.length > 8) lines.push(`  … ${result.notChecked.length - 8} more (see --json)`);
  }
  // Each entry is one line: a newline or escape sequence inside a value is shown, not obeyed.
  return `${lines.map((line) => terminalText(line)).join('\n')}\n`;
}

/** Any result as a person reads it: the agent's view when the agent was involved, else the investigator's. */
export function renderResult(result: InvestigationResult, options: { graphs?: WrittenGraphs } = {}): string {
  if (!result.llm) return renderInvestigation(result, options);
  const graphSection = options.graphs ? renderGraphFiles(options.graphs.files, options.graphs.failures) : '';
  return `${renderAgentResult(result as InvestigationResult & { llm: LlmOutcome })}${graphSection ? `\n${graphSection}` : ''}`;
}
