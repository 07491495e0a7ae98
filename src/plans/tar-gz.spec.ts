import { tarGz } from './tar-gz.js';
import { untar } from './testing/untar.js';

describe(tarGz.name, () => {
  const files = [
    { path: 'kustomization.yaml', content: 'resources:\n  - service-web.yaml\n' },
    { path: 'service-web.yaml', content: 'kind: Service # é, a character of two bytes\n' },
  ];
  const mtime = new Date('2026-01-02T03:04:05.678Z');

  it('holds the files in the order given, as plain files with fixed owner, mode and time', async () => {
    const entries = await untar(await tarGz(files, mtime));

    expect(entries.map(({ header, content }) => ({ path: header.name, content }))).toEqual(files);
    for (const { header } of entries) {
      expect(header).toMatchObject({ type: 'file', mode: 0o644, uid: 0, gid: 0, uname: '', gname: '' });
      expect(header.mtime.toISOString()).toBe('2026-01-02T03:04:05.000Z');
    }
  });

  it('gives the same bytes for the same files and time, other bytes for another time', async () => {
    const first = await tarGz(files, mtime);
    expect(await tarGz(structuredClone(files), new Date(mtime))).toEqual(first);
    expect(await tarGz(files, new Date('2026-01-02T03:04:06Z'))).not.toEqual(first);
  });
});
