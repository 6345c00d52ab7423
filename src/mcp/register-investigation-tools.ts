import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { resolveTeam } from '../agent/admission.js';
import { HolmesError } from '../core/errors.js';
import { parseAlertInput } from '../integrations/alertmanager/parse-alert-input.js';
import { asToolResult } from './as-tool-result.js';
import type { HolmesMcpOptions } from './holmes-mcp-options.js';
import type { ArchivedInvestigation } from './investigation-archive.js';

const STATES = ['queued', 'running', 'completed', 'degraded', 'budget-exceeded', 'failed'] as const;

// investigate writes only Holmes's own record of what it found; towards the cluster it reads.
const READS = { readOnlyHint: true, destructiveHint: false, openWorldHint: true } as const;

function line(entry: ArchivedInvestigation): string {
  return [
    entry.id,
    entry.state.padEnd(15),
    (entry.mode ?? '-').padEnd(13),
    entry.subject ?? '-',
    `cause ${entry.rootCause ?? '-'}`,
    entry.startedAt,
    `by ${entry.requestedBy ?? entry.store}`,
  ].join('  ');
}

/** `investigate` (zero tokens), `list_investigations` and `get_investigation`; returns their names. */
export function registerInvestigationTools(server: McpServer, options: HolmesMcpOptions): string[] {
  const { archive, logger } = options;
  server.registerTool(
    'investigate',
    {
      title: 'Investigate an alert (zero tokens)',
      description:
        "Find the root cause of an alert from evidence, deterministically and at zero tokens: resolves the alert's namespace, workloads, pods, nodes and GPUs, runs the runbooks' checks through the read-only toolsets and ranks the causes, with the evidence for and against each and the remediation. Give `alert` (one alert as Alertmanager sends it, or a whole webhook body, whose first alert is investigated) or only `labels`. The result is recorded: get_investigation reads it back.",
      inputSchema: z.strictObject({
        alert: z
          .record(z.string(), z.unknown())
          .optional()
          .describe('One alert ({labels, annotations, startsAt, …}) or an Alertmanager webhook body ({alerts: […]})'),
        labels: z
          .record(z.string(), z.string())
          .optional()
          .describe('Only the alert labels, e.g. {"alertname": "KubePodCrashLooping", "namespace": "llm"}'),
        annotations: z
          .record(z.string(), z.string())
          .optional()
          .describe('Annotations that go with `labels` (summary, description)'),
      }),
      annotations: { ...READS, idempotentHint: false },
    },
    (input) =>
      asToolResult('investigate', logger, async () => {
        if ((input.alert === undefined) === (input.labels === undefined))
          throw new HolmesError('ALERT_INVALID', 'Give either `alert` or `labels`, not both and not neither.', {
            fix: 'e.g. {"labels": {"alertname": "InferenceP99High", "namespace": "llm", "service": "chat-api"}}.',
          });
        const alerts = parseAlertInput(input.alert ?? { labels: input.labels, annotations: input.annotations ?? {} }, {
          source: 'mcp',
        });
        const alert = alerts[0]!;
        const client = server.server.getClientVersion()?.name ?? 'unknown';
        const result = await archive.record(
          alert,
          { team: resolveTeam(options.budget, alert.labels, undefined).team, requestedBy: `mcp:${client}` },
          () => options.investigator.investigate(alert),
        );
        const others =
          alerts.length > 1 ? `\n(${alerts.length - 1} more alerts in the body were not investigated)` : '';
        return {
          content: [{ type: 'text', text: `Investigation ${result.id}\n${options.render(result)}${others}` }],
          structuredContent: result as unknown as Record<string, unknown>,
        };
      }),
  );

  server.registerTool(
    'list_investigations',
    {
      title: 'List investigations',
      description:
        'Recorded investigations, newest first: those holmes serve received from Alertmanager, and those run by the agent, `holmes ask` or this MCP server. One line each: id, state, mode, alert or question, root cause, start, who asked.',
      inputSchema: z.strictObject({
        status: z.enum(STATES).optional().describe('Only investigations in this state'),
        alertname: z.string().min(1).max(256).optional().describe('Only investigations of this alert name'),
        team: z.string().min(1).max(256).optional().describe('Only investigations of this team'),
        limit: z.number().int().min(1).max(100).default(20).describe('How many'),
      }),
      annotations: { ...READS, idempotentHint: true, openWorldHint: false },
    },
    (input) =>
      asToolResult('list_investigations', logger, async () => {
        const investigations = await archive.list({
          state: input.status,
          alertname: input.alertname,
          team: input.team,
          limit: input.limit,
        });
        return {
          content: [
            {
              type: 'text',
              text: investigations.length > 0 ? investigations.map(line).join('\n') : 'No investigation matches.',
            },
          ],
          structuredContent: { investigations },
          _meta: { 'holmes/status': investigations.length > 0 ? 'success' : 'no_data' },
        };
      }),
  );

  server.registerTool(
    'get_investigation',
    {
      title: 'Get an investigation',
      description:
        'One recorded investigation by id (a unique prefix of an agent record is enough): its state and its result, with root cause, evidence, remediation and what could not be checked.',
      inputSchema: z.strictObject({
        id: z
          .string()
          .regex(/^[0-9a-f-]{4,64}$/i, 'an investigation id (hex digits and dashes)')
          .describe('The id list_investigations or investigate gave'),
      }),
      annotations: { ...READS, idempotentHint: true, openWorldHint: false },
    },
    (input) =>
      asToolResult('get_investigation', logger, async () => {
        const found = await archive.get(input.id);
        if (!found)
          throw new HolmesError('USAGE', `No investigation ${input.id}.`, {
            fix: 'Call list_investigations for the ids.',
          });
        const { investigation, result } = found;
        const text = result
          ? `Investigation ${investigation.id} (${investigation.state})\n${options.render(result)}`
          : `Investigation ${investigation.id} is ${investigation.state}; it has no result yet.`;
        return {
          content: [{ type: 'text', text }],
          structuredContent: { investigation, result } as unknown as Record<string, unknown>,
        };
      }),
  );
  return ['investigate', 'list_investigations', 'get_investigation'];
}
