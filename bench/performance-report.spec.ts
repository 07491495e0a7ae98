import { cpus } from 'node:os';
import { describe, expect, it } from 'vitest';
import { describeMachine } from './performance-report.js';

describe('describeMachine', () => {
  const cpuCount = cpus().length;

  it('says nothing of other work when the load at the start was within the CPU count', () => {
    // The end's load counts the bench's own threads: above the CPU count there says nothing of others.
    const line = describeMachine([cpuCount - 0.5, cpuCount + 2], 'compare the ratios');
    expect(line).toContain(
      `1-minute load average ${(cpuCount - 0.5).toFixed(2)} at the start, ${(cpuCount + 2).toFixed(2)} at the end.`,
    );
    expect(line).not.toContain('other work');
  });

  it('says what a load above the CPU count at the start means for the figures', () => {
    expect(describeMachine([cpuCount + 0.1, 0.5], 'compare the ratios')).toMatch(
      new RegExp(`at the end \\(above ${cpuCount}: other work shared the CPUs, compare the ratios\\)\\.$`),
    );
  });
});
