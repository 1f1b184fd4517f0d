import { REST, Routes } from 'discord.js';
import { botCommands } from './commands.js';

export interface RegisterOptions {
  readonly token: string;
  readonly applicationId: string;
  /** Register in one guild (instant, for testing) instead of globally (may take a while to appear). */
  readonly guildId?: string;
  /** REST base for a fake, e.g. `http://127.0.0.1:PORT/api`. */
  readonly api?: string;
  readonly models: readonly { id: string; name: string }[];
}

/** Replaces the application's slash commands with this bot's (PUT): /compose and /help. */
export async function registerCommands(options: RegisterOptions): Promise<{ names: string[]; route: string }> {
  const rest = new REST(options.api ? { api: options.api } : {}).setToken(options.token);
  const route = options.guildId ? Routes.applicationGuildCommands(options.applicationId, options.guildId) : Routes.applicationCommands(options.applicationId);
  const body = botCommands(options.models).map((c) => c.data.toJSON());
  await rest.put(route, { body });
  return { names: body.map((c) => c.name), route };
}
