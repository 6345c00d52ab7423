import type { IncludeObject } from './table.js';

/**
 * Which shape a client asked for in its Accept header. kubectl asks for a Table
 * (`application/json;as=Table;v=v1;g=meta.k8s.io, ...`); controllers sometimes ask for
 * metadata only. Everything else gets plain JSON, which every client accepts as a fallback.
 */
export type ResponseShape =
  { type: 'json' } | { type: 'table'; version: 'v1' | 'v1beta1' } | { type: 'metadata'; version: 'v1' | 'v1beta1' };

interface MediaType {
  type: string;
  parameters: Record<string, string>;
}

function parseAccept(accept: string): MediaType[] {
  return accept
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [type = '', ...parameters] = part.split(';').map((piece) => piece.trim());
      return {
        type: type.toLowerCase(),
        parameters: Object.fromEntries(
          parameters.map((parameter) => {
            const equals = parameter.indexOf('=');
            return equals === -1
              ? [parameter, '']
              : [parameter.slice(0, equals).trim(), parameter.slice(equals + 1).trim()];
          }),
        ),
      };
    });
}

export function negotiateShape(accept: string | undefined): ResponseShape {
  for (const media of parseAccept(accept ?? '')) {
    if (media.type !== 'application/json') continue;
    const { as, g, v } = media.parameters;
    if (as === undefined) return { type: 'json' };
    if (g !== 'meta.k8s.io' || (v !== 'v1' && v !== 'v1beta1')) continue;
    if (as === 'Table') return { type: 'table', version: v };
    if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') return { type: 'metadata', version: v };
  }
  return { type: 'json' };
}

export function parseIncludeObject(value: string | null): IncludeObject {
  return value === 'None' || value === 'Object' ? value : 'Metadata';
}
