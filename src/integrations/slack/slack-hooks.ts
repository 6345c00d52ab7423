import type { Alert } from '../../core/alert.js';
import type { InvestigationResult } from '../../core/investigation.js';
import type { Caps, TeamLimits } from '../../core/llm-outcome.js';

/**
 * What Slack needs from the rest of Holmes, as plain functions the server wires in: Slack never
 * reaches into the store, the agent or another integration itself.
 */

/** An investigation as the store keeps it. */
export interface StoredInvestigation {
  id: string;
  state: string;
  alerts: Alert[];
  alertCount: number;
  resolvedAt: string | null;
  result: InvestigationResult | null;
  error: string | null;
}

export interface SlackInvestigations {
  get(id: string): Promise<StoredInvestigation | undefined>;
  /** The newest alert with this alert name or fingerprint, and its investigation. */
  find(query: string): Promise<{ alert: Alert; investigationId: string } | undefined>;
  /** Queues a finished investigation again on someone's behalf; false when it is queued or running already. */
  rerun(id: string, requester: string): Promise<boolean>;
}

/** One step of the agent, as it happens. */
export interface ProgressEvent {
  kind: string;
  data: Record<string, unknown>;
}

export interface AskOptions {
  /** `slack:<user id>`: whose team pays. */
  requester: string;
  /** Earlier questions and answers of the thread (an investigation's record first). */
  history?: Array<{ question: string; answer: string }>;
  threadId?: string;
  onEvent?: (event: ProgressEvent) => void;
}

/** The agent's `ask`; absent when no model is configured. */
export type Ask = (question: string, options: AskOptions) => Promise<InvestigationResult>;

/** A requester's team and where it stands against its budget. */
export interface BudgetStatus {
  team: string;
  teamSource: string;
  limits: TeamLimits;
  spent: { dayUsd: number; monthUsd: number };
  /** Why the team is over budget, with the figures; empty when it is not. */
  over: string[];
  caps: Caps;
}

/** The team of `requester` (or of the alert's labels first, as admission decides) and its spend. */
export type BudgetLookup = (requester: string, labels?: Record<string, string>) => Promise<BudgetStatus>;

/** A result's evidence graphs (the graphs integration): those drawn, and a line for each that was not. */
export interface EvidenceGraphs {
  images: Array<{ title: string; png: Buffer }>;
  /** One line each, as under NOT CHECKED: which graph, and why it was not drawn. */
  notRendered: string[];
}

/** Draws a result's evidence graphs as PNG; Slack uploads the first into the thread. */
export type RenderGraphs = (result: InvestigationResult) => Promise<EvidenceGraphs>;
