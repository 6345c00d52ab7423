import { formatIssue, HolmesError } from '../../core/errors.js';
import { terminalText } from '../../core/terminal-text.js';
import type { HolmesConfig } from '../../config/config-schema.js';
import type { Toolbox } from '../../toolsets/create-toolbox.js';
import type { CommandContext } from '../command-context.js';
import { withSources, type SourceOptions } from '../with-sources.js';
import { writeJson } from '../command-context.js';

/**
 * Runs `work` on the toolsets, checked, and on the configured MCP servers, started to show what
 * they offer (allowed or not); the servers are stopped afterwards.
 */
async function usingToolbox<T>(config: HolmesConfig, work: (toolbox: Toolbox) => Promise<T> | T): Promise<T> {
  const base = await (await import('../../toolsets/toolbox-from-config.js')).toolboxFromConfig(config);
  const toolbox =
    Object.keys(config.mcpServers).length === 0
      ? base
      : await (
          await import('../../toolsets/mcp/attach-mcp-servers.js')
        ).attachMcpServers(base, config, {
          discover: true,
        });
  try {
    // The statuses are the toolsets' own objects, checked in place.
    await base.refresh();
    return await work(toolbox);
  } finally {
    await toolbox.close?.();
  }
}

/** `holmes toolsets list`: every toolset, enabled / disabled / failed with the reason. */
export async function toolsetsList(context: CommandContext, options: SourceOptions = {}): Promise<void> {
  const { statuses, failures } = await withSources(context, options, (config) =>
    usingToolbox(config, (opened) => ({ statuses: opened.statuses, failures: opened.failures })),
  );
  if (context.json) return writeJson(context, { toolsets: statuses, failures });
  for (const status of statuses) {
    context.out.write(
      `${terminalText(`${status.status.padEnd(8)} ${status.id.padEnd(20)} ${status.tools.join(', ')}`)}\n`,
    );
    if (status.reason) context.out.write(`         ${terminalText(status.reason)}\n`);
  }
  for (const failure of failures) {
    context.out.write(`invalid  ${failure.file}\n`);
    for (const issue of failure.issues) context.out.write(`         ${formatIssue(issue)}\n`);
  }
}

/** Parses `--param k=v` flags; values stay strings and are typed by the tool's schema. */
function parseParams(pairs: string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const pair of pairs) {
    const index = pair.indexOf('=');
    if (index <= 0)
      throw new HolmesError('USAGE', `--param '${pair}' is not key=value.`, {
        fix: 'Write it as --param namespace=llm.',
      });
    params[pair.slice(0, index)] = pair.slice(index + 1);
  }
  return params;
}

/** `holmes toolsets run TOOLSET/TOOL --param k=v`: one tool call, for people debugging a query. */
export async function toolsetsRun(
  context: CommandContext,
  name: string,
  options: SourceOptions & { param?: string[] },
): Promise<void> {
  const params = parseParams(options.param ?? []);
  const result = await withSources(context, options, (config) =>
    usingToolbox(config, (toolbox) => toolbox.run(name, params)),
  );
  if (context.json) writeJson(context, result);
  else {
    // What the tool read (pod logs, label values) is shown, never obeyed by the terminal.
    context.out.write(`${terminalText(result.text, { multiline: true })}\n`);
    context.err.write(`\n[${result.status}] ${result.toolset}/${result.tool} in ${Math.round(result.durationMs)} ms\n`);
    for (const request of result.requests) context.err.write(`  ${request}\n`);
    if (result.omitted) context.err.write(`  left out: ${result.omitted.what} — ${result.omitted.hint}\n`);
  }
  if (result.status === 'error') {
    throw new HolmesError('TOOL_PARAMS_INVALID', `The tool call failed: ${result.error ?? result.text}`, {
      details: { reported: true },
    });
  }
}
