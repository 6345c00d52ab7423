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
      // Bounds are the toolbox's to enforce: a value out of range comes back as a tool error saying so.
      return { type: spec.type, description: spec.description, ...extra };
    case 'boolean':
      return { type: 'boolean', description: spec.description, ...extra };
    case 'enum':
      return { type: 'string', enum: spec.values ?? [], description: spec.description, ...extra };
    case 'duration':
      return { type: 'string', description: `${spec.description} (duration: 30s, 5m, 1h)`, ...extra };
    default:
      return { type: 'string', description: spec.description, ...extra };
  }
}

/**
 * JSON Schema of a toolset tool's parameters, from the same specs the toolbox validates with.
 * No `additionalProperties: false`: definitions are resent on every call, and the toolbox
 * refuses an unknown parameter anyway, in words the model reads.
 */
export function parametersSchema(parameters: Record<string, ParameterSpec>): Record<string, unknown> {
  const required = Object.entries(parameters)
    .filter(([, spec]) => spec.required && spec.default === undefined)
    .map(([name]) => name);
  return {
    type: 'object',
    properties: Object.fromEntries(Object.entries(parameters).map(([name, spec]) => [name, property(spec)])),
    ...(required.length > 0 ? { required } : {}),
  };
}

/** Keywords a validator enforces anyway (zod, with its issues sent back to the model): not worth resending every call. */
const ENFORCED_ELSEWHERE = new Set([
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'additionalProperties',
  'default',
]);

/** A JSON Schema without the keywords that only constrain lengths and counts. */
export function leanSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(leanSchema);
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key]) => !ENFORCED_ELSEWHERE.has(key))
      .map(([key, value]) => [key, key === 'enum' || key === 'required' ? value : leanSchema(value)]),
  );
}

export function toolDefinition(name: string, description: string, parameters: Record<string, unknown>): ToolDefinition {
  // Descriptions are folded YAML: keep them on one line, they cost tokens on every call.
  return { type: 'function', function: { name, description: description.replace(/\s+/g, ' ').trim(), parameters } };
}
