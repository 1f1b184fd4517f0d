export { SoundCloud, type SoundCloudOptions } from './soundcloud.js';
export type { SoundCloudConfig } from './soundcloud-config.js';
export type { SoundCloudAccount, SoundCloudTrack } from './soundcloud-api.js';
export type { LoginOptions } from './soundcloud-login.js';
export type { RetryPolicy } from './retry-policy.js';
export type { SoundCloudLicense, SoundCloudSharing, TrackUploadRequest, UploadedTrack } from './track-uploader.js';
export type { StoredTokens } from './token-store.js';
export { EncryptedTokenStore } from './token-store.js';
export { formatTagList, parseTagList, shareMarker } from './tag-list.js';
