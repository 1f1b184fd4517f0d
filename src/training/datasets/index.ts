import { resolve } from 'node:path';
import { InvalidInputError } from '../../errors.js';
import type { TrainingData } from '../train-model.js';
import { jsbTrainingData } from './jsb-chorales.js';
import { midiFolderTrainingData } from './midi-folder.js';

export const DATASET_HELP = 'jsb:<path to Jsb16thSeparated.json> or midi:<folder>?melody=<track>&tracks=<track>,<track>';

/** A data set named on the command line or in an API request: `kind:path`. */
export async function loadTrainingData(spec: string): Promise<TrainingData> {
  const [kind, ...rest] = spec.split(':');
  const [location, query = ''] = rest.join(':').split('?');
  if (kind === 'jsb') return jsbTrainingData(resolve(location));
  if (kind === 'midi') {
    const params = new URLSearchParams(query);
    const melody = params.get('melody');
    const tracks = params.get('tracks')?.split(',').map((t) => t.trim()).filter(Boolean) ?? [];
    if (!melody || tracks.length === 0) {
      throw new InvalidInputError(`a MIDI folder data set names its tracks: midi:${location}?melody=<track>&tracks=<track>,<track>`);
    }
    return midiFolderTrainingData({ dir: resolve(location), melody, accompaniment: tracks });
  }
  throw new InvalidInputError(`data set '${spec}' is not known; use ${DATASET_HELP}`);
}
