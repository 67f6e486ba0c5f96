import { describe, expect, it } from 'vitest';
import { PASSWORD_MAX_LENGTH, passwordProblem } from './account.js';

describe('passwordProblem', () => {
  const common = (p: string) => p.toLowerCase() === 'password123';
  it.each<[string, string, string, RegExp | undefined]>([
    ['a long, uncommon one passes', 'a-brand-new-passphrase', 'alice', undefined],
    ['9 characters', 'x'.repeat(9), 'alice', /at least 10/],
    ['10 characters pass', 'x'.repeat(10), 'alice', undefined],
    ['counted in characters, not UTF-16 units', '🔥'.repeat(5), 'alice', /at least 10/],
    ['over the maximum', 'x'.repeat(PASSWORD_MAX_LENGTH + 1), 'alice', /at most/],
    ['the username in another letter case', 'Olena.Kovalenko', 'olena.kovalenko', /username/],
    ['the username with spaces around it', ' olena.kovalenko ', 'olena.kovalenko', /username/],
    ['in the common list', 'PASSWORD123', 'alice', /common/],
  ])('%s', (_why, password, username, expected) => {
    const problem = passwordProblem(password, username, common);
    if (expected) expect(problem).toMatch(expected);
    else expect(problem).toBeUndefined();
  });
});
