import { terminalText } from '../core/terminal-text.js';
import type { DoctorReport } from './run-doctor.js';

const mark = (ok: boolean | null) => (ok === true ? 'ok  ' : ok === false ? 'FAIL' : '?   ');

/** The doctor's report for a terminal: one finding per line, each value made safe to print. */
export function renderDoctor(report: DoctorReport): string {
  const lines: string[] = [];
  lines.push(
    `${mark(report.prometheus.ok)} Prometheus ${report.prometheus.url ?? '—'}${report.prometheus.error ? ` — ${report.prometheus.error}` : ''}`,
  );
  lines.push(
    `${mark(report.kubernetes.ok)} Kubernetes ${report.kubernetes.server ?? '—'}${report.kubernetes.error ? ` — ${report.kubernetes.error}` : ''}`,
  );
  lines.push('', 'SOURCES');
  for (const line of report.sources) lines.push(`  ${line}`);
  for (const toolset of report.toolsets)
    lines.push(`  ${toolset.status.padEnd(8)} ${toolset.id}${toolset.reason ? ` — ${toolset.reason}` : ''}`);
  if (report.missing.length > 0) {
    lines.push('', 'NOT COLLECTED HERE');
    for (const entry of report.missing)
      lines.push(`  ${entry.signal} (${entry.metrics.slice(0, 3).join(', ')}) — fix: ${entry.fix}`);
  }
  lines.push('', `CHECKS THAT WILL BE INCONCLUSIVE (${report.inconclusive.length})`);
  for (const entry of report.inconclusive)
    lines.push(`  ${entry.runbook}/${entry.check}: ${entry.reason} — fix: ${entry.fix}`);
  if (report.needs.length > 0) {
    // One line per kind of data, with the runbooks that read it.
    const byWhat = new Map<string, { entry: DoctorReport['needs'][number]; runbooks: string[] }>();
    for (const entry of report.needs) {
      const group = byWhat.get(entry.what) ?? { entry, runbooks: [] };
      group.runbooks.push(entry.runbook);
      byWhat.set(entry.what, group);
    }
    lines.push('', 'DATA RUNBOOKS NEED');
    for (const { entry, runbooks } of byWhat.values())
      lines.push(
        `  ${mark(entry.ok)} ${entry.what}: ${entry.detail} (${runbooks.join(', ')})${entry.ok === true ? '' : ` — fix: ${entry.fix}`}`,
      );
  }
  if (report.rbac.length > 0) {
    const denied = report.rbac.filter((entry) => entry.allowed === false);
    lines.push(
      '',
      `RBAC ${denied.length === 0 ? 'ok: Holmes can list every kind it reads' : `${denied.length} kind(s) refused`}`,
    );
    for (const entry of denied)
      lines.push(
        entry.group
          ? `  cannot list ${entry.kind} (${entry.group}) — add ${entry.group} to the chart's rbac.extraReadGroups (get and list)`
          : `  cannot list ${entry.kind} — grant get/list/watch on it (the chart's ClusterRole does)`,
      );
    const unknown = report.rbac.filter((entry) => entry.allowed === null);
    if (unknown.length > 0)
      lines.push(`  not served by this cluster: ${unknown.map((entry) => entry.kind).join(', ')}`);
  }
  if (report.runbooksSkipped.length > 0) {
    lines.push('', 'RUNBOOKS SKIPPED');
    for (const entry of report.runbooksSkipped) lines.push(`  ${entry}`);
  }
  return `${lines.map((line) => terminalText(line)).join('\n')}\n`;
}
