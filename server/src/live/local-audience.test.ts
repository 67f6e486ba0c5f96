import { describe, expect, it } from 'vitest';
import { localAudience } from './local-audience.js';

const index = new Map<string, Set<string>>([
  ['monitors', new Set(['a', 'b'])],
  ['format:commit', new Set(['a'])],
  ['format:none', new Set(['b'])],
  ['user:alice', new Set(['a'])],
  ['privileged', new Set()],
]);

describe('localAudience', () => {
  it('finds a socket in a room that no except room holds', () => {
    const has = localAudience(index);
    expect(has(['monitors'], ['format:commit'])).toBe(true);
    expect(has(['monitors'], [])).toBe(true);
    expect(has(['user:alice'], ['privileged'])).toBe(true);
  });

  it('answers no when every socket of the rooms is excepted, a room is empty or unknown', () => {
    const has = localAudience(index);
    expect(has(['monitors'], ['format:commit', 'format:none'])).toBe(false);
    expect(has(['user:alice'], ['format:commit'])).toBe(false);
    expect(has(['privileged'], [])).toBe(false);
    expect(has(['user:bob'], [])).toBe(false);
  });

  it('looks at every room of a union', () => {
    const has = localAudience(index);
    expect(has(['privileged', 'user:alice'], [])).toBe(true);
    expect(has(['user:bob', 'privileged'], [])).toBe(false);
  });

  it('remembers an answer for the same question within one checker', () => {
    const rooms = new Map<string, Set<string>>([['monitors', new Set(['a'])]]);
    const has = localAudience(rooms);
    expect(has(['monitors'], [])).toBe(true);
    rooms.set('monitors', new Set());
    expect(has(['monitors'], [])).toBe(true);
    expect(localAudience(rooms)(['monitors'], [])).toBe(false);
  });
});
