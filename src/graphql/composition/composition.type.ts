import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { CompositionRecord, StoredFile } from '../../store/records.js';
import { JobStatusEnum } from '../scalars.js';

@ObjectType({ description: 'A problem, with a stable code and a message saying what to do' })
export class Problem {
  @Field() code!: string;
  @Field() message!: string;
}

@ObjectType({ description: 'A file of a composition, served over HTTP' })
export class CompositionFile {
  @Field({ description: 'midi, mp3, ogg, wav, flac, png, svg' }) format!: string;
  @Field(() => Int, { nullable: true, description: 'Which variation (0-based)' }) variation?: number;
  @Field() url!: string;
  @Field() contentType!: string;
  @Field(() => Int) bytes!: number;
  @Field(() => Float, { nullable: true, description: 'Seconds, for audio' }) durationSeconds?: number;

  static from(f: StoredFile, compositionId: string, fileUrl: (fileId: string, filename: string) => string): CompositionFile {
    const ext = f.format === 'midi' ? 'mid' : f.format;
    return Object.assign(new CompositionFile(), {
      format: f.format,
      variation: f.variation,
      url: fileUrl(f.fileId, `composition-${compositionId}${f.variation ? `-${f.variation + 1}` : ''}.${ext}`),
      contentType: f.contentType,
      bytes: f.bytes,
      durationSeconds: f.durationSeconds,
    });
  }
}

export enum AudioFormatEnum {
  MP3 = 'mp3',
  OGG = 'ogg',
  WAV = 'wav',
  FLAC = 'flac',
}
export enum ImageFormatEnum {
  PNG = 'png',
  SVG = 'svg',
}
registerEnumType(AudioFormatEnum, {
  name: 'AudioFormat',
  description: 'Stereo audio: mp3, wav and flac at 44.1 kHz; ogg is Opus, which runs at 48 kHz',
  valuesConfig: {
    MP3: { description: 'MP3, 192 kb/s constant bit rate, 44.1 kHz' },
    OGG: { description: 'Opus in an Ogg container, 128 kb/s, 48 kHz (the rate Opus codes at)' },
    WAV: { description: 'WAV, 16-bit PCM, 44.1 kHz' },
    FLAC: { description: 'FLAC, 16-bit lossless, 44.1 kHz' },
  },
});
registerEnumType(ImageFormatEnum, { name: 'ImageFormat' });

@ObjectType({ description: 'How the melody came in' })
export class MelodySource {
  @Field({ description: 'midi, notation, abc or sample' }) kind!: string;
  @Field() summary!: string;
}

@ObjectType()
export class Composition {
  @Field(() => ID) id!: string;
  @Field(() => JobStatusEnum) status!: JobStatusEnum;
  @Field() modelId!: string;
  @Field(() => Int) seed!: number;
  @Field(() => Int) variations!: number;
  @Field() keepMelody!: boolean;
  @Field(() => Float) tempo!: number;
  @Field(() => Int) bars!: number;
  @Field(() => MelodySource) input!: MelodySource;
  @Field(() => String, { nullable: true, description: 'The key the music was taken to be in, e.g. "G", "Em"; once composed' })
  key?: string;
  @Field(() => String, {
    nullable: true,
    description:
      'The chords accompanied, bar by bar in the form ComposeInput.chords takes ("C | F G7 | C"): edit them and compose again. ' +
      'Once composed; null for models that do not follow chords',
  })
  chords?: string;
  @Field(() => String, { nullable: true, description: 'Where the chords came from: "given" (the request or the melody) or "harmoniser" (proposed by the model)' })
  chordSource?: string;
  @Field(() => [CompositionFile]) files!: CompositionFile[];
  @Field({ nullable: true, description: 'MIDI of the first variation, when done' }) midiUrl?: string;
  @Field(() => Problem, { nullable: true }) error?: Problem;
  @Field() createdAt!: string;
  @Field() updatedAt!: string;

  static from(r: CompositionRecord, fileUrl: (fileId: string, filename: string) => string): Composition {
    const files = r.files.map((f) => CompositionFile.from(f, r.id, fileUrl));
    return Object.assign(new Composition(), {
      id: r.id,
      status: r.status as JobStatusEnum,
      modelId: r.modelId,
      seed: r.seed,
      variations: r.variations,
      keepMelody: r.keepMelody,
      tempo: r.tempo,
      bars: r.bars,
      input: Object.assign(new MelodySource(), r.input),
      key: r.key,
      chords: r.chords,
      chordSource: r.chordSource,
      files,
      midiUrl: files.find((f) => f.format === 'midi')?.url,
      error: r.error ? Object.assign(new Problem(), r.error) : undefined,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    });
  }
}

@ObjectType()
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ObjectType({ description: "A page of the caller's compositions, newest first" })
export class CompositionConnection {
  @Field(() => [Composition]) nodes!: Composition[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int) totalCount!: number;
}
