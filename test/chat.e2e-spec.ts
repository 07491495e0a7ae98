import type { Response } from 'supertest';
import { mattermostMentions, SLACK_STYLE_MENTION } from '../src/chat/testing/mentions.js';
import { slackBlockProblems } from '../src/chat/testing/slack-blocks.js';
import { uniqueName } from './support/app.js';
import {
  CHAT_ENV,
  MATTERMOST_TOKEN,
  mattermostForm,
  PUBLIC_URL,
  SLACK_SECRET,
  slackForm,
  slackHeaders,
  useChatApp,
  teamsActivity,
  teamsSignature,
  UUID,
} from './support/chat.js';
import { at } from '../src/common/at.js';

// The chat transports over the real app and database, called exactly as each chat system calls
// them (test/support/chat.ts): Slack's signed form, Mattermost's form with its token, Teams'
// HMAC-signed activity, and plain JSON for other bots.

type SlackReply = { response_type: string; text: string; blocks: unknown[] };

/** Everything a reply's reader sees: the fallback text and the text of every block. */
function allText(reply: { text: string; blocks: unknown[] }): string {
  return [reply.text, JSON.stringify(reply.blocks)].join('\n');
}

describe('chat transports (e2e)', () => {
  const testApp = useChatApp(CHAT_ENV);

  async function slack(text: string): Promise<SlackReply> {
    const body = slackForm(text);
    // Slack's 3-second budget is a speed goal, not a test assertion: a plan takes milliseconds (npm run bench:planner).
    const response = await testApp.api().post('/v1/chat/slack').set(slackHeaders(body)).send(body).expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const reply = response.body as SlackReply;
    expect(slackBlockProblems(reply.blocks)).toEqual([]);
    expect(reply.text.length).toBeGreaterThan(0);
    // Slack reads &, < and > in text as markup: the fallback escapes them; tests read it unescaped.
    expect(reply.text).not.toMatch(/[<>]/);
    return { ...reply, text: reply.text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&') };
  }

  /** A Teams activity with this text, signed as Teams signs an outgoing webhook; the reply must be 200. */
  async function teams(text: string): Promise<{ type: string; text: string }> {
    const body = teamsActivity(text);
    const response = await testApp
      .api()
      .post('/v1/chat/teams')
      .set({ 'content-type': 'application/json', authorization: teamsSignature(body) })
      .send(body)
      .expect(200);
    return response.body as { type: string; text: string };
  }

  describe('POST /v1/chat/slack, signed', () => {
    const name = uniqueName('chat');
    let planId: string;

    it('plans and stores a topology typed in chat, sharing the answer with --share', async () => {
      const reply = await slack(
        `plan ${name} on digitalocean web:frontend:80>8080:public api:api:3000 db:database:5432 ingress=nginx --share`,
      );
      expect(reply.response_type).toBe('in_channel');
      expect(reply.text).toContain(`Planned ${name} (revision 1) on digitalocean: 3 components`);
      for (const component of ['web', 'api', 'db']) {
        expect(reply.text).toMatch(new RegExp(`\`${component}\` → (ClusterIP|LoadBalancer|NodePort)`));
      }
      expect(reply.text).toMatch(/Monthly cost: \$\d+\.\d\d/);
      planId = UUID.exec(reply.text)?.[0] ?? '';
      expect(planId).not.toBe('');

      // The same plan the REST API serves, with the dependencies the order gave.
      const stored = await testApp.api().get(`/v1/plans/${planId}`).expect(200);
      expect(stored.body.name).toBe(name);
      const dependsOn = (stored.body.topology.components as { name: string; dependsOn: string[] }[]).map((c) => [
        c.name,
        c.dependsOn,
      ]);
      expect(dependsOn).toEqual([
        ['web', ['api']],
        ['api', ['db']],
        ['db', []],
      ]);
    });

    it('finds it with list', async () => {
      const reply = await slack('list digitalocean');
      expect(reply.response_type).toBe('ephemeral');
      expect(allText(reply)).toContain(`\`${name}\` · digitalocean · rev 1`);
      expect(allText(reply)).toContain(planId);
    });

    it('shows it by name and by id', async () => {
      const byName = await slack(`show ${name}`);
      expect(byName.text).toContain(`Plan ${name} (revision 1) on digitalocean`);
      expect(byName.text).toContain(planId);
      const byId = await slack(`show ${planId}`);
      expect(byId.text.split('\n')[0]).toBe(byName.text.split('\n')[0]);
    });

    it('gives its cost', async () => {
      const reply = await slack(`cost ${name}`);
      expect(reply.text).toMatch(new RegExp(`Cost of ${name}: \\$\\d+\\.\\d\\d per month \\(USD\\)`));
      expect(reply.text).toContain('Prices: ');
    });

    it('gives its findings, most severe first', async () => {
      const reply = await slack(`findings ${name}`);
      const severities = [...reply.text.matchAll(/ (critical|high|medium|low|info) `EXP/g)].map((match) =>
        at(match, 1),
      );
      const order = ['critical', 'high', 'medium', 'low', 'info'];
      expect(severities.map((s) => order.indexOf(s))).toEqual(
        [...severities.map((s) => order.indexOf(s))].sort((a, b) => a - b),
      );
      expect(reply.text).toContain(`Findings of ${name}`);
    });

    it('gives the start of its YAML and a URL the REST API serves the whole file at', async () => {
      const reply = await slack(`yaml ${name}`);
      const blocks = JSON.stringify(reply.blocks);
      expect(blocks).toContain('```apiVersion: ');
      const url = `${PUBLIC_URL}/v1/plans/${planId}/manifests`;
      expect(reply.text).toContain(url);
      const yaml = await testApp.api().get(new URL(url).pathname).expect(200);
      expect(yaml.headers['content-type']).toMatch(/yaml/);
      expect(yaml.text.startsWith('apiVersion: ')).toBe(true);
    });

    it('previews with --dry-run and stores nothing', async () => {
      const dryName = uniqueName('chat-dry');
      const reply = await slack(`plan ${dryName} on aws web:frontend:80:public --dry-run`);
      expect(reply.text).toContain(`Preview of ${dryName} (dry run)`);
      expect(reply.text).toContain('Dry run: nothing was stored');
      const list = await testApp.api().get('/v1/plans').query({ name: dryName }).expect(200);
      expect(list.body.totalCount).toBe(0);
    });

    it('follows --deps instead of the order', async () => {
      const depsName = uniqueName('chat-deps');
      const reply = await slack(
        `plan ${depsName} on gcp web:frontend:80:public api:api:3000 db:database:5432 --deps web>api,api>db,web>db`,
      );
      const id = UUID.exec(reply.text)?.[0];
      const stored = await testApp.api().get(`/v1/plans/${id}`).expect(200);
      expect(stored.body.topology.components[0].dependsOn).toEqual(['api', 'db']);
    });

    it("lists each of the planner's problems and stores nothing", async () => {
      const badName = uniqueName('chat-bad');
      const reply = await slack(`plan ${badName} on mars web:frontend:70000:public web:api:80`);
      expect(reply.response_type).toBe('ephemeral');
      expect(reply.text).toMatch(/The plan has \d+ problems; nothing was stored/);
      expect(reply.text).toContain('environment.platform');
      expect(reply.text).toMatch(/components\[0\]\.ports\[0\]\.port` \(web\)/);
      const list = await testApp.api().get('/v1/plans').query({ name: badName }).expect(200);
      expect(list.body.totalCount).toBe(0);
    });

    it('answers a malformed command with its usage, not an error', async () => {
      const reply = await slack('plan shop aws web');
      expect(reply.text).toContain('Expected `on <platform>`');
      expect(reply.text).toContain('Usage: `/plan plan <name> on <platform>');
    });

    it('answers an unknown plan with a friendly not found', async () => {
      expect((await slack('show no-such-plan-here')).text).toContain('No plan has the id or name `no-such-plan-here`.');
      expect((await slack('cost 00000000-0000-4000-8000-000000000000')).text).toContain('No plan has the id or name');
    });

    it('prints the help, with the workspace’s slash command', async () => {
      const reply = await slack('help');
      expect(reply.text).toContain('/plan plan <name> on <platform> <component>…');
      expect(reply.text).toContain('/plan findings <id|name>');
      expect((await slack('')).text).toBe(reply.text);
    });
  });

  describe('POST /v1/chat/slack, refused', () => {
    const body = slackForm('list');

    async function refused(headers: Record<string, string>, sent = body): Promise<Response> {
      const response = await testApp.api().post('/v1/chat/slack').set(headers).send(sent).expect(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 401, title: 'Unauthorized' });
      return response;
    }

    it('without signature headers', async () => {
      const response = await refused({ 'content-type': 'application/x-www-form-urlencoded' });
      expect(response.body.detail).toMatch(/headers are required/);
    });

    it('with a signature made with another secret', async () => {
      await refused(slackHeaders(body, 'another-signing-secret'));
    });

    it('with a body changed after signing', async () => {
      await refused(slackHeaders(body), slackForm('plan x on aws evil:api:80'));
    });

    it('with a timestamp more than 5 minutes old, even correctly signed', async () => {
      const response = await refused(slackHeaders(body, SLACK_SECRET, Math.floor(Date.now() / 1000) - 6 * 60));
      expect(response.body.detail).toMatch(/5 minutes/);
    });

    it('with a timestamp more than 5 minutes ahead', async () => {
      await refused(slackHeaders(body, SLACK_SECRET, Math.floor(Date.now() / 1000) + 6 * 60));
    });

    it('with a malformed signature', async () => {
      await refused({ ...slackHeaders(body), 'x-slack-signature': 'v0=not-hex' });
    });
  });

  describe('POST /v1/chat/command', () => {
    it('runs a command for any bot and answers with text and blocks', async () => {
      const response = await testApp.api().post('/v1/chat/command').send({ text: 'help' }).expect(200);
      expect(Object.keys(response.body).sort()).toEqual(['blocks', 'text']);
      expect(response.body.text).toContain('plan <name> on <platform>');
      expect(slackBlockProblems(response.body.blocks)).toEqual([]);
    });

    it('plans, then shows the plan', async () => {
      const name = uniqueName('chat-cmd');
      const planned = await testApp
        .api()
        .post('/v1/chat/command')
        .send({ text: `plan ${name} on kind web:frontend:80:public` })
        .expect(200);
      expect(planned.body.text).toContain(`Planned ${name}`);
      const shown = await testApp
        .api()
        .post('/v1/chat/command')
        .send({ text: `show ${name}` })
        .expect(200);
      expect(shown.body.text).toContain('`web` → NodePort');
    });

    it('revises the plan of the same name, with what changed; --new stores another', async () => {
      const name = uniqueName('chat-rev');
      const say = (text: string) => testApp.api().post('/v1/chat/command').send({ text }).expect(200);
      await say(`plan ${name} on kind web:frontend:80:public`);
      const revised = await say(`plan ${name} on kind web:frontend:80:public api:api:8080`);
      expect(revised.body.text).toContain(`Revised ${name} (revision 2)`);
      expect(revised.body.text).toContain(`What changed in ${name} (revision 1 → 2)`);
      const listed = await testApp.api().get('/v1/plans').query({ name }).expect(200);
      expect(listed.body.totalCount).toBe(1);
      await testApp.api().get(`/v1/plans/${listed.body.items[0].id}/revisions`).expect(200);

      const separate = await say(`plan ${name} on kind web:frontend:80:public --new`);
      expect(separate.body.text).toContain(`Planned ${name} (revision 1)`);
      expect((await testApp.api().get('/v1/plans').query({ name }).expect(200)).body.totalCount).toBe(2);
    });

    it('refuses a body without text as a 400 problem', async () => {
      const response = await testApp.api().post('/v1/chat/command').send({ command: 'help' }).expect(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.errors).toEqual([{ path: 'text', message: expect.stringMatching(/required/) }]);
    });

    it('says a text of the wrong type is one, not that it is missing', async () => {
      for (const [text, named] of [
        [42, 'number'],
        [null, 'null'],
        [['list'], 'object'],
      ] as const) {
        const response = await testApp.api().post('/v1/chat/command').send({ text }).expect(400);
        expect(response.body.errors).toEqual([
          { path: 'text', message: `must be a string, not ${named}: the command, e.g. "list aws"` },
        ]);
      }
    });
  });

  describe('POST /v1/chat/teams', () => {
    it('answers a signed activity, ignoring the mention of the bot', async () => {
      const reply = await teams('<at>Exposure Planner</at> help');
      expect(reply.type).toBe('message');
      expect(reply.text).toContain('**Commands**');
      expect(reply.text).toContain('`plan <name> on <platform>');
    });

    it('plans from Teams, where > arrives as &gt;', async () => {
      const name = uniqueName('chat-teams');
      const reply = await teams(`<at>Planner</at> plan ${name} on azure web:frontend:80&gt;8080:public`);
      expect(reply.text).toContain(`Planned **${name.replace(/-/g, '-')}**`);
    });

    it('refuses a wrong or missing signature', async () => {
      const body = teamsActivity('<at>Planner</at> list');
      const other = Buffer.from('some other webhook token 1234567').toString('base64');
      for (const authorization of [teamsSignature(body, other), 'HMAC ', undefined]) {
        const call = testApp.api().post('/v1/chat/teams').set('content-type', 'application/json');
        const response = await (authorization === undefined ? call : call.set('authorization', authorization)).send(
          body,
        );
        expect(response.status).toBe(401);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
    });
  });

  describe('POST /v1/chat/mattermost', () => {
    it('accepts the token in the form and replies with Markdown text in the Slack format', async () => {
      const response = await testApp
        .api()
        .post('/v1/chat/mattermost')
        .set('content-type', 'application/x-www-form-urlencoded')
        .send(mattermostForm('help --share', MATTERMOST_TOKEN))
        .expect(200);
      expect(response.body.response_type).toBe('in_channel');
      expect(response.body.text).toContain('**Commands**');
      expect(response.body.text).toContain('`/plan list [platform]`');
      expect(slackBlockProblems(response.body.blocks)).toEqual([]);
    });

    it('accepts the token in an Authorization header', async () => {
      await testApp
        .api()
        .post('/v1/chat/mattermost')
        .set({ 'content-type': 'application/x-www-form-urlencoded', authorization: `Token ${MATTERMOST_TOKEN}` })
        .send(mattermostForm('list'))
        .expect(200);
    });

    it('refuses a wrong or missing token', async () => {
      for (const body of [mattermostForm('list', 'wrong-token-value'), mattermostForm('list')]) {
        const response = await testApp
          .api()
          .post('/v1/chat/mattermost')
          .set('content-type', 'application/x-www-form-urlencoded')
          .send(body)
          .expect(401);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
    });
  });

  describe('text a stored plan carries into a reply shared with the channel', () => {
    const name = uniqueName('chat-echo');
    /** What a user may store (no control character: those are refused) that would reach a channel. */
    const SOURCE =
      '<!here> @channel <@U024BE7LH> *bold* _it_ ~gone~ `code` [x](https://evil.example) <at>ops</at> &lt;';
    // A path holds no < > ` or * (they would be shell syntax in the verification commands), but @ it does.
    const PATH = '/@here/@channel';

    beforeAll(async () => {
      const topology = {
        name,
        environment: { platform: 'aws', ingressController: 'nginx' },
        components: [
          {
            name: 'web',
            role: 'frontend',
            ports: [{ port: 80 }],
            exposure: 'public',
            host: 'shop.example.com',
            path: PATH,
          },
        ],
        pricing: { source: SOURCE },
      };
      await testApp.api().post('/v1/plans').send(topology).expect(201);
    });

    it('Slack: the pricing source and the path print as text, with no mention and no link', async () => {
      const everything: string[] = [];
      for (const command of [`cost ${name} --share`, `yaml ${name} --share`]) {
        const body = slackForm(command);
        const response = await testApp.api().post('/v1/chat/slack').set(slackHeaders(body)).send(body).expect(200);
        const reply = response.body as { response_type: string; text: string; blocks: unknown[] };
        expect(reply.response_type).toBe('in_channel');
        everything.push([reply.text, JSON.stringify(reply.blocks)].join('\n'));
      }
      for (const text of everything) {
        expect(text).not.toMatch(/<[!@#]/);
        expect(mattermostMentions(text)).toEqual([]);
      }
      expect(everything[0]).toContain('&lt;!here&gt; @\u2060channel');
    });

    it('Mattermost: nothing it would expand into a mention, and the markup escaped', async () => {
      const replies: string[] = [];
      for (const command of [`cost ${name} --share`, `yaml ${name} --share`]) {
        const response = await testApp
          .api()
          .post('/v1/chat/mattermost')
          .set('content-type', 'application/x-www-form-urlencoded')
          .send(mattermostForm(command, MATTERMOST_TOKEN))
          .expect(200);
        replies.push((response.body as { text: string }).text);
      }
      for (const text of replies) {
        expect(text).not.toMatch(SLACK_STYLE_MENTION);
        expect(mattermostMentions(text)).toEqual([]);
      }
      expect(replies[0]).toContain('\\*bold\\* \\_it\\_ \\~gone\\~');
    });

    it('Teams: no tag and no mention', async () => {
      const { text } = await teams(`<at>Planner</at> cost ${name}`);
      expect(text).toContain('&lt;at&gt;ops&lt;/at&gt;');
      expect(text).not.toMatch(/<[a-z!@/]/i);
      expect(mattermostMentions(text)).toEqual([]);
    });
  });

  describe('with no chat secret configured', () => {
    const bare = useChatApp({});

    it.each([
      ['slack', 'SLACK_SIGNING_SECRET'],
      ['mattermost', 'MATTERMOST_TOKEN'],
      ['teams', 'TEAMS_HMAC_SECRET'],
    ])('switches /v1/chat/%s off with a 503 that names %s, even for a signed request', async (system, variable) => {
      const body = slackForm('help');
      // Teams posts JSON activities; a form there is a 415 before any secret is looked at.
      const request = bare.api().post(`/v1/chat/${system}`).set(slackHeaders(body));
      const response = await (
        system === 'teams' ? request.type('json').send({ type: 'message', text: 'help' }) : request.send(body)
      ).expect(503);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.detail).toContain(variable);
    });

    it('still serves /v1/chat/command, which has no secret of its own', async () => {
      await bare.api().post('/v1/chat/command').send({ text: 'help' }).expect(200);
    });
  });
});
