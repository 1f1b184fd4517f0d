import { MessageFlags } from 'discord.js';
import { NotConfiguredError } from '../errors.js';
import type { ButtonHandler } from './command.js';
import { compositionMessage } from './compose-reply.js';
import { replyWithError } from './error-reply.js';
import { PUBLISH_PREFIX, TAKE_PREFIX, TAKE_REF_PREFIX } from './take-ids.js';

/** "Another take": the same request with a new seed, as a new message under the old one. */
export const anotherTakeButton: ButtonHandler = {
  matches: (id) => id.startsWith(TAKE_PREFIX) || id.startsWith(TAKE_REF_PREFIX),
  async execute(interaction, ctx) {
    const req = ctx.takes.decode(interaction.customId);
    if (!req) {
      await interaction.reply({ content: 'This button has expired; run `/compose` again.', flags: MessageFlags.Ephemeral });
      return;
    }
    await interaction.deferReply();
    try {
      const result = await ctx.composer.compose(req);
      await interaction.editReply(compositionMessage(result, req, ctx.composer, ctx.takes, interaction.attachmentSizeLimit));
    } catch (error) {
      await replyWithError(interaction, error, ctx.log);
    }
  },
};

/** "Publish to SoundCloud": shares the composition and answers with the track's address. */
export const publishButton: ButtonHandler = {
  matches: (id) => id.startsWith(PUBLISH_PREFIX),
  async execute(interaction, ctx) {
    await interaction.deferReply();
    try {
      if (!ctx.composer.publish) throw new NotConfiguredError('publishing to SoundCloud is not configured on this server');
      const compositionId = interaction.customId.slice(PUBLISH_PREFIX.length);
      const title = `Continuo composition for ${interaction.user.username}`;
      const { url } = await ctx.composer.publish(compositionId, title);
      await interaction.editReply({ content: `Published to SoundCloud: ${url}` });
    } catch (error) {
      await replyWithError(interaction, error, ctx.log);
    }
  },
};
