type PropertySchema = { type?: string | string[] };

/**
 * `holmes toolsets run --param k=v` gives strings: where the tool's JSON Schema says number,
 * integer or boolean, a string that reads as one becomes one. Typed JSON (a model's) passes as is.
 */
export function coerceArguments(params: Record<string, unknown>, schema: unknown): Record<string, unknown> {
  const properties = ((schema as { properties?: unknown } | undefined)?.properties ?? {}) as Record<
    string,
    PropertySchema | undefined
  >;
  return Object.fromEntries(
    Object.entries(params).map(([key, value]) => {
      const declared = properties[key]?.type;
      const types = Array.isArray(declared) ? declared : [declared];
      if (typeof value !== 'string' || types.includes('string')) return [key, value];
      if ((types.includes('number') || types.includes('integer')) && /^-?\d+(\.\d+)?$/.test(value))
        return [key, Number(value)];
      if (types.includes('boolean') && (value === 'true' || value === 'false')) return [key, value === 'true'];
      return [key, value];
    }),
  );
}
