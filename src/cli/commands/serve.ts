import type { CommandContext } from '../command-context.js';

export interface ServeOptions {
  host?: string;
  port?: string;
}

/** `holmes serve`: Alertmanager webhook receiver and HTTP API, until SIGINT/SIGTERM. */
export async function serveCommand(context: CommandContext, options: ServeOptions): Promise<void> {
  const [{ startServer }, { createReasoner }, { reportReasoner }] = await Promise.all([
    import('../../server/start-server.js'),
    import('../../agent/create-reasoner.js'),
    import('./investigate.js'),
  ]);
  const config = structuredClone(context.config);
  if (options.host) config.server.host = options.host;
  if (options.port !== undefined) config.server.port = Number(options.port);
  // With a model configured, alerts and POST /api/v1/ask go through the agent (which starts from the same investigator).
  const reasoner = await createReasoner(config);
  reportReasoner(context, reasoner);
  const agent = reasoner.agent;
  const serverOptions = {
    config,
    logger: context.logger,
    // One investigation per group: the group's first alert leads; the others are in the record.
    run: async (alerts: Parameters<Parameters<typeof startServer>[0]['run']>[0]) =>
      reasoner.investigate(alerts[0]!, { requester: 'api' }),
    ...(agent ? { ask: (question: string) => agent.ask(question, { requester: 'api' }) } : {}),
  };
  const server = await startServer(serverOptions);
  context.err.write(`holmes serve listening on ${server.url} (webhook: POST ${server.url}/api/v1/alertmanager)\n`);
  if (context.json) context.out.write(`${JSON.stringify({ url: server.url })}\n`);
  const signal = await context.interrupted;
  context.err.write(`${signal}: finishing in-flight investigations (up to ${config.server.shutdownGraceMs} ms)…\n`);
  await server.close();
  reasoner.close();
}
