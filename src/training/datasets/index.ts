import { resolve } from 'node:path';
import { InvalidInputError } from '../../errors.js';
import type { TrainingData } from '../train-model.js';
import { jsbTrainingData } from './jsb-chorales.js';

export const DATASET_HELP = 'jsb:<path to Jsb16thSeparated.json>';

/** A data set named on the command line or in an API request: `kind:path`. */
export async function loadTrainingData(spec: string): Promise<TrainingData> {
  const [kind, ...rest] = spec.split(':');
  const path = resolve(rest.join(':'));
  if (kind === 'jsb') return jsbTrainingData(path);
  throw new InvalidInputError(`data set '${spec}' is not known; use ${DATASET_HELP}`);
}
