/**
 * Atlassian Document Format nodes, built only from these helpers: untrusted text (alert labels,
 * tool output) always lands in a text node's `text`, where Jira renders it as text and nothing
 * else, and a link's href is accepted only when it is http(s).
 */
export interface AdfMark {
  type: 'strong' | 'em' | 'code' | 'link';
  attrs?: { href: string };
}

export interface AdfNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
  text?: string;
  marks?: AdfMark[];
}

export interface AdfDoc {
  type: 'doc';
  version: 1;
  content: AdfNode[];
}

/** Jira's limit on a text field (a description, a comment), counted on the stored document. */
export const JIRA_TEXT_LIMIT = 32_767;
/** Jira's limit on a summary. */
export const JIRA_SUMMARY_LIMIT = 255;

/** Cuts `value` to `max` characters with an ellipsis. */
export function cut(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, Math.max(0, max - 1))}…`;
}

/** A text node, or nothing for an empty string (ADF forbids empty text nodes). */
export function text(value: string, marks: AdfMark[] = []): AdfNode[] {
  if (value.length === 0) return [];
  return [{ type: 'text', text: value, ...(marks.length > 0 ? { marks } : {}) }];
}

export function strong(value: string): AdfNode[] {
  return text(value, [{ type: 'strong' }]);
}

export function code(value: string): AdfNode[] {
  return text(value, [{ type: 'code' }]);
}

/** Only http(s) URLs become links; anything else (javascript:, data:) is shown as plain text. */
export function safeHref(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

export function link(label: string, url: string): AdfNode[] {
  const href = safeHref(url);
  return href ? text(label, [{ type: 'link', attrs: { href } }]) : text(`${label}: ${url}`);
}

export function paragraph(...inline: AdfNode[][]): AdfNode {
  return { type: 'paragraph', content: inline.flat() };
}

export function heading(level: 1 | 2 | 3 | 4, value: string): AdfNode {
  return { type: 'heading', attrs: { level }, content: text(value) };
}

export function codeBlock(value: string, language = 'shell'): AdfNode {
  return { type: 'codeBlock', attrs: { language }, content: text(value) };
}

export function bulletList(items: AdfNode[][]): AdfNode {
  return {
    type: 'bulletList',
    content: items.map((inline) => ({ type: 'listItem', content: [paragraph(inline)] })),
  };
}

/** A table with a header row; each cell is inline content. */
export function table(header: string[], rows: AdfNode[][][]): AdfNode {
  const cell = (type: 'tableHeader' | 'tableCell', inline: AdfNode[]): AdfNode => ({
    type,
    attrs: {},
    content: [paragraph(inline)],
  });
  return {
    type: 'table',
    attrs: { isNumberColumnEnabled: false },
    content: [
      { type: 'tableRow', content: header.map((title) => cell('tableHeader', strong(title))) },
      ...rows.map((row) => ({ type: 'tableRow', content: row.map((inline) => cell('tableCell', inline)) })),
    ],
  };
}

function size(node: unknown): number {
  return JSON.stringify(node).length;
}

/**
 * A document within `limit` characters of JSON: blocks are taken in order while they fit; a table
 * that does not fit keeps the rows that do; what is left out is named in a closing note. Blocks
 * come most important first, so what is cut is the least useful part.
 */
export function fitDocument(blocks: AdfNode[], limit: number, note: (omitted: number) => AdfNode): AdfDoc {
  const reserve = size(note(99_999)) + 64;
  const content: AdfNode[] = [];
  let used = size({ type: 'doc', version: 1, content: [] });
  let omitted = 0;
  for (const block of blocks) {
    const cost = size(block) + 1;
    if (used + cost + reserve <= limit) {
      content.push(block);
      used += cost;
      continue;
    }
    if (block.type === 'table' && block.content && block.content.length > 2) {
      const rows = [block.content[0]!];
      let tableCost = size({ ...block, content: rows }) + 1;
      for (const row of block.content.slice(1)) {
        const rowCost = size(row) + 1;
        if (used + tableCost + rowCost + reserve > limit) break;
        rows.push(row);
        tableCost += rowCost;
      }
      if (rows.length > 1) {
        content.push({ ...block, content: rows });
        used += tableCost;
        omitted += block.content.length - rows.length;
        continue;
      }
    }
    omitted += 1;
  }
  if (omitted > 0) content.push(note(omitted));
  return { type: 'doc', version: 1, content };
}

/** The plain text of a document (a ticket's description), paragraphs on their own lines. */
export function documentText(node: unknown): string {
  if (typeof node === 'string') return node;
  if (typeof node !== 'object' || node === null) return '';
  const value = node as AdfNode;
  if (value.type === 'text') return value.text ?? '';
  if (value.type === 'hardBreak') return '\n';
  const inner = (value.content ?? []).map(documentText).join(value.type === 'tableRow' ? ' | ' : '');
  const block = ['paragraph', 'heading', 'codeBlock', 'listItem', 'tableRow', 'blockquote'].includes(value.type);
  return block ? `${inner}\n` : inner;
}
