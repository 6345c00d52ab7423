import type { types } from '@slack/bolt';

export type Block = types.KnownBlock;
export type Button = types.Button;

/** Slack's limits (Block Kit reference): what a message may hold. */
export const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  headerText: 150,
  contextElements: 10,
  contextText: 2000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  /** The notification text; Slack truncates far later, but a preview never needs more. */
  fallbackText: 3000,
} as const;

export const CUT_NOTE = '_✂ Cut to fit Slack; the full text is in the thread._';

/** Cuts text to `max` characters, closing a code block it cut open. */
export function clip(text: string, max: number, note = ''): string {
  if (text.length <= max) return text;
  const room = max - note.length - 6;
  let cut = text.slice(0, Math.max(0, room));
  // An entity cut in half (&am…) would show as garbage: drop the partial one.
  cut = cut.replace(/&[a-z]{0,4}$/, '');
  const fences = cut.match(/```/g)?.length ?? 0;
  const close = fences % 2 === 1 ? '\n```' : '';
  return `${cut}…${close}${note ? `\n${note}` : ''}`;
}

export const section = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text } });

export const header = (text: string): Block => ({
  type: 'header',
  text: { type: 'plain_text', text: clip(text, LIMITS.headerText), emoji: true },
});

export const context = (texts: string[]): Block => ({
  type: 'context',
  elements: texts.slice(0, LIMITS.contextElements).map((text) => ({ type: 'mrkdwn', text })),
});

export const divider = (): Block => ({ type: 'divider' });

export function linkButton(text: string, url: string, actionId: string): Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: clip(text, LIMITS.buttonText) },
    url,
    action_id: actionId,
  };
}

export function actionButton(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: clip(text, LIMITS.buttonText) },
    action_id: actionId,
    value,
    ...(style ? { style } : {}),
  };
}

function splitLine(line: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = line;
  while (rest.length > max) {
    const space = rest.lastIndexOf(' ', max);
    let at = space > max / 2 ? space : max;
    // Never split an entity (&amp;) in two.
    const amp = rest.lastIndexOf('&', at);
    if (amp > at - 6 && amp > 0 && !rest.slice(amp, at).includes(';')) at = amp;
    pieces.push(rest.slice(0, at));
    rest = rest.slice(at).replace(/^ /, '');
  }
  return [...pieces, rest];
}

/**
 * Splits long mrkdwn into section-sized pieces at line ends (never inside a code block when it
 * can help it), so a long report becomes several sections rather than one cut one.
 */
export function sections(text: string, max: number = LIMITS.sectionText): Block[] {
  const pieces: string[] = [];
  let current = '';
  let open = false;
  // A line longer than a section is split at spaces (or hard), so nothing is lost.
  const lines = text.split('\n').flatMap((line) => splitLine(line, max - 10));
  for (const line of lines) {
    const candidate = current ? `${current}\n${line}` : line;
    if (candidate.length + (open ? 4 : 0) > max && current) {
      pieces.push(open ? `${current}\n\`\`\`` : current);
      current = open ? `\`\`\`\n${line}` : line;
    } else current = candidate;
    if ((line.match(/```/g)?.length ?? 0) % 2 === 1) open = !open;
  }
  if (current) pieces.push(current);
  return pieces.map((piece) => section(clip(piece, max)));
}

/**
 * Enforces Slack's limits on a message: texts cut with a visible note, at most 50 blocks (the
 * last one saying the rest is in the thread). `cut` tells the caller to put the full text there.
 */
export function fitBlocks(blocks: Block[]): { blocks: Block[]; cut: boolean } {
  let cut = false;
  const fitted = blocks.map((block): Block => {
    if (block.type === 'section' && block.text && block.text.text.length > LIMITS.sectionText) {
      cut = true;
      return { ...block, text: { ...block.text, text: clip(block.text.text, LIMITS.sectionText, CUT_NOTE) } };
    }
    if (block.type === 'context') {
      const elements = block.elements.slice(0, LIMITS.contextElements).map((element) => {
        if ('text' in element && typeof element.text === 'string' && element.text.length > LIMITS.contextText) {
          cut = true;
          return { ...element, text: clip(element.text, LIMITS.contextText) };
        }
        return element;
      });
      return { ...block, elements };
    }
    if (block.type === 'actions') return { ...block, elements: block.elements.slice(0, LIMITS.actionsElements) };
    return block;
  });
  if (fitted.length <= LIMITS.blocks) return { blocks: fitted, cut };
  // Keep the actions (buttons) if there are any: they are the message's purpose once read.
  const actions = fitted.filter((block) => block.type === 'actions').slice(-1);
  const room = LIMITS.blocks - 1 - actions.length;
  const kept = fitted.filter((block) => block.type !== 'actions').slice(0, room);
  return { blocks: [...kept, context([CUT_NOTE]), ...actions], cut: true };
}

/** The notification text (shown where blocks cannot be): plain, short. */
export function fallbackText(text: string): string {
  return clip(text, LIMITS.fallbackText);
}
