import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { extract, type Header } from 'tar-stream';

/** gunzip + untar, as `tar xzf` would: every entry in archive order, its content read as UTF-8. */
export async function untar(archive: Buffer): Promise<{ header: Header; content: string }[]> {
  const entries: { header: Header; content: string }[] = [];
  const reader = extract();
  Readable.from([gunzipSync(archive)]).pipe(reader);
  for await (const entry of reader) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) {
      chunks.push(chunk as Buffer);
    }
    entries.push({ header: entry.header, content: Buffer.concat(chunks).toString('utf8') });
  }
  return entries;
}
