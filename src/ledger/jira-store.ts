import type { Db } from './open-database.js';

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

interface Row {
  dedupLabel: string;
  issueKey: string | null;
  issueUrl: string | null;
  investigationId: string | null;
  intentInvestigationId: string | null;
  intentAt: string | null;
}

const CHANNEL = 'jira';

export function createJiraStore(db: Db, options: { now?: () => Date } = {}) {
  const now = () => (options.now ?? (() => new Date()))().toISOString();
  const statements = {
    get: db.prepare(
      `SELECT dedup_label AS dedupLabel, issue_key AS issueKey, issue_url AS issueUrl, investigation_id AS investigationId,
         intent_investigation_id AS intentInvestigationId, intent_at AS intentAt
       FROM jira_tickets WHERE dedup_label = ?`,
    ),
    intent: db.prepare(
      `INSERT INTO jira_tickets (dedup_label, intent_investigation_id, intent_at, updated_at)
       VALUES (@label, @investigationId, @at, @at)
       ON CONFLICT (dedup_label) DO UPDATE SET intent_investigation_id = @investigationId, intent_at = @at, updated_at = @at`,
    ),
    clearIntent: db.prepare(
      `UPDATE jira_tickets SET intent_investigation_id = NULL, intent_at = NULL, updated_at = @at WHERE dedup_label = @label`,
    ),
    ticket: db.prepare(
      `INSERT INTO jira_tickets (dedup_label, issue_key, issue_url, investigation_id, updated_at)
       VALUES (@label, @key, @url, @investigationId, @at)
       ON CONFLICT (dedup_label) DO UPDATE SET issue_key = @key, issue_url = @url, investigation_id = @investigationId,
         intent_investigation_id = NULL, intent_at = NULL, updated_at = @at`,
    ),
    forget: db.prepare(
      `UPDATE jira_tickets SET issue_key = NULL, issue_url = NULL, updated_at = @at WHERE dedup_label = @label AND issue_key = @key`,
    ),
    meta: db.prepare(`SELECT value FROM jira_meta WHERE key = ?`),
    setMetaOnce: db.prepare(`INSERT OR IGNORE INTO jira_meta (key, value) VALUES (?, ?)`),
    // Finished investigations since `since` whose ticket was never queued (a crash between finish and enqueue).
    unqueued: db.prepare(
      `SELECT i.id FROM investigations i
       WHERE i.finished_at >= @since AND i.state IN ('completed', 'degraded', 'budget-exceeded')
         AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.channel = '${CHANNEL}' AND o.key = 'investigation:' || i.id)
       ORDER BY i.finished_at`,
    ),
    // Resolved investigations since `since` whose ticket was queued but whose resolution was not.
    unresolved: db.prepare(
      `SELECT i.id FROM investigations i
       WHERE i.resolved_at >= @since
         AND EXISTS (SELECT 1 FROM outbox o WHERE o.channel = '${CHANNEL}' AND o.key = 'investigation:' || i.id)
         AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.channel = '${CHANNEL}' AND o.key = 'resolve:' || i.id)
       ORDER BY i.resolved_at`,
    ),
  };

  return {
    get(dedupLabel: string): JiraTicketRecord | undefined {
      const row = statements.get.get(dedupLabel) as Row | undefined;
      if (!row) return undefined;
      const { intentInvestigationId, intentAt, ...rest } = row;
      return {
        ...rest,
        intent: intentInvestigationId && intentAt ? { investigationId: intentInvestigationId, at: intentAt } : null,
      };
    },
    /** Written (and committed) before the create call goes out. */
    recordIntent(dedupLabel: string, investigationId: string): void {
      statements.intent.run({ label: dedupLabel, investigationId, at: now() });
    },
    /** The create call certainly made nothing (Jira refused it): no need to look for it later. */
    clearIntent(dedupLabel: string): void {
      statements.clearIntent.run({ label: dedupLabel, at: now() });
    },
    recordTicket(dedupLabel: string, ticket: { key: string; url: string }, investigationId: string): void {
      statements.ticket.run({ label: dedupLabel, key: ticket.key, url: ticket.url, investigationId, at: now() });
    },
    /** The ticket is gone from Jira, or no longer carries the label: the next investigation looks again. */
    forgetTicket(dedupLabel: string, key: string): void {
      statements.forget.run({ label: dedupLabel, key, at: now() });
    },
    /** When this store first delivered to Jira: the start-up sweep never reaches back before it. */
    enabledSince(): string {
      statements.setMetaOnce.run('enabled_at', now());
      return (statements.meta.get('enabled_at') as { value: string }).value;
    },
    /** Investigations finished since `since` that never reached the Jira outbox. */
    finishedWithoutTicketItem(since: string): string[] {
      return (statements.unqueued.all({ since }) as Array<{ id: string }>).map((row) => row.id);
    },
    /** Investigations resolved since `since` with a ticket item but no resolution item. */
    resolvedWithoutResolveItem(since: string): string[] {
      return (statements.unresolved.all({ since }) as Array<{ id: string }>).map((row) => row.id);
    },
  };
}

export type JiraStore = ReturnType<typeof createJiraStore>;
