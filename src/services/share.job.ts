import type { JobHandler } from '../jobs/ports.js';
import type { ShareService } from './share.service.js';

/** The share job: a composition published to SoundCloud or posted to Discord. */
export function shareJob(shares: ShareService): JobHandler<{ shareId: string }> {
  return (job) => shares.run(job);
}
