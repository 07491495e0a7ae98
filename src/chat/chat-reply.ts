import { replaceUnsafeCharacters } from '../planner/text-safety.js';
import { at } from '../common/at.js';

/**
 * A chat reply as a small document, and its renderings for each chat system. The formatters
 * (reply-formatter.ts) say WHAT to answer once; the renderers here say how each client wants it:
 * Slack Block Kit with mrkdwn, plain text, or Markdown (Mattermost, Teams). Each renderer keeps
 * within its client's limits, cutting long parts with "…and N more" rather than being refused.
 */

/** A run of text and how it should look; every renderer escapes the text for its own syntax. */
export type Inline = string | { bold: string } | { code: string } | { link: string; label: string };
export type Line = readonly Inline[];

export type ReplyBlock =
  /** Lines of one topic. `more` counts items left out before rendering (a list page, the top 5 findings). */
  | { kind: 'section'; lines: readonly Line[]; more?: number; moreNote?: string }
  | { kind: 'context'; line: Line }
  | { kind: 'divider' }
  /** Preformatted text (a YAML excerpt). */
  | { kind: 'code'; text: string; language?: string };

export type ChatReply = {
  /** One line that stands for the whole reply: notifications, and the first line of text renderings. */
  summary: Line;
  blocks: readonly ReplyBlock[];
};

export type SlackText = { type: 'mrkdwn'; text: string };
export type SlackBlock =
  { type: 'section'; text: SlackText } | { type: 'context'; elements: SlackText[] } | { type: 'divider' };

export type SlackResponseType = 'ephemeral' | 'in_channel';

/** What Slack (and Mattermost, which accepts it) reads in a slash command's response body. */
export type SlackMessage = { response_type: SlackResponseType; text: string; blocks: SlackBlock[] };

/** The reply of POST /v1/chat/command, for bots of any kind: plain text plus Slack blocks. */
export type CommandMessage = { text: string; blocks: SlackBlock[] };

/** A Microsoft Teams outgoing webhook's synchronous reply (a Bot Framework message activity). */
export type TeamsMessage = { type: 'message'; text: string };

/** Block Kit limits (https://api.slack.com/reference/block-kit/blocks): a message and a section. */
export const SLACK_LIMITS = { blocks: 50, sectionText: 3000, contextText: 3000, contextElements: 10 } as const;

/** Slack cuts `text` far later (40,000); the fallback only has to read well in a notification. */
export const PLAIN_TEXT_LIMIT = 3000;
/** Mattermost posts hold 16,383 characters. */
export const MATTERMOST_TEXT_LIMIT = 16_000;
/** Teams refuses bot messages over 40 KB of UTF-16 (about 20,000 characters). */
export const TEAMS_TEXT_LIMIT = 16_000;

type Dialect = {
  text(value: string): string;
  bold(value: string): string;
  code(value: string): string;
  link(url: string, label: string): string;
  codeBlock(text: string, language: string | undefined): string;
  divider: string | undefined;
};

/**
 * What every rendering does to a value first: it stays on its line (a line break or another control
 * character would let it start a quote, a list or a heading of its own), and it mentions no one.
 */
export function inertText(value: string): string {
  return withoutMentions(replaceUnsafeCharacters(value, ' '));
}

/**
 * A U+2060 WORD JOINER after an "@" that starts a word keeps "@channel" on screen but not a
 * mention: Mattermost notifies for a word of letters, digits and ":.-_@" that is "@channel",
 * "@here", "@all" or "@" and a name (StandardMentionParser.ProcessText,
 * https://github.com/mattermost/mattermost/blob/master/server/channels/app/mention_parser_standard.go),
 * and a joiner is none of those, so it splits the word. Slack and Teams get the same, for clients
 * that link bare names. Code too: a client that reads mentions in code is still a client.
 */
function withoutMentions(text: string): string {
  return text.replace(/@(?=[\p{L}\p{N}])/gu, '@\u2060');
}

/** &, < and > as HTML entities, which Slack and HTML both read as text. */
function htmlEntities(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Slack mrkdwn: its control characters are &, < and > (`<!here>`, `<@U123>`, links), escaped as
 * entities (https://api.slack.com/reference/surfaces/formatting#escaping); nothing else is escaped
 * (it would show as typed).
 */
export function escapeSlack(value: string): string {
  return htmlEntities(inertText(value));
}

/**
 * Markdown as Mattermost reads it (CommonMark): a backslash before each ASCII punctuation character
 * that could format (https://spec.commonmark.org/0.31.2/#backslash-escapes). `<` becomes `\<`, so
 * the Slack-style `<!here>` and `<@id>` that Mattermost expands into mentions never appear.
 */
export function escapeMarkdown(value: string): string {
  // An `&` only formats as the start of an entity (`&lt;`), so only then is it escaped.
  return inertText(value).replace(/[\\`*_[\]<>~#|]|&(?=#?[A-Za-z0-9]+;)/g, (character) => `\\${character}`);
}

/**
 * Markdown as Teams reads it: Teams takes a subset of Markdown and of HTML tags in the same text
 * (https://learn.microsoft.com/en-us/microsoftteams/platform/resources/bot-v3/bots-text-formats),
 * so &, < and > are HTML entities, which both read as text, and the rest is escaped as Markdown.
 */
export function escapeTeams(value: string): string {
  return htmlEntities(inertText(value).replace(/[\\`*_[\]~#|]/g, (character) => `\\${character}`));
}

/** The longest run of backticks in `text`: a Markdown fence must be longer to hold it. */
function longestBacktickRun(text: string): number {
  return Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
}

const SLACK: Dialect = {
  text: escapeSlack,
  bold: (value) => `*${escapeSlack(value)}*`,
  // mrkdwn has no escape for a backtick: one inside would end the code early.
  code: (value) => `\`${escapeSlack(value).replace(/`/g, "'")}\``,
  link: (url, label) => `<${escapeSlack(url)}|${escapeSlack(label)}>`,
  // A zero-width space between backticks, so that "```" in the text cannot close the block early.
  codeBlock: (text) => `\`\`\`${htmlEntities(withoutMentions(text)).replace(/`(?=`)/g, '`\u200b')}\`\`\``,
  divider: undefined,
};

/**
 * Mattermost turns Slack's `<!here>`, `<!channel>`, `<!all>` and `<@id>` into mentions anywhere in
 * a slash command's text, code included (`expandAnnouncement`, `replaceUserIds` in
 * https://github.com/mattermost/mattermost/blob/master/server/channels/app/slack.go); code cannot
 * be escaped, so a word joiner after the `<` breaks the pattern and prints nothing.
 */
function withoutSlackMentions(text: string): string {
  return text.replace(/<(?=[!@])/g, '<\u2060');
}

function markdownDialect(escape: (value: string) => string): Dialect {
  return {
    text: escape,
    bold: (value) => `**${escape(value)}**`,
    code: (value) => `\`${withoutSlackMentions(inertText(value)).replace(/`/g, "'")}\``,
    link: (url, label) => `[${escape(label)}](${url})`,
    codeBlock: (text, language) => {
      const fence = '`'.repeat(Math.max(3, longestBacktickRun(text) + 1));
      return `${fence}${language ?? ''}\n${withoutSlackMentions(withoutMentions(text))}\n${fence}`;
    },
    divider: '---',
  };
}

const MATTERMOST = markdownDialect(escapeMarkdown);
const TEAMS = markdownDialect(escapeTeams);

/** How plain text is escaped where it goes: a value inline, and a code block's lines. */
type PlainEscaping = { inline: (value: string) => string; block: (text: string) => string };

/** No markup at all: a bot posts it wherever it likes, so values are only made inert. */
const PLAIN: PlainEscaping = { inline: inertText, block: withoutMentions };
/** Slack's `text` fallback: the same &, < and > as mrkdwn. */
const SLACK_PLAIN: PlainEscaping = { inline: escapeSlack, block: (text) => htmlEntities(withoutMentions(text)) };

function plainDialect(escaping: PlainEscaping): Dialect {
  const escape = escaping.inline;
  return {
    text: escape,
    bold: escape,
    code: (value) => `\`${escape(value)}\``,
    link: (url, label) => (url === label ? escape(url) : `${escape(label)}: ${escape(url)}`),
    codeBlock: (text) => escaping.block(text),
    divider: undefined,
  };
}

function renderLine(line: Line, dialect: Dialect): string {
  return line
    .map((part) => {
      if (typeof part === 'string') {
        return dialect.text(part);
      }
      if ('bold' in part) {
        return dialect.bold(part.bold);
      }
      if ('code' in part) {
        return dialect.code(part.code);
      }
      return dialect.link(part.link, part.label);
    })
    .join('');
}

export function moreText(count: number, note?: string): string {
  return `…and ${count} more${note === undefined ? '' : ` (${note})`}`;
}

/**
 * Joins rendered lines, keeping as many as fit in `limit` characters with the "…and N more" line
 * that counts what was left out (plus `more` items the formatter had already left out).
 */
export function fitLines(
  lines: readonly string[],
  limit: number,
  options: {
    more?: number | undefined;
    moreNote?: string | undefined;
    separator?: string;
    renderMore?: (text: string) => string;
  } = {},
): string {
  const separator = options.separator ?? '\n';
  const more = options.more ?? 0;
  const renderMore = options.renderMore ?? ((text: string) => text);
  const moreLine = (hidden: number): string => (hidden > 0 ? renderMore(moreText(hidden, options.moreNote)) : '');
  const whole = [...lines, ...(more > 0 ? [moreLine(more)] : [])].join(separator);
  if (whole.length <= limit) {
    return whole;
  }
  // Something has to go, so every candidate stopping point reserves room for its own "…and N more".
  const kept: string[] = [];
  let length = 0;
  for (const [index, line] of lines.entries()) {
    const withLine = length + (kept.length > 0 ? separator.length : 0) + line.length;
    const hiddenAfter = lines.length - index - 1 + more;
    const tail = moreLine(hiddenAfter);
    if (withLine + (tail === '' ? 0 : separator.length + tail.length) > limit) {
      break;
    }
    kept.push(line);
    length = withLine;
  }
  if (kept.length === 0 && lines.length > 0) {
    // Not even the first line fits with its tail: cut the line itself rather than show nothing.
    const tail = moreLine(lines.length - 1 + more);
    const room = Math.max(1, limit - (tail === '' ? 0 : separator.length + tail.length) - 1);
    kept.push(`${at(lines, 0).slice(0, room)}…`);
  }
  const hidden = lines.length - kept.length + more;
  const tail = moreLine(hidden);
  return [...kept, ...(tail === '' ? [] : [tail])].join(separator).slice(0, limit);
}

function cut(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/** Renders a code block within `limit`, cutting whole lines and saying how many were left out. */
function fitCode(text: string, limit: number, dialect: Dialect, language: string | undefined): string {
  const lines = text.split('\n');
  for (let keep = lines.length; keep > 0; keep--) {
    const hidden = lines.length - keep;
    const block = dialect.codeBlock(lines.slice(0, keep).join('\n'), language);
    const rendered = hidden === 0 ? block : `${block}\n${dialect.text(moreText(hidden, 'lines'))}`;
    if (rendered.length <= limit) {
      return rendered;
    }
  }
  return cut(dialect.codeBlock(text, language), limit);
}

/** Block Kit blocks for a reply, within Slack's limits on block count and text length. */
export function renderSlackBlocks(reply: ChatReply): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  for (const block of reply.blocks) {
    switch (block.kind) {
      case 'section': {
        const lines = block.lines.map((line) => renderLine(line, SLACK));
        const text = fitLines(lines, SLACK_LIMITS.sectionText, {
          more: block.more,
          moreNote: block.moreNote,
          renderMore: (more) => `_${escapeSlack(more)}_`,
        });
        if (text !== '') {
          blocks.push({ type: 'section', text: { type: 'mrkdwn', text } });
        }
        break;
      }
      case 'context': {
        const text = cut(renderLine(block.line, SLACK), SLACK_LIMITS.contextText);
        if (text !== '') {
          blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text }] });
        }
        break;
      }
      case 'divider':
        blocks.push({ type: 'divider' });
        break;
      case 'code':
        blocks.push({
          type: 'section',
          text: { type: 'mrkdwn', text: fitCode(block.text, SLACK_LIMITS.sectionText, SLACK, block.language) },
        });
        break;
    }
  }
  if (blocks.length <= SLACK_LIMITS.blocks) {
    return blocks;
  }
  const kept = blocks.slice(0, SLACK_LIMITS.blocks - 1);
  const hidden = blocks.length - kept.length;
  return [...kept, { type: 'context', elements: [{ type: 'mrkdwn', text: escapeSlack(moreText(hidden, 'blocks')) }] }];
}

function renderText(reply: ChatReply, dialect: Dialect, paragraph: string): string[] {
  const summary = renderLine(reply.summary, dialect);
  const parts: string[] = [];
  for (const block of reply.blocks) {
    switch (block.kind) {
      case 'section': {
        const lines = block.lines.map((line) => renderLine(line, dialect));
        const hidden = block.more ?? 0;
        parts.push([...lines, ...(hidden > 0 ? [dialect.text(moreText(hidden, block.moreNote))] : [])].join(paragraph));
        break;
      }
      case 'context':
        parts.push(renderLine(block.line, dialect));
        break;
      case 'divider':
        if (dialect.divider !== undefined) {
          parts.push(dialect.divider);
        }
        break;
      case 'code':
        parts.push(dialect.codeBlock(block.text, block.language));
        break;
    }
  }
  // A short reply often opens with its own summary; saying it twice would read as a stutter.
  const body = parts.filter((part) => part !== '');
  return body[0]?.startsWith(summary) ? body : [summary, ...body];
}

/** The whole reply as text with no markup; `escaping` adapts it to where it goes (Slack's &<>). */
export function renderPlainText(reply: ChatReply, limit = PLAIN_TEXT_LIMIT, escaping = PLAIN): string {
  return fitLines(renderText(reply, plainDialect(escaping), '\n').join('\n').split('\n'), limit, {
    renderMore: escaping.inline,
  });
}

/**
 * The whole reply as Markdown. Teams runs single newlines together, so its lines are separated by
 * blank lines; Mattermost keeps single newlines.
 */
export function renderMarkdown(
  reply: ChatReply,
  options: { limit: number; lineBreak: '\n' | '\n\n'; platform: 'mattermost' | 'teams' },
): string {
  const dialect = options.platform === 'teams' ? TEAMS : MATTERMOST;
  const text = renderText(reply, dialect, options.lineBreak).join('\n\n');
  if (text.length <= options.limit) {
    return text;
  }
  // Cut between paragraphs so that a code fence or a bold run is never left open.
  return fitLines(text.split('\n\n'), options.limit, { separator: '\n\n', renderMore: (more) => dialect.text(more) });
}

export function toSlackMessage(reply: ChatReply, share: boolean): SlackMessage {
  return {
    response_type: share ? 'in_channel' : 'ephemeral',
    text: renderPlainText(reply, PLAIN_TEXT_LIMIT, SLACK_PLAIN),
    blocks: renderSlackBlocks(reply),
  };
}

/**
 * Mattermost accepts Slack's response but shows only `text` (it does not render blocks), so the
 * text carries the whole reply as Markdown; the blocks stay for clients that read them.
 */
export function toMattermostMessage(reply: ChatReply, share: boolean): SlackMessage {
  return {
    response_type: share ? 'in_channel' : 'ephemeral',
    text: renderMarkdown(reply, { limit: MATTERMOST_TEXT_LIMIT, lineBreak: '\n', platform: 'mattermost' }),
    blocks: renderSlackBlocks(reply),
  };
}

export function toCommandMessage(reply: ChatReply): CommandMessage {
  return { text: renderPlainText(reply, MATTERMOST_TEXT_LIMIT), blocks: renderSlackBlocks(reply) };
}

export function toTeamsMessage(reply: ChatReply): TeamsMessage {
  return {
    type: 'message',
    text: renderMarkdown(reply, { limit: TEAMS_TEXT_LIMIT, lineBreak: '\n\n', platform: 'teams' }),
  };
}
