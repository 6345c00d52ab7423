import type { ToolDescriptor } from '../toolsets/create-toolbox.js';

// Words that say nothing about which toolset to use (time, scope and filler words).
const STOPWORDS = new Set(
  [
    'a an and any are as at be been but by can do does did for from has have how i if in is it its me my no not of on or our so than that the their them then there these this they to up was we were what when where which who why will with you your',
    'worse better yesterday today now ago hour hours minute minutes day days week last since going wrong keep keeps still again namespace cluster please',
    // Alert summaries' filler: thresholds and durations.
    'more less over under above below high low across averaged average forecast',
  ]
    .join(' ')
    .split(' '),
);
const NOT_A_NAMESPACE = new Set(['in', 'the', 'this', 'that', 'same', 'a', 'each', 'every', 'my', 'our', 'whole']);

export interface ToolsetMatch {
  toolset: string;
  score: number;
  /** Question words found in the toolset's descriptions. */
  words: string[];
}

export interface QuestionPlan {
  /** Toolsets the question calls for, best first. */
  matches: ToolsetMatch[];
  /** First look: tools without required parameters of the best toolsets, with the parameters the question gives. */
  firstLook: Array<{ tool: string; params: Record<string, unknown> }>;
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9:_-]+/)
    .map((word) => word.replace(/^[-_:]+|[-_:]+$/g, ''))
    .filter((word) => word.length >= 2 && !STOPWORDS.has(word));
}

/** A word matches when the text has it, or (for longer words) a word sharing its stem. */
function matches(word: string, vocabulary: Set<string>): boolean {
  if (vocabulary.has(word)) return true;
  if (word.length < 5) return false;
  const stem = word.slice(0, Math.max(4, word.length - 3));
  for (const candidate of vocabulary) if (candidate.startsWith(stem)) return true;
  return false;
}

/** `namespace llm`, `the llm namespace`, `-n llm`, `ns/llm`: the first that names one. */
export function namespaceIn(question: string): string | undefined {
  const patterns = [
    /\bnamespace[\s=:]+([a-z0-9][a-z0-9-]*)/i,
    /\b([a-z0-9][a-z0-9-]*) namespace\b/i,
    /(?:^|\s)-n\s+([a-z0-9][a-z0-9-]*)/i,
    /\bns\/([a-z0-9][a-z0-9-]*)/i,
  ];
  for (const pattern of patterns) {
    const name = pattern.exec(question)?.[1]?.toLowerCase();
    if (name && !NOT_A_NAMESPACE.has(name)) return name;
  }
  return undefined;
}

/**
 * The toolsets a question calls for, by the words it shares with their descriptions (the
 * toolsets describe themselves; no keyword table lives in code), and a first look to run before
 * any model call.
 */
export function selectToolsets(
  question: string,
  tools: ToolDescriptor[],
  descriptions: Map<string, string>,
  limit = 3,
): QuestionPlan {
  const asked = [...new Set(words(question))];
  const byToolset = new Map<string, ToolDescriptor[]>();
  for (const tool of tools) byToolset.set(tool.toolset, [...(byToolset.get(tool.toolset) ?? []), tool]);
  const scored: ToolsetMatch[] = [];
  for (const [toolset, members] of byToolset) {
    const vocabulary = new Set(
      words(
        [
          toolset,
          descriptions.get(toolset) ?? '',
          ...members.map((tool) => `${tool.spec.name.replace(/_/g, ' ')} ${tool.spec.description}`),
        ].join(' '),
      ),
    );
    const found = asked.filter((word) => matches(word, vocabulary));
    if (found.length > 0) scored.push({ toolset, score: found.length, words: found });
  }
  scored.sort((left, right) => right.score - left.score || left.toolset.localeCompare(right.toolset));
  const selected = scored.slice(0, limit);
  const namespace = namespaceIn(question);
  const firstLook: QuestionPlan['firstLook'] = [];
  // A first look only where the question clearly points: the best toolset, and a runner-up about as good.
  const strong = selected.filter((match) => match.score * 2 >= (selected[0]?.score ?? 0)).slice(0, 2);
  for (const match of strong) {
    const candidates = (byToolset.get(match.toolset) ?? []).filter((tool) =>
      Object.values(tool.spec.parameters).every((spec) => !spec.required || spec.default !== undefined),
    );
    const best = candidates
      .map((tool) => ({
        tool,
        score: asked.filter((word) =>
          matches(word, new Set(words(`${tool.spec.name.replace(/_/g, ' ')} ${tool.spec.description}`))),
        ).length,
      }))
      .sort((left, right) => right.score - left.score)[0];
    if (!best) continue;
    const params: Record<string, unknown> = namespace && 'namespace' in best.tool.spec.parameters ? { namespace } : {};
    firstLook.push({ tool: best.tool.spec.name, params });
  }
  return { matches: selected, firstLook };
}
