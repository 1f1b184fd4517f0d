import { MessageFlags, type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { ContinuoError } from '../errors.js';
import type { Logger } from '../logger.js';

/** The text a person sees for an error: domain errors say what to fix, others stay generic. */
export function errorText(error: unknown): string {
  if (error instanceof ContinuoError && error.code !== 'INTERNAL') {
    const { bar, token } = error.details as { bar?: number; token?: string };
    const where = bar !== undefined ? `\nBar ${bar}${token !== undefined ? `, token \`${token}\`` : ''}.` : '';
    return `⚠️ ${error.message}${where}\nSee \`/help\` for the notation.`.slice(0, 2000);
  }
  return '⚠️ Something went wrong on our side; please try again in a moment.';
}

/**
 * Answers an interaction with an error only its author sees (flag 64). A deferred, non-ephemeral reply
 * is deleted first, so the error does not stay in the channel.
 */
export async function replyWithError(interaction: ChatInputCommandInteraction | ButtonInteraction, error: unknown, log: Logger): Promise<void> {
  if (!(error instanceof ContinuoError) || error.code === 'INTERNAL') log.error({ err: error, command: interaction.isChatInputCommand() ? interaction.commandName : interaction.customId }, 'discord interaction failed');
  const content = errorText(error);
  try {
    if (interaction.deferred || interaction.replied) {
      if (interaction.deferred && !interaction.ephemeral) await interaction.deleteReply().catch(() => undefined);
      await interaction.followUp({ content, flags: MessageFlags.Ephemeral });
    } else {
      await interaction.reply({ content, flags: MessageFlags.Ephemeral });
    }
  } catch (err) {
    log.warn({ err }, 'could not tell the user about an error');
  }
}
