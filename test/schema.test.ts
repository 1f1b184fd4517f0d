import 'reflect-metadata';
import { readFile } from 'node:fs/promises';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { schemaSdl } from '../src/graphql/emit-schema.js';

const fromRoot = (path: string) => new URL(`../${path}`, import.meta.url);

describe('schema.graphql and the generated client documents', () => {
  it('schema.graphql is what the code builds (run `npm run schema` after an API change)', async () => {
    const committed = await readFile(fromRoot('schema.graphql'), 'utf8');
    expect(committed, 'schema.graphql is stale: run `npm run schema && npm run codegen`').toBe(await schemaSdl());
  });

  it('test/generated/graphql.ts is what codegen makes from it (run `npm run codegen`)', async () => {
    const config = parse(await readFile(fromRoot('codegen.yml'), 'utf8'));
    const [output] = await generate({ ...config, cwd: fromRoot('').pathname, silent: true }, false);
    const committed = await readFile(fromRoot('test/generated/graphql.ts'), 'utf8');
    expect(committed, 'test/generated/graphql.ts is stale: run `npm run codegen`').toBe(output.content);
  });
});
