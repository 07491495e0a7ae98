import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

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
  // By connection, so that what a connection leaves behind (a pipelined answer never started) goes with it.
  const answersByConnection = new Map<Socket, Set<ServerResponse>>();
  let closing = false;
  const sweepUnlessWriting = (): void => {
    const writing = [...answersByConnection.values()].some((answers) =>
      [...answers].some((answer) => answer.writableEnded && !answer.writableFinished),
    );
    if (!writing) {
      sweepIdleConnections();
    }
  };
  server.on('connection', (socket: Socket) => {
    answersByConnection.set(socket, new Set());
    socket.once('close', () => answersByConnection.delete(socket));
  });
  server.on('request', (request: IncomingMessage, answer: ServerResponse) => {
    const answers = answersByConnection.get(request.socket);
    answers?.add(answer);
    // 'close' follows 'finish' (the last byte is with the kernel) or the end of the connection.
    answer.once('close', () => {
      answers?.delete(answer);
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
