import { describe, expect, it } from 'vitest';
import { gpuLegend, onGpus } from '../../../src/toolsets/builtins/gpu-workloads.js';

const ALIASES = { Hostname: 'node', hostname: 'node' };

describe('onGpus', () => {
  it('selects GPUs by UUID, each once, with the extra matchers', () => {
    expect(onGpus('DCGM_FI_DEV_SM_CLOCK', ['GPU-a1', 'GPU-b2', 'GPU-a1'], ALIASES, 'pod!=""')).toBe(
      '(DCGM_FI_DEV_SM_CLOCK{UUID=~"(?:GPU-a1|GPU-b2)", pod!=""})',
    );
  });

  it('selects a GPU without a UUID by node and index under every name the node label may have', () => {
    expect(onGpus('DCGM_FI_DEV_GPU_TEMP', ['gpu-l40s-03/2'], ALIASES)).toBe(
      '(DCGM_FI_DEV_GPU_TEMP{Hostname="gpu-l40s-03", gpu="2"} or DCGM_FI_DEV_GPU_TEMP{hostname="gpu-l40s-03", gpu="2"} or DCGM_FI_DEV_GPU_TEMP{node="gpu-l40s-03", gpu="2"})',
    );
  });

  it('escapes label values: a UUID cannot widen the regex, a node name cannot close its string', () => {
    const query = onGpus('DCGM_FI_DEV_GPU_UTIL', ['GPU-.*', 'n"} or up{x="/0'], { Hostname: 'node' });
    expect(query).toContain('UUID=~"GPU-\\\\.\\\\*"');
    expect(query).toContain('Hostname="n\\"} or up{x=\\"", gpu="0"');
  });
});

describe('gpuLegend', () => {
  it("names a GPU by its node, under the toolset's aliases, then its index", () => {
    expect(gpuLegend(ALIASES)).toEqual(['Hostname', 'hostname', 'node', 'gpu']);
  });
});
