import type { HolmesConfig } from '../config/config-schema.js';
import { clientsFromConfig } from '../telemetry/clients-from-config.js';
import { PROBE_TIMEOUT_MS, type SourceProbeOptions } from './check-prerequisites.js';
import { createToolbox, type CheckedToolbox } from './create-toolbox.js';

/** A source probe never waits longer than the sources' own timeouts. */
export function sourceProbeOptions(config: HolmesConfig): SourceProbeOptions {
  return { probeTimeoutMs: Math.min(PROBE_TIMEOUT_MS, config.prometheus.timeoutMs, config.kubernetes.timeoutMs) };
}

/** The toolbox the config describes: its clients, toolset folders, disabled toolsets, caps and timeout. */
export function toolboxFromConfig(config: HolmesConfig): Promise<CheckedToolbox> {
  const { toolsets } = config;
  return createToolbox({
    ...clientsFromConfig(config),
    directories: toolsets.directories,
    disabled: toolsets.disabled,
    maxOutputTokens: toolsets.maxOutputTokens,
    timeoutMs: toolsets.timeoutMs,
    probe: sourceProbeOptions(config),
  });
}
