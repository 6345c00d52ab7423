import { describe, expect, it } from 'vitest';
import {
  classifyContainerFailure,
  pullErrorCause,
  type FailureInput,
} from '../../../src/toolsets/kube-verbs/classify-container-failure.js';

const exited = (exitCode: number, reason = 'Error', message: string | null = null) => ({
  reason,
  exitCode,
  message,
});

function input(overrides: Partial<FailureInput>): FailureInput {
  return { waitingReason: null, waitingMessage: null, lastTermination: null, logLines: [], ...overrides };
}

describe('classifyContainerFailure', () => {
  it('names an image pull when the container waits on its image, whatever it logged before', () => {
    const verdict = classifyContainerFailure(
      input({ waitingReason: 'ImagePullBackOff', waitingMessage: 'Back-off pulling image "r/x:2"' }),
    );
    expect(verdict).toMatchObject({ kind: 'imagePull', line: 'Back-off pulling image "r/x:2"' });
  });

  it('names a missing ConfigMap or Secret when the container cannot be created', () => {
    const verdict = classifyContainerFailure(
      input({ waitingReason: 'CreateContainerConfigError', waitingMessage: 'configmap "api-env" not found' }),
    );
    expect(verdict.kind).toBe('configMissing');
  });

  it('names an OOM kill from the termination reason, and keeps errors the instance logged itself', () => {
    const quiet = classifyContainerFailure(
      input({ lastTermination: exited(137, 'OOMKilled'), logLines: ['processed batch 41'] }),
    );
    expect(quiet).toMatchObject({ kind: 'oomKilled', ownErrors: [] });
    const cuda = classifyContainerFailure(
      input({
        lastTermination: exited(137, 'OOMKilled'),
        logLines: ['torch.cuda.OutOfMemoryError: CUDA out of memory'],
      }),
    );
    expect(cuda.ownErrors).toEqual(['torch.cuda.OutOfMemoryError: CUDA out of memory']);
  });

  it('names a configuration error from the previous log, over a runtime line printed while giving up', () => {
    const verdict = classifyContainerFailure(
      input({
        waitingReason: 'CrashLoopBackOff',
        lastTermination: exited(1),
        logLines: [
          'starting ranker',
          '{"level":"fatal","msg":"invalid config","error":"time: unknown unit \\"sec\\" in duration \\"30sec\\""}',
          'panic: runtime error: invalid memory address or nil pointer dereference',
        ],
      }),
    );
    expect(verdict.kind).toBe('configError');
    expect(verdict.line).toContain('invalid config');
  });

  it('finds the configuration error in the termination message when the log is empty', () => {
    const verdict = classifyContainerFailure(
      input({ lastTermination: exited(78, 'Error', 'required key DATABASE_URL is missing') }),
    );
    expect(verdict).toMatchObject({ kind: 'configError', ownErrors: [] });
  });

  it('names a runtime fault when the log shows one and no configuration error', () => {
    const verdict = classifyContainerFailure(
      input({ lastTermination: exited(139), logLines: ['serving', 'Segmentation fault (core dumped)'] }),
    );
    expect(verdict).toMatchObject({ kind: 'runtimeFault', line: 'Segmentation fault (core dumped)' });
  });

  it('names a kill by signal apart from a crash, and a silent error exit as a crash', () => {
    expect(classifyContainerFailure(input({ lastTermination: exited(143) })).kind).toBe('killed');
    expect(classifyContainerFailure(input({ lastTermination: exited(1), logLines: ['bye'] }))).toMatchObject({
      kind: 'crashed',
      line: 'Error exit 1',
    });
  });

  it('names nothing for a clean exit or a container that never terminated', () => {
    expect(classifyContainerFailure(input({ lastTermination: exited(0, 'Completed') })).kind).toBeNull();
    expect(classifyContainerFailure(input({ waitingReason: 'ContainerCreating' })).kind).toBeNull();
  });

  it('counts a clean exit that the kubelet keeps restarting as a crash loop', () => {
    const verdict = classifyContainerFailure(
      input({ waitingReason: 'CrashLoopBackOff', lastTermination: exited(0, 'Completed') }),
    );
    expect(verdict.kind).toBe('crashed');
  });
});

describe('pullErrorCause', () => {
  it('reads the registry answer in the kubelet message', () => {
    const cause = (message: string) => pullErrorCause([message]);
    expect(cause('Failed to pull image "r/x:2": rpc error: code = NotFound desc = manifest unknown')).toMatchObject({
      kind: 'notFound',
      cause: expect.stringContaining('does not exist'),
    });
    expect(cause('Failed to pull image "r/x:2": unauthorized: authentication required')).toMatchObject({
      kind: 'unauthorized',
      cause: expect.stringContaining('credentials'),
    });
    expect(cause('429 toomanyrequests: You have reached your pull rate limit')?.kind).toBe('rateLimited');
    expect(cause('dial tcp 10.0.0.1:443: i/o timeout')?.kind).toBe('unreachable');
  });

  it('says nothing when the messages do not say why', () => {
    expect(pullErrorCause(['Back-off pulling image "r/x:2"'])).toBeNull();
  });
});
