import type { Alert } from '../core/alert.js';
import type { ToolResult } from '../core/tool-result.js';
import { investigate } from '../investigator/investigate.js';
import type { TeamNamespaces } from '../investigator/resolve-team-entities.js';
import type { Runbook } from '../runbooks/runbook-schema.js';
import type { Toolbox } from '../toolsets/create-toolbox.js';
import { toolDefinition, type ToolDefinition } from './tool-definitions.js';

export const RUNBOOK_TOOLSET = 'holmes/runbooks';
const MARK = { supports: '+', contradicts: '-', inconclusive: '?', unavailable: '·' } as const;
const ENTITY_PARAMS = ['namespace', 'service', 'pod', 'node', 'deployment', 'model', 'team'] as const;

export const RUNBOOK_TOOL_DEFINITIONS: ToolDefinition[] = [
  toolDefinition(
    'list_runbooks',
    'List the runbooks: id, title, class and the alerts each is for. Runbook ids are the cause vocabulary.',
    { type: 'object', properties: {} },
  ),
  toolDefinition(
    'fetch_runbook',
    'Read one runbook: how its cause is recognised (checks), decided and fixed (remediation).',
    {
      type: 'object',
      properties: { id: { type: 'string', description: 'Runbook id, e.g. gpu-noisy-neighbor' } },
      required: ['id'],
    },
  ),
  toolDefinition(
    'run_runbook_checks',
    "Run every check of one runbook and get each verdict with its evidence. Checks run on the alert's entities; the other parameters override them.",
    {
      type: 'object',
      properties: {
        id: { type: 'string', description: 'Runbook id' },
        ...Object.fromEntries(ENTITY_PARAMS.map((name) => [name, { type: 'string' }])),
      },
      required: ['id'],
    },
  ),
];

export const RUNBOOK_TOOL_NAMES = new Set(RUNBOOK_TOOL_DEFINITIONS.map((definition) => definition.function.name));

export interface RunbookToolsOptions {
  runbooks: Runbook[];
  toolbox: Toolbox;
  /** The alert under investigation; a question has none and checks run on the entities given. */
  alert: Alert | undefined;
  /** Team → namespaces from the config (kubernetes.teamNamespaces), as the investigator reads them. */
  teamNamespaces?: TeamNamespaces;
}

/** The runbook tools: list, fetch, run a runbook's checks (through the deterministic investigator). */
export function createRunbookTools(options: RunbookToolsOptions) {
  const { runbooks } = options;
  const result = (
    tool: string,
    params: Record<string, unknown>,
    started: number,
    fields: Partial<ToolResult> & Pick<ToolResult, 'status' | 'text'>,
  ): ToolResult => ({
    toolset: RUNBOOK_TOOLSET,
    tool,
    params,
    data: null,
    requests: [],
    durationMs: performance.now() - started,
    rawBytes: 0,
    ...fields,
  });
  const unknown = (tool: string, params: Record<string, unknown>, started: number, id: unknown) =>
    result(tool, params, started, {
      status: 'error',
      text: `Unknown runbook '${String(id)}'. Available: ${runbooks.map((runbook) => runbook.id).join(', ')}.`,
      error: 'unknown runbook',
    });

  async function run(name: string, params: Record<string, unknown>): Promise<ToolResult> {
    const started = performance.now();
    if (name === 'list_runbooks') {
      const lines = runbooks.map(
        (runbook) =>
          `${runbook.id} — ${runbook.title} (${runbook.class}); alerts: ${runbook.candidate.alerts.join(' | ') || '-'}`,
      );
      return result(name, params, started, { status: 'success', text: lines.join('\n') });
    }
    const runbook = runbooks.find((candidate) => candidate.id === params.id);
    if (!runbook) return unknown(name, params, started, params.id);
    if (name === 'fetch_runbook') {
      const checks = runbook.checks.map(
        (check) =>
          `- ${check.id} (tool ${check.tool}, weight ${check.weight}${check.required ? ', required' : ''}): ${check.description}`,
      );
      // The steps as written (templates unfilled); the body holds only the prose around them.
      const remediation = runbook.remediation.map(
        (step, index) =>
          `${index + 1}. ${step.title}${step.details ? `\n   ${step.details}` : ''}${step.command ? `\n   ${step.command.split('\n').join('\n   ')}` : ''}`,
      );
      const text = [
        `# ${runbook.id}: ${runbook.title} (${runbook.class})`,
        '',
        'Checks:',
        ...checks,
        '',
        'Remediation:',
        ...remediation,
        '',
        runbook.body,
      ].join('\n');
      return result(name, params, started, { status: 'success', text });
    }
    const given = Object.fromEntries(
      ENTITY_PARAMS.filter((key) => typeof params[key] === 'string' && params[key]).map((key) => [
        key,
        String(params[key]),
      ]),
    );
    const base: Alert = options.alert ?? {
      fingerprint: 'question',
      status: 'firing',
      labels: { alertname: 'Question' },
      annotations: {},
      startsAt: new Date(Date.now() - 15 * 60_000).toISOString(),
    };
    const alert: Alert = { ...base, labels: { ...base.labels, ...given } };
    const outcome = await investigate({
      alert,
      toolbox: options.toolbox,
      runbooks: [runbook],
      ...(options.teamNamespaces ? { teamNamespaces: options.teamNamespaces } : {}),
    });
    const hypothesis = outcome.hypotheses[0];
    const evidence = hypothesis?.evidence ?? [];
    const lines = [
      `${runbook.id}: score ${hypothesis?.score ?? 0}, confidence ${hypothesis?.confidence ?? 0}`,
      ...evidence.map((item) => `${MARK[item.verdict]} ${item.check}: ${item.sentence}`),
      ...(outcome.notChecked.length > 0 ? [`not checked: ${outcome.notChecked.join('; ')}`] : []),
    ];
    return result(name, params, started, {
      status: evidence.length > 0 ? 'success' : 'no_data',
      text: lines.join('\n'),
      data: { hypothesis, entities: outcome.entities },
      requests: evidence.flatMap((item) => item.tool.requests),
    });
  }

  return { definitions: RUNBOOK_TOOL_DEFINITIONS, run };
}
