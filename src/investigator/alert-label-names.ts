/**
 * Label names that carry an entity, in order of preference. Teams and exporters spell them
 * differently; this table (not the alert name) is how an alert is tied to what it is about.
 */
const ALERT_LABEL_NAMES = {
  // `exported_*` first: when both exist, Prometheus renamed the subject's label out of the way of
  // the scrape target's own (the exporter pod), so the exported one is what the alert is about.
  namespace: ['exported_namespace', 'namespace', 'kubernetes_namespace', 'k8s_namespace_name'],
  pod: ['exported_pod', 'pod', 'pod_name', 'kubernetes_pod_name', 'k8s_pod_name'],
  container: ['exported_container', 'container', 'container_name'],
  service: ['service', 'app', 'app_kubernetes_io_name', 'k8s_app', 'application'],
  deployment: ['deployment', 'k8s_deployment_name'],
  statefulset: ['statefulset'],
  daemonset: ['daemonset'],
  job: ['job_name', 'cronjob'],
  hpa: ['horizontalpodautoscaler', 'hpa'],
  node: ['node', 'Hostname', 'hostname', 'kubernetes_node', 'k8s_node_name', 'nodename'],
  gpu: ['gpu', 'gpu_index'],
  model: ['model_name', 'model', 'served_model_name'],
  team: ['team', 'team_alias', 'team_name', 'owner_team', 'cost_center'],
  apiKey: [
    'api_key_alias',
    'key_alias',
    'user_api_key_alias',
    'key_name',
    'hashed_api_key',
    'user_api_key_hash',
    'api_key',
  ],
} as const;

export type AlertEntityLabel = keyof typeof ALERT_LABEL_NAMES;

/** Exporters whose own pod labels ride along on the series they export (scrape target labels). */
const EXPORTER_POD =
  /^(kube-state-metrics|(prometheus-)?node-exporter|(nvidia-)?dcgm-exporter|blackbox-exporter|kube-prometheus-stack-kube-state-metrics)/;

/**
 * The labels that describe the scrape target (the exporter's own pod, namespace, service) rather
 * than the subject: present when `pod` names an exporter and no `exported_pod` says otherwise.
 */
function describesExporter(labels: Record<string, string>, name: string): boolean {
  if (!['namespace', 'pod', 'container', 'service', 'job'].includes(name) || labels.exported_pod) return false;
  return EXPORTER_POD.test(labels.pod ?? '');
}

export function labelValue(labels: Record<string, string>, entity: AlertEntityLabel): string | undefined {
  for (const name of ALERT_LABEL_NAMES[entity]) {
    if (describesExporter(labels, name)) continue;
    const value = labels[name]?.trim();
    if (value) return value;
  }
  // `instance` is host:port for node_exporter; the host part names a node.
  if (entity === 'node' && labels.instance && !/^\d+\.\d+\.\d+\.\d+(:\d+)?$/.test(labels.instance))
    return labels.instance.replace(/:\d+$/, '');
  return undefined;
}
