import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { SAMPLE_MELODIES } from '../music/samples.js';
import type { BotContext, SlashCommand } from './command.js';

const EXAMPLES = [
  ['Frère Jacques, first half', 'C4 D4 E4 C4 | C4 D4 E4 C4 | E4 F4 G4/2 | E4/4 F4 G4/2 |]'],
  ['A waltz with a one-beat pickup', 'time=3/4 tempo=90 D4 | G4/2 B4/4 | D5/2. | C5/4 B4 A4 | G4/2. |]'],
  ['A jig in 6/8', 'time=6/8 A4/8 | D5/4 D5/8 D5/4 E5/8 | F#5/4. E5/4. |]'],
  ['Starting with a rest', 'tempo=120 R/4 C4 E4 F4 | G4/1 |]'],
] as const;

export function helpText(models: readonly { id: string; name: string }[]): string {
  return [
    '**Typing a melody** — a list of notes: letter, optional `#`/`b`, octave (`C4` is middle C), duration (`/1` `/2` `/4` `/8` `/16`), optional dot.',
    'Octave and duration carry over from the note before (`C4/8 D E F` = four eighths); `R` is a rest, `~` ties, `|` bar lines are checked. Settings first: `tempo=90 time=3/4 title="My tune"`. ABC notation (with an `X:` or `K:` line) works too.',
    '**Chords:** `"G7"` before a note (`"G7" G4 A4 B4 | "C" C5/1`), or `chords:` bar by bar: `C | F G7 | Am . Dm G7 | C` (a bar\'s chords share it equally, `.` holds the chord before, `N.C.` is none). The reply shows the chords used: edit them and compose again.',
    '',
    ...EXAMPLES.map(([what, text]) => `• ${what}: \`${text}\``),
    '',
    `**Samples:** ${SAMPLE_MELODIES.map((s) => `\`${s.id}\``).join(', ')}`,
    `**Models:** ${models.map((m) => `\`${m.id}\` (${m.name})`).join(', ') || 'none loaded'}`,
    'Try `/compose sample:ode-to-joy` or `/compose notation:C4 D4 E4 C4 | E4 F4 G4/2`.',
  ].join('\n').slice(0, 2000);
}

export const helpCommand: SlashCommand = {
  data: new SlashCommandBuilder().setName('help').setDescription('How to type a melody, and the samples and models'),
  async execute(interaction, ctx: BotContext) {
    await interaction.reply({ content: helpText(ctx.composer.models()), flags: MessageFlags.Ephemeral });
  },
};
