import { maxHeaderSize } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StoredPlan } from '../src/plans/plans.types.js';
import { useTestApp, type TestApp } from './support/app.js';
import { PROBLEM_JSON } from './support/outage.js';
import { parseRawAnswer, rawExchange as rawExchangeOn } from './support/raw-http.js';

/** What a raw socket receives for `request` until the server closes the connection. */
function rawExchange(t: TestApp, request: string): Promise<Buffer> {
  return rawExchangeOn((t.app.getHttpServer().address() as AddressInfo).port, request);
}

describe('protocol edges', () => {
  const t = useTestApp({ logLevel: 'silent' });

  describe('requests Node cannot read', () => {
    it('answers a URL longer than the header limit with a 431 problem', async () => {
      const res = await t
        .api()
        .get('/v1/plans')
        .query({ name: 'a'.repeat(maxHeaderSize + 1) });

      expect(res.status).toBe(431);
      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(res.body).toEqual({
        type: 'about:blank',
        title: 'Request Header Fields Too Large',
        status: 431,
        detail: expect.stringContaining(`${maxHeaderSize} bytes`),
        requestId: res.headers['x-request-id'],
      });
    });

    it('answers a request that is not HTTP with a 400 problem', async () => {
      const answer = parseRawAnswer(await rawExchange(t, 'HELLO THERE\r\n\r\n'));

      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(JSON.parse(answer.body.toString('utf8'))).toMatchObject({
        status: 400,
        title: 'Bad Request',
        requestId: answer.headers.get('x-request-id'),
      });
    });
  });

  describe('an empty body sent as application/json', () => {
    const create = async (): Promise<StoredPlan> => await t.createPlan('empty-body');

    it('is no body on DELETE: the plan is deleted', async () => {
      const plan = await create();

      await t
        .api()
        .delete(`/v1/plans/${plan.id}`)
        .set('content-type', 'application/json')
        .set('content-length', '0')
        .expect(204);

      await t.api().get(`/v1/plans/${plan.id}`).expect(404);
    });

    it('is still a 400 problem on POST and PUT, and malformed JSON is one on DELETE', async () => {
      const plan = await create();
      const empty = [t.api().post('/v1/plans'), t.api().put(`/v1/plans/${plan.id}`)];

      for (const request of empty) {
        const res = await request.set('content-type', 'application/json').set('content-length', '0');
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
        expect(res.body.detail).toMatch(/empty/i);
      }
      const malformed = await t.api().delete(`/v1/plans/${plan.id}`).set('content-type', 'application/json').send('{');
      expect(malformed.status).toBe(400);
      expect(malformed.headers['content-type']).toMatch(PROBLEM_JSON);
      await t.api().get(`/v1/plans/${plan.id}`).expect(200);
    });
  });
});
