/**
 * Slack mrkdwn from untrusted text (alert labels and annotations, model output, user questions).
 * Slack reads `<…>` as a control sequence (`<!channel>`, `<@U…>`, `<!subteam^S…>`, `<url|text>`)
 * and requires &, < and > to be escaped; once they are, no sequence survives.
 */
export function escapeEntities(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Prose: entities escaped, and the bare @channel/@here/@everyone words kept from ever notifying. */
export function escapeMrkdwn(text: string): string {
  return escapeEntities(text).replace(/@(channel|here|everyone)\b/gi, '@\u2060$1');
}

/** A value shown as `code`: a backtick inside would end it, so it becomes a look-alike. */
export function inlineCode(text: string): string {
  return `\`${escapeEntities(text).replace(/`/g, 'ˋ').replace(/\n/g, ' ')}\``;
}

/**
 * A command in a code block. Three backticks would close the block and let the rest be read as
 * mrkdwn, so runs of them become look-alikes; nothing else changes, so the command pastes as it is.
 */
export function codeBlock(text: string): string {
  const body = escapeEntities(text).replace(/`{3,}/g, (run) => 'ˋ'.repeat(run.length));
  return `\`\`\`\n${body}\n\`\`\``;
}

/** A link target for a button: http(s) only and within Slack's 3,000 characters, else none. */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url || url.length > 3000) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}
