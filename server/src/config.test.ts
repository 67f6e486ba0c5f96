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

describe('loadConfig PLACE_MIN_POPULATION', () => {
  it('defaults to 1,000 and takes a whole number from 500', () => {
    expect(loadConfig({}).placeMinPopulation).toBe(1000);
    expect(loadConfig({ PLACE_MIN_POPULATION: '500' }).placeMinPopulation).toBe(500);
    expect(loadConfig({ PLACE_MIN_POPULATION: '20000' }).placeMinPopulation).toBe(20000);
  });

  it.each(['499', '-1', '1e3', 'many'])('refuses %s, naming the variable', (raw) => {
    expect(() => loadConfig({ PLACE_MIN_POPULATION: raw })).toThrow(ConfigError);
    expect(() => loadConfig({ PLACE_MIN_POPULATION: raw })).toThrow(/PLACE_MIN_POPULATION/);
  });
});

describe('loadConfig MAP_DEFAULT_VIEW', () => {
  it('defaults to the whole of Ukraine and reads lon,lat,zoom', () => {
    expect(loadConfig({}).mapDefaultView).toEqual({ lon: 31.2, lat: 48.4, zoom: 5 });
    expect(loadConfig({ MAP_DEFAULT_VIEW: '37.8,48.1,9' }).mapDefaultView).toEqual({ lon: 37.8, lat: 48.1, zoom: 9 });
  });

  it.each(['48.1,37.8', 'Donetsk', '37.8,48.1,30'])('refuses %s, naming the variable and the form it wants', (raw) => {
    expect(() => loadConfig({ MAP_DEFAULT_VIEW: raw })).toThrow(ConfigError);
    expect(() => loadConfig({ MAP_DEFAULT_VIEW: raw })).toThrow(/MAP_DEFAULT_VIEW must be lon,lat,zoom/);
  });
});

describe('loadConfig REDIS_URL and REDIS_PREFIX', () => {
  it('takes a redis:// or rediss:// URL and a prefix that defaults to truceline', () => {
    expect(loadConfig({}).redisUrl).toBeUndefined();
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' })).toMatchObject({ redisUrl: 'redis://127.0.0.1:6379', redisPrefix: 'truceline' });
    expect(loadConfig({ REDIS_URL: 'rediss://:secret@redis.example:6380', REDIS_PREFIX: 'mission-b:1' }).redisPrefix).toBe('mission-b:1');
  });

  it('refuses another scheme and a prefix with spaces or wildcards, naming the variable', () => {
    expect(() => loadConfig({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(/REDIS_URL/);
    for (const raw of ['two words', 'star*', 'x'.repeat(65)]) expect(() => loadConfig({ REDIS_PREFIX: raw })).toThrow(/REDIS_PREFIX/);
  });
});

describe('loadConfig METRICS_*', () => {
  it('has no metrics unless asked, and a loopback metrics listener when only the port is set', () => {
    expect(loadConfig({})).toMatchObject({ metricsToken: undefined, metricsPort: undefined, metricsHost: '127.0.0.1' });
    expect(loadConfig({ METRICS_PORT: '9091' })).toMatchObject({ metricsPort: 9091, metricsHost: '127.0.0.1' });
    expect(loadConfig({ METRICS_PORT: '0', METRICS_HOST: '10.0.0.5' })).toMatchObject({ metricsPort: 0, metricsHost: '10.0.0.5' });
    expect(loadConfig({ METRICS_TOKEN: 'a'.repeat(16) }).metricsToken).toBe('a'.repeat(16));
  });

  it('refuses a guessable token and a port that is not one, naming the variable', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'short-token' })).toThrow(/METRICS_TOKEN must be at least 16/);
    for (const raw of ['65536', 'nine', '-1']) expect(() => loadConfig({ METRICS_PORT: raw })).toThrow(/METRICS_PORT/);
  });
});
