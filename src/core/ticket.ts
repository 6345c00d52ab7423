/** A ticket in an issue tracker (Jira), as deliveries link to it. */
export interface TicketRef {
  key: string;
  url: string;
}

/**
 * What a tracker integration offers the other deliveries (Slack's "Create Jira ticket" button and
 * the ticket link). Declared here so that integrations never import each other: the server wires
 * an implementation in.
 */
export interface TicketCreator {
  /** Files (or returns the existing) ticket for an investigation, on behalf of `requestedBy` (`slack:U…`). */
  createTicket(investigationId: string, requestedBy: string): Promise<TicketRef>;
  /** The investigation's ticket, once there is one. */
  ticketFor(investigationId: string): Promise<TicketRef | undefined>;
}
