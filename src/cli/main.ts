#!/usr/bin/env node
import 'reflect-metadata';
import { Command } from 'commander';
import { ContinuoError } from '../errors.js';
import { composeCommand, modelsCommand } from './compose.command.js';
import { botCommand, discordCommand } from './discord.command.js';
import { evalCommand } from './eval.command.js';
import { harmoniserCommand } from './harmoniser.command.js';
import { keysCommand } from './keys.command.js';
import { renderCommand } from './render.command.js';
import { schemaCommand } from './schema.command.js';
import { soundcloudCommand } from './soundcloud.command.js';
import { serveCommand, workerCommand } from './serve.command.js';
import { studioCommand } from './studio.command.js';
import { trainCommand } from './train.command.js';

// Each command starts from its checked configuration (command-config.ts).
const program = new Command('continuo')
  .description('Continuo: a melody in, a multi-track arrangement out')
  .showHelpAfterError()
  .addCommand(serveCommand)
  .addCommand(studioCommand)
  .addCommand(workerCommand)
  .addCommand(keysCommand)
  .addCommand(composeCommand)
  .addCommand(renderCommand)
  .addCommand(soundcloudCommand)
  .addCommand(botCommand)
  .addCommand(discordCommand)
  .addCommand(modelsCommand)
  .addCommand(trainCommand)
  .addCommand(evalCommand)
  .addCommand(harmoniserCommand)
  .addCommand(schemaCommand);

program.parseAsync(process.argv).catch((error: unknown) => {
  const message = error instanceof ContinuoError ? `${error.code}: ${error.message}` : (error as Error).message;
  process.stderr.write(`continuo: ${message}\n`);
  process.exitCode = 1;
});
