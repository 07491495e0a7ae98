import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { isValidRequestId, requestIdOf } from './request-id.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function requestWith(header: string | string[] | undefined): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  req.headers = header === undefined ? {} : { 'x-request-id': header };
  return req;
}

describe(isValidRequestId.name, () => {
  it.each([
    ['abc-123', true],
    ['A.b_c-9', true],
    ['x'.repeat(128), true],
    ['x'.repeat(129), false],
    ['', false],
    ['has space', false],
    ['line\nbreak', false],
    ['<script>', false],
    ['ünïcode', false],
  ])('%j → %s', (value, expected) => {
    expect(isValidRequestId(value)).toBe(expected);
  });
});

describe(requestIdOf.name, () => {
  it("keeps the caller's valid id", () => {
    expect(requestIdOf(requestWith('trace-42'))).toBe('trace-42');
  });

  it.each([undefined, 'bad id', 'x'.repeat(200), ['a', 'b']])('replaces %j with a new UUID', (header) => {
    expect(requestIdOf(requestWith(header))).toMatch(UUID);
  });

  it('answers the same id for the same request, every time it is asked', () => {
    const req = requestWith(undefined);
    expect(requestIdOf(req)).toBe(requestIdOf(req));
  });
});
