import { Client, Events, GatewayIntentBits, type Interaction } from 'discord.js';
import type { Logger } from '../../logger.js';
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

/** The Discord bot: a gateway client that routes slash commands and buttons to their handlers. */
export class ContinuoBot {
  readonly client: Client;
  private readonly commands: Map<string, SlashCommand>;
  private readonly buttons: ButtonHandler[] = [anotherTakeButton, publishButton];
  private readonly ctx: BotContext;

  constructor(options: BotOptions) {
    this.client = new Client({ intents: [GatewayIntentBits.Guilds], ...(options.api ? { rest: { api: options.api } } : {}) });
    this.ctx = { composer: options.composer, takes: new TakeIds(), log: options.log };
    this.commands = new Map(botCommands(options.composer.models()).map((c) => [c.data.name, c]));
    this.client.on(Events.InteractionCreate, (interaction) => void this.route(interaction));
    this.client.on(Events.Error, (err) => options.log.error({ err }, 'discord client error'));
  }

  /** Logs in and resolves once the gateway is ready. */
  async start(token: string): Promise<void> {
    const ready = new Promise<void>((resolve) => this.client.once(Events.ClientReady, () => resolve()));
    await this.client.login(token);
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
