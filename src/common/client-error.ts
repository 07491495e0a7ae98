import { randomUUID } from 'node:crypto';
import { maxHeaderSize, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { Logger } from '@nestjs/common';
import { REQUEST_ID_HEADER } from '../observability/request-id.js';
import { PROBLEM_CONTENT_TYPE, statusProblem } from './problem-details.js';

const logger = new Logger('HTTP');

/**
 * What Node answers for a request it cannot read (its `socketOnError` in lib/_http_server.js:
 * https://github.com/nodejs/node/blob/v20.x/lib/_http_server.js), and why.
 */
const UNREADABLE_REQUESTS: Record<string, { status: number; detail: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    detail: `The request line and headers are larger than ${maxHeaderSize} bytes: shorten the URL (its query) or the headers.`,
  },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: { status: 413, detail: 'The chunk extensions of the body are too large.' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, detail: 'The request was not received in time.' },
};
const NOT_HTTP = { status: 400, detail: 'The request is not valid HTTP/1.1.' };

type ConnectionError = Error & { code?: string };

/**
 * Fastify's `clientErrorHandler`: the answer to a request Node could not parse (a URL or headers
 * too large, a malformed request line, a request that took too long to arrive). Fastify's default
 * writes `application/json` in a shape of its own; this writes the problem document every other
 * error is, with a request id like every other response, then closes the connection as Node does.
 * No request exists yet, so no hook, filter or access log sees it: the id is logged here.
 */
export function answerUnreadableRequest(error: ConnectionError, socket: Socket): void {
  // A reset connection has no one left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) {
    return;
  }
  const { status, detail } = UNREADABLE_REQUESTS[error.code ?? ''] ?? NOT_HTTP;
  const requestId = randomUUID();
  logger.debug({ requestId, status, code: error.code, msg: `unreadable request: ${status} ${STATUS_CODES[status]}` });
  if (socket.writable) {
    const body = JSON.stringify({ ...statusProblem(status, detail), requestId });
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        `${REQUEST_ID_HEADER}: ${requestId}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  }
  socket.destroy(error);
}
