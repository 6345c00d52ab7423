import type { BuiltinTool } from '../tool-context.js';
import { autoscalerStatus } from './autoscaler-status.js';
import { configReferences } from './config-references.js';
import { dnsFailures } from './dns-failures.js';
import { networkPolicies } from './network-policies.js';
import { podScheduling } from './pod-scheduling.js';
import { probeFailures } from './probe-failures.js';
import { rbacDenials } from './rbac-denials.js';
import { volumeClaims } from './volume-claims.js';
import { volumeUsage } from './volume-usage.js';
import { gpuThrottling } from './gpu-clocks.js';
import { idleGpuCost } from './gpu-idle-cost.js';
import { gpuInventory } from './gpu-inventory.js';
import { gpuSharing } from './gpu-sharing.js';
import { gpuXid } from './gpu-xid.js';
import { llmClientGrowth } from './llm-client-growth.js';
import { signalChange } from './signal-change.js';
import { unhealthyContainers } from './unhealthy-containers.js';
import { versionChange } from './version-change.js';
import { workloadLogs } from './workload-logs.js';
import {
  prometheusActiveAlerts,
  prometheusLabelValues,
  prometheusMetricNames,
  prometheusRules,
  prometheusSeries,
} from './prometheus-catalog.js';

/** Code tools a toolset file can name with `builtin:`: only what a template cannot express. */
export const BUILTINS: Readonly<Record<string, BuiltinTool>> = {
  prometheus_metric_names: prometheusMetricNames,
  prometheus_label_values: prometheusLabelValues,
  prometheus_series: prometheusSeries,
  prometheus_active_alerts: prometheusActiveAlerts,
  prometheus_rules: prometheusRules,
  gpu_inventory: gpuInventory,
  gpu_sharing: gpuSharing,
  gpu_xid: gpuXid,
  gpu_throttling: gpuThrottling,
  idle_gpu_cost: idleGpuCost,
  unhealthy_containers: unhealthyContainers,
  workload_logs: workloadLogs,
  signal_change: signalChange,
  pod_scheduling: podScheduling,
  probe_failures: probeFailures,
  volume_claims: volumeClaims,
  volume_usage: volumeUsage,
  config_references: configReferences,
  dns_failures: dnsFailures,
  network_policies: networkPolicies,
  rbac_denials: rbacDenials,
  autoscaler_status: autoscalerStatus,
  version_change: versionChange,
  llm_client_growth: llmClientGrowth,
};
