import type { SqlRunner } from './sql-runner.js';

/**
 * What Holmes knows of its Jira tickets: the ticket of each dedup label (an alert group or a
 * fingerprint), and the intent to create one, written before the create call so a retry after a
 * crash or a lost answer looks for the ticket it may already have made instead of making another.
 */
export const JIRA_TABLES = `
  CREATE TABLE jira_tickets (
    dedup_label TEXT PRIMARY KEY,
    issue_key TEXT,
    issue_url TEXT,
    investigation_id TEXT,
    intent_investigation_id TEXT,
    intent_at TEXT,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE jira_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`;

export interface JiraTicketRecord {
  dedupLabel: string;
  issueKey: string | null;
  issueUrl: string | null;
  investigationId: string | null;
  /** Set while a create call may have gone out without its answer being recorded. */
  intent: { investigationId: string; at: string } | null;
}

/** What Holmes knows of its Jira tickets, as both stores keep it. */
export interface JiraStore {
  get(dedupLabel: string): Promise<JiraTicketRecord | undefined>;
  /** Written (and committed) before the create call goes out. */
  recordIntent(dedupLabel: string, investigationId: string): Promise<void>;
  /** The create call certainly made nothing (Jira refused it): no need to look for it later. */
  clearIntent(dedupLabel: string): Promise<void>;
  recordTicket(dedupLabel: string, ticket: { key: string; url: string }, investigationId: string): Promise<void>;
  /** The ticket is gone from Jira, or no longer carries the label: the next investigation looks again. */
  forgetTicket(dedupLabel: string, key: string): Promise<void>;
  /**
   * Runs `deliver` while no other sender (another replica, one whose lease ran out) delivers a
   * ticket of the same label: the second finds the ticket the first recorded, and never creates one.
   */
  whileDelivering<T>(dedupLabel: string, deliver: () => Promise<T>): Promise<T>;
  /** When this store first delivered to Jira: the start-up sweep never reaches back before it. */
  enabledSince(): Promise<string>;
  /** Investigations finished since `since` that never reached the Jira outbox. */
  finishedWithoutTicketItem(since: string): Promise<string[]>;
  /** Investigations resolved since `since` with a ticket item but no resolution item. */
  resolvedWithoutResolveItem(since: string): Promise<string[]>;
}

interface Row {
  dedupLabel: string;
  issueKey: string | null;
  issueUrl: string | null;
  investigationId: string | null;
  intentInvestigationId: string | null;
  intentAt: string | null;
}

const CHANNEL = 'jira';

/** Jira's records on either store: the SQL is the same, the runner speaks the database. */
export function createJiraStore(sql: SqlRunner, options: { now?: () => Date } = {}): JiraStore {
  const now = () => (options.now ?? (() => new Date()))().toISOString();
  const ids = async (query: string, since: string) =>
    (await sql.all<{ id: string }>(query, [since])).map((row) => row.id);
  return {
    async get(dedupLabel) {
      const row = await sql.get<Row>(
        `SELECT dedup_label AS "dedupLabel", issue_key AS "issueKey", issue_url AS "issueUrl",
           investigation_id AS "investigationId", intent_investigation_id AS "intentInvestigationId", intent_at AS "intentAt"
         FROM jira_tickets WHERE dedup_label = ?`,
        [dedupLabel],
      );
      if (!row) return undefined;
      const { intentInvestigationId, intentAt, ...rest } = row;
      return {
        ...rest,
        intent: intentInvestigationId && intentAt ? { investigationId: intentInvestigationId, at: intentAt } : null,
      };
    },
    async recordIntent(dedupLabel, investigationId) {
      const at = now();
      await sql.run(
        `INSERT INTO jira_tickets (dedup_label, intent_investigation_id, intent_at, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (dedup_label) DO UPDATE SET intent_investigation_id = excluded.intent_investigation_id,
           intent_at = excluded.intent_at, updated_at = excluded.updated_at`,
        [dedupLabel, investigationId, at, at],
      );
    },
    async clearIntent(dedupLabel) {
      await sql.run(
        `UPDATE jira_tickets SET intent_investigation_id = NULL, intent_at = NULL, updated_at = ? WHERE dedup_label = ?`,
        [now(), dedupLabel],
      );
    },
    async recordTicket(dedupLabel, ticket, investigationId) {
      await sql.run(
        `INSERT INTO jira_tickets (dedup_label, issue_key, issue_url, investigation_id, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (dedup_label) DO UPDATE SET issue_key = excluded.issue_key, issue_url = excluded.issue_url,
           investigation_id = excluded.investigation_id, intent_investigation_id = NULL, intent_at = NULL,
           updated_at = excluded.updated_at`,
        [dedupLabel, ticket.key, ticket.url, investigationId, now()],
      );
    },
    async forgetTicket(dedupLabel, key) {
      await sql.run(
        `UPDATE jira_tickets SET issue_key = NULL, issue_url = NULL, updated_at = ? WHERE dedup_label = ? AND issue_key = ?`,
        [now(), dedupLabel, key],
      );
    },
    whileDelivering: (dedupLabel, deliver) => sql.exclusive(`jira-ticket:${dedupLabel}`, deliver),
    async enabledSince() {
      await sql.run(`INSERT INTO jira_meta (key, value) VALUES ('enabled_at', ?) ON CONFLICT DO NOTHING`, [now()]);
      return (await sql.get<{ value: string }>(`SELECT value FROM jira_meta WHERE key = 'enabled_at'`))!.value;
    },
    // A crash between finish and enqueue leaves a finished investigation whose ticket was never queued.
    finishedWithoutTicketItem: (since) =>
      ids(
        `SELECT i.id FROM investigations i
         WHERE i.finished_at >= ? AND i.state IN ('completed', 'degraded', 'budget-exceeded')
           AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.channel = '${CHANNEL}' AND o.key = 'investigation:' || i.id)
         ORDER BY i.finished_at`,
        since,
      ),
    resolvedWithoutResolveItem: (since) =>
      ids(
        `SELECT i.id FROM investigations i
         WHERE i.resolved_at >= ?
           AND EXISTS (SELECT 1 FROM outbox o WHERE o.channel = '${CHANNEL}' AND o.key = 'investigation:' || i.id)
           AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.channel = '${CHANNEL}' AND o.key = 'resolve:' || i.id)
         ORDER BY i.resolved_at`,
        since,
      ),
  };
}
