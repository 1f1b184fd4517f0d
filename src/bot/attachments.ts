import { AttachmentBuilder } from 'discord.js';
import type { DiscordFile } from '../integrations/discord/discord-file.js';

/** The files as discord.js attachments. */
export function toAttachments(files: readonly DiscordFile[]): AttachmentBuilder[] {
  return files.map((f) => new AttachmentBuilder(Buffer.from(f.data), { name: f.name }));
}

/** What a reply says of the files it had to leave out. */
export function describeDropped(dropped: readonly DiscordFile[]): string {
  if (!dropped.length) return '';
  const kinds = dropped.map((f) => (f.name.endsWith('.mp3') ? 'the audio' : f.name));
  return `\n(${kinds.join(', ')} left out: over Discord's attachment size limit)`;
}
