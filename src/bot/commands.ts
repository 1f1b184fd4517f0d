import type { SlashCommand } from './command.js';
import { composeCommand } from './compose.command.js';
import { helpCommand } from './help.command.js';

/** Every slash command of the bot; the model choices come from the models loaded now. */
export function botCommands(models: readonly { id: string; name: string }[]): SlashCommand[] {
  return [composeCommand(models), helpCommand];
}
