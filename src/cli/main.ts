#!/usr/bin/env node
import { Command } from 'commander';
import { ContinuoError } from '../errors.js';
import { trainCommand } from './train.command.js';

const program = new Command('continuo')
  .description('Continuo: a melody in, a multi-track arrangement out')
  .showHelpAfterError()
  .addCommand(trainCommand);

program.parseAsync(process.argv).catch((error: unknown) => {
  const message = error instanceof ContinuoError ? `${error.code}: ${error.message}` : (error as Error).message;
  process.stderr.write(`continuo: ${message}\n`);
  process.exitCode = 1;
});
