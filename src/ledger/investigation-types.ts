import type { Alert } from '../core/alert.js';
import type { InvestigationResult } from '../core/investigation.js';

export type InvestigationState = 'queued' | 'running' | 'completed' | 'degraded' | 'budget-exceeded' | 'failed';

export interface AcceptOptions {
  groupKey: string;
  /** The group's status in this notification; `resolved` closes the group's open investigation. */
  groupStatus: 'firing' | 'resolved';
  source: 'webhook' | 'api' | 'pull';
  maxQueue: number;
  maxAlertsPerGroup: number;
  now?: Date;
}

export interface AcceptOutcome {
  accepted: number;
  duplicates: number;
  /** The group's investigation (new or existing), when the notification has one. */
  investigationId: string | undefined;
  created: boolean;
  resolvedUpdated: number;
  /** The queue is full: nothing was written; the sender should retry later. */
  queueFull: boolean;
}

export interface InvestigationRow {
  id: string;
  groupKey: string | null;
  source: string;
  alertname: string | null;
  namespace: string | null;
  team: string | null;
  state: InvestigationState;
  mode: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  resolvedAt: string | null;
  attempts: number;
  alertCount: number;
  rootCause: string | null;
  error: string | null;
  /** Who asked for the latest run (`slack:U…`), when someone did; null for alerts that arrived alone. */
  requestedBy: string | null;
}

export interface InvestigationFilter {
  state?: string;
  alertname?: string;
  team?: string;
  since?: string;
  limit?: number;
}

/** Who holds a claimed investigation, and for how long without renewing: a replica that dies loses it. */
export interface Lease {
  owner: string;
  ms: number;
}

export interface ClaimedInvestigation {
  id: string;
  attempts: number;
  requestedBy: string | null;
  alerts: Alert[];
}

export type StoredInvestigation = InvestigationRow & { result: InvestigationResult | null; alerts: Alert[] };

/**
 * Alerts and the investigations they start: an alert is written before the webhook answers, an
 * investigation is a queue entry until a worker finishes it, and a group (Alertmanager's
 * groupKey) has one open investigation while it keeps firing. SQLite and PostgreSQL implement it.
 */
export interface InvestigationStore {
  /** Persists a notification's alerts and queues the group's investigation, all or nothing. */
  accept(alerts: Alert[], options: AcceptOptions): Promise<AcceptOutcome>;
  /**
   * Several notifications, each still all or nothing: one refused for a full queue or failing
   * leaves the others in. Nobody may be acknowledged before this resolves (it is what makes them durable).
   */
  acceptMany(items: ReadonlyArray<{ alerts: Alert[]; options: AcceptOptions }>): Promise<Array<AcceptOutcome | Error>>;
  /** Takes the oldest queued investigation (or one whose lease ran out), with its alerts, and leases it. */
  claimNext(lease: Lease, now?: Date): Promise<ClaimedInvestigation | undefined>;
  /** Extends the leases this owner holds on these investigations; returns how many it still holds. */
  renew(ids: readonly string[], lease: Lease, now?: Date): Promise<number>;
  /** Records the result, only while `owner` still holds the lease: a run that lost it changes nothing. */
  finish(id: string, result: InvestigationResult, owner: string, now?: Date): Promise<boolean>;
  fail(id: string, error: string, owner: string, now?: Date): Promise<void>;
  /** Queues a finished investigation again, on someone's request (attributed to them); false if not finished. */
  rerun(id: string, requestedBy: string): Promise<boolean>;
  /** The newest alert with this alert name or fingerprint that has an investigation. */
  findAlert(query: string): Promise<{ alert: Alert; investigationId: string } | undefined>;
  /** Puts an unfinished job back (graceful shutdown); the attempt is given back. */
  requeue(id: string, owner: string): Promise<void>;
  /**
   * At start: work a dead process left running is queued again (or failed after repeated crashes).
   * With one replica (SQLite) that is everything running; with several, only what has no live lease.
   */
  recover(now?: Date): Promise<number>;
  queueDepth(): Promise<number>;
  countsByState(): Promise<Record<string, number>>;
  get(id: string): Promise<StoredInvestigation | undefined>;
  list(filter?: InvestigationFilter): Promise<InvestigationRow[]>;
}

/** After this many starts without finishing, a job is failed instead of retried forever. */
export const MAX_ATTEMPTS = 3;
