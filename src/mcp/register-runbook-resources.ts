import { readFile } from 'node:fs/promises';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Runbook } from '../runbooks/runbook-schema.js';

/** Each runbook as a Markdown resource, `holmes://runbooks/<id>`: the file as written, checks and all. */
export function registerRunbookResources(server: McpServer, runbooks: Runbook[]): void {
  for (const runbook of runbooks) {
    server.registerResource(
      runbook.id,
      `holmes://runbooks/${runbook.id}`,
      {
        title: runbook.title,
        description: `Runbook (${runbook.class}): how the cause "${runbook.title}" is recognised, checked and fixed`,
        mimeType: 'text/markdown',
      },
      async (uri) => ({
        contents: [{ uri: uri.href, mimeType: 'text/markdown', text: await readFile(runbook.file, 'utf8') }],
      }),
    );
  }
}
