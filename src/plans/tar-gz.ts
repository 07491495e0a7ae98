import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { pack } from 'tar-stream';
import type { BundleFile } from './kustomize-bundle.js';

const gzipAsync = promisify(gzip);

/** rw-r--r--: what `git` and `tar x` give a plain file. */
const FILE_MODE = 0o644;

/**
 * The files as a gzipped tar, in the order given. Everything a tar header could take from the
 * machine is fixed (mtime is the caller's, owner 0/0 with no user or group names, mode 0644), and
 * node:zlib writes no time or file name in the gzip header, so the same files and mtime always
 * give the same bytes: a cache or a GitOps diff sees no change where there is none.
 */
export async function tarGz(files: BundleFile[], mtime: Date): Promise<Buffer> {
  const archive = pack();
  const chunks: Buffer[] = [];
  archive.on('data', (chunk) => chunks.push(chunk as Buffer));
  const ended = new Promise<void>((resolve, reject) => {
    archive.on('end', resolve);
    archive.on('error', reject);
  });
  for (const file of files) {
    archive.entry(
      { name: file.path, mtime, mode: FILE_MODE, uid: 0, gid: 0, uname: '', gname: '', type: 'file' },
      file.content,
    );
  }
  archive.finalize();
  await ended;
  return gzipAsync(Buffer.concat(chunks));
}
