/** What the SoundCloud client needs (parsed from SOUNDCLOUD_* at start-up, src/config/soundcloud-settings.ts). */
export interface SoundCloudConfig {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectPort: number;
  /** Must equal the redirect URI registered with the SoundCloud app, character for character. */
  readonly redirectUri: string;
  /** 32 bytes for AES-256-GCM; never logged. */
  readonly tokenKey: Buffer;
  readonly apiUrl: string;
  readonly authUrl: string;
  readonly tokenFile: string;
}
