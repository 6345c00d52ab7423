import { describe, expect, it } from 'vitest';
import { BUILTINS } from '../../src/toolsets/builtins/index.js';
import { decodeValue, formatValue } from '../../src/toolsets/format-value.js';
import { BUILTIN_TOOLSETS_DIR, loadToolsets } from '../../src/toolsets/load-toolsets.js';
import type { DecoderSpec } from '../../src/toolsets/toolset-schema.js';

// The decoders as shipped in toolsets/gpu-dcgm.yaml: the words a model reads come from there.
const { toolsets } = await loadToolsets({
  directories: [BUILTIN_TOOLSETS_DIR],
  builtins: new Set(Object.keys(BUILTINS)),
});
const decoders = toolsets.find((entry) => entry.spec.id === 'gpu/dcgm')!.spec.decoders;
const xid = decoders.xid!;
const clockEvents = decoders.clock_events!;

describe('decodeValue', () => {
  it('decodes the XID codes an SRE acts on', () => {
    expect(decodeValue(79, xid)).toMatch(/fallen off the bus/);
    expect(decodeValue(48, xid)).toMatch(/double-bit ECC/);
    expect(decodeValue(94, xid)).toMatch(/^contained ECC error/);
    expect(decodeValue(95, xid)).toMatch(/^uncontained ECC error/);
    expect(decodeValue(13, xid)).toMatch(/graphics engine exception/);
    expect(decodeValue(31, xid)).toMatch(/memory page fault/);
    expect(decodeValue(63, xid)).toMatch(/row remapping recorded .*benign/);
  });

  it('tells contained from uncontained ECC errors and application faults from hardware faults', () => {
    expect(decodeValue(94, xid)).not.toBe(decodeValue(95, xid));
    expect(decodeValue(13, xid)).toMatch(/application/);
    expect(decodeValue(79, xid)).toMatch(/hardware/);
  });

  it('names an unknown XID code with the catalogue hint and rounds a float sample', () => {
    expect(decodeValue(4242, xid)).toBe("XID 4242: see NVIDIA's XID catalogue");
    expect(decodeValue(78.9999, xid)).toBe(decodeValue(79, xid));
    expect(decodeValue(7, { type: 'map', values: {} })).toBe('unknown (7)');
  });

  it('names every set bit of a clock-event mask: 0x4|0x40 is power cap and hardware thermal slowdown', () => {
    expect(decodeValue(0x4 | 0x40, clockEvents)).toBe('software power cap, hardware thermal slowdown');
    expect(decodeValue(0x1, clockEvents)).toBe('gpu idle');
    expect(decodeValue(0, clockEvents)).toBe('none');
  });

  it('returns nothing for a non-finite value', () => {
    const map: DecoderSpec = { type: 'map', values: { '1': 'one' } };
    expect(decodeValue(Number.NaN, map)).toBe('');
  });
});

describe('formatValue', () => {
  it('shows ratios and percents as percentages', () => {
    expect(formatValue(0.5, 'ratio')).toBe('50%');
    expect(formatValue(97, 'percent')).toBe('97%');
  });

  it('shows sub-second durations in milliseconds and longer ones in seconds', () => {
    expect(formatValue(0.0727, 'seconds')).toBe('72.7ms');
    expect(formatValue(4.28, 'seconds')).toBe('4.28s');
    expect(formatValue(0, 'seconds')).toBe('0s');
  });

  it('scales bytes to binary units and prefixes dollars', () => {
    expect(formatValue(512, 'bytes')).toBe('512B');
    expect(formatValue(3 * 1024 ** 3, 'bytes')).toBe('3GiB');
    expect(formatValue(3.88, 'usd')).toBe('$3.88');
  });

  it('appends other units, without a space for rates', () => {
    expect(formatValue(455, 'W')).toBe('455 W');
    expect(formatValue(12.1, '/s')).toBe('12.1/s');
    expect(formatValue(12000, 'tokens')).toBe('12k tokens');
    expect(formatValue(3)).toBe('3');
  });
});
