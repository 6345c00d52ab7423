import type { JiraConfig } from '../../config/jira-schema.js';
import type { Logger } from '../../core/logger.js';
import type { InvestigationStore } from '../../ledger/investigation-types.js';
import type { JiraStore } from '../../ledger/jira-store.js';
import type { DeliveryOutcome, Outbox } from '../../ledger/outbox.js';
import type { InvestigationResult } from '../../core/investigation.js';
import { classifyJiraError, type JiraFailure } from './jira-error.js';
import type { JiraApi } from './jira-client.js';
import type { TicketLinks } from './ticket-body.js';

export const JIRA_CHANNEL = 'jira';

/** What one delivery attempt came to (the shape the server's outbox worker takes). */
export type JiraOutcome = DeliveryOutcome;

/** For /metrics and logs. */
export type JiraEvent =
  | { type: 'created' | 'commented' | 'transitioned' | 'attached'; key: string }
  | { type: 'failure'; reason: JiraFailure['reason'] | 'internal' };

/** A PNG (or other file) to attach to a new ticket. */
export interface TicketFile {
  filename: string;
  content: Buffer;
  mimeType: string;
}

export interface JiraDeliveryOptions {
  jira: JiraConfig;
  /** Not needed (and not built) in dry-run. */
  api: JiraApi | undefined;
  store: JiraStore;
  outbox: Outbox;
  investigations: Pick<InvestigationStore, 'get'>;
  logger: Logger;
  onEvent?: (event: JiraEvent) => void;
  /** Links of an investigation (the Slack thread, when the Slack integration posted it). */
  links?: (investigationId: string) => TicketLinks;
  /**
   * The investigation's graphs as files to attach to its ticket (the graphs module renders them),
   * and one line for each graph that could not be drawn.
   */
  graphs?: (result: InvestigationResult) => Promise<{ files: TicketFile[]; notRendered: string[] }>;
  /** Wakes the outbox worker after something was queued outside it. */
  wake?: () => void;
  /**
   * After a create call that may have gone out unanswered, how long Jira's search may take to
   * show the issue; no second create is tried before then.
   */
  indexLagMs?: number;
  now?: () => number;
}

/** A failed Jira call, classified, carried up to the delivery's outcome. */
export class JiraCallError extends Error {
  constructor(readonly failure: JiraFailure) {
    super(failure.message);
  }
}

/** Runs one Jira call; a failure comes out as a JiraCallError saying which operation failed and how to treat it. */
export async function call<T>(operation: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new JiraCallError(classifyJiraError(error, operation));
  }
}

export function requireApi(api: JiraApi | undefined): JiraApi {
  if (!api) throw new Error('the Jira client is not built in dry-run');
  return api;
}
