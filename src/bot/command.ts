import type { ButtonInteraction, ChatInputCommandInteraction, RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { Logger } from '../logger.js';
import type { BotComposer } from './bot-composer.js';
import type { TakeIds } from './take-ids.js';

/** What commands and buttons get from the bot. */
export interface BotContext {
  readonly composer: BotComposer;
  readonly takes: TakeIds;
  readonly log: Logger;
}

/** A slash command in the discord.js guide's shape: its definition and its handler. */
export interface SlashCommand {
  readonly data: { readonly name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void>;
}

export interface ButtonHandler {
  matches(customId: string): boolean;
  execute(interaction: ButtonInteraction, ctx: BotContext): Promise<void>;
}
