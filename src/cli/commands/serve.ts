import type { CommandContext } from '../command-context.js';

export interface ServeOptions {
  host?: string;
  port?: string;
}

/** `holmes serve`: Alertmanager webhook receiver and HTTP API, until SIGINT/SIGTERM. */
export async function serveCommand(context: CommandContext, options: ServeOptions): Promise<void> {
  const [{ startServer }, { createInvestigator }] = await Promise.all([
    import('../../server/start-server.js'),
    import('../../investigator/create-investigator.js'),
  ]);
  const config = structuredClone(context.config);
  if (options.host) config.server.host = options.host;
  if (options.port !== undefined) config.server.port = Number(options.port);
  const investigator = await createInvestigator(config);
  // With a model configured, alerts and POST /api/v1/ask go through the agent (which starts from the same investigator).
  const agent =
    config.models.length > 0
      ? await (await import('../../agent/create-agent.js')).createAgent(config, { investigator })
      : undefined;
  for (const warning of agent?.warnings ?? []) context.logger.warn(warning);
  const serverOptions = {
    config,
    logger: context.logger,
    // One investigation per group: the group's first alert leads; the others are in the record.
    run: async (alerts: Parameters<Parameters<typeof startServer>[0]['run']>[0]) =>
      agent
        ? ((await agent.investigate(alerts[0]!, { requester: 'api' })) as unknown as Awaited<
            ReturnType<typeof investigator.investigate>
          >)
        : investigator.investigate(alerts[0]!),
    ...(agent ? { ask: (question: string) => agent.ask(question, { requester: 'api' }) } : {}),
  };
  const server = await startServer(serverOptions);
  context.err.write(`holmes serve listening on ${server.url} (webhook: POST ${server.url}/api/v1/alertmanager)\n`);
  if (context.json) context.out.write(`${JSON.stringify({ url: server.url })}\n`);
  const signal = await context.interrupted;
  context.err.write(`${signal}: finishing in-flight investigations (up to ${config.server.shutdownGraceMs} ms)…\n`);
  await server.close();
  agent?.close();
}
