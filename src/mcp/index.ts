export { createHolmesMcpServer, INSTRUCTIONS, type HolmesMcpServer } from './create-holmes-mcp-server.js';
export { createMcpHttpHandler, type McpHttpHandler, type McpHttpHandlerOptions } from './create-mcp-http-handler.js';
export { holmesMcpFactory, type HolmesMcpFactoryOptions } from './holmes-mcp-factory.js';
export type { HolmesMcpOptions } from './holmes-mcp-options.js';
export {
  createInvestigationArchive,
  type ArchivedInvestigation,
  type InvestigationArchive,
} from './investigation-archive.js';
export { createClientLabel, createMcpMetrics, type McpCallEvent, type McpMetrics } from './mcp-metrics.js';
export { mountMcpHttp, type MountMcpHttpOptions } from './mount-mcp-http.js';
