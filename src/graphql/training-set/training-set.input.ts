import { Field, InputType } from 'type-graphql';

@InputType({ description: 'A MIDI file to add to a training set' })
export class TrainingFileInput {
  @Field({ description: 'Its file name, ending in .mid or .midi (a file of the same name is replaced)' }) name!: string;
  @Field({ description: 'The Standard MIDI File, base64-encoded' }) midiBase64!: string;
}

@InputType({ description: "Files to add to one of the caller's training sets (made if new)" })
export class UploadTrainingFilesInput {
  @Field({ description: 'The set: lower-case letters, digits and dashes' }) set!: string;
  @Field(() => [TrainingFileInput], { description: 'Up to the request size (MAX_REQUEST_BYTES) per call; upload a large set in several calls' })
  files!: TrainingFileInput[];
}

@InputType({ description: 'Which track of every file is the melody and which are the accompaniment, by name (any case) or by index from 0' })
export class TrackMappingInput {
  @Field({ description: 'The melody track, e.g. "Melody" or "0"' }) melody!: string;
  @Field(() => [String], { description: 'The accompaniment tracks in the order the model writes them, e.g. ["Bass", "Piano"]' }) accompaniment!: string[];
}
