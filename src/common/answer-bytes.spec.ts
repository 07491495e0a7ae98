import Fastify, { type FastifyInstance } from 'fastify';
import { ANSWER_BYTES_FROM_CHARS, answerLargeTextsAsBytes } from './answer-bytes.js';

describe(answerLargeTextsAsBytes.name, () => {
  let app: FastifyInstance;
  // What the hooks after it are handed: the socket write gets the same.
  let handedOn: unknown;
  const large = { plan: 'é'.repeat(ANSWER_BYTES_FROM_CHARS) };
  const largeText = `${'x'.repeat(ANSWER_BYTES_FROM_CHARS)}…`;

  beforeAll(async () => {
    app = Fastify();
    answerLargeTextsAsBytes(app);
    app.addHook('onSend', (_request, _reply, payload, done) => {
      handedOn = payload;
      done(null, payload);
    });
    app.get('/large-json', () => large);
    app.get('/large-text', () => largeText);
    app.get('/small', () => ({ ok: true }));
    await app.ready();
  });

  afterAll(() => app.close());

  it('hands a large JSON answer on as its UTF-8 bytes, the same answer to the client', async () => {
    const response = await app.inject({ method: 'GET', url: '/large-json' });

    expect(Buffer.isBuffer(handedOn)).toBe(true);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['content-length']).toBe(String(Buffer.byteLength(JSON.stringify(large))));
    expect(response.json()).toEqual(large);
  });

  it('keeps the content type Fastify gave a large text', async () => {
    const response = await app.inject({ method: 'GET', url: '/large-text' });

    expect(Buffer.isBuffer(handedOn)).toBe(true);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.body).toBe(largeText);
  });

  it('leaves a small answer as the string it is', async () => {
    const response = await app.inject({ method: 'GET', url: '/small' });

    expect(typeof handedOn).toBe('string');
    expect(response.json()).toEqual({ ok: true });
  });
});
