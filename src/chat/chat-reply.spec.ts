import fc from 'fast-check';
import {
  escapeMarkdown,
  escapeSlack,
  escapeTeams,
  fitLines,
  inertText,
  MATTERMOST_TEXT_LIMIT,
  PLAIN_TEXT_LIMIT,
  renderMarkdown,
  renderPlainText,
  renderSlackBlocks,
  SLACK_LIMITS,
  TEAMS_TEXT_LIMIT,
  toCommandMessage,
  toMattermostMessage,
  toSlackMessage,
  toTeamsMessage,
  type ChatReply,
  type Line,
} from './chat-reply.js';
import { mattermostMentions, SLACK_STYLE_MENTION } from './testing/mentions.js';
import { slackBlockProblems } from './testing/slack-blocks.js';

const reply: ChatReply = {
  summary: ['Plan ', { bold: 'shop' }, ': 2 components'],
  blocks: [
    {
      kind: 'section',
      lines: [[{ bold: 'Plan shop' }], [{ code: 'web' }, ' → ', { bold: 'ClusterIP' }, ' <via> Ingress & more']],
    },
    { kind: 'divider' },
    {
      kind: 'context',
      line: ['id ', { code: 'abc' }, ' · ', { link: 'http://x.test/v1/plans/abc/manifests', label: 'manifests' }],
    },
    { kind: 'code', text: 'apiVersion: v1\nkind: Service', language: 'yaml' },
  ],
};

function numberedLines(count: number, width = 40): Line[] {
  return Array.from({ length: count }, (_, index): Line => [`line ${index} `.padEnd(width, 'x')]);
}

describe(escapeSlack.name, () => {
  it('escapes the three control characters and leaves the rest as typed', () => {
    expect(escapeSlack(`<#C1> & "it's" *ok*`)).toBe(`&lt;#C1&gt; &amp; "it's" *ok*`);
  });

  it('turns <!here> and <@U1> into text and @channel into no mention', () => {
    expect(escapeSlack('<!here> <@U1> @channel')).toBe('&lt;!here&gt; &lt;@\u2060U1&gt; @\u2060channel');
  });

  it('keeps a value on its line', () => {
    expect(escapeSlack('a\nb\r\nc\u2028d\te\u0000f')).toBe('a b  c d e f');
  });
});

describe(escapeMarkdown.name, () => {
  it('backslash-escapes what would format', () => {
    expect(escapeMarkdown('a*b_c`d[e]<f> 80-90 ~g~ #h |i| &lt; & j')).toBe(
      'a\\*b\\_c\\`d\\[e\\]\\<f\\> 80-90 \\~g\\~ \\#h \\|i\\| \\&lt; & j',
    );
  });

  it('leaves no Slack-style mention for Mattermost to expand, and no @ mention', () => {
    expect(escapeMarkdown('<!channel> @all')).toBe('\\<!channel\\> @\u2060all');
  });
});

describe(escapeTeams.name, () => {
  it('writes &, < and > as entities, so that no tag of Teams is read, and escapes Markdown', () => {
    expect(escapeTeams('<at>ops</at> & *x* 1 < 2')).toBe('&lt;at&gt;ops&lt;/at&gt; &amp; \\*x\\* 1 &lt; 2');
  });
});

describe(inertText.name, () => {
  it('replaces control characters and separators with a space and breaks @ mentions with a word joiner', () => {
    expect(inertText('@here\n@all\u2029x@y.com @ 2 @é')).toBe('@\u2060here @\u2060all x@\u2060y.com @ 2 @\u2060é');
  });
});

/** Text a user could have stored in a plan to reach a whole channel, start lines of its own, or format. */
const hostileText = fc
  .array(
    fc.constantFrom(
      '@channel',
      '@here',
      '@all',
      '@everyone',
      '<!here>',
      '<!channel>',
      '<!all>',
      '<@U024BE7LH>',
      '<at>ops</at>',
      '<b>',
      '\n',
      '\r\n',
      '\n\n# heading',
      '\n> quote',
      '\u2028',
      '\u0085',
      '\u0000',
      '\ud800',
      '```',
      '`',
      '*',
      '_',
      '~',
      '[x](http://evil.example)',
      '&lt;!here&gt;',
      '|',
      ' ',
      'a',
    ),
    { minLength: 1, maxLength: 12 },
  )
  .map((parts) => parts.join(''));

/** A reply with `text` in every kind of inline part and in a code block. */
function replyCarrying(text: string): ChatReply {
  return {
    summary: ['Plan ', { bold: text }],
    blocks: [
      { kind: 'section', lines: [[text, ' · ', { code: text }], [{ bold: text }]] },
      { kind: 'context', line: [{ link: 'https://planner.example.com/v1/plans/x/manifests', label: text }] },
      // As YAML writes a value: quoted, its control characters escaped, the rest as it is.
      { kind: 'code', text: `path: ${JSON.stringify(text)}\nname: web`, language: 'yaml' },
    ],
  };
}

/** Markdown without its fenced blocks and code spans. */
function outsideCode(markdown: string): string {
  return markdown.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '').replace(/(`+)[^`]*?\1/g, '');
}

/** How many lines the reply's own structure makes: the same reply with a harmless word in place of the text. */
const linesOf = (text: string): number => text.split('\n').length;

describe('text a plan carries into a reply shared with a channel', () => {
  it('reaches no one, starts no line and closes no code block, in every rendering', () => {
    const plain = replyCarrying('word');
    fc.assert(
      fc.property(hostileText, (text) => {
        const reply = replyCarrying(text);

        const slack = toSlackMessage(reply, true);
        const slackTexts = [slack.text, ...slack.blocks.map((block) => JSON.stringify(block))];
        for (const rendered of slackTexts) {
          // Our own link is the only "<…>" Slack may read as markup.
          const withoutOwnLink = rendered.replace(/<https:\/\/planner\.example\.com\/v1\/plans\/x\/manifests\|/g, '');
          expect(withoutOwnLink).not.toContain('<');
          expect(mattermostMentions(rendered)).toEqual([]);
        }
        expect(linesOf(slack.text)).toBe(linesOf(toSlackMessage(plain, true).text));
        const codeBlock = slack.blocks.map((block) => JSON.stringify(block)).find((json) => json.includes('name: web'));
        expect((codeBlock?.match(/```/g) ?? []).length).toBe(2);

        const mattermost = toMattermostMessage(reply, true).text;
        expect(mattermost).not.toMatch(SLACK_STYLE_MENTION);
        expect(mattermostMentions(mattermost)).toEqual([]);
        expect(linesOf(mattermost)).toBe(linesOf(toMattermostMessage(plain, true).text));

        const teams = toTeamsMessage(reply).text;
        // Code is shown as written (a tag in it is text); everywhere else no tag may be read.
        expect(outsideCode(teams)).not.toMatch(/<[a-z!@/]/i);
        expect(mattermostMentions(teams)).toEqual([]);
        expect(linesOf(teams)).toBe(linesOf(toTeamsMessage(plain).text));

        const command = toCommandMessage(reply).text;
        expect(mattermostMentions(command)).toEqual([]);
        expect(linesOf(command)).toBe(linesOf(toCommandMessage(plain).text));
      }),
      { numRuns: 300 },
    );
  });

  it('fences a Markdown code block with more backticks than the code holds', () => {
    const text = toMattermostMessage(replyCarrying('a````b'), false).text;
    expect(text).toContain('`````yaml\npath: "a````b"\nname: web\n`````');
  });
});

describe(fitLines.name, () => {
  it('keeps every line when they fit', () => {
    expect(fitLines(['a', 'b'], 10)).toBe('a\nb');
  });

  it('adds the count the formatter had already left out', () => {
    expect(fitLines(['a', 'b'], 100, { more: 3, moreNote: 'list all' })).toBe('a\nb\n…and 3 more (list all)');
  });

  it('cuts at a line and counts what it left out', () => {
    const text = fitLines(['a'.repeat(8), 'b'.repeat(8), 'c'.repeat(8), 'd'.repeat(8)], 30);
    expect(text).toBe('aaaaaaaa\nbbbbbbbb\n…and 2 more');
  });

  it('cuts a single line that is longer than the limit', () => {
    const text = fitLines(['x'.repeat(100)], 20);
    expect(text.length).toBeLessThanOrEqual(20);
    expect(text.endsWith('…')).toBe(true);
  });

  it('never goes past the limit and always counts the hidden lines (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 0, maxLength: 80 }), { maxLength: 60 }),
        fc.integer({ min: 40, max: 3000 }),
        fc.nat(50),
        (lines, limit, more) => {
          const text = fitLines(lines, limit, { more });
          expect(text.length).toBeLessThanOrEqual(limit);
          if (more === 0 && lines.join('\n').length <= limit) {
            expect(text).toBe(lines.join('\n'));
          }
          const hidden = /…and (\d+) more$/.exec(text);
          const shownLines = text.split('\n').length - (hidden === null ? 0 : 1);
          const expectedHidden = lines.length - shownLines + more;
          if (expectedHidden > 0) {
            expect(Number(hidden?.[1])).toBe(expectedHidden);
          }
        },
      ),
    );
  });
});

describe(renderSlackBlocks.name, () => {
  it('renders section, divider and context blocks with mrkdwn, escaping the text', () => {
    const blocks = renderSlackBlocks(reply);
    expect(slackBlockProblems(blocks)).toEqual([]);
    expect(blocks.map((block) => block.type)).toEqual(['section', 'divider', 'context', 'section']);
    expect(blocks[0]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '*Plan shop*\n`web` → *ClusterIP* &lt;via&gt; Ingress &amp; more' },
    });
    expect(blocks[2]).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'id `abc` · <http://x.test/v1/plans/abc/manifests|manifests>' }],
    });
    expect(blocks[3]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '```apiVersion: v1\nkind: Service```' },
    });
  });

  it('truncates a long section to 3000 characters with "…and N more"', () => {
    const blocks = renderSlackBlocks({ summary: ['many'], blocks: [{ kind: 'section', lines: numberedLines(2000) }] });
    expect(slackBlockProblems(blocks)).toEqual([]);
    const [first] = blocks;
    const text = first?.type === 'section' ? first.text.text : '';
    const shown = text.split('\n').length - 1;
    expect(text).toMatch(new RegExp(`_…and ${2000 - shown} more_$`));
    expect(text.length).toBeGreaterThan(SLACK_LIMITS.sectionText - 100);
  });

  it('keeps at most 50 blocks, the last one counting the rest', () => {
    const blocks = renderSlackBlocks({
      summary: ['many'],
      blocks: Array.from({ length: 80 }, (_, index) => ({ kind: 'section', lines: [[`block ${index}`]] }) as const),
    });
    expect(slackBlockProblems(blocks)).toEqual([]);
    expect(blocks).toHaveLength(SLACK_LIMITS.blocks);
    expect(blocks[49]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: '…and 31 more (blocks)' }] });
  });

  it('cuts a long code block by whole lines and says how many were left out', () => {
    const code = Array.from({ length: 400 }, (_, index) => `key${index}: ${'v'.repeat(20)}`).join('\n');
    const blocks = renderSlackBlocks({ summary: ['code'], blocks: [{ kind: 'code', text: code }] });
    expect(slackBlockProblems(blocks)).toEqual([]);
    const [first] = blocks;
    const text = first?.type === 'section' ? first.text.text : '';
    expect(text.startsWith('```key0: ')).toBe(true);
    expect(text).toMatch(/```\n…and \d+ more \(lines\)$/);
  });

  it('drops a section with no lines instead of sending an empty text Slack would refuse', () => {
    const blocks = renderSlackBlocks({ summary: ['x'], blocks: [{ kind: 'section', lines: [] }, { kind: 'divider' }] });
    expect(blocks).toEqual([{ type: 'divider' }]);
  });
});

describe(toSlackMessage.name, () => {
  it('is ephemeral unless shared', () => {
    expect(toSlackMessage(reply, false).response_type).toBe('ephemeral');
    expect(toSlackMessage(reply, true).response_type).toBe('in_channel');
  });

  it('carries a plain text fallback with the summary and every line, escaped for Slack', () => {
    const { text } = toSlackMessage(reply, false);
    expect(text.split('\n')[0]).toBe('Plan shop: 2 components');
    expect(text).toContain('`web` → ClusterIP &lt;via&gt; Ingress &amp; more');
    expect(text).toContain('manifests: http://x.test/v1/plans/abc/manifests');
    expect(text).not.toContain('*');
  });

  it('keeps the fallback within its limit', () => {
    const { text } = toSlackMessage(
      { summary: ['many'], blocks: [{ kind: 'section', lines: numberedLines(2000) }] },
      false,
    );
    expect(text.length).toBeLessThanOrEqual(PLAIN_TEXT_LIMIT);
    expect(text).toMatch(/…and \d+ more$/);
  });
});

describe(toMattermostMessage.name, () => {
  it('puts the whole reply in the text as Markdown, since Mattermost does not show blocks', () => {
    const message = toMattermostMessage(reply, true);
    expect(message.response_type).toBe('in_channel');
    expect(message.text).toContain('**Plan shop**\n`web` → **ClusterIP** \\<via\\> Ingress & more');
    expect(message.text).toContain('[manifests](http://x.test/v1/plans/abc/manifests)');
    expect(message.text).toContain('```yaml\napiVersion: v1\nkind: Service\n```');
    expect(slackBlockProblems(message.blocks)).toEqual([]);
  });

  it('stays within a Mattermost post', () => {
    const big = toMattermostMessage(
      { summary: ['x'], blocks: [{ kind: 'section', lines: numberedLines(2000) }] },
      false,
    );
    expect(big.text.length).toBeLessThanOrEqual(MATTERMOST_TEXT_LIMIT);
  });
});

describe(toTeamsMessage.name, () => {
  it('is a message activity with Markdown text, one paragraph per line', () => {
    const message = toTeamsMessage(reply);
    expect(message.type).toBe('message');
    expect(message.text).toContain('**Plan shop**\n\n`web` → **ClusterIP**');
    expect(Object.keys(message)).toEqual(['type', 'text']);
  });

  it('cuts between paragraphs so that no code fence is left open', () => {
    const long: ChatReply = {
      summary: ['x'],
      blocks: [
        { kind: 'section', lines: numberedLines(600) },
        { kind: 'code', text: 'a: 1\nb: 2' },
      ],
    };
    const text = toTeamsMessage(long).text;
    expect(text.length).toBeLessThanOrEqual(TEAMS_TEXT_LIMIT);
    expect((text.match(/```/g) ?? []).length % 2).toBe(0);
    expect(text).toMatch(/…and \d+ more$/);
  });
});

describe(toCommandMessage.name, () => {
  it('returns plain text and the same blocks as Slack', () => {
    const message = toCommandMessage(reply);
    expect(Object.keys(message).sort()).toEqual(['blocks', 'text']);
    expect(message.text).toContain('`web` → ClusterIP <via> Ingress & more');
    expect(message.blocks).toEqual(renderSlackBlocks(reply));
  });
});

describe(renderPlainText.name, () => {
  it('does not repeat a summary the first block already says', () => {
    const short: ChatReply = {
      summary: ['No plans yet.'],
      blocks: [{ kind: 'section', lines: [['No plans yet. Make one.']] }],
    };
    expect(renderPlainText(short)).toBe('No plans yet. Make one.');
    expect(renderPlainText({ ...short, summary: ['0 plans'] })).toBe('0 plans\nNo plans yet. Make one.');
  });
});

describe(renderMarkdown.name, () => {
  it('separates lines by the break the client needs', () => {
    const section: ChatReply = { summary: ['s'], blocks: [{ kind: 'section', lines: [['a'], ['b']], more: 2 }] };
    expect(renderMarkdown(section, { limit: 1000, lineBreak: '\n', platform: 'mattermost' })).toBe(
      's\n\na\nb\n…and 2 more',
    );
    expect(renderMarkdown(section, { limit: 1000, lineBreak: '\n\n', platform: 'teams' })).toBe(
      's\n\na\n\nb\n\n…and 2 more',
    );
  });
});
