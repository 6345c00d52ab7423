import type { HolmesConfig } from '../config/config-schema.js';
import { HolmesError } from '../core/errors.js';
import { BUILTIN_RUNBOOKS_DIR, loadRunbooks } from '../runbooks/load-runbooks.js';
import { clientsFromConfig } from '../telemetry/clients-from-config.js';
import { CUSTOM_KINDS_READ, KUBE_KINDS } from '../telemetry/kube-kinds.js';
import type { KubeClient } from '../telemetry/kube-types.js';
import { queryMetrics } from '../toolsets/signals/query-metrics.js';
import { telemetryProfile, type TelemetryProfile } from '../toolsets/signals/telemetry-profile.js';
import type { SignalSpec, ToolSpec } from '../toolsets/toolset-schema.js';
import type { KubeObject } from '../core/kube-object.js';
import type { Runbook } from '../runbooks/runbook-schema.js';
import { eventTimeMs } from '../toolsets/diagnostics/kube-reads.js';
import { toolboxFromConfig } from '../toolsets/toolbox-from-config.js';
import { describeProfile } from '../toolsets/signals/describe-profile.js';

export interface DoctorReport {
  prometheus: { url: string | null; ok: boolean; error?: string };
  kubernetes: { server: string | null; ok: boolean; error?: string };
  /** Toolsets (one per exporter family): enabled, or why not. */
  toolsets: Array<{ id: string; status: string; reason?: string }>;
  /** The dialects found, one line each. */
  sources: string[];
  /** Signals whose metrics this Prometheus does not have, with how to collect them. */
  missing: Array<{ signal: string; metrics: string[]; fix: string }>;
  /** Runbook checks that will be inconclusive here, and the fix for each. */
  inconclusive: Array<{ runbook: string; check: string; reason: string; fix: string }>;
  /** Data some runbooks read that clusters may not keep (events, kubelet volume stats), per runbook. */
  needs: Array<{ runbook: string; what: string; ok: boolean | null; detail: string; fix: string }>;
  /** What Holmes's identity may list (a list probe of one item per kind). */
  /** Each kind Holmes reads: listable or not; `group` for a custom kind this cluster serves. */
  rbac: Array<{ kind: string; allowed: boolean | null; detail?: string; group?: string }>;
  runbooksSkipped: string[];
}

/** Metric names of a signal's query: its placeholders are filled with harmless values first, so it parses. */
function metricsOf(query: string): string[] {
  return queryMetrics(query.replace(/\{\{\{scope\}\}\}/g, 'job!=""').replace(/\{\{[^}]+\}\}/g, 'x'));
}

/** A signal is collected when every metric of one of its dialects exists here. */
function collected(signal: SignalSpec, profile: TelemetryProfile): boolean {
  return signal.queries.some((query) => metricsOf(query).every((metric) => profile.metrics.has(metric)));
}

async function probeList(kube: KubeClient, kind: string): Promise<DoctorReport['rbac'][number]> {
  try {
    await kube.list(kind, { limit: 1 });
    return { kind, allowed: true };
  } catch (error) {
    const message = (error as Error).message;
    // 403 is RBAC; anything else (not served, timeout) says nothing about permissions.
    if (/HTTP 40[13]/.test(message)) return { kind, allowed: false, detail: message };
    return { kind, allowed: null, detail: message };
  }
}

/** Whether this cluster serves a custom kind at all: one it does not serve has nothing to read. */
async function served(kube: KubeClient, kind: string): Promise<boolean> {
  try {
    await kube.resolveKind(kind);
    return true;
  } catch {
    return false;
  }
}

async function probeRbac(kube: KubeClient): Promise<DoctorReport['rbac']> {
  const builtin = await Promise.all(KUBE_KINDS.map((kind) => probeList(kube, kind.kind)));
  const custom = await Promise.all(
    CUSTOM_KINDS_READ.map(async ({ kind, group }) =>
      (await served(kube, kind)) ? [{ ...(await probeList(kube, kind)), group }] : [],
    ),
  );
  return [...builtin, ...custom.flat()];
}

type Reads = NonNullable<ToolSpec['reads']>[number];

/** Whether this cluster keeps what a tool reads: its metrics, or events (and how far back they go). */
async function probeReads(
  entry: Reads,
  profile: TelemetryProfile | undefined,
  kube: KubeClient | undefined,
): Promise<{ ok: boolean | null; detail: string }> {
  if (entry.metrics) {
    if (!profile) return { ok: null, detail: 'Prometheus did not answer' };
    const absent = entry.metrics.filter((metric) => !profile.metrics.has(metric));
    return absent.length === 0
      ? { ok: true, detail: 'collected' }
      : { ok: false, detail: `not collected (${absent.join(', ')})` };
  }
  if (!kube) return { ok: null, detail: 'Kubernetes is not configured' };
  try {
    const events = await kube.events({});
    const times = (events.items as KubeObject[]).map(eventTimeMs).filter((time) => time > 0);
    if (times.length === 0) return { ok: false, detail: 'no events visible (none kept, or RBAC refuses Events)' };
    const minutes = Math.round((Date.now() - Math.min(...times)) / 60_000);
    return { ok: true, detail: `${times.length} events, the oldest ${minutes} min old` };
  } catch (error) {
    return { ok: null, detail: (error as Error).message };
  }
}

/** For each runbook, the data its checks' tools read that this cluster may not keep. */
async function runbookNeeds(
  runbooks: Runbook[],
  tools: Array<{ spec: ToolSpec }>,
  profile: TelemetryProfile | undefined,
  kube: KubeClient | undefined,
): Promise<DoctorReport['needs']> {
  const readsOf = new Map(tools.map(({ spec }) => [spec.name, spec.reads ?? []]));
  const probes = new Map<string, Promise<{ ok: boolean | null; detail: string }>>();
  const needs: DoctorReport['needs'] = [];
  for (const runbook of runbooks) {
    const entries = new Map<string, Reads>();
    for (const check of runbook.checks)
      for (const entry of readsOf.get(check.tool.split('/').at(-1)!) ?? []) entries.set(entry.what, entry);
    for (const entry of entries.values()) {
      if (!probes.has(entry.what)) probes.set(entry.what, probeReads(entry, profile, kube));
      const probe = await probes.get(entry.what)!;
      needs.push({ runbook: runbook.id, what: entry.what, ...probe, fix: entry.collect });
    }
  }
  return needs;
}

/**
 * What Holmes will and will not see on this cluster, before an incident: sources and their
 * dialects, optional metrics that are off, the runbook checks that will therefore be
 * inconclusive (with the setting that fixes each), and what RBAC lets it read.
 */
export async function runDoctor(config: HolmesConfig): Promise<DoctorReport> {
  const clients = clientsFromConfig(config);
  const toolbox = await toolboxFromConfig(config);
  const statuses = await toolbox.refresh();
  const { runbooks, failures } = await loadRunbooks([BUILTIN_RUNBOOKS_DIR, ...config.runbooks.directories], {
    tools: toolbox.tools({ all: true }),
  });
  const report: DoctorReport = {
    prometheus: { url: clients.prometheus?.url ?? null, ok: false },
    kubernetes: { server: clients.kube?.server ?? null, ok: false },
    toolsets: statuses.map(({ id, status, reason }) => ({ id, status, ...(reason ? { reason } : {}) })),
    sources: [],
    missing: [],
    inconclusive: [],
    needs: [],
    rbac: [],
    runbooksSkipped: failures.map((failure) => `${failure.file}: ${failure.issues[0]?.message ?? 'invalid'}`),
  };
  let profile: TelemetryProfile | undefined;
  if (clients.prometheus) {
    try {
      profile = await telemetryProfile(clients.prometheus);
      report.prometheus.ok = true;
      report.sources = describeProfile(profile);
    } catch (error) {
      report.prometheus.error = HolmesError.isInstance(error) ? error.message : String(error);
    }
  } else report.prometheus.error = 'not configured: set prometheus.url';
  const signals = toolbox.signals ?? new Map<string, SignalSpec>();
  if (profile) {
    for (const [name, signal] of signals) {
      if (collected(signal, profile)) continue;
      const metrics = [...new Set(signal.queries.flatMap(metricsOf))];
      report.missing.push({
        signal: name,
        metrics,
        fix: signal.collect ?? `install or scrape the exporter of ${metrics.slice(0, 3).join(', ')}`,
      });
    }
  }
  const missingBySignal = new Map(report.missing.map((entry) => [entry.signal, entry]));
  const failedTool = new Map(
    statuses
      .filter((status) => status.status !== 'enabled')
      .flatMap((status) => status.tools.map((tool) => [tool, status] as const)),
  );
  for (const runbook of runbooks)
    for (const check of runbook.checks) {
      const signal = typeof check.params.signal === 'string' ? missingBySignal.get(check.params.signal) : undefined;
      const toolset = failedTool.get(check.tool);
      if (signal)
        report.inconclusive.push({
          runbook: runbook.id,
          check: check.id,
          reason: `${signal.signal} is not collected (${signal.metrics.slice(0, 3).join(', ')})`,
          fix: signal.fix,
        });
      else if (toolset)
        report.inconclusive.push({
          runbook: runbook.id,
          check: check.id,
          reason: `toolset ${toolset.id} is ${toolset.status}${toolset.reason ? `: ${toolset.reason}` : ''}`,
          fix: toolset.status === 'disabled' ? 'enable the toolset in the config' : 'install or scrape its exporter',
        });
    }
  report.needs = await runbookNeeds(runbooks, toolbox.tools({ all: true }), profile, clients.kube);
  if (clients.kube) {
    try {
      await clients.kube.version();
      report.kubernetes.ok = true;
      report.rbac = await probeRbac(clients.kube);
    } catch (error) {
      report.kubernetes.error = (error as Error).message;
    }
  } else report.kubernetes.error = 'not configured: set kubernetes.kubeconfig, kubernetes.server or run in the cluster';
  return report;
}
