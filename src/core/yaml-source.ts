import { Document, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, parseDocument } from 'yaml';
import type { Node } from 'yaml';
import type { Issue } from './errors.js';

/** A parsed YAML document that still knows where each of its nodes came from. */
export interface YamlSource {
  file: string;
  document: Document;
  lineCounter: LineCounter;
  /** Index of the document in its stream (kubernetes.yaml holds many). */
  index: number;
}

/** Alias references one document may expand: generous for configs, fatal for bombs. */
const MAX_ALIAS_COUNT = 100;

const SYNTAX_FIX = 'Fix the YAML syntax at that line (indentation, quoting, a missing colon or a tab).';

/** Parses one YAML document; syntax errors come back as issues with their line. */
export function parseYamlSource(text: string, file: string): { source: YamlSource; issues: Issue[] } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const source = { file, document, lineCounter, index: 0 };
  return { source, issues: syntaxIssues(source) };
}

// The yaml library stops expanding aliases past a limit (a "billion laughs" document) with this message.
const ALIAS_BOMB = /resource exhaustion/i;

/**
 * The document as plain data. A document whose aliases would expand without bound (a YAML bomb)
 * is an issue, not a crash: the yaml library refuses it and says so.
 */
export function plainValue(source: YamlSource): { value: unknown; issues: Issue[] } {
  try {
    return { value: source.document.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), issues: [] };
  } catch (error) {
    if (!(error instanceof Error) || !ALIAS_BOMB.test(error.message)) throw error;
    return {
      value: undefined,
      issues: [
        {
          path: '',
          message: `YAML aliases expand beyond ${MAX_ALIAS_COUNT} references (a "billion laughs" document)`,
          file: source.file,
          fix: 'Write the values out, or use fewer anchors and aliases (*name).',
        },
      ],
    };
  }
}

/** Parses a multi-document YAML stream, one source per document, empty ones included. */
export function parseYamlStream(text: string, file: string): Array<{ source: YamlSource; issues: Issue[] }> {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  const documents = Array.isArray(parsed) ? parsed : [];
  return documents.map((document, index) => {
    const source = { file, document: document as Document, lineCounter, index };
    return { source, issues: syntaxIssues(source) };
  });
}

function syntaxIssues(source: YamlSource): Issue[] {
  return source.document.errors.map((error) => ({
    path: '',
    message: `YAML syntax: ${error.message.split('\n')[0] ?? error.message}`,
    file: source.file,
    line: source.lineCounter.linePos(error.pos[0]).line,
    fix: SYNTAX_FIX,
  }));
}

/**
 * The 1-based line of the node at `path`, or of its deepest existing ancestor when the path does
 * not exist (a missing key is reported where its parent is). With `key`, the line of the last
 * path element's key rather than its value.
 */
export function lineAt(
  source: YamlSource,
  path: ReadonlyArray<PropertyKey>,
  options: { key?: boolean } = {},
): number | undefined {
  let node: unknown = source.document.contents;
  let line = offsetLine(source, node);
  for (const [position, part] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(part),
      );
      if (pair === undefined) break;
      const last = position === path.length - 1;
      node = last && options.key ? pair.key : (pair.value ?? pair.key);
    } else if (isSeq(node) && typeof part === 'number') {
      const item = node.items[part];
      if (item === undefined) break;
      node = item;
    } else {
      break;
    }
    line = offsetLine(source, node) ?? line;
  }
  return line;
}

function offsetLine(source: YamlSource, node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? source.lineCounter.linePos(range[0]).line : undefined;
}

/** The scalar's text as written (`values: 010` stays `010`), for fields read as text. */
export function sourceText(source: YamlSource, path: ReadonlyArray<PropertyKey>): string | undefined {
  const node = source.document.getIn(path as unknown[], true);
  return isScalar(node) ? (node.source ?? String(node.value)) : undefined;
}

/** `['series', 3, 'values']` → `series[3].values`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((text, part) => {
    if (typeof part === 'number') return `${text}[${part}]`;
    return text === '' ? String(part) : `${text}.${String(part)}`;
  }, '');
}
