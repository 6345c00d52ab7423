import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Issue } from '../core/errors.js';
import { formatPath, lineAt, parseYamlSource } from '../core/yaml-source.js';
import { judgeCheck } from './judge-check.js';
import type { Runbook } from './runbook-schema.js';

const VERDICTS = ['supports', 'contradicts', 'inconclusive', 'unavailable'] as const;

/** One example of a check: the tool's data in, the verdict (and words of the sentence) out. */
const exampleSchema = z.strictObject({
  name: z.string().min(3),
  /** The `data` the tool returns (only what the check's facts read). */
  data: z.unknown(),
  /** Entity view values the check's templates read, e.g. { workload: chat-api }. */
  view: z.record(z.string(), z.string()).default({}),
  entities: z.record(z.string(), z.unknown()).default({}),
  /** The tool found the data not collected here: the check must say so, never contradict. */
  missing: z.strictObject({ metrics: z.array(z.string()), fix: z.string() }).optional(),
  /** ms offsets from now for time arithmetic (alert start, window); defaults: 15 and 35 minutes. */
  alertStartMinutesAgo: z.number().nonnegative().default(15),
  expect: z.enum(VERDICTS),
  /** Words the sentence must contain (case-insensitive). */
  says: z.array(z.string()).default([]),
  /** Words the sentence must not contain (case-insensitive): what the check must not claim here. */
  never: z.array(z.string()).default([]),
});

const examplesFileSchema = z.record(z.string(), z.array(exampleSchema).min(1));
export type RunbookExample = z.infer<typeof exampleSchema>;

export interface ExampleOutcome {
  check: string;
  name: string;
  expected: string;
  actual: string;
  sentence: string;
  facts: Record<string, unknown>;
  passed: boolean;
  /** Why it failed, as a person reads a diff. */
  diff?: string;
}

/** Where a runbook's examples live: beside it, `<id>.examples.yaml`. */
function examplesFile(runbook: Runbook): string {
  return runbook.file.replace(/\.md$/, '.examples.yaml');
}

/** Reads a runbook's examples file; a missing file is no examples, a broken one is issues with lines. */
export async function loadExamples(
  runbook: Runbook,
): Promise<{ examples: Record<string, RunbookExample[]>; issues: Issue[] }> {
  const file = examplesFile(runbook);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return { examples: {}, issues: [] };
  }
  const { source, issues } = parseYamlSource(text, file);
  if (issues.length > 0) return { examples: {}, issues };
  const parsed = examplesFileSchema.safeParse(source.document.toJS() ?? {});
  if (!parsed.success)
    return {
      examples: {},
      issues: parsed.error.issues.map((issue) => ({
        file,
        path: formatPath(issue.path),
        message: issue.message,
        ...(lineAt(source, issue.path) ? { line: lineAt(source, issue.path)! } : {}),
        fix: 'See "Testing a runbook" in runbooks/README.md.',
      })),
    };
  const known = new Set(runbook.checks.map((check) => check.id));
  const unknown = Object.keys(parsed.data).filter((id) => !known.has(id));
  return {
    examples: parsed.data,
    issues: unknown.map((id) => ({
      file,
      path: id,
      message: `examples for '${id}', which is not a check of ${runbook.id}`,
      ...(lineAt(source, [id], { key: true }) ? { line: lineAt(source, [id], { key: true })! } : {}),
      fix: `Use a check id: ${[...known].join(', ')}.`,
    })),
  };
}

/** Runs every example of a runbook through its checks' facts and verdicts, with no tool and no Prometheus. */
export async function runExamples(
  runbook: Runbook,
  examples: Record<string, RunbookExample[]>,
): Promise<ExampleOutcome[]> {
  const outcomes: ExampleOutcome[] = [];
  const nowMs = Date.now();
  for (const check of runbook.checks) {
    for (const example of examples[check.id] ?? []) {
      const judgement = await judgeCheck(
        check,
        {
          data: example.data,
          status: 'success',
          entities: example.entities,
          view: example.view,
          nowMs,
          alertStartMs: nowMs - example.alertStartMinutesAgo * 60_000,
          windowMs: (example.alertStartMinutesAgo + 15) * 60_000,
        },
        example.missing,
      );
      const missingWords = example.says.filter(
        (word) => !judgement.sentence.toLowerCase().includes(word.toLowerCase()),
      );
      const claimed = example.never.filter((word) => judgement.sentence.toLowerCase().includes(word.toLowerCase()));
      const passed = judgement.verdict === example.expect && missingWords.length === 0 && claimed.length === 0;
      outcomes.push({
        check: check.id,
        name: example.name,
        expected: example.expect,
        actual: judgement.verdict,
        sentence: judgement.sentence,
        facts: judgement.facts,
        passed,
        ...(passed
          ? {}
          : {
              diff: [
                judgement.verdict !== example.expect
                  ? `- expected ${example.expect}\n+ got      ${judgement.verdict}`
                  : '',
                missingWords.length > 0 ? `- the sentence lacks: ${missingWords.join(', ')}` : '',
                claimed.length > 0 ? `- the sentence should not say: ${claimed.join(', ')}` : '',
                `  sentence: ${judgement.sentence}`,
                `  facts:    ${JSON.stringify(judgement.facts)}`,
              ]
                .filter(Boolean)
                .join('\n'),
            }),
      });
    }
  }
  return outcomes;
}
