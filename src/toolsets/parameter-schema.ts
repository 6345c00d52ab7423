import { z, type ZodType } from 'zod';
import type { ParameterSpec } from './toolset-schema.js';

const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;

// Parameters arrive typed from a model and as strings from `--param k=v`: accept both.
const numeric = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
]);
const booleanish = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]);

export interface ParameterSchemaOptions {
  /**
   * Numbers and booleans as JSON types only, no strings to convert: for clients that send typed
   * JSON (MCP), whose JSON Schema then says `integer` with its bounds rather than number-or-string.
   */
  typed?: boolean;
}

function leaf(spec: ParameterSpec, typed: boolean): ZodType {
  switch (spec.type) {
    case 'integer':
    case 'number': {
      let target = spec.type === 'integer' ? z.number().int() : z.number();
      if (spec.minimum !== undefined) target = target.min(spec.minimum);
      if (spec.maximum !== undefined) target = target.max(spec.maximum);
      return typed ? target : numeric.pipe(target);
    }
    case 'boolean':
      return typed ? z.boolean() : booleanish;
    case 'duration':
      return z.string().regex(DURATION, 'a Prometheus duration such as 30s, 5m, 1h30m');
    case 'enum':
      return z.enum((spec.values ?? []) as [string, ...string[]]);
    case 'names':
      // `a,b` from a command line, a list from a model or a runbook: both become a list.
      return z
        .union([z.string().transform((value) => value.split(',')), z.array(z.string())])
        .transform((names) => names.map((name) => name.trim()).filter(Boolean))
        .pipe(z.array(z.string()).min(1, 'at least one name'));
    case 'timestamp':
      return z.iso.datetime({ offset: true });
    case 'regex':
      return z.string().refine((value) => {
        try {
          new RegExp(value);
          return true;
        } catch {
          return false;
        }
      }, 'a valid regular expression');
    default:
      return z.string().min(1);
  }
}

/** The zod schema of a tool's parameters, described; unknown parameters are refused so typos surface. */
export function toParameterSchema(parameters: Record<string, ParameterSpec>, options: ParameterSchemaOptions = {}) {
  const shape: Record<string, ZodType> = {};
  for (const [name, spec] of Object.entries(parameters)) {
    const base = leaf(spec, options.typed ?? false);
    shape[name] = (
      spec.default !== undefined
        ? base.optional().default(spec.default as never)
        : spec.required
          ? base
          : base.optional()
    ).describe(spec.description);
  }
  return z.strictObject(shape);
}

/** One line per parameter, for error messages: what is allowed. */
export function describeParameters(parameters: Record<string, ParameterSpec>): string {
  const entries = Object.entries(parameters);
  if (entries.length === 0) return 'this tool takes no parameters';
  return entries
    .map(([name, spec]) => {
      const range =
        spec.minimum !== undefined || spec.maximum !== undefined
          ? ` ${spec.minimum ?? '…'}-${spec.maximum ?? '…'}`
          : '';
      const type = spec.type === 'enum' ? `one of ${(spec.values ?? []).join('|')}` : `${spec.type}${range}`;
      return `${name} (${type}${spec.required ? ', required' : ''}${spec.default !== undefined ? `, default ${spec.default}` : ''})`;
    })
    .join(', ');
}
