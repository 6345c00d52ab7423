import type { ParameterSpec } from '../toolsets/toolset-schema.js';

/** An OpenAI-format function definition; LangChain converts it for Anthropic. */
export interface ToolDefinition {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

function property(spec: ParameterSpec): Record<string, unknown> {
  const extra: Record<string, unknown> = spec.default !== undefined ? { default: spec.default } : {};
  switch (spec.type) {
    case 'integer':
    case 'number':
      return {
        type: spec.type,
        description: spec.description,
        ...(spec.minimum !== undefined ? { minimum: spec.minimum } : {}),
        ...(spec.maximum !== undefined ? { maximum: spec.maximum } : {}),
        ...extra,
      };
    case 'boolean':
      return { type: 'boolean', description: spec.description, ...extra };
    case 'enum':
      return { type: 'string', enum: spec.values ?? [], description: spec.description, ...extra };
    case 'duration':
      return { type: 'string', description: `${spec.description} (a Prometheus duration: 30s, 5m, 1h)`, ...extra };
    default:
      return { type: 'string', description: spec.description, ...extra };
  }
}

/** JSON Schema of a toolset tool's parameters, from the same specs the toolbox validates with. */
export function parametersSchema(parameters: Record<string, ParameterSpec>): Record<string, unknown> {
  const required = Object.entries(parameters)
    .filter(([, spec]) => spec.required && spec.default === undefined)
    .map(([name]) => name);
  return {
    type: 'object',
    properties: Object.fromEntries(Object.entries(parameters).map(([name, spec]) => [name, property(spec)])),
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
  };
}

export function toolDefinition(name: string, description: string, parameters: Record<string, unknown>): ToolDefinition {
  // Descriptions are folded YAML: keep them on one line, they cost tokens on every call.
  return { type: 'function', function: { name, description: description.replace(/\s+/g, ' ').trim(), parameters } };
}
