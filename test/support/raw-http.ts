import { connect } from 'node:net';

/** An HTTP/1.1 answer as a raw socket received it: status, headers (names lower-cased) and body bytes. */
export type RawAnswer = { status: number; headers: Map<string, string>; body: Buffer };

export function parseRawAnswer(received: Buffer): RawAnswer {
  const headerEnd = received.indexOf('\r\n\r\n');
  const [statusLine = '', ...headerLines] = received.subarray(0, headerEnd).toString('latin1').split('\r\n');
  const headers = new Map(
    headerLines.map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
    }),
  );
  return { status: Number(statusLine.split(' ')[1]), headers, body: received.subarray(headerEnd + 4) };
}

/** What a raw socket receives for `request` on 127.0.0.1:`port` until the server closes the connection. */
export function rawExchange(port: number, request: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => resolve(Buffer.concat(chunks)));
    socket.on('error', reject);
    socket.write(request);
  });
}
