import fc from 'fast-check';
import {
  escapeMarkdown,
  escapeSlack,
  fitLines,
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
  it('escapes only the three control characters', () => {
    expect(escapeSlack(`<@U1> & "it's" *ok*`)).toBe(`&lt;@U1&gt; &amp; "it's" *ok*`);
  });
});

describe(escapeMarkdown.name, () => {
  it('backslash-escapes what would format', () => {
    expect(escapeMarkdown('a*b_c`d[e]<f> 80-90')).toBe('a\\*b\\_c\\`d\\[e\\]\\<f\\> 80-90');
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
    const text = blocks[0].type === 'section' ? blocks[0].text.text : '';
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
    const text = blocks[0].type === 'section' ? blocks[0].text.text : '';
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
    expect(renderMarkdown(section, { limit: 1000, lineBreak: '\n' })).toBe('s\n\na\nb\n…and 2 more');
    expect(renderMarkdown(section, { limit: 1000, lineBreak: '\n\n' })).toBe('s\n\na\n\nb\n\n…and 2 more');
  });
});
