import { Client, Events, GatewayIntentBits, type Interaction } from 'discord.js';
import { ContinuoError, UnauthenticatedError, UnavailableError } from '../errors.js';
import { DISCORD_API } from '../integrations/discord/index.js';
import type { Logger } from '../logger.js';
import { networkProblem, unreachable } from '../network-failure.js';
import type { BotComposer } from './bot-composer.js';
import { anotherTakeButton, publishButton } from './buttons.js';
import type { BotContext, ButtonHandler, SlashCommand } from './command.js';
import { replyWithError } from './error-reply.js';
import { TakeIds } from './take-ids.js';
import { botCommands } from './commands.js';

export interface BotOptions {
  readonly composer: BotComposer;
  readonly log: Logger;
  /** REST base, e.g. `http://127.0.0.1:PORT/api` for a fake; default Discord's. */
  readonly api?: string;
}

/** What a failed login means for the person starting the bot. */
export function loginFailure(error: unknown, api = DISCORD_API): ContinuoError {
  if (error instanceof ContinuoError) return error;
  if ((error as { code?: unknown } | null)?.code === 'TokenInvalid') {
    return new UnauthenticatedError('Discord rejected the bot token (DISCORD_TOKEN); copy it again from the developer portal: your application → Bot → Reset Token');
  }
  const problem = networkProblem(error);
  if (problem) return unreachable('Discord', api, problem, 'log the bot in', 'start the bot again');
  return new UnavailableError(`Discord did not let the bot log in: ${error instanceof Error ? error.message : String(error)}`);
}

/** The Discord bot: a gateway client that routes slash commands and buttons to their handlers. */
export class ContinuoBot {
  readonly client: Client;
  private readonly api: string;
  private readonly commands: Map<string, SlashCommand>;
  private readonly buttons: ButtonHandler[] = [anotherTakeButton, publishButton];
  private readonly ctx: BotContext;

  constructor(options: BotOptions) {
    this.api = options.api ?? DISCORD_API;
    this.client = new Client({ intents: [GatewayIntentBits.Guilds], ...(options.api ? { rest: { api: options.api } } : {}) });
    this.ctx = { composer: options.composer, takes: new TakeIds(), log: options.log };
    this.commands = new Map(botCommands(options.composer.models()).map((c) => [c.data.name, c]));
    this.client.on(Events.InteractionCreate, (interaction) => void this.route(interaction));
    this.client.on(Events.Error, (err) => options.log.error({ err }, 'discord client error'));
  }

  /**
   * Logs in and resolves once the gateway is ready. A rejected token is UNAUTHENTICATED, an unreachable
   * Discord UNAVAILABLE; either way the client is closed, so nothing keeps the process running.
   */
  async start(token: string): Promise<void> {
    const ready = new Promise<void>((resolve) => this.client.once(Events.ClientReady, () => resolve()));
    try {
      await this.client.login(token);
    } catch (error) {
      await this.client.destroy();
      throw loginFailure(error, this.api);
    }
    await ready;
    this.ctx.log.info({ user: this.client.user?.tag }, 'discord bot ready');
  }

  private async route(interaction: Interaction): Promise<void> {
    try {
      if (interaction.isChatInputCommand()) {
        const command = this.commands.get(interaction.commandName);
        if (command) await command.execute(interaction, this.ctx);
      } else if (interaction.isButton()) {
        const handler = this.buttons.find((b) => b.matches(interaction.customId));
        if (handler) await handler.execute(interaction, this.ctx);
      }
    } catch (error) {
      if (interaction.isChatInputCommand() || interaction.isButton()) await replyWithError(interaction, error, this.ctx.log);
      else this.ctx.log.error({ err: error }, 'discord interaction failed');
    }
  }

  async close(): Promise<void> {
    await this.client.destroy();
  }
}
