import { isNode, LineCounter, parseAllDocuments, parseDocument, type Document } from 'yaml';

/** A parsed YAML document that can say on which line a value stands, for error messages. */
export interface YamlSource {
  value: unknown;
  /** 1-based line of the node at `path`, or of its nearest existing parent. */
  lineOf(path: ReadonlyArray<string | number>): number | undefined;
  /** YAML syntax errors, each with its line. */
  errors: Array<{ message: string; line: number | undefined }>;
}

function toSource(document: Document, lineCounter: LineCounter): YamlSource {
  const lineAt = (offset: number | undefined) => (offset === undefined ? undefined : lineCounter.linePos(offset).line);
  return {
    value: document.toJS({ maxAliasCount: 100 }),
    lineOf(path) {
      for (let depth = path.length; depth >= 0; depth -= 1) {
        const node = depth === 0 ? document.contents : document.getIn(path.slice(0, depth), true);
        if (isNode(node)) return lineAt(node.range?.[0]);
      }
      return undefined;
    },
    errors: document.errors.map((error) => ({
      message: error.message.split('\n')[0] ?? error.message,
      line: lineAt(error.pos[0]),
    })),
  };
}

export function parseYamlSource(text: string): YamlSource {
  const lineCounter = new LineCounter();
  return toSource(parseDocument(text, { lineCounter, prettyErrors: false }), lineCounter);
}

/** Multi-document YAML (`---` separated), each document able to locate its own lines. */
export function parseYamlSources(text: string): YamlSource[] {
  const lineCounter = new LineCounter();
  return parseAllDocuments(text, { lineCounter, prettyErrors: false }).map((document) =>
    toSource(document as Document, lineCounter),
  );
}
