import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt } from '../process/spawn.js';
import { soak, summaryLine } from './harness.js';

// CI runs a few rounds; `pnpm soak --rounds N` runs as many as asked (SOAK_ROUNDS, SOAK_SEED).
const rounds = Number(process.env.SOAK_ROUNDS ?? 3);
const seed = Number(process.env.SOAK_SEED ?? Math.floor(Math.random() * 2 ** 31));

describe('the server killed with SIGKILL under load', () => {
  beforeAll(() => assertBuilt());

  it(
    `loses no acknowledged report and stores none twice (${rounds} rounds, seed ${seed})`,
    async () => {
      const summary = await soak({ rounds, seed });
      // The line `pnpm soak` picks up; on a failure it names the seed that replays the kill points.
      process.stdout.write(`${summaryLine(summary)}\n`);
      expect(summary.problems, `replay with SOAK_SEED=${seed}`).toEqual([]);
      expect(summary).toMatchObject({ rounds, lost: 0, duplicates: 0, strays: 0, refused: 0 });
      expect(summary.acknowledged).toBeGreaterThan(rounds * 10);
    },
    60_000 + rounds * 20_000,
  );
});
