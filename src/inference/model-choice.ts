import { InvalidInputError } from '../errors.js';
import type { Melody } from '../music/melody.js';
import { checkMelodyFits, meterFits } from './compose.js';
import type { LoadedModel } from './registry.js';

/** Where models come from (the ModelRegistry). */
export interface ModelSource {
  get(id: string): LoadedModel;
  list(): readonly LoadedModel[];
}

/**
 * The model to accompany a melody with: the one asked for when its bars fit the melody's meter, else
 * a model of the same genre whose bars do (a model folder may have siblings for other meters, e.g.
 * `folk` in 4/4 and `folk-triple` in 6/8 and 3/4), one trained in the melody's own meter first. When
 * none of the genre fits, the request is refused (BAD_USER_INPUT) with the asked model's message and
 * the models that do take the meter. The GraphQL service, the CLI and the Discord bot all choose here.
 */
export function modelForMelody(models: ModelSource, modelId: string, melody: Melody): LoadedModel {
  const asked = models.get(modelId);
  const ts = melody.timeSignature;
  if (melody.notes.length === 0 || meterFits(asked.card, ts)) {
    checkMelodyFits(asked.card, melody);
    return asked;
  }
  const fitting = models.list().filter((m) => meterFits(m.card, ts));
  const siblings = fitting.filter((m) => m.card.genre === asked.card.genre);
  const own = siblings.find((m) => m.card.timeSignature.numerator === ts.numerator && m.card.timeSignature.denominator === ts.denominator);
  const chosen = own ?? siblings[0];
  if (chosen) return chosen;
  const meter = `${ts.numerator}/${ts.denominator}`;
  const ids = fitting.map((m) => m.card.id);
  try {
    checkMelodyFits(asked.card, melody);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    const which = ids.length > 0 ? `; the models here for ${meter}: ${ids.join(', ')}` : `; no model here composes in ${meter}`;
    throw new InvalidInputError(`${error.message}${which}`, { ...error.details, models: ids });
  }
  throw new InvalidInputError(`the '${asked.card.id}' model cannot accompany a melody in ${meter}`, { timeSignature: meter, models: ids });
}
