import fc from 'fast-check';
import {
  changeTextAt,
  textPlaces,
  topologyWithEveryStringField,
  type JsonValue,
} from '../src/planner/testing/every-string-field.js';
import { CONTROL_CODE_UNITS, textWith } from '../src/planner/testing/arbitraries.js';
import type { StoredPlan } from '../src/plans/plans.types.js';
import { uniqueName } from './support/app.js';
import {
  CHAT_ENV,
  mattermostForm,
  MATTERMOST_TOKEN,
  slackForm,
  slackHeaders,
  useChatApp,
  teamsActivity,
  teamsSignature,
} from './support/chat.js';
import { at } from '../src/common/at.js';

// Issue 11, "bytes that must never be stored": NUL, lone surrogates and control characters sent
// through every field of every transport. Each is refused with a client error that names the
// character, never a 5xx nor a chat "something went wrong", and afterwards the stored plans still
// aggregate and list, for the team that sent them and for an admin (a stored NUL used to break
// planStats for both until the plan was deleted).

type Answer = { status: number; body: unknown; text: string };

/** A character that cannot travel in a URL or a form: UTF-8 has no bytes for a lone surrogate (it arrives as U+FFFD). */
const urlRefusedCharacter = fc.oneof(
  fc.constant('\u0000'),
  fc.constantFrom(...CONTROL_CODE_UNITS).map((unit) => String.fromCharCode(unit)),
);

/** Chat splits words on white space (tabs, line breaks, U+2028…): those are separators there, not refused. */
const chatRefusedCharacter = fc.oneof(
  fc.constant('\u0000'),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit)),
  fc
    .constantFrom(...CONTROL_CODE_UNITS)
    .map((unit) => String.fromCharCode(unit))
    .filter((character) => !/\s/.test(character)),
);

const anywhere = textWith();
/** Text a URL can carry: no lone surrogate before or after the refused character either. */
const inUrl = fc
  .tuple(fc.string({ maxLength: 12 }), urlRefusedCharacter, fc.string({ maxLength: 12 }))
  .map(([before, character, after]) => `${before}${character}${after}`);
/** Chat text without white space of its own, so that it stays one word of the command. */
const inChatWord = fc
  .tuple(fc.stringMatching(/^[a-z0-9-]{0,8}$/), chatRefusedCharacter, fc.stringMatching(/^[a-z0-9>:.-]{0,8}$/))
  .map(([before, character, after]) => `${before}${character}x${after}`);

/** Client errors a GraphQL answer may carry for refused input; anything else fails the test. */
const GRAPHQL_CLIENT_ERRORS = new Set(['BAD_USER_INPUT', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED']);

const EVERY_FIELD = topologyWithEveryStringField();
const PLACES = textPlaces(EVERY_FIELD);

describe('text the database cannot store, on every transport', () => {
  const t = useChatApp(CHAT_ENV, { logLevel: 'silent' });
  let teamKey: string;
  let planId: string;
  const team = uniqueName('bytes');

  beforeAll(async () => {
    teamKey = (await t.createKey(['plans:read', 'plans:write'], team)).key;
    const created = await t
      .apiAs(teamKey)
      .post('/v1/plans')
      .send(topologyWithEveryStringField(uniqueName('bytes-base')))
      .expect(201);
    planId = (created.body as StoredPlan).id;
  });

  function inject(request: {
    method: 'GET' | 'POST' | 'PUT' | 'DELETE';
    url: string;
    payload?: string;
    headers?: Record<string, string>;
    key?: string | null;
  }): Promise<Answer> {
    const key = request.key === undefined ? teamKey : request.key;
    return t.app
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: request.method,
        url: request.url,
        ...(request.payload === undefined ? {} : { payload: request.payload }),
        headers: {
          ...(request.payload === undefined ? {} : { 'content-type': 'application/json' }),
          ...(key === null ? {} : { authorization: `Bearer ${key}` }),
          ...request.headers,
        },
      })
      .then((res) => {
        let body: unknown = res.body;
        try {
          body = JSON.parse(res.body);
        } catch {
          // Not JSON: judged by its status and text.
        }
        return { status: res.statusCode, body, text: res.body };
      });
  }

  const graphql = (query: string, variables: Record<string, unknown> = {}): Promise<Answer> =>
    inject({ method: 'POST', url: '/graphql', payload: JSON.stringify({ query, variables }) });

  const chatCommand = (text: string): Promise<Answer> =>
    inject({ method: 'POST', url: '/v1/chat/command', payload: JSON.stringify({ text }) });

  /**
   * A 400 problem+json with its problems. Where the value is checked as text (bodies, the list's
   * parameters) a problem names the refused character; elsewhere (dryRun, a plan id) the value is
   * already refused for its form.
   */
  function expectRestRefusal(answer: Answer, what: string, namesCharacter = true): void {
    expect(answer.status, `${what}: ${answer.text.slice(0, 300)}`).toBe(400);
    expect(answer.text, what).toMatch(namesCharacter ? /U\+[0-9A-F]{4}/ : /"errors":\[\{"path"|is not a plan id/);
  }

  /** GraphQL's refusal: a 4xx, or a 200 whose every error is a client error, and no data stored. */
  function expectGraphqlRefusal(answer: Answer, what: string): void {
    expect(answer.status, `${what}: ${answer.text.slice(0, 300)}`).toBeLessThan(500);
    const errors = (answer.body as { errors?: { extensions?: { code?: string } }[] }).errors ?? [];
    expect(errors.length, `${what}: ${answer.text.slice(0, 300)}`).toBeGreaterThan(0);
    for (const error of errors) {
      expect(GRAPHQL_CLIENT_ERRORS.has(error.extensions?.code ?? ''), `${what}: ${answer.text.slice(0, 300)}`).toBe(
        true,
      );
    }
  }

  /** Chat answers 200 with a reply; a refused command gets a usage or problems reply, never "something went wrong". */
  function expectChatRefusal(answer: Answer, what: string): void {
    expect(answer.status, `${what}: ${answer.text.slice(0, 300)}`).toBe(200);
    expect(answer.text, what).not.toMatch(/Something went wrong/);
    expect(answer.text, what).toMatch(/⚠️|🔍/);
  }

  /** The topology, under a name of its own, with `texts[i]` added to the text at PLACES[i] (all of them, or only `only`). */
  function withTexts(texts: readonly string[], only?: number): JsonValue {
    const named = changeTextAt(EVERY_FIELD, { segments: ['name'], kind: 'value' }, () => uniqueName('bytes'));
    return PLACES.reduce<JsonValue>(
      (topology, place, index) =>
        only === undefined || only === index
          ? changeTextAt(topology, place, (text) => `${text}${texts[index]}`)
          : topology,
      named,
    );
  }

  describe('the cases issue 11 found', () => {
    it('refuses a NUL in pricing.source with a 400 at that path, and planStats still answers for the team and an admin', async () => {
      const topology = { ...topologyWithEveryStringField(uniqueName('bytes')), pricing: { source: 'a\u0000b' } };
      const refused = await t.apiAs(teamKey).post('/v1/plans').send(topology).expect(400);
      expect(refused.body.errors).toEqual([
        { path: 'pricing.source', message: expect.stringContaining('U+0000 (NUL)') },
      ]);

      for (const key of [teamKey, t.adminKey ?? '']) {
        const stats = await t.apiAs(key).post('/graphql').send({ query: '{ planStats { totalPlans } }' }).expect(200);
        expect(stats.body.errors).toBeUndefined();
        expect(stats.body.data.planStats.totalPlans).toBeGreaterThan(0);
      }
    });

    it('refuses a lone surrogate in a component path and in a label key, naming each path', async () => {
      const topology = topologyWithEveryStringField(uniqueName('bytes')) as {
        components: { path?: string; labels?: Record<string, string> }[];
      };
      const component = at(topology.components, 0);
      component.path = '/shop\ud800';
      component.labels = { 'app\udc00': 'web' };
      const refused = await t.apiAs(teamKey).post('/v1/plans').send(topology).expect(400);
      expect(refused.body.errors).toEqual([
        { path: 'components[0].path', message: expect.stringContaining('U+D800') },
        { path: 'components[0].labels["app\\udc00"]', message: expect.stringContaining('U+DC00') },
      ]);
    });

    it('answers GET /v1/plans?name=a%00b with a 400 naming the parameter, not a 500', async () => {
      const answer = await inject({ method: 'GET', url: '/v1/plans?name=a%00b' });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ errors: [{ path: 'name', message: expect.stringContaining('U+0000') }] });
    });

    it('answers the chat command "show a<NUL>b" with a usage reply, not "something went wrong"', async () => {
      const answer = await chatCommand('show a\u0000b');
      expectChatRefusal(answer, 'show');
      expect(answer.text).toContain('Word 2 of the command contains U+0000 (NUL)');
    });

    it('refuses a NUL in a GraphQL filter and in createPlan variables as BAD_USER_INPUT with the path', async () => {
      const stats = await graphql('query($f: PlanFilterInput) { planStats(filter: $f) { totalPlans } }', {
        f: { nameContains: 'a\u0000' },
      });
      expectGraphqlRefusal(stats, 'planStats');
      const created = await graphql('mutation($t: TopologyInput!) { createPlan(topology: $t) { id } }', {
        t: { ...topologyWithEveryStringField(uniqueName('bytes')), namespace: 'prod\u0000' },
      });
      expectGraphqlRefusal(created, 'createPlan');
      expect(created.body).toMatchObject({
        errors: [{ extensions: { problems: [{ path: 'namespace', message: expect.stringContaining('U+0000') }] } }],
      });
    });
  });

  describe('random text in every field', () => {
    const BODY_TARGETS: [string, (topology: JsonValue) => Promise<Answer>, 'rest' | 'graphql'][] = [
      [
        'POST /v1/plans',
        (topology) => inject({ method: 'POST', url: '/v1/plans', payload: JSON.stringify(topology) }),
        'rest',
      ],
      [
        'POST /v1/plans?dryRun=true',
        (topology) => inject({ method: 'POST', url: '/v1/plans?dryRun=true', payload: JSON.stringify(topology) }),
        'rest',
      ],
      [
        'PUT /v1/plans/:id',
        (topology) => inject({ method: 'PUT', url: `/v1/plans/${planId}`, payload: JSON.stringify(topology) }),
        'rest',
      ],
      [
        'GraphQL createPlan',
        (topology) => graphql('mutation($t: TopologyInput!) { createPlan(topology: $t) { id } }', { t: topology }),
        'graphql',
      ],
      [
        'GraphQL previewPlan',
        (topology) => graphql('mutation($t: TopologyInput!) { previewPlan(topology: $t) { name } }', { t: topology }),
        'graphql',
      ],
      [
        'GraphQL revisePlan',
        (topology) =>
          graphql('mutation($id: ID!, $t: TopologyInput!) { revisePlan(id: $id, topology: $t) { id } }', {
            id: planId,
            t: topology,
          }),
        'graphql',
      ],
    ];

    it.each(BODY_TARGETS)(
      '%s: a refused character in each field, one field at a time, is a client error naming it',
      async (what, send, transport) => {
        await fc.assert(
          fc.asyncProperty(fc.tuple(...PLACES.map(() => anywhere)), async (texts) => {
            for (const [index, place] of PLACES.entries()) {
              const answer = await send(withTexts(texts, index));
              const label = `${what} at ${JSON.stringify(place.segments)} with ${JSON.stringify(texts[index])}`;
              if (transport === 'rest') {
                expectRestRefusal(answer, label);
              } else {
                expectGraphqlRefusal(answer, label);
              }
            }
          }),
          { numRuns: 1 },
        );
      },
    );

    it.each(BODY_TARGETS)('%s: every field at once is refused with every path', async (what, send, transport) => {
      await fc.assert(
        fc.asyncProperty(fc.tuple(...PLACES.map(() => anywhere)), async (texts) => {
          const answer = await send(withTexts(texts));
          if (transport === 'rest') {
            expectRestRefusal(answer, what);
          } else {
            expectGraphqlRefusal(answer, what);
          }
        }),
        { numRuns: 3 },
      );
    });

    /** Each target, and whether its refusal names the character (see expectRestRefusal). */
    const QUERY_TARGETS: [string, (text: string) => Promise<Answer>, boolean][] = [
      ...['name', 'cursor', 'platform', 'createdAfter', 'createdBefore', 'minSeverity', 'limit'].map(
        (parameter): [string, (text: string) => Promise<Answer>, boolean] => [
          `GET /v1/plans?${parameter}=`,
          (text) => inject({ method: 'GET', url: `/v1/plans?${parameter}=${encodeURIComponent(text)}` }),
          true,
        ],
      ),
      [
        'GET /v1/plans?<unknown parameter>',
        (text) => inject({ method: 'GET', url: `/v1/plans?${encodeURIComponent(text)}=1` }),
        true,
      ],
      [
        'POST /v1/plans?dryRun=',
        (text) =>
          inject({
            method: 'POST',
            url: `/v1/plans?dryRun=${encodeURIComponent(text)}`,
            payload: JSON.stringify(EVERY_FIELD),
          }),
        false,
      ],
      ...(['', '/manifests', '/revisions'] as const).map(
        (suffix): [string, (text: string) => Promise<Answer>, boolean] => [
          `GET /v1/plans/:id${suffix}`,
          (text) => inject({ method: 'GET', url: `/v1/plans/${encodeURIComponent(text)}${suffix}` }),
          false,
        ],
      ),
      [
        'DELETE /v1/plans/:id',
        (text) => inject({ method: 'DELETE', url: `/v1/plans/${encodeURIComponent(text)}` }),
        false,
      ],
      [
        'PUT /v1/plans/:id (the id)',
        (text) =>
          inject({ method: 'PUT', url: `/v1/plans/${encodeURIComponent(text)}`, payload: JSON.stringify(EVERY_FIELD) }),
        false,
      ],
    ];

    const GRAPHQL_TARGETS: [string, (text: string) => Promise<Answer>][] = [
      ['plan(id)', (text) => graphql('query($id: ID!) { plan(id: $id) { id } }', { id: text })],
      ['planRevisions(id)', (text) => graphql('query($id: ID!) { planRevisions(id: $id) { id } }', { id: text })],
      ['plans(after)', (text) => graphql('query($a: String) { plans(after: $a) { totalCount } }', { a: text })],
      [
        'plans(filter.nameContains)',
        (text) =>
          graphql('query($f: PlanFilterInput) { plans(filter: $f) { totalCount } }', { f: { nameContains: text } }),
      ],
      [
        'plans(filter.createdAfter)',
        (text) =>
          graphql('query($f: PlanFilterInput) { plans(filter: $f) { totalCount } }', { f: { createdAfter: text } }),
      ],
      [
        'planStats(filter.nameContains)',
        (text) =>
          graphql('query($f: PlanFilterInput) { planStats(filter: $f) { totalPlans } }', {
            f: { nameContains: text },
          }),
      ],
      [
        'planStats(filter.nameContains), a literal',
        (text) => graphql(`{ planStats(filter: { nameContains: ${JSON.stringify(text)} }) { totalPlans } }`),
      ],
      [
        'createPlan(idempotencyKey)',
        (text) =>
          graphql('mutation($t: TopologyInput!, $k: String) { createPlan(topology: $t, idempotencyKey: $k) { id } }', {
            t: { ...EVERY_FIELD, name: uniqueName('bytes') },
            k: text,
          }),
      ],
      [
        'revisePlan(id)',
        (text) =>
          graphql('mutation($id: ID!, $t: TopologyInput!) { revisePlan(id: $id, topology: $t) { id } }', {
            id: text,
            t: EVERY_FIELD,
          }),
      ],
      ['deletePlan(id)', (text) => graphql('mutation($id: ID!) { deletePlan(id: $id) }', { id: text })],
    ];

    it.each(QUERY_TARGETS)('%s: random refused text is a 400', async (what, send, namesCharacter) => {
      await fc.assert(
        fc.asyncProperty(inUrl, async (text) =>
          expectRestRefusal(await send(text), `${what} ${JSON.stringify(text)}`, namesCharacter),
        ),
        { numRuns: 15 },
      );
    });

    it.each(GRAPHQL_TARGETS)('GraphQL %s: random refused text is a client error', async (what, send) => {
      await fc.assert(
        fc.asyncProperty(anywhere, async (text) =>
          expectGraphqlRefusal(await send(text), `${what} ${JSON.stringify(text)}`),
        ),
        { numRuns: 15 },
      );
    });

    /** Where a word of a chat command goes: each command, each part of a component, each setting. */
    const CHAT_COMMANDS: ((word: string) => string)[] = [
      (word) => `show ${word}`,
      (word) => `cost ${word} --share`,
      (word) => `findings ${word}`,
      (word) => `yaml ${word}`,
      (word) => `list ${word}`,
      (word) => `${word} shop`,
      (word) => `plan ${word} on aws web:frontend:80`,
      (word) => `plan shop on ${word} web:frontend:80`,
      (word) => `plan shop on aws ${word}:frontend:80`,
      (word) => `plan shop on aws web:${word}:80`,
      (word) => `plan shop on aws web:frontend:${word}`,
      (word) => `plan shop on aws web:frontend:80>${word}`,
      (word) => `plan shop on aws web:frontend:80:${word}`,
      (word) => `plan shop on aws web:frontend:80 ingress=${word} --dry-run`,
      (word) => `plan shop on aws web:frontend:80 region=${word}`,
      (word) => `plan shop on aws web:frontend:80 namespace=${word}`,
      (word) => `plan shop on aws web:frontend:80 api:api:3000 --deps web>${word}`,
      (word) => `plan shop on aws web:frontend:80 --${word}`,
    ];
    const chatLine = fc.tuple(fc.constantFrom(...CHAT_COMMANDS), inChatWord).map(([build, word]) => build(word));

    it('POST /v1/chat/command: a refused character in any word of any command gets a usage reply', async () => {
      await fc.assert(
        fc.asyncProperty(chatLine, async (text) => expectChatRefusal(await chatCommand(text), JSON.stringify(text))),
        { numRuns: 120 },
      );
    });

    it('POST /v1/chat/slack, /mattermost and /teams: the same, as each chat system sends it', async () => {
      // A form cannot carry a lone surrogate (it arrives as U+FFFD); Teams' JSON can.
      const formWord = fc
        .tuple(
          fc.stringMatching(/^[a-z0-9-]{0,8}$/),
          urlRefusedCharacter.filter((c) => !/\s/.test(c)),
        )
        .map(([before, character]) => `${before}${character}x`);
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...CHAT_COMMANDS), formWord, inChatWord, async (build, formText, jsonText) => {
          const slackBody = slackForm(build(formText));
          expectChatRefusal(
            await inject({
              method: 'POST',
              url: '/v1/chat/slack',
              payload: slackBody,
              headers: slackHeaders(slackBody),
              key: null,
            }),
            `slack ${JSON.stringify(build(formText))}`,
          );
          const mattermostBody = mattermostForm(build(formText), MATTERMOST_TOKEN);
          expectChatRefusal(
            await inject({
              method: 'POST',
              url: '/v1/chat/mattermost',
              payload: mattermostBody,
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              key: null,
            }),
            `mattermost ${JSON.stringify(build(formText))}`,
          );
          const teamsBody = teamsActivity(`<at>Planner</at> ${build(jsonText)}`);
          expectChatRefusal(
            await inject({
              method: 'POST',
              url: '/v1/chat/teams',
              payload: teamsBody,
              headers: { authorization: teamsSignature(teamsBody) },
              key: null,
            }),
            `teams ${JSON.stringify(build(jsonText))}`,
          );
        }),
        { numRuns: 40 },
      );
    });

    it('afterwards, the plans aggregate and list for the team and for an admin', async () => {
      for (const key of [teamKey, t.adminKey ?? '']) {
        const stats = await inject({
          method: 'POST',
          url: '/graphql',
          payload: JSON.stringify({ query: '{ planStats { totalPlans monthlyCostTotal } }' }),
          key,
        });
        expect(stats.status).toBe(200);
        expect(stats.body, stats.text).toMatchObject({ data: { planStats: { totalPlans: expect.any(Number) } } });
        expect((stats.body as { errors?: unknown }).errors).toBeUndefined();
        expect(
          (stats.body as { data: { planStats: { totalPlans: number } } }).data.planStats.totalPlans,
        ).toBeGreaterThan(0);

        const list = await inject({ method: 'GET', url: '/v1/plans?limit=100', key });
        expect(list.status, list.text).toBe(200);
        expect((list.body as { items: { id: string }[] }).items.map((item) => item.id)).toContain(planId);

        const revisions = await inject({ method: 'GET', url: `/v1/plans/${planId}/revisions`, key });
        expect(revisions.status, revisions.text).toBe(200);
      }
      const chat = await chatCommand('list');
      expect(chat.status).toBe(200);
      expect(chat.text).not.toMatch(/Something went wrong/);
    });
  });
});
