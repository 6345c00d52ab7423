import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../../src/doctor/run-doctor.js';
import { createSandbox, hasStack, runCli, type Sandbox } from '../run-cli.js';

const scenario = (id: string) => fileURLToPath(new URL(`../../../evals/scenarios/${id}`, import.meta.url));

let sandbox: Sandbox;

/** `holmes --json doctor` on a scenario's lab: it exits 0 and prints its report. */
async function doctorReport(id: string): Promise<DoctorReport> {
  const result = await runCli(sandbox, ['--json', 'doctor', '--scenario', scenario(id)]);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as DoctorReport;
}

describe('holmes doctor', () => {
  beforeAll(async () => {
    sandbox = await createSandbox();
  });
  afterAll(async () => {
    await sandbox?.remove();
  });

  it('finds the gpu-operator dialect, lists the checks left inconclusive with a fix each, and RBAC', async () => {
    // A GPU serving incident scraped by the gpu-operator ServiceMonitor; no LiteLLM in it.
    const report = await doctorReport('copilot-chat-ttft-spike-recovered');
    expect(report.prometheus.ok).toBe(true);
    expect(report.kubernetes.ok).toBe(true);
    expect(report.sources.join('\n')).toContain('exported_namespace/exported_pod');
    expect(report.sources.join('\n')).toContain('LiteLLM: not found');
    const spend = report.inconclusive.filter((entry) => entry.runbook === 'agent-token-loop');
    expect(spend.length).toBeGreaterThan(0);
    for (const entry of report.inconclusive) expect(entry.fix.length).toBeGreaterThan(5);
    expect(report.rbac.filter((entry) => entry.allowed === false)).toEqual([]);
    expect(report.rbac.some((entry) => entry.kind === 'Pod' && entry.allowed === true)).toBe(true);
    // What the Kubernetes runbooks read and this incident's cluster does not keep, with the fix.
    const need = (runbook: string, what: string) =>
      report.needs.find((entry) => entry.runbook === runbook && entry.what === what);
    expect(need('volume-failure', 'kubelet volume stats')).toMatchObject({ ok: false });
    expect(need('volume-failure', 'kubelet volume stats')!.detail).toContain('kubelet_volume_stats_used_bytes');
    expect(need('probe-failure', 'Kubernetes events')).toMatchObject({ ok: false });
    expect(need('probe-failure', 'Kubernetes events')!.fix).toContain('--event-ttl');
  });

  it('says the kubelet volume stats and events are there when the cluster keeps them', async () => {
    const report = await doctorReport('legal-sum-finetune-checkpoint-volume-full');
    const volume = report.needs.filter((entry) => entry.runbook === 'volume-failure');
    expect(volume.map((entry) => [entry.what, entry.ok])).toEqual([
      ['Kubernetes events', true],
      ['kubelet volume stats', true],
    ]);
    expect(volume[0]!.detail).toMatch(/the oldest \d+ min old/);
  });

  it('checks RBAC on the custom kinds this cluster serves and Holmes reads, and skips the ones it does not serve', async () => {
    const report = await doctorReport('transcribe-worker-keda-flapping-after-cooldown-edit');
    expect(report.rbac.filter((entry) => entry.group)).toEqual([
      { kind: 'ScaledObject', group: 'keda.sh', allowed: true },
    ]);
  });

  it('prints the same as text, one finding per line', async () => {
    const result = await runCli(sandbox, ['doctor', '--scenario', scenario('copilot-chat-ttft-spike-recovered')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ok {3}Prometheus /);
    expect(result.stdout).toContain('CHECKS THAT WILL BE INCONCLUSIVE');
    expect(result.stdout).toContain('RBAC ok');
    expect(result.stdout).toMatch(/FAIL kubelet volume stats: not collected .*\(volume-failure\) — fix: /);
    expect(hasStack(result.stdout + result.stderr)).toBe(false);
  });
});
