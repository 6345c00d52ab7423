import { describe, expect, it } from 'vitest';
import { parseApiPath } from '../../../src/lab/kube-api/parse-api-path.js';

const resource = (path: string) => {
  const parsed = parseApiPath(path);
  if (parsed.type !== 'resource') return parsed;
  const { kubeKind, ...rest } = parsed;
  return { plural: kubeKind.plural, ...rest };
};

describe('parseApiPath', () => {
  it('names discovery documents when the path is a group or version root', () => {
    expect(parseApiPath('/api')).toEqual({ type: 'api' });
    expect(parseApiPath('/api/v1/')).toEqual({ type: 'resources', group: '', version: 'v1' });
    expect(parseApiPath('/apis')).toEqual({ type: 'apis' });
    expect(parseApiPath('/apis/apps')).toEqual({ type: 'group', group: 'apps' });
    expect(parseApiPath('/apis/batch/v1')).toEqual({ type: 'resources', group: 'batch', version: 'v1' });
    expect(parseApiPath('/openapi/v3')).toEqual({ type: 'openapi' });
    expect(parseApiPath('/livez')).toEqual({ type: 'health' });
  });

  it('separates namespace, name and subresource when a resource path is given', () => {
    expect(resource('/api/v1/namespaces/llm/pods/web-0/log')).toEqual({
      type: 'resource',
      plural: 'pods',
      namespace: 'llm',
      name: 'web-0',
      subresource: 'log',
      watch: false,
    });
    expect(resource('/apis/apps/v1/deployments')).toEqual({
      type: 'resource',
      plural: 'deployments',
      namespace: undefined,
      name: undefined,
      subresource: undefined,
      watch: false,
    });
    expect(resource('/api/v1/watch/namespaces/llm/events')).toMatchObject({
      plural: 'events',
      namespace: 'llm',
      watch: true,
    });
  });

  it('reads /namespaces and /namespaces/NAME as the Namespace kind itself', () => {
    expect(resource('/api/v1/namespaces')).toMatchObject({ plural: 'namespaces', name: undefined });
    expect(resource('/api/v1/namespaces/llm')).toMatchObject({
      plural: 'namespaces',
      name: 'llm',
      namespace: undefined,
    });
  });

  it('marks any path naming secrets so it can be refused', () => {
    expect(parseApiPath('/api/v1/secrets')).toEqual({
      type: 'secrets',
      group: '',
      namespace: undefined,
      name: undefined,
    });
    expect(parseApiPath('/api/v1/watch/namespaces/llm/secrets/token')).toEqual({
      type: 'secrets',
      group: '',
      namespace: 'llm',
      name: 'token',
    });
    // The secrets resource of any group, and any resource of a group named secrets.
    expect(parseApiPath('/apis/example.com/v1/namespaces/llm/secrets')).toMatchObject({
      type: 'secrets',
      group: 'example.com',
    });
    expect(parseApiPath('/apis/secrets/v1/vaults/v')).toMatchObject({ type: 'secrets', group: 'secrets', name: 'v' });
  });

  it('returns unknown when the kind is not served or scoped wrongly', () => {
    expect(parseApiPath('/api/v2/pods')).toEqual({ type: 'unknown' });
    expect(parseApiPath('/apis/apps/v1/namespaces/llm/pods')).toEqual({ type: 'unknown' });
    expect(parseApiPath('/api/v1/namespaces/llm/nodes')).toEqual({ type: 'unknown' });
    expect(parseApiPath('/api/v1/namespaces/llm/pods/web-0/log/extra')).toEqual({ type: 'unknown' });
    expect(parseApiPath('/metrics')).toEqual({ type: 'unknown' });
  });
});
