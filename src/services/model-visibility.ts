import { NotFoundError } from '../errors.js';
import type { ModelCard } from '../inference/model-card.js';
import type { ModelSource } from '../inference/model-choice.js';
import type { LoadedModel } from '../inference/registry.js';

/**
 * Whether a key may see and compose with a model: shipped models and those trained on the command line
 * are everyone's; a model trained through the API is its key's until that key publishes it.
 * `keyId` undefined: a caller without a key, who sees the models open to all.
 */
export function canUseModel(card: Pick<ModelCard, 'owner' | 'published'>, keyId: string | undefined): boolean {
  return card.owner === undefined || card.published === true || card.owner === keyId;
}

/**
 * The models a key may use, as a source for listing and for model choice: another key's private
 * model is NOT_FOUND, like one that does not exist (that it exists is its owner's to know), and the
 * message lists only the models this key can use.
 */
export function modelsVisibleTo(models: ModelSource, keyId: string | undefined): ModelSource {
  const list = (): LoadedModel[] => models.list().filter((m) => canUseModel(m.card, keyId));
  return {
    list,
    get(id) {
      const found = list().find((m) => m.card.id === id);
      if (!found) throw new NotFoundError('model', id, `available models: ${list().map((m) => m.card.id).join(', ') || 'none'}`);
      return found;
    },
  };
}
