import { Field, Int, ObjectType } from 'type-graphql';
import type { TrainingSet as TrainingSetData } from '../../services/training-set.service.js';
import type { MidiFolderPreview, PreviewFile } from '../../training/midi-folder-preview.js';

@ObjectType({ description: 'A file of a training set' })
export class TrainingFile {
  @Field() name!: string;
  @Field(() => Int) bytes!: number;
  @Field() updatedAt!: string;
}

@ObjectType({ description: 'MIDI files uploaded by the caller to train models on' })
export class TrainingSet {
  @Field() name!: string;
  @Field(() => [TrainingFile]) files!: TrainingFile[];
  @Field(() => Int) fileCount!: number;
  @Field(() => Int) bytes!: number;
  @Field() updatedAt!: string;

  static from(set: TrainingSetData): TrainingSet {
    return Object.assign(new TrainingSet(), {
      name: set.name,
      files: set.files.map((f) => Object.assign(new TrainingFile(), f)),
      fileCount: set.files.length,
      bytes: set.bytes,
      updatedAt: set.updatedAt,
    });
  }
}

@ObjectType({ description: 'A track found in a file, and the role the mapping gives it' })
export class TrainingFileTrack {
  @Field(() => Int, { description: 'Its index in the file, from 0' }) index!: number;
  @Field() name!: string;
  @Field(() => Int, { description: 'MIDI channel, from 0 (9 is drums)' }) channel!: number;
  @Field(() => Int, { description: 'General MIDI program' }) program!: number;
  @Field(() => Int) notes!: number;
  @Field(() => String, { nullable: true, description: 'melody, accompaniment, or null for a track the mapping leaves out' }) role?: string | null;
}

@ObjectType({ description: 'One file as training would read it' })
export class TrainingFilePreview {
  @Field() name!: string;
  @Field(() => String, { nullable: true, description: 'Its meter, e.g. 4/4 (null: the file does not parse)' }) timeSignature?: string | null;
  @Field(() => [TrainingFileTrack]) tracks!: TrainingFileTrack[];
  @Field({ description: 'Whether training uses it' }) used!: boolean;
  @Field(() => String, { nullable: true, description: 'train, valid or test (by a hash of its name: 80/10/10); null for a file left out' }) split?: string | null;
  @Field(() => Int, { description: 'Windows it gives: training windows in train (every half bar), back-to-back windows in valid and test' }) windows!: number;
  @Field(() => String, { nullable: true, description: 'Why it is left out, e.g. "without a track \'piano\'"' }) skipped?: string | null;
  @Field(() => String, { nullable: true, description: 'What the MIDI reader said of an unreadable file' }) detail?: string | null;

  static from(f: PreviewFile): TrainingFilePreview {
    return Object.assign(new TrainingFilePreview(), {
      name: f.name,
      timeSignature: f.timeSignature ? `${f.timeSignature.numerator}/${f.timeSignature.denominator}` : null,
      tracks: f.tracks.map((t) => Object.assign(new TrainingFileTrack(), { ...t, role: t.role ?? null })),
      used: f.skipped === undefined,
      split: f.split ?? null,
      windows: f.windows,
      skipped: f.skipped ?? null,
      detail: f.detail ?? null,
    });
  }
}

@ObjectType({ description: 'Windows (2 bars of 4/4) per split' })
export class SplitWindows {
  @Field(() => Int) train!: number;
  @Field(() => Int) valid!: number;
  @Field(() => Int) test!: number;
}

@ObjectType({ description: 'What training on a set with a track mapping would see, before it starts' })
export class TrainingSetPreview {
  @Field() set!: string;
  @Field(() => [TrainingFilePreview]) files!: TrainingFilePreview[];
  @Field(() => Int) usedFiles!: number;
  @Field(() => Int) skippedFiles!: number;
  @Field(() => SplitWindows, { description: 'Usable windows per split: training needs train windows, the similarity index valid ones, the card\'s metrics test ones' })
  windows!: SplitWindows;
  @Field(() => [String], { description: 'What training would lack (no windows to train on, none to validate or test with); empty when nothing' })
  warnings!: string[];

  static from(set: string, p: MidiFolderPreview): TrainingSetPreview {
    const files = p.files.map((f) => TrainingFilePreview.from(f));
    return Object.assign(new TrainingSetPreview(), {
      set,
      files,
      usedFiles: files.filter((f) => f.used).length,
      skippedFiles: files.filter((f) => !f.used).length,
      windows: Object.assign(new SplitWindows(), p.windows),
      warnings: [...p.warnings],
    });
  }
}
