import type { Runbook } from '../runbooks/runbook-schema.js';
import type { Toolbox } from '../toolsets/create-toolbox.js';
import { finalAnswerDefinition } from './final-answer.js';
import type { RankToolsOptions } from './rank-tools.js';
import { parametersSchema, toolDefinition, type ToolDefinition } from './tool-definitions.js';

export interface ToolCatalogOptions {
  toolbox: Toolbox;
  runbooks: Runbook[];
  runbookDefinitions: ToolDefinition[];
  countTokens: (text: string) => number;
  /** Most tokens the offered definitions may take. */
  budget: number;
}

/**
 * Every tool the model could be offered, as definitions built once: the toolsets' tools, the
 * runbook tools, and final_answer with the loaded runbooks' ids as its causes. A turn's
 * definitions always come in this one order, so the prompt's prefix is the same on every call.
 */
export function createToolCatalog(options: ToolCatalogOptions) {
  const tools = options.toolbox.tools();
  const answerDefinition = finalAnswerDefinition(options.runbooks.map((runbook) => runbook.id));
  const all = [
    // Another MCP server's tool carries that server's own JSON Schema.
    ...tools.map((tool) =>
      toolDefinition(tool.spec.name, tool.spec.description, tool.inputSchema ?? parametersSchema(tool.spec.parameters)),
    ),
    ...options.runbookDefinitions,
  ];
  const runbookNames = new Set(options.runbookDefinitions.map((definition) => definition.function.name));
  const tokens = new Map(
    all.map((definition) => [definition.function.name, options.countTokens(JSON.stringify(definition))]),
  );
  const cache = new Map<string, ToolDefinition[]>();
  const ranking: RankToolsOptions & { descriptions: Map<string, string> } = {
    tools,
    runbooks: options.runbooks,
    definitionTokens: (name) => tokens.get(name) ?? 0,
    budget: options.budget,
    descriptions: new Map(options.toolbox.statuses.map((status) => [status.id, status.description])),
  };
  return {
    answerDefinition,
    ranking,
    /**
     * The named tools' definitions in the catalog's order, then final_answer; a tool whose source
     * went away mid-run (an MCP server that died) is no longer offered.
     */
    definitionsFor(names: string[]): ToolDefinition[] {
      const available = new Set(options.toolbox.tools().map((tool) => tool.spec.name));
      const offered = names.filter((name) => available.has(name) || runbookNames.has(name));
      const key = offered.sort().join(',');
      if (!cache.has(key)) {
        const wanted = new Set(offered);
        cache.set(key, [...all.filter((definition) => wanted.has(definition.function.name)), answerDefinition]);
      }
      return cache.get(key)!;
    },
  };
}
