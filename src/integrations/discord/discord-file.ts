/** A file to attach to a Discord message (a bot's reply or a webhook post). */
export interface DiscordFile {
  readonly name: string;
  readonly data: Uint8Array;
  readonly contentType: string;
}
