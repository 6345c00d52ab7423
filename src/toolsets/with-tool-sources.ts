import type { ToolResult } from '../core/tool-result.js';
import type { ToolDescriptor, Toolbox, ToolsetStatus } from './create-toolbox.js';

/**
 * Tools from outside the toolsets (another MCP server's), shaped like a toolset: statuses that
 * change as the source lives and dies, the tools it offers now, and a runner that never throws.
 */
export interface ToolSource {
  /** Live: a source that dies turns its status to failed in place. */
  statuses: ToolsetStatus[];
  /** The tools offered now (none while the source is down). */
  tools(): ToolDescriptor[];
  /** True for every name under the source's prefix, offered or not, so a refusal names the reason. */
  owns(name: string): boolean;
  run(name: string, params: Record<string, unknown>): Promise<ToolResult>;
  close(): Promise<void>;
}

/** A toolbox with the sources' tools beside its own; closing it closes the sources, not the toolbox it extends. */
export function withToolSources(base: Toolbox, sources: ToolSource[]): Toolbox {
  if (sources.length === 0) return base;
  return {
    statuses: [...base.statuses, ...sources.flatMap((source) => source.statuses)],
    failures: base.failures,
    tools: (filter) => [...base.tools(filter), ...sources.flatMap((source) => source.tools())],
    ...(base.refresh ? { refresh: base.refresh } : {}),
    run: (name, params = {}) => {
      const source = sources.find((candidate) => candidate.owns(name));
      return source ? source.run(name, params) : base.run(name, params);
    },
    close: async () => {
      await Promise.all(sources.map((source) => source.close()));
    },
  };
}
