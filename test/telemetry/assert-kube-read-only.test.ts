import { describe, expect, it } from 'vitest';
import { assertKubeReadOnly } from '../../src/telemetry/assert-kube-read-only.js';

const SERVER = 'http://127.0.0.1:6443';

function verdict(method: string, path: string, basePath = ''): string {
  try {
    assertKubeReadOnly(method, `${SERVER}${path}`, basePath);
    return 'allowed';
  } catch (error) {
    return (error as { code?: string }).code ?? 'thrown';
  }
}

describe('assertKubeReadOnly', () => {
  it.each([
    ['/api/v1/namespaces/llm/pods'],
    ['/api/v1/namespaces/llm/pods/proxy-7d9f'],
    ['/api/v1/namespaces/secrets-team/pods'],
    ['/apis/apps/v1/namespaces/exec-tools/deployments/attach-worker'],
    ['/api/v1/namespaces/llm/pods/chat-api/log?container=server&previous=true'],
    ['/api/v1/namespaces/proxy'],
    ['/api/v1/nodes/gpu-node-1'],
    ['/version'],
    ['/apis'],
    ['/apis/argoproj.io/v1alpha1'],
    ['/apis/argoproj.io/v1alpha1/namespaces/llm/rollouts/chat-api'],
    ['/apis/external-secrets.io/v1beta1/namespaces/llm/externalsecrets'],
  ])('allows GET %s when it reads no Secret and opens nothing', (path) => {
    expect(verdict('GET', path)).toBe('allowed');
  });

  it.each([
    ['POST', '/api/v1/namespaces/llm/pods'],
    ['DELETE', '/api/v1/namespaces/llm/pods/chat-api'],
    ['PATCH', '/apis/apps/v1/namespaces/llm/deployments/chat-api'],
    ['PUT', '/api/v1/namespaces/llm/configmaps/x'],
    ['HEAD', '/api/v1/namespaces/llm/pods'],
    ['GET', '/api/v1/secrets'],
    ['GET', '/api/v1/namespaces/llm/secrets'],
    ['GET', '/api/v1/namespaces/llm/secrets/db-password'],
    ['GET', '/api/v1/namespaces/llm/SECRETS/db-password'],
    ['GET', '/api/v1/namespaces/llm/pods/..%2F..%2Fsecrets%2Fdb'],
    ['GET', '/api/v1/namespaces/llm/pods/x%2Fexec'],
    ['GET', '/api/v1/namespaces/llm/pods/chat-api/exec?command=sh'],
    ['GET', '/api/v1/namespaces/llm/pods/chat-api/attach'],
    ['GET', '/api/v1/namespaces/llm/pods/chat-api/portforward'],
    ['GET', '/api/v1/namespaces/llm/services/chat-api:8080/proxy/metrics'],
    ['GET', '/api/v1/nodes/gpu-node-1/proxy/metrics'],
    ['GET', '/api/v1/proxy/namespaces/llm/pods/chat-api'],
    ['GET', '/api/v1/watch/namespaces/llm/pods'],
    ['GET', '/api/v1/namespaces/llm/pods?watch=true'],
    ['GET', '/api/v1/namespaces/llm/pods?labelSelector=a&watch=1'],
    ['GET', '/apis/example.com/v1/namespaces/llm/secrets'],
    ['GET', '/apis/example.com/v1/secrets/x'],
    ['GET', '/apis/secrets/v1/namespaces/llm/vaults'],
    ['GET', '/apis/argoproj.io/v1alpha1/watch/rollouts'],
    ['DELETE', '/apis/argoproj.io/v1alpha1/namespaces/llm/rollouts/chat-api'],
  ])('refuses %s %s', (method, path) => {
    expect(verdict(method, path)).toBe('READ_ONLY_VIOLATION');
  });

  it('parses paths below the server prefix when the server URL has one', () => {
    expect(verdict('GET', '/k8s/clusters/c-1/api/v1/namespaces/llm/secrets', '/k8s/clusters/c-1')).toBe(
      'READ_ONLY_VIOLATION',
    );
    expect(verdict('GET', '/k8s/clusters/c-1/api/v1/namespaces/llm/pods', '/k8s/clusters/c-1')).toBe('allowed');
  });

  it('says what was refused and how to read instead', () => {
    expect(() => assertKubeReadOnly('DELETE', `${SERVER}/api/v1/namespaces/llm/pods/x`)).toThrow(
      expect.objectContaining({
        message: expect.stringContaining('Refused DELETE /api/v1/namespaces/llm/pods/x'),
        fix: expect.stringContaining('GET'),
      }),
    );
  });
});
