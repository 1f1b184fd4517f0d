import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { packageRoot } from '../config/paths.js';
import { schemaSdl } from '../graphql/emit-schema.js';
import { commandConfig } from './command-config.js';

export const schemaCommand = new Command('schema')
  .description('write the GraphQL schema built from the resolvers (schema.graphql, for codegen and clients)')
  .option('-o, --out <file>', 'where to write it', join(packageRoot(), 'schema.graphql'))
  .action(async (opts: { out: string }) => {
    commandConfig();
    await writeFile(opts.out, await schemaSdl());
    process.stdout.write(`wrote ${opts.out}\n`);
  });
