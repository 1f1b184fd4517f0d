import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { ShareTargetEnum, VisibilityEnum } from '../share/share.resolver.js';

@InputType({ description: 'Publish the composition as soon as it is composed' })
export class PublishInput {
  @Field(() => ShareTargetEnum) target!: ShareTargetEnum;
  @Field() title!: string;
  @Field({ defaultValue: '' }) description!: string;
  @Field(() => VisibilityEnum, { defaultValue: VisibilityEnum.PRIVATE }) visibility!: VisibilityEnum;
  @Field({ nullable: true, description: 'DISCORD: the channel webhook URL' }) webhookUrl?: string;
  @Field(() => Int, { defaultValue: 0, description: 'Which variation to publish, from 0 as in the files; below `variations`' })
  variation!: number;
}

@InputType({ description: 'Exactly one melody source, a model and options' })
export class ComposeInput {
  @Field({ nullable: true, description: 'A Standard MIDI File, base64' }) midiBase64?: string;
  @Field({ nullable: true, description: 'MIDI track holding the melody: its name or index' }) midiTrack?: string;
  @Field({ nullable: true, description: 'Note-list notation, e.g. "C4 D4 E4/2 | G4/1"' }) notation?: string;
  @Field({ nullable: true, description: 'ABC notation' }) abc?: string;
  @Field(() => ID, { nullable: true, description: 'A sample melody id (see sampleMelodies)' }) sampleId?: string;
  @Field({
    nullable: true,
    description:
      'Which bars of a long melody to compose, counted from 1: "17-48", "17-" (from bar 17 on, up to 32 bars), "8" (the first 8). ' +
      'Default: the whole melody (up to 32 bars). The MIDI files keep the bars where they were (and a MIDI file\'s tempo changes), ' +
      'so that they line up with the source; audio and pictures start at the first bar composed. `chords` counts bars from the first bar composed.',
  })
  bars?: string;
  @Field(() => ID, {
    defaultValue: 'chorale',
    description: "The model; when its meter does not fit the melody's, a model of the same genre that fits is used (the composition's modelId says which)",
  })
  modelId!: string;
  @Field(() => Int, { nullable: true, description: 'Same seed, melody and model ⇒ same music' }) seed?: number;
  @Field(() => Int, { nullable: true, description: '1–8 different arrangements' }) variations?: number;
  @Field({ nullable: true, description: 'Keep the melody as the lead (default true)' }) keepMelody?: boolean;
  @Field(() => Float, {
    nullable: true,
    description: 'More (up to 1) or fewer (down to −1) notes than the model was calibrated to write (0), in every part relative to its calibration',
  })
  density?: number;
  @Field(() => Float, {
    nullable: true,
    description: 'One note threshold −1…1 for every part, replacing the per-part levels the model was calibrated with (lower gives more notes); prefer density',
  })
  threshold?: number;
  @Field(() => Float, { nullable: true, description: 'Noise scale 0…2' }) temperature?: number;
  @Field(() => Float, { nullable: true, description: 'Quarter notes per minute, 20–400' }) tempo?: number;
  @Field({
    nullable: true,
    description:
      'Chords to accompany, bar by bar from the melody\'s first bar (the bar of a pickup): "C | F G7 | Am . Dm G7 | C". ' +
      '`|` separates bars; the symbols of a bar share it equally (in 4/4 `F G7` is two beats each; 1, 2, 4, 8 or 16 symbols per 4/4 bar, ' +
      '1, 2, 3, 4, 6 or 12 per 3/4 or 6/8 bar); `.` holds the chord before for its share; `N.C.` is no chord; the last chord holds to the end. ' +
      'Symbols: C, Am, G7, F#m7, Bbmaj7, Bdim, Bm7b5, Dsus4, Caug, Bb/D. Replaces chord symbols written in the melody (empty: none, ' +
      'so a chord-following model proposes its own). Models that do not follow chords compose without them. ' +
      'A composition\'s `chords` has the same form: edit it and send it back.',
  })
  chords?: string;
  @Field({ nullable: true, description: 'The melody\'s key, e.g. "G", "F#m", "Bb minor"; default: the one written with the melody (ABC K:, notation key=), else estimated from the notes' })
  key?: string;
  @Field(() => [String], { nullable: true, description: 'Formats to make in the job besides MIDI: mp3, ogg, wav, flac (audio), png, svg (piano roll)' })
  formats?: string[];
  @Field(() => PublishInput, { nullable: true, description: 'Automated publishing: share once composed' }) publish?: PublishInput;
}
