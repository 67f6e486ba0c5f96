import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig PUBLIC_URL', () => {
  it('keeps the origin of an http(s) URL', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://Truceline.Example:443/' }).publicUrl).toBe('https://truceline.example');
    expect(loadConfig({ PUBLIC_URL: 'http://192.168.1.10:8080' }).publicUrl).toBe('http://192.168.1.10:8080');
    expect(loadConfig({}).publicUrl).toBeUndefined();
  });

  it.each(['truceline.example', 'ftp://truceline.example', 'https://truceline.example/app', 'https://truceline.example/?x=1'])(
    'refuses %s with a message naming the variable',
    (raw) => {
      expect(() => loadConfig({ PUBLIC_URL: raw })).toThrow(ConfigError);
      expect(() => loadConfig({ PUBLIC_URL: raw })).toThrow(/PUBLIC_URL/);
    },
  );
});
