import { ActionRowBuilder, ButtonBuilder, ButtonStyle, type InteractionEditReplyOptions } from 'discord.js';
import type { BotComposeRequest, BotComposer, BotComposition } from './bot-composer.js';
import { describeDropped, fitFiles, toAttachments } from './attachments.js';
import { newSeed, PUBLISH_PREFIX, type TakeIds } from './take-ids.js';

/** The message that shows a composition: description, audio, MIDI, piano roll and the buttons. */
export function compositionMessage(
  result: BotComposition,
  req: BotComposeRequest,
  composer: BotComposer,
  takes: TakeIds,
  attachmentSizeLimit: number,
): InteractionEditReplyOptions {
  const { files, dropped } = fitFiles(result.files, attachmentSizeLimit);
  const buttons = [
    new ButtonBuilder().setCustomId(takes.encode({ ...req, seed: newSeed(result.seed) })).setLabel('Another take').setStyle(ButtonStyle.Primary),
  ];
  if (composer.publish) {
    buttons.push(new ButtonBuilder().setCustomId(`${PUBLISH_PREFIX}${result.compositionId}`).setLabel('Publish to SoundCloud').setStyle(ButtonStyle.Secondary));
  }
  const content = `🎼 ${result.summary} · seed ${result.seed}${describeDropped(dropped)}`.slice(0, 2000);
  return { content, files: toAttachments(files), components: [new ActionRowBuilder<ButtonBuilder>().addComponents(buttons)] };
}
