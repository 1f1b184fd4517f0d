import { z } from 'zod';
import type { SoundCloudConfig } from '../integrations/soundcloud/soundcloud-config.js';
import { ConfigError } from './config-error.js';
import { discordBotTogether, discordSecrets, discordSettings, discordVariables, type DiscordSettings } from './discord-settings.js';
import { describeIssues, missingTogether } from './env-values.js';
import { machineVariables, renderSettings, type BackendChoice, type RenderSettings } from './machine-settings.js';
import { soundCloudSecrets, soundCloudSettings, soundCloudTogether, soundCloudVariables } from './soundcloud-settings.js';

/** The settings of the machine and of the integrations, beside the server's (config.ts). */
export interface Settings {
  readonly backend: BackendChoice;
  readonly render: RenderSettings;
  /** Present where SoundCloud is set up (its client id, secret and token key). */
  readonly soundcloud?: SoundCloudConfig;
  readonly discord: DiscordSettings;
}

const settingsSchema = z.object({ ...machineVariables, ...soundCloudVariables, ...discordVariables });
const GROUPS = [soundCloudTogether, discordBotTogether];

const SECRETS: ReadonlySet<string> = new Set([...soundCloudSecrets, ...discordSecrets]);

/** Parses and checks them; a wrong one stops the start with one line naming it (never a secret's value). */
export function loadSettings(env: NodeJS.ProcessEnv, dataDir: string): Settings {
  const parsed = settingsSchema.safeParse(env);
  const issues = [...(parsed.success ? [] : parsed.error.issues), ...GROUPS.flatMap((group) => missingTogether(env, group))];
  if (!parsed.success || issues.length) throw new ConfigError(`invalid configuration: ${describeIssues(issues, env, SECRETS)}`);
  const e = parsed.data;
  const soundcloud = soundCloudSettings(e, dataDir);
  return { backend: e.CONTINUO_BACKEND, render: renderSettings(e), ...(soundcloud ? { soundcloud } : {}), discord: discordSettings(e) };
}
