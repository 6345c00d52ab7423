import { HolmesError } from '../../core/errors.js';
import type { CommandContext } from '../command-context.js';

export interface ServeOptions {
  host?: string;
  port?: string;
}

/** `--port`: a whole number 0–65535 (0 picks a free port), checked before anything starts. */
function parsePort(value: string): number {
  const port = /^\d{1,5}$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!(port >= 0 && port <= 65_535)) {
    throw new HolmesError('USAGE', `--port ${value} is not a port number.`, {
      fix: 'Give a whole number from 1 to 65535, e.g. --port 8080 (0 picks a free port).',
    });
  }
  return port;
}

/** `holmes serve`: Alertmanager webhook receiver and HTTP API, until SIGINT/SIGTERM. */
export async function serveCommand(context: CommandContext, options: ServeOptions): Promise<void> {
  const port = options.port === undefined ? undefined : parsePort(options.port);
  const [
    { startServer },
    { createReasoner },
    { reportReasoner },
    { createSourceProbe },
    { clientsFromConfig },
    { sourceProbeOptions },
    { renderResult },
  ] = await Promise.all([
    import('../../server/start-server.js'),
    import('../../agent/create-reasoner.js'),
    import('./investigate.js'),
    import('../../toolsets/check-prerequisites.js'),
    import('../../telemetry/clients-from-config.js'),
    import('../../toolsets/toolbox-from-config.js'),
    import('../render-investigation.js'),
  ]);
  // Tool output is capped in tokens: the tokenizer loads now, in the background, not at the first tool call.
  (await import('../../toolsets/count-tokens.js'))
    .preloadTokenizer()
    .catch((error: Error) =>
      context.logger.warn({ error: error.message }, 'the tokenizer did not load; the first tool call retries'),
    );
  const config = structuredClone(context.config);
  if (options.host) config.server.host = options.host;
  if (port !== undefined) config.server.port = port;
  // With a model configured, alerts and POST /api/v1/ask go through the agent (which starts from the same investigator).
  const reasoner = await createReasoner(config);
  reportReasoner(context, reasoner);
  const agent = reasoner.agent;
  const sourceProbe = createSourceProbe(clientsFromConfig(config), sourceProbeOptions(config));
  sourceProbe.snapshot(); // Starts the first check in the background.
  const serverOptions = {
    config,
    logger: context.logger,
    // One investigation per group: the group's first alert leads; the others are in the record.
    // A re-run asked for in Slack is charged to whoever asked; progress reaches Slack as it happens.
    run: async (...[alerts, job]: Parameters<Parameters<typeof startServer>[0]['run']>) =>
      reasoner.investigate(alerts[0]!, { requester: job.requestedBy ?? 'api', onEvent: job.onEvent }),
    ...(agent ? { ask: (question: string) => agent.ask(question, { requester: 'api' }), agent } : {}),
    // What /readyz reports: the sources as last checked, asked again when stale; never awaited.
    sources: sourceProbe.snapshot,
    runbooksSkipped: reasoner.investigator.runbooks.failures.length,
    doctor: async () => (await import('../../doctor/run-doctor.js')).runDoctor(config),
    // MCP at /mcp: the deterministic investigator's tools (never another MCP server's), behind the same auth.
    ...(config.mcp.http
      ? {
          mcp: (await import('../../mcp/mount-mcp-http.js')).mountMcpHttp({
            investigator: reasoner.investigator,
            config,
            render: renderResult,
          }),
        }
      : {}),
  };
  const server = await startServer(serverOptions).catch((error: unknown) => {
    reasoner.close();
    throw error;
  });
  context.err.write(`holmes serve listening on ${server.url} (webhook: POST ${server.url}/api/v1/alertmanager)\n`);
  if (context.json) context.out.write(`${JSON.stringify({ url: server.url })}\n`);
  const signal = await context.interrupted;
  context.err.write(`${signal}: finishing in-flight investigations (up to ${config.server.shutdownGraceMs} ms)…\n`);
  await server.close();
  reasoner.close();
}
