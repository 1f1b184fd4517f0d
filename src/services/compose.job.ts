import type { JobHandler } from '../jobs/ports.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/ports.js';
import type { CompositionService } from './composition.service.js';
import type { Metrics } from './metrics.js';
import type { ShareService } from './share.service.js';

export interface ComposeJobDeps {
  readonly compositions: CompositionService;
  readonly shares: ShareService;
  readonly store: Store;
  readonly metrics: Metrics;
  readonly log: Logger;
}

/**
 * The compose job, wherever it runs (the server's in-process queue, a `continuo worker`): the
 * composition is made (its model pass in an inference thread where there are any), timed by model,
 * and published where the request asked for it.
 */
export function composeJob(deps: ComposeJobDeps): JobHandler<{ compositionId: string }> {
  return async (job) => {
    const end = deps.metrics.composeSeconds.startTimer();
    let modelId: unknown;
    try {
      const result = await deps.compositions.run(job);
      modelId = result.modelId;
      await deps.shares.publishComposed(job.data.compositionId).catch((err: unknown) => deps.log.error({ err, composition: job.data.compositionId }, 'automated publishing failed'));
      return result;
    } finally {
      modelId ??= (await deps.store.compositions.get(job.data.compositionId).catch(() => null))?.modelId;
      end({ model: typeof modelId === 'string' ? modelId : 'unknown' });
    }
  };
}
