import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { packageRoot } from '../config/paths.js';
import { continuoSchema } from './schema.js';

/** The schema as SDL, sorted so that the file changes only when the API does. */
export async function schemaSdl(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await continuoSchema()))}\n`;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/dist\//, 'dist/'))) {
  const file = join(packageRoot(), 'schema.graphql');
  await writeFile(file, await schemaSdl());
  process.stdout.write(`wrote ${file}\n`);
}
