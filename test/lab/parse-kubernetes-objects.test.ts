import { describe, expect, it } from 'vitest';
import { parseKubernetesObjects } from '../../src/lab/parse-kubernetes-objects.js';

const now = new Date('2025-03-04T05:06:07Z');
const parse = (lines: string[]) => parseKubernetesObjects(lines.join('\n'), { file: 'k.yaml', now });

describe('parseKubernetesObjects', () => {
  it('reads every document and skips empty ones when the stream has several', () => {
    const { objects, issues } = parse([
      'apiVersion: v1',
      'kind: Namespace',
      'metadata: {name: llm}',
      '---',
      '---',
      '# only a comment',
      '---',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: chat-api, namespace: llm}',
    ]);
    expect(issues).toEqual([]);
    expect(objects.map((object) => `${object.kind}/${object.metadata.name}`)).toEqual([
      'Namespace/llm',
      'Deployment/chat-api',
    ]);
  });

  it('resolves now and now-<duration> string values anywhere when loading', () => {
    const { objects } = parse([
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: p, creationTimestamp: now-1h}',
      'status:',
      '  startTime: now',
      '  containerStatuses:',
      '    - lastState: {terminated: {finishedAt: "now-2h30m"}}',
      '      note: now-playing',
      '      now: key stays',
    ]);
    const pod = objects[0] as Record<string, any>;
    expect(pod.metadata.creationTimestamp).toBe('2025-03-04T04:06:07Z');
    expect(pod.status.startTime).toBe('2025-03-04T05:06:07Z');
    expect(pod.status.containerStatuses[0].lastState.terminated.finishedAt).toBe('2025-03-04T02:36:07Z');
    expect(pod.status.containerStatuses[0].note).toBe('now-playing');
    expect(pod.status.containerStatuses[0].now).toBe('key stays');
  });

  it('refuses a Secret with the line of its document', () => {
    const { objects, issues } = parse([
      'apiVersion: v1',
      'kind: Namespace',
      'metadata: {name: a}',
      '---',
      'apiVersion: v1',
      'kind: Secret',
      'metadata: {name: s}',
    ]);
    expect(objects).toHaveLength(1);
    expect(issues).toMatchObject([
      { file: 'k.yaml', line: 6, path: 'documents[1].kind', message: 'Secrets never appear in scenarios' },
    ]);
  });

  it('refuses kinds the lab does not serve when listing the ones it does', () => {
    const { issues } = parse(['apiVersion: networking.k8s.io/v1', 'kind: Ingress', 'metadata: {name: i}']);
    expect(issues[0]).toMatchObject({ line: 2, message: 'kind Ingress is not one the lab serves' });
    expect(issues[0]?.fix).toContain('HorizontalPodAutoscaler (autoscaling/v2)');
  });

  it('refuses a wrong apiVersion when the kind is served at another one', () => {
    const { issues } = parse(['apiVersion: autoscaling/v1', 'kind: HorizontalPodAutoscaler', 'metadata: {name: h}']);
    expect(issues).toMatchObject([
      {
        line: 1,
        path: 'documents[0].apiVersion',
        message: 'HorizontalPodAutoscaler needs apiVersion autoscaling/v2, found autoscaling/v1',
      },
    ]);
  });

  it('reports missing names, namespaces on cluster-scoped kinds and non-string labels with their lines', () => {
    const { issues, objects } = parse([
      'apiVersion: v1',
      'kind: Node',
      'metadata:',
      '  name: gpu-node-1',
      '  namespace: llm',
      '  labels:',
      '    gpus: 8',
      '---',
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {namespace: llm}',
    ]);
    expect(objects).toEqual([]);
    expect(issues.map((issue) => [issue.line, issue.path])).toEqual([
      [5, 'documents[0].metadata.namespace'],
      [7, 'documents[0].metadata.labels.gpus'],
      [11, 'documents[1].metadata.name'],
    ]);
  });

  it('reports a duplicate object when kind, namespace and name repeat', () => {
    const { issues } = parse([
      'kind: Pod',
      'apiVersion: v1',
      'metadata: {name: p}',
      '---',
      'kind: Pod',
      'apiVersion: v1',
      'metadata: {name: p, namespace: default}',
    ]);
    expect(issues).toMatchObject([{ line: 7, message: 'Pod p appears twice (first at line 1)' }]);
  });

  it('reports YAML syntax errors and malformed times with their lines', () => {
    const { issues } = parse([
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: p, creationTimestamp: now-1.5h}',
      '---',
      'kind: [unclosed',
    ]);
    expect(issues.map((issue) => issue.line)).toEqual([3, 5]);
    expect(issues[0]?.message).toContain("'now-1.5h' is not a valid time");
    expect(issues[1]?.message).toMatch(/^YAML syntax/);
  });

  it('reports a document that is not a map when a list or scalar stands alone', () => {
    const { issues } = parse(['- a', '- b']);
    expect(issues).toMatchObject([
      { line: 1, message: 'expected a Kubernetes object: a map with apiVersion, kind and metadata' },
    ]);
  });

  it('accepts custom resources of any group of their own, with or without their CRD', () => {
    const { issues, objects } = parse([
      'apiVersion: apiextensions.k8s.io/v1',
      'kind: CustomResourceDefinition',
      'metadata: {name: rollouts.argoproj.io}',
      'spec: {group: argoproj.io, names: {kind: Rollout, plural: rollouts}, scope: Namespaced, versions: [{name: v1alpha1, served: true}]}',
      '---',
      'apiVersion: argoproj.io/v1alpha1',
      'kind: Rollout',
      'metadata: {name: chat-api}',
      '---',
      'apiVersion: batch.volcano.sh/v1alpha1',
      'kind: Job',
      'metadata: {name: chat-api, namespace: train}',
    ]);
    expect(issues).toEqual([]);
    expect(objects.map((object) => [object.kind, object.metadata.namespace])).toEqual([
      ['CustomResourceDefinition', undefined],
      ['Rollout', 'default'],
      ['Job', 'train'],
    ]);
  });

  it('places problems a CRD finds in its custom resources on their lines', () => {
    const { issues, objects } = parse([
      'apiVersion: apiextensions.k8s.io/v1',
      'kind: CustomResourceDefinition',
      'metadata: {name: pools.example.com}',
      'spec: {group: example.com, names: {kind: Pool, plural: pools}, scope: Cluster, versions: [{name: v1, served: true}]}',
      '---',
      'apiVersion: example.com/v1',
      'kind: Pool',
      'metadata:',
      '  name: gpus',
      '  namespace: llm',
    ]);
    expect(objects.map((object) => object.kind)).toEqual(['CustomResourceDefinition']);
    expect(issues).toMatchObject([
      {
        line: 10,
        path: 'documents[1].metadata.namespace',
        message: 'Pool is cluster-scoped by its CRD and has no namespace',
      },
    ]);
  });

  it('refuses a group that is neither served nor a custom resource group, and a missing apiVersion', () => {
    const { issues } = parse([
      'apiVersion: extensions/v1beta1',
      'kind: Ingress',
      'metadata: {name: i}',
      '---',
      'apiVersion: monitoring/v1',
      'kind: ServiceMonitor',
      'metadata: {name: s}',
      '---',
      'kind: Rollout',
      'metadata: {name: r}',
    ]);
    expect(issues.map((issue) => [issue.line, issue.message])).toEqual([
      [2, 'kind Ingress is not one the lab serves'],
      [5, "'monitoring' is neither an API group the lab serves nor a custom resource's group (a domain with a dot)"],
      [9, 'expected an apiVersion such as v1, apps/v1 or argoproj.io/v1alpha1, found none'],
    ]);
  });

  it('tells apart objects of the same kind and name in different groups when looking for duplicates', () => {
    const { issues } = parse([
      'apiVersion: batch/v1',
      'kind: Job',
      'metadata: {name: train}',
      '---',
      'apiVersion: batch.volcano.sh/v1alpha1',
      'kind: Job',
      'metadata: {name: train}',
    ]);
    expect(issues).toEqual([]);
  });
});
