import { ActionRowBuilder, ButtonBuilder, ButtonStyle, type InteractionEditReplyOptions } from 'discord.js';
import type { BotComposeRequest, BotComposer, BotComposition } from './bot-composer.js';
import { fitFiles } from '../integrations/discord/fit-files.js';
import { describeDropped, toAttachments } from './attachments.js';
import { newSeed, PUBLISH_PREFIX, type TakeIds } from './take-ids.js';

/** The key and the chords a composition followed, ready to edit and send back as `chords:`. */
export function describeHarmony(result: Pick<BotComposition, 'key' | 'chords' | 'chordSource'>): string {
  const key = result.key ? ` · key ${result.key}` : '';
  if (!result.chords) return key;
  const source = result.chordSource === 'harmoniser' ? 'proposed by the model' : 'given';
  return `${key}\nChords (${source}): \`${result.chords.replace(/`/g, "'")}\``;
}

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
  const content = `🎼 ${result.summary} · seed ${result.seed}${describeHarmony(result)}${describeDropped(dropped)}`.slice(0, 2000);
  return { content, files: toAttachments(files), components: [new ActionRowBuilder<ButtonBuilder>().addComponents(buttons)] };
}
