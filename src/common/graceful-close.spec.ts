import { createServer, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { flushAnswersBeforeClosing } from './graceful-close.js';

// A real HTTP server on loopback and raw sockets: the loss happened between Node's HTTP server and
// the kernel, so nothing here is simulated.

/** Far more than the kernel buffers of a loopback connection hold (a few MB), so most of it waits in Node. */
const LARGE_ANSWER = 'x'.repeat(24 * 1024 * 1024);

type Client = { socket: Socket; received: () => Buffer; firstBytes: Promise<void>; ended: Promise<void> };

/** A keep-alive GET on a raw socket; `pauseAtFirstBytes` stops reading as soon as the answer starts. */
function get(server: Server, pauseAtFirstBytes: boolean): Client {
  const { port } = server.address() as AddressInfo;
  const socket = connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  const firstBytes = new Promise<void>((resolve) =>
    socket.once('data', () => {
      if (pauseAtFirstBytes) {
        socket.pause();
      }
      resolve();
    }),
  );
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve) => socket.once('end', () => resolve()));
  socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
  return { socket, received: () => Buffer.concat(chunks), firstBytes, ended };
}

function bodyOf(received: Buffer): string {
  return received.subarray(received.indexOf('\r\n\r\n') + 4).toString('latin1');
}

async function listening(handler: (response: ServerResponse) => void): Promise<Server> {
  const server = createServer((_request, response) => handler(response));
  // Past any test's timeout: a connection closed here was closed by the shutdown, not by the timer.
  server.keepAliveTimeout = 10 * 60_000;
  flushAnswersBeforeClosing(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const closed = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe(flushAnswersBeforeClosing.name, () => {
  it('lets an answer ended before close() but still being written reach its last byte', async () => {
    const server = await listening((response) => response.end(LARGE_ANSWER));
    const client = get(server, true);
    await client.firstBytes;

    const serverClosed = closed(server);
    client.socket.resume();

    await client.ended;
    expect(bodyOf(client.received()).length).toBe(LARGE_ANSWER.length);
    await serverClosed;
  });

  it('closes a keep-alive connection once the answer it was waiting for at close() is written', async () => {
    let answer = (): void => undefined;
    let noteAsked = (): void => undefined;
    const asked = new Promise<void>((resolve) => (noteAsked = resolve));
    const server = await listening((response) => {
      answer = () => response.end('done');
      noteAsked();
    });
    const client = get(server, false);
    await asked;

    const serverClosed = closed(server);
    answer();

    await client.ended;
    expect(bodyOf(client.received())).toBe('done');
    await serverClosed;
  });

  it('still closes idle keep-alive connections at once', async () => {
    const server = await listening((response) => response.end('done'));
    const client = get(server, false);
    await client.firstBytes;
    await vi.waitFor(() => expect(bodyOf(client.received())).toBe('done'));

    await closed(server);

    await client.ended;
  });
});
