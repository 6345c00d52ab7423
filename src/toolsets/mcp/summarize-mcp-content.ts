import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ToolStatus } from '../../core/tool-result.js';
import { summarizeJson } from './summarize-json.js';

export interface McpContentSummary {
  status: ToolStatus;
  text: string;
  omitted?: { what: string; hint: string };
}

function kilobytes(base64: string): string {
  return `${((base64.length * 3) / 4 / 1024).toFixed(1)} KB`;
}

/** A text that is a JSON document is summarised like one; any other text is kept as it is. */
function summarizeText(text: string, counts: { items: number; chars: number }): string {
  const trimmed = text.trim();
  if (!/^[[{]/.test(trimmed)) return text;
  try {
    return summarizeCounted(JSON.parse(trimmed), counts);
  } catch {
    return text;
  }
}

function summarizeCounted(value: unknown, counts: { items: number; chars: number }): string {
  const summary = summarizeJson(value);
  counts.items += summary.droppedItems;
  counts.chars += summary.droppedChars;
  return summary.text;
}

/**
 * What an MCP tool returned, as compact text for a model, like Holmes's own tools: JSON becomes
 * lines with long lists and strings cut and counted; images, audio and binary resources are
 * named, not inlined. The token cap is applied afterwards by the runner.
 */
export function summarizeMcpContent(result: CallToolResult): McpContentSummary {
  const counts = { items: 0, chars: 0 };
  const parts: string[] = [];
  for (const block of result.content ?? []) {
    switch (block.type) {
      case 'text':
        parts.push(summarizeText(block.text, counts));
        break;
      case 'image':
      case 'audio':
        parts.push(`[${block.type} ${block.mimeType}, ${kilobytes(block.data)}, not shown]`);
        break;
      case 'resource_link':
        parts.push(`link: ${block.uri}${block.name ? ` (${block.name})` : ''}`);
        break;
      case 'resource': {
        const resource = block.resource;
        parts.push(
          'text' in resource && typeof resource.text === 'string'
            ? `resource ${resource.uri}:\n${summarizeText(resource.text, counts)}`
            : `[resource ${resource.uri}${resource.mimeType ? ` ${resource.mimeType}` : ''}, ${kilobytes(String((resource as { blob?: string }).blob ?? ''))}, not shown]`,
        );
        break;
      }
    }
  }
  // Servers should mirror structured output in text; when one does not, the structure is what there is.
  if (parts.length === 0 && result.structuredContent) parts.push(summarizeCounted(result.structuredContent, counts));
  const text = parts.join('\n').trim();
  const dropped = [
    counts.items > 0 ? `${counts.items} list items` : '',
    counts.chars > 0 ? `${counts.chars} characters of long strings` : '',
  ].filter(Boolean);
  return {
    status: result.isError ? 'error' : text === '' ? 'no_data' : 'success',
    text: text === '' ? '(the tool returned nothing)' : text,
    ...(dropped.length > 0
      ? {
          omitted: {
            what: dropped.join(' and '),
            hint: "Narrow the call with the tool's own arguments (a filter, a limit, a page) to see the rest.",
          },
        }
      : {}),
  };
}
