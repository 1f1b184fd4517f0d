import 'reflect-metadata';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { continuoSchema } from './schema.js';

/** The schema as SDL, sorted so that the file changes only when the API does. */
export async function schemaSdl(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await continuoSchema()))}\n`;
}

