import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '@truceline/shared';
import { GENESIS_HASH, canonicalJson, entryHash } from './canonical.js';

// The worked example of docs/audit.md: change it there too.
const EXAMPLE: Omit<AuditEntry, 'hash'> = {
  seq: 1,
  at: '2026-03-04T05:06:07.089Z',
  actor: { id: '01900000-0000-7000-8000-000000000001', username: 'Olena' },
  action: 'report.review',
  target: { type: 'report', id: '01900000-0000-7000-8000-0000000000aa' },
  before: { status: 'pending' },
  after: { status: 'rejected' },
  note: 'Duplicate of the 05:02 report — same crater, «Авдіївка»',
  prevHash: GENESIS_HASH,
};
const EXAMPLE_CANONICAL =
  '{"action":"report.review","actor":{"id":"01900000-0000-7000-8000-000000000001","username":"Olena"},' +
  '"after":{"status":"rejected"},"at":"2026-03-04T05:06:07.089Z","before":{"status":"pending"},' +
  '"note":"Duplicate of the 05:02 report — same crater, «Авдіївка»",' +
  '"prevHash":"0000000000000000000000000000000000000000000000000000000000000000",' +
  '"seq":1,"target":{"id":"01900000-0000-7000-8000-0000000000aa","type":"report"}}';
const EXAMPLE_HASH = '3db643e7731482ba25fce9eeee7d88e6c5c4cdbea4eae0262bd1e67fb941c0f4';

describe('canonical JSON', () => {
  it('sorts keys at every depth, drops absent keys, keeps null, and adds no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: null, c: undefined, b: 'x' }, actor: null })).toBe('{"a":{"b":"x","d":null},"actor":null,"b":1}');
  });

  it('escapes strings as JSON.stringify does: quotes, backslashes and control characters only', () => {
    expect(canonicalJson('a"b\\c\n\u0001é')).toBe('"a\\"b\\\\c\\n\\u0001é"');
  });

  it('refuses numbers that are not safe whole numbers, whose text another tool might write differently', () => {
    expect(() => canonicalJson({ n: 1.5 })).toThrow(/whole numbers/);
    expect(() => canonicalJson({ n: 2 ** 60 })).toThrow(/whole numbers/);
  });

  it('writes the documented example byte for byte', () => {
    expect(canonicalJson(EXAMPLE)).toBe(EXAMPLE_CANONICAL);
  });
});

describe('entry hash', () => {
  it('is SHA-256 hex of prevHash followed by the canonical JSON', () => {
    const expected = createHash('sha256').update(GENESIS_HASH + EXAMPLE_CANONICAL, 'utf8').digest('hex');
    expect(entryHash(EXAMPLE)).toBe(expected);
  });

  it('is what the documented Python one-liner recomputes from the entry as served', () => {
    const served = JSON.stringify({ ...EXAMPLE, hash: entryHash(EXAMPLE) });
    const python = [
      'import hashlib, json, sys',
      'e = json.load(sys.stdin); h = e.pop("hash")',
      'c = json.dumps(e, sort_keys=True, separators=(",", ":"), ensure_ascii=False)',
      'print(hashlib.sha256((e["prevHash"] + c).encode("utf-8")).hexdigest(), h)',
    ].join('\n');
    const [recomputed, stored] = execFileSync('python3', ['-c', python], { input: served, encoding: 'utf8' }).trim().split(' ');
    expect(recomputed).toBe(stored);
    expect(recomputed).toBe(EXAMPLE_HASH);
  });

  it('is what sha256sum prints for prevHash and the canonical text', () => {
    const out = execFileSync('sha256sum', { input: GENESIS_HASH + EXAMPLE_CANONICAL, encoding: 'utf8' });
    expect(out.split(' ')[0]).toBe(EXAMPLE_HASH);
  });

  it('changes when any field changes, including one a tamperer might think harmless', () => {
    const base = entryHash(EXAMPLE);
    expect(entryHash({ ...EXAMPLE, note: `${EXAMPLE.note} ` })).not.toBe(base);
    expect(entryHash({ ...EXAMPLE, seq: 2 })).not.toBe(base);
    expect(entryHash({ ...EXAMPLE, prevHash: 'f'.repeat(64) })).not.toBe(base);
    const { note: _dropped, ...withoutNote } = EXAMPLE;
    expect(entryHash(withoutNote)).not.toBe(base);
  });
});
