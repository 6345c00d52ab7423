import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** One MCP request Holmes answered: a tool call or a resource read. */
export interface McpCallEvent {
  /** The tool name, or `resources/read`. */
  tool: string;
  /** The client's own name (`clientInfo.name` of its initialize request); untrusted. */
  client: string;
  status: 'success' | 'no_data' | 'error';
  durationMs: number;
}

// Client names come from the other side: a bounded, plain set of label values.
const MAX_CLIENTS = 20;

/** A client name as a label value: plain characters, short, and at most MAX_CLIENTS distinct ones (then `other`). */
export function createClientLabel(): (name: string | undefined) => string {
  const seen = new Set<string>();
  return (name) => {
    const plain =
      (name ?? '')
        .toLowerCase()
        .replace(/[^a-z0-9._-]+/g, '_')
        .slice(0, 40) || 'unknown';
    if (seen.has(plain)) return plain;
    if (seen.size >= MAX_CLIENTS) return 'other';
    seen.add(plain);
    return plain;
  };
}

/** MCP calls on /metrics, by tool and client, on the server's registry. */
export function createMcpMetrics(registry: Registry) {
  const clientLabel = createClientLabel();
  const calls = new Counter({
    name: 'holmes_mcp_calls_total',
    help: 'MCP tool calls and resource reads answered, by tool, client and status',
    labelNames: ['tool', 'client', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'holmes_mcp_call_duration_seconds',
    help: 'Time to answer an MCP tool call or resource read, by tool',
    labelNames: ['tool'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [registry],
  });
  const sessions = new Gauge({
    name: 'holmes_mcp_sessions',
    help: 'MCP sessions open on /mcp',
    registers: [registry],
  });
  return {
    sessions,
    record(event: McpCallEvent): void {
      calls.inc({ tool: event.tool, client: clientLabel(event.client), status: event.status });
      duration.observe({ tool: event.tool }, event.durationMs / 1000);
    },
  };
}

export type McpMetrics = ReturnType<typeof createMcpMetrics>;
