import type { HolmesConfig } from '../config/config-schema.js';
import type { InvestigationResult } from '../core/investigation.js';
import type { Logger } from '../core/logger.js';
import type { Investigator } from '../investigator/create-investigator.js';
import type { Toolbox } from '../toolsets/create-toolbox.js';
import type { InvestigationArchive } from './investigation-archive.js';
import type { McpCallEvent } from './mcp-metrics.js';

/** What every MCP session shares: built once per process, a server per session on top. */
export interface HolmesMcpOptions {
  /** The toolsets; tools of other MCP servers in it are never served (Holmes cannot vouch that they only read). */
  toolbox: Toolbox;
  investigator: Pick<Investigator, 'investigate' | 'runbooks'>;
  archive: InvestigationArchive;
  budget: HolmesConfig['budget'];
  /** A result as a person (or a model) reads it. */
  render: (result: InvestigationResult) => string;
  logger: Logger;
  /** Told of every tool call and resource read (metrics). */
  onCall?: ((event: McpCallEvent) => void) | undefined;
  /** How often a session re-checks the toolsets' prerequisites to update its tool list (30 s). */
  recheckMs?: number;
}
