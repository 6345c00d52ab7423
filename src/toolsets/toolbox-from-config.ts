import type { HolmesConfig } from '../config/config-schema.js';
import { clientsFromConfig } from '../telemetry/clients-from-config.js';
import { createToolbox, type Toolbox } from './create-toolbox.js';

/** The toolbox the config describes: its clients, toolset folders, disabled toolsets, caps and timeout. */
export function toolboxFromConfig(config: HolmesConfig): Promise<Toolbox> {
  const { toolsets } = config;
  return createToolbox({
    ...clientsFromConfig(config),
    directories: toolsets.directories,
    disabled: toolsets.disabled,
    maxOutputTokens: toolsets.maxOutputTokens,
    timeoutMs: toolsets.timeoutMs,
  });
}
