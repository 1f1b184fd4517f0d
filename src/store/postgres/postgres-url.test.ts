import { describe, expect, it } from 'vitest';
import { describeError, redactUrl, SCHEMA_PATTERN } from './postgres-url.js';

/** What the PostgreSQL adapter says about its connection, without a server (test/store.contract.test.ts runs it against one). */
describe('PostgreSQL connection strings and errors', () => {
  it('hides the password and keeps the rest', () => {
    expect(redactUrl('postgresql://continuo:s3cr:et@db.example.net:5432/continuo?sslmode=require')).toBe('postgresql://continuo:***@db.example.net:5432/continuo?sslmode=require');
    expect(redactUrl('postgres://continuo@db/continuo')).toBe('postgres://continuo@db/continuo');
    expect(redactUrl('postgresql:///continuo?host=/var/run/postgresql')).toBe('postgresql:///continuo?host=/var/run/postgresql');
  });

  it('says what a connection failure was, also when it comes as an AggregateError with no message', () => {
    const refused = (address: string) => Object.assign(new Error(`connect ECONNREFUSED ${address}`), { code: 'ECONNREFUSED' });
    expect(describeError(new AggregateError([refused('::1:5432'), refused('127.0.0.1:5432')]))).toBe('connect ECONNREFUSED ::1:5432; connect ECONNREFUSED 127.0.0.1:5432');
    expect(describeError(Object.assign(new Error(''), { code: 'ETIMEDOUT' }))).toBe('ETIMEDOUT');
    expect(describeError('plain')).toBe('plain');
  });

  it('takes only plain schema names, which need no quoting', () => {
    expect(SCHEMA_PATTERN.test('continuo_test_1_ab')).toBe(true);
    for (const name of ['Continuo', 'a-b', 'a;drop', '"x"', '1abc', '']) expect(SCHEMA_PATTERN.test(name)).toBe(false);
  });
});
