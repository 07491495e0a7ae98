import { runMigrateCommand } from './migrate-command.js';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runMigrateCommand(args, {
    out: (line) => (out += `${line}\n`),
    err: (line) => (err += `${line}\n`),
  });
  return { code, out, err };
}

describe('npm run db:migrate', () => {
  // `npm run db:migrate -- --help` runs `deploy --help`: a help flag must not migrate, nor fail.
  it('prints its usage on stdout and exits 0 for --help or -h, opening no database', async () => {
    for (const args of [['deploy', '--help'], ['create', '-h'], ['--help']]) {
      const { code, out, err } = await run(args);
      expect(code, args.join(' ')).toBe(0);
      expect(out).toMatch(/^Usage:\n {2}npm run db:migrate/);
      expect(err).toBe('');
    }
  });

  it('still refuses a command line it does not know with the usage and exit 2', async () => {
    const { code, err } = await run(['frobnicate']);
    expect(code).toBe(2);
    expect(err).toMatch(/^Usage:/);
  });
});
