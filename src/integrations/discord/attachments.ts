import { AttachmentBuilder } from 'discord.js';
import type { BotFile } from './bot-composer.js';

export { DEFAULT_ATTACHMENT_LIMIT, MAX_FILES_PER_MESSAGE, describeDropped, fitFiles, type FittedFiles } from './fit-files.js';

export function toAttachments(files: readonly BotFile[]): AttachmentBuilder[] {
  return files.map((f) => new AttachmentBuilder(Buffer.from(f.data), { name: f.name }));
}
