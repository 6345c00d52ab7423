import type { CommandContext } from '../command-context.js';
import { withSources, type SourceOptions } from '../with-sources.js';

/** Resolves when stdin ends or closes: the client that started us has gone. */
function inputEnded(stdin: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve) => {
    stdin.once('end', () => resolve('stdin ended'));
    stdin.once('close', () => resolve('stdin closed'));
  });
}

/**
 * `holmes mcp`: Holmes as an MCP server on stdio, for Claude Desktop, Cursor and agent
 * frameworks. Stdout carries the protocol only; logs go to stderr. Runs until the client goes.
 */
export async function mcpCommand(context: CommandContext, options: SourceOptions): Promise<void> {
  const [{ createInvestigator }, { openStore }, { holmesMcpFactory }, { StdioServerTransport }, { renderResult }] =
    await Promise.all([
      import('../../investigator/create-investigator.js'),
      import('../../ledger/open-store.js'),
      import('../../mcp/holmes-mcp-factory.js'),
      import('@modelcontextprotocol/sdk/server/stdio.js'),
      import('../render-investigation.js'),
    ]);
  await withSources(context, options, async (config) => {
    // The deterministic investigator's toolbox: other MCP servers' tools are never attached, so never served.
    const investigator = await createInvestigator(config);
    for (const failure of investigator.runbooks.failures)
      context.logger.warn({ file: failure.file, issues: failure.issues }, 'runbook skipped: invalid');
    const store = await openStore(config.storage);
    const server = holmesMcpFactory({ investigator, store, config, logger: context.logger, render: renderResult })();
    const transport = new StdioServerTransport();
    const ended = inputEnded(process.stdin);
    try {
      await server.connect(transport);
      const enabled = investigator.toolbox.statuses.filter((status) => status.status === 'enabled');
      context.logger.info(
        { toolsets: enabled.map((status) => status.id), runbooks: investigator.runbooks.runbooks.length },
        'holmes mcp is ready on stdio',
      );
      const reason = await Promise.race([ended, context.interrupted]);
      context.logger.info({ reason }, 'holmes mcp stops');
    } finally {
      await server.close();
      await store.close();
    }
  });
}
