import { SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { SAMPLE_MELODIES } from '../music/samples.js';
import type { BotComposeRequest } from './bot-composer.js';
import type { BotContext, SlashCommand } from './command.js';
import { compositionMessage } from './compose-reply.js';
import { replyWithError } from './error-reply.js';
import { looksLikeAbc } from './melody-bars.js';

const MAX_CHOICES = 25;

export function composeCommandData(models: readonly { id: string; name: string }[]): SlashCommandBuilder {
  const data = new SlashCommandBuilder().setName('compose').setDescription('Compose an accompaniment for a melody');
  data.addStringOption((o) => o.setName('notation').setDescription('Melody: a note list like "C4 D4 E4 C4 | G4/2" or ABC (see /help)').setMaxLength(2000));
  data.addStringOption((o) =>
    o.setName('sample').setDescription('A built-in melody').addChoices(...SAMPLE_MELODIES.slice(0, MAX_CHOICES).map((s) => ({ name: s.title.slice(0, 100), value: s.id }))),
  );
  data.addStringOption((o) => {
    o.setName('model').setDescription('The model (style) to compose with');
    if (models.length) o.addChoices(...models.slice(0, MAX_CHOICES).map((m) => ({ name: (m.name || m.id).slice(0, 100), value: m.id })));
    return o;
  });
  data.addIntegerOption((o) => o.setName('tempo').setDescription('Quarter notes per minute').setMinValue(20).setMaxValue(400));
  data.addIntegerOption((o) => o.setName('seed').setDescription('Random seed: the same seed gives the same take').setMinValue(0).setMaxValue(2 ** 31 - 1));
  data.addStringOption((o) => o.setName('bars').setDescription('Bars of the melody (and chords) to use: 1-8, 17-32, 17- (from 17 on), 8 (the first 8)').setMaxLength(20));
  data.addStringOption((o) =>
    o.setName('chords').setDescription('Chords by bar, like "C | F G7 | Am . Dm G7 | C" (. holds a chord; see /help)').setMaxLength(1000),
  );
  return data;
}

/** The request a /compose interaction asks for. */
export function requestFrom(interaction: ChatInputCommandInteraction, defaultModel: string | undefined): BotComposeRequest {
  const text = interaction.options.getString('notation') ?? undefined;
  const sampleId = interaction.options.getString('sample') ?? undefined;
  const modelId = interaction.options.getString('model') ?? defaultModel ?? '';
  const tempo = interaction.options.getInteger('tempo') ?? undefined;
  const seed = interaction.options.getInteger('seed') ?? undefined;
  const bars = interaction.options.getString('bars') ?? undefined;
  const chords = interaction.options.getString('chords') ?? undefined;
  const melody = text !== undefined ? (looksLikeAbc(text) ? { abc: text } : { notation: text }) : { sampleId: sampleId ?? SAMPLE_MELODIES[0]!.id };
  return { ...melody, modelId, ...(tempo !== undefined ? { tempo } : {}), ...(seed !== undefined ? { seed } : {}), ...(bars !== undefined ? { bars } : {}), ...(chords !== undefined ? { chords } : {}) };
}

export function composeCommand(models: readonly { id: string; name: string }[]): SlashCommand {
  return {
    data: composeCommandData(models),
    async execute(interaction, ctx: BotContext) {
      await interaction.deferReply();
      try {
        const req = requestFrom(interaction, ctx.composer.models()[0]?.id);
        const result = await ctx.composer.compose(req);
        await interaction.editReply(compositionMessage(result, req, ctx.composer, ctx.takes, interaction.attachmentSizeLimit));
      } catch (error) {
        await replyWithError(interaction, error, ctx.log);
      }
    },
  };
}
