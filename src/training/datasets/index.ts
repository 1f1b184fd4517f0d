import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidInputError } from '../../errors.js';
import type { TrainingData } from '../train-model.js';
import { jsbTrainingData } from './jsb-chorales.js';
import { midiFolderTrainingData } from './midi-folder.js';
import { nottinghamTrainingData } from './nottingham.js';
import { pop909TrainingData } from './pop909.js';
import { stringQuartetTrainingData } from './musicxml.js';
import { weimarJazzTrainingData } from './weimar-jazz.js';
import { parseMeterChoice, type MeterChoice } from './harmony.js';

/** The kinds of data set a spec may name (`kind:path`). */
export const DATASET_KINDS = ['jsb', 'midi', 'pop909', 'nottingham', 'wjazzd', 'quartets'] as const;

export const DATASET_HELP = [
  'jsb:<Jsb16thSeparated.json>[?meter=triple][&scores=<folder of Bach chorale MusicXML>]',
  'midi:<folder>?melody=<track>&tracks=<track>,<track>[&name=<label>] (a track by name, or by index from 0)',
  'pop909:<POP909 folder>[?meter=triple|3/4|6/8]',
  'nottingham:<Nottingham MIDI folder>[?meter=triple|6/8|…]',
  'wjazzd:<folder with mcsv_melody and mcsv_beat>',
  'quartets:<folder of MusicXML scores>[?meter=triple|3/4|…]',
].join(', ');

/** The `meter=` of a spec: duple (the default), triple, or one meter by name (`6/8`). */
function meterOf(spec: string, params: URLSearchParams): MeterChoice {
  const text = params.get('meter') ?? 'duple';
  const meter = parseMeterChoice(text);
  if (!meter) throw new InvalidInputError(`data set '${spec}': meter=${text} is not known; use meter=duple, meter=triple or a meter such as meter=6/8`);
  return meter;
}

/** A data set named on the command line or in an API request: `kind:path[?options]`. */
export async function loadTrainingData(spec: string): Promise<TrainingData> {
  const [kind, ...rest] = spec.split(':');
  const [location, query = ''] = rest.join(':').split('?');
  const params = new URLSearchParams(query);
  if ((DATASET_KINDS as readonly string[]).includes(kind!)) {
    for (const path of [location, params.get('scores')]) {
      if (path != null && !existsSync(resolve(path))) {
        throw new InvalidInputError(`data set '${spec}': there is no ${kind === 'jsb' && path === location ? 'file' : 'folder'} '${path}'; check the path (the data sets are downloaded separately)`, { path });
      }
    }
  }
  if (kind === 'jsb') {
    const scores = params.get('scores');
    return jsbTrainingData(resolve(location), { meters: meterOf(spec, params), ...(scores ? { scores: resolve(scores) } : {}) });
  }
  if (kind === 'pop909') return pop909TrainingData(resolve(location), { meters: meterOf(spec, params) });
  if (kind === 'nottingham') return nottinghamTrainingData(resolve(location), { meters: meterOf(spec, params) });
  if (kind === 'wjazzd') return weimarJazzTrainingData(resolve(location));
  if (kind === 'quartets') return stringQuartetTrainingData(resolve(location), { meters: meterOf(spec, params) });
  if (kind === 'midi') {
    const melody = params.get('melody');
    const tracks = params.get('tracks')?.split(',').map((t) => t.trim()).filter(Boolean) ?? [];
    if (!melody || tracks.length === 0) {
      throw new InvalidInputError(`a MIDI folder data set names its tracks: midi:${location}?melody=<track>&tracks=<track>,<track>`);
    }
    const label = params.get('name');
    return midiFolderTrainingData({ dir: resolve(location), melody, accompaniment: tracks, ...(label ? { label } : {}) });
  }
  throw new InvalidInputError(`data set '${spec}' is not known; use ${DATASET_HELP}`);
}
