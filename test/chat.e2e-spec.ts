import { createHmac } from 'node:crypto';
import type { Response } from 'supertest';
import { slackBlockProblems } from '../src/chat/testing/slack-blocks.js';
import { startTestApp, uniqueName, type TestApp } from './support/app.js';

// The chat transports over the real app and database, called exactly as each chat system calls
// them: Slack's signed form, Mattermost's form with its token, Teams' HMAC-signed activity, and
// plain JSON for other bots. Signatures are computed here independently of src/chat.

const SLACK_SECRET = 'e2e-slack-signing-secret-0123456789';
const MATTERMOST_TOKEN = 'e2e-mattermost-token-abcdefgh';
const TEAMS_SECRET = Buffer.from('e2e teams outgoing webhook security token').toString('base64');
const PUBLIC_URL = 'https://planner.e2e.example.com';
const CHAT_ENV = {
  SLACK_SIGNING_SECRET: SLACK_SECRET,
  MATTERMOST_TOKEN,
  TEAMS_HMAC_SECRET: TEAMS_SECRET,
  PUBLIC_URL,
};
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** Starts the app with the chat variables of `env` set in the environment only while it boots. */
async function startWithEnv(env: Record<string, string | undefined>): Promise<TestApp> {
  const saved = Object.fromEntries(Object.keys(CHAT_ENV).map((key) => [key, process.env[key]]));
  for (const [key, value] of Object.entries({
    ...Object.fromEntries(Object.keys(CHAT_ENV).map((k) => [k, undefined])),
    ...env,
  })) {
    if (value === undefined) {
      delete process.env[key];
    } else {
      process.env[key] = value;
    }
  }
  try {
    return await startTestApp();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) {
        delete process.env[key];
      } else {
        process.env[key] = value;
      }
    }
  }
}

/** A slash command form as Slack posts it: Slack HTML-escapes &, < and > in `text`. */
function slackForm(text: string, extra: Record<string, string> = {}): string {
  return new URLSearchParams({
    token: 'gIkuvaNzQIHg97ATvDxqgjtO',
    team_id: 'T0001',
    team_domain: 'example',
    enterprise_id: 'E0001',
    enterprise_name: 'Example Inc',
    channel_id: 'C2147483705',
    channel_name: 'platform',
    user_id: 'U2147483697',
    user_name: 'steve',
    command: '/plan',
    text: text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
    api_app_id: 'A123456',
    is_enterprise_install: 'false',
    response_url: 'https://hooks.slack.com/commands/1234/5678',
    trigger_id: '13345224609.738474920.8088930838d88f008e0',
    ...extra,
  }).toString();
}

function slackHeaders(
  body: string,
  secret = SLACK_SECRET,
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const signature = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': `v0=${signature}`,
  };
}

type SlackReply = { response_type: string; text: string; blocks: unknown[] };

/** Everything a reply's reader sees: the fallback text and the text of every block. */
function allText(reply: { text: string; blocks: unknown[] }): string {
  return [reply.text, JSON.stringify(reply.blocks)].join('\n');
}

describe('chat transports (e2e)', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startWithEnv(CHAT_ENV);
  });

  afterAll(async () => {
    await testApp?.close();
  });

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
      const severities = [...reply.text.matchAll(/ (critical|high|medium|low|info) `EXP/g)].map((match) => match[1]);
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

    it('refuses a body without text as a 400 problem', async () => {
      const response = await testApp.api().post('/v1/chat/command').send({ command: 'help' }).expect(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.errors).toEqual([{ path: 'text', message: expect.stringMatching(/required/) }]);
    });
  });

  describe('POST /v1/chat/teams', () => {
    function activity(text: string): string {
      return JSON.stringify({
        type: 'message',
        id: '1485983408511',
        timestamp: '2026-03-01T21:10:08.5Z',
        serviceUrl: 'https://smba.trafficmanager.net/amer/',
        channelId: 'msteams',
        from: { id: '29:1', name: 'Steve' },
        conversation: { id: '19:abc@thread.skype;messageid=1485983194839' },
        text,
        textFormat: 'plain',
      });
    }

    function signature(body: string, secret = TEAMS_SECRET): string {
      return `HMAC ${createHmac('sha256', Buffer.from(secret, 'base64')).update(body).digest('base64')}`;
    }

    it('answers a signed activity, ignoring the mention of the bot', async () => {
      const body = activity('<at>Exposure Planner</at> help');
      const response = await testApp
        .api()
        .post('/v1/chat/teams')
        .set({ 'content-type': 'application/json', authorization: signature(body) })
        .send(body)
        .expect(200);
      expect(response.body.type).toBe('message');
      expect(response.body.text).toContain('**Commands**');
      expect(response.body.text).toContain('`plan <name> on <platform>');
    });

    it('plans from Teams, where > arrives as &gt;', async () => {
      const name = uniqueName('chat-teams');
      const body = activity(`<at>Planner</at> plan ${name} on azure web:frontend:80&gt;8080:public`);
      const response = await testApp
        .api()
        .post('/v1/chat/teams')
        .set({ 'content-type': 'application/json', authorization: signature(body) })
        .send(body)
        .expect(200);
      expect(response.body.text).toContain(`Planned **${name.replace(/-/g, '-')}**`);
    });

    it('refuses a wrong or missing signature', async () => {
      const body = activity('<at>Planner</at> list');
      const other = Buffer.from('some other webhook token 1234567').toString('base64');
      for (const authorization of [signature(body, other), 'HMAC ', undefined]) {
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
    function mattermostForm(text: string, token?: string): string {
      return new URLSearchParams({
        channel_id: 'fukth7do1ify8bz6xbb4gtc4cy',
        channel_name: 'town-square',
        command: '/plan',
        response_url: 'https://mattermost.example.com/hooks/commands/x',
        team_domain: 'example',
        team_id: 'rdc9bgriktyx9p4kowh3dmgqyc',
        text,
        ...(token === undefined ? {} : { token }),
        trigger_id: 'abc',
        user_id: 'rjawu8hzitbkz8fjrjqqxsnwqr',
        user_name: 'steve',
      }).toString();
    }

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

  describe('with no chat secret configured', () => {
    let bare: TestApp;

    beforeAll(async () => {
      bare = await startWithEnv({});
    });

    afterAll(async () => {
      await bare?.close();
    });

    it.each([
      ['slack', 'SLACK_SIGNING_SECRET'],
      ['mattermost', 'MATTERMOST_TOKEN'],
      ['teams', 'TEAMS_HMAC_SECRET'],
    ])('switches /v1/chat/%s off with a 503 that names %s, even for a signed request', async (system, variable) => {
      const body = slackForm('help');
      const response = await bare.api().post(`/v1/chat/${system}`).set(slackHeaders(body)).send(body).expect(503);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.detail).toContain(variable);
    });

    it('still serves /v1/chat/command, which has no secret of its own', async () => {
      await bare.api().post('/v1/chat/command').send({ text: 'help' }).expect(200);
    });
  });
});
