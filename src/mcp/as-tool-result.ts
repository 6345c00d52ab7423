import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { HolmesError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

/**
 * Runs a tool handler; a thrown error becomes a tool error that says what was wrong and the fix
 * (a client's model reads it and can correct the call). Bugs are logged with their message.
 */
export async function asToolResult(
  name: string,
  logger: Logger,
  handler: () => Promise<CallToolResult>,
): Promise<CallToolResult> {
  try {
    return await handler();
  } catch (error) {
    if (!HolmesError.isInstance(error) || !error.isUserError)
      logger.error({ tool: name, error: (error as Error).message }, 'mcp tool failed');
    const text = HolmesError.isInstance(error)
      ? [error.message, ...error.issues.map((issue) => `${issue.path}: ${issue.message}`), error.fix ?? '']
          .filter(Boolean)
          .join('\n')
      : `Holmes failed on ${name}: ${(error as Error).message}`;
    return { content: [{ type: 'text', text }], isError: true };
  }
}
