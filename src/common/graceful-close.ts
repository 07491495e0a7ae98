import type { Server, ServerResponse } from 'node:http';

/**
 * Makes `server.close()` let every answer be written to its last byte.
 *
 * `close()` starts by destroying the connections Node deems idle (`closeIdleConnections`), and a
 * connection whose response has been ended but not yet flushed counts as idle: Node checks
 * `finished`, which `end()` sets, not `writableFinished`, which is set once the last byte has been
 * handed to the kernel. A large answer (a 2,000-component plan is over 6 MB) to a client reading it
 * at its pace was cut short that way by a SIGTERM, although its plan had been committed.
 *
 * Here that sweep waits until no answer is half-written, and runs again each time an answer
 * completes while the server is closing, which also closes a keep-alive connection as soon as its
 * last answer is written rather than when its keep-alive timeout ends. Answers still unwritten
 * when the shutdown deadline comes are lost with the process (main.ts).
 */
export function flushAnswersBeforeClosing(server: Server): void {
  const sweepIdleConnections = server.closeIdleConnections.bind(server);
  const unanswered = new Set<ServerResponse>();
  let closing = false;
  const sweepUnlessWriting = (): void => {
    const writing = [...unanswered].some((response) => response.writableEnded && !response.writableFinished);
    if (!writing) {
      sweepIdleConnections();
    }
  };
  server.on('request', (_request, response: ServerResponse) => {
    unanswered.add(response);
    // 'close' follows 'finish' (the last byte is with the kernel) or the connection's end.
    response.once('close', () => {
      unanswered.delete(response);
      if (closing) {
        sweepUnlessWriting();
      }
    });
  });
  server.closeIdleConnections = () => {
    closing = true;
    sweepUnlessWriting();
  };
}
