import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('the store settings', () => {
  it('takes PostgreSQL from DATABASE_URL, and neither database by default', () => {
    expect(loadConfig({ DATABASE_URL: 'postgresql://continuo@db/continuo' })).toMatchObject({ databaseUrl: 'postgresql://continuo@db/continuo', mongodbUri: undefined });
    expect(loadConfig({ DATABASE_URL: 'postgres://db/continuo' }).databaseUrl).toBe('postgres://db/continuo');
    expect(loadConfig({})).toMatchObject({ databaseUrl: undefined, mongodbUri: undefined });
  });

  it('refuses DATABASE_URL beside MONGODB_URI, saying which to unset', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgresql://db/continuo', MONGODB_URI: 'mongodb://db/continuo' })).toThrow(
      /DATABASE_URL and MONGODB_URI are both set.*unset MONGODB_URI to use PostgreSQL, or DATABASE_URL to use MongoDB/,
    );
  });

  it('quotes a wrong connection string without its password', () => {
    const error: unknown = (() => {
      try {
        return loadConfig({ DATABASE_URL: 'mysql://continuo:s3cret@db/continuo' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe('invalid configuration: DATABASE_URL="mysql://continuo:***@db/continuo": must start with postgres:// or postgresql://');
  });
});
