import type { FastifyInstance } from 'fastify';

/**
 * Answers of this many characters or more go to Node as bytes, encoded here, not as a string.
 * Node's socket write reserves the worst case of a string's UTF-8 encoding, three bytes a
 * character, in one block: ~248 KB for a ~83 KB plan, over glibc's 128 KB mmap threshold (fixed
 * by `npm start`'s MALLOC_TRIM_THRESHOLD_), so every answer mapped fresh memory, faulted it in and
 * unmapped it again (`strace`: one 248 KB mmap and munmap per POST). `Buffer.from` measures the
 * string first and takes the bytes it needs. POST /v1/plans: +6 % requests/s on a server, in 6 of
 * 7 alternating pairs of runs (docs/performance.md, "What a POST holds while it waits").
 */
export const ANSWER_BYTES_FROM_CHARS = 16 * 1024;

export function answerLargeTextsAsBytes(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (_request, _reply, payload, done) => {
    done(
      null,
      typeof payload === 'string' && payload.length >= ANSWER_BYTES_FROM_CHARS ? Buffer.from(payload) : payload,
    );
  });
}
