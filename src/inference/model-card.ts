import { z } from 'zod';

/** What a model folder's `card.json` holds: enough to run the model and to judge it. */
const trackSchema = z.object({
  name: z.string().min(1),
  program: z.number().int().min(0).max(127),
  isDrum: z.boolean().default(false),
  role: z.enum(['melody', 'accompaniment']),
  /** One note at a time (decoded by the strongest pitch per step rather than a threshold). */
  monophonic: z.boolean().default(false),
  /** Pitches the track used in the training data; decoding keeps notes inside (absent: all rows). */
  range: z.object({ low: z.number().int(), high: z.number().int() }).optional(),
  /**
   * Pitches the instrument played in the training data in its own keys (key-normalised models decode
   * in `range`, in C, and keep the output here once moved back): a percentile band of its notes, one of
   * FOLD_BAND_TAILS, chosen by calibration; absent = `range`, give or take a key.
   */
  playRange: z.object({ low: z.number().int(), high: z.number().int() }).optional(),
  /**
   * Decoding threshold of this track, calibrated on the validation split so that the track sounds as
   * often (monophonic) or as densely (polyphonic) as the real music; absent = the card's threshold.
   */
  threshold: z.number().min(-1).max(1).optional(),
  /** A sounding note lasts while its cell stays above this (hysteresis; absent = the threshold). */
  sustain: z.number().min(-1).max(1).optional(),
  /** Shortest note decoding keeps, learned from the data's note lengths (absent = 1 step). */
  minSteps: z.number().int().min(1).max(16).optional(),
  /**
   * Shortest note that may stand alone in a monophonic line, not beside another note as short (a run
   * of 16ths is kept, a lone 16th between longer notes is merged as those under `minSteps` are);
   * learned from the data (absent = `minSteps`).
   */
  minLoneSteps: z.number().int().min(1).max(16).optional(),
  /** Steps of the rhythmic grid the part's notes start on in the data (decoding snaps to it); absent = 1. */
  onsetGrid: z.number().int().min(1).max(16).optional(),
});

/**
 * What the generator is conditioned on besides the melody (absent: the melody only, as DeepComposer's
 * GAN). `chords`: a second input channel holds the chord's pitch classes on every octave. `key`:
 * `normalised` means the model was trained in C major / A minor, so input is moved there and the
 * output back.
 */
const conditioningSchema = z.object({
  chords: z.boolean(),
  key: z.enum(['normalised', 'any']),
  /** The harmoniser that proposes chords when the user gives none (a file in the model folder). */
  harmoniser: z.string().optional(),
});

/**
 * The tails a part's fold band may leave out of its training notes: the 2nd–98th percentile (the
 * default, and never narrower), the 1st–99th and the 0.5th–99.5th. Wider would let a part's rarest
 * extremes, a slip of one piece, decide its instrument's register.
 */
export const FOLD_BAND_TAILS = [0.02, 0.01, 0.005] as const;

export const modelCardSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
  name: z.string(),
  genre: z.string(),
  description: z.string(),
  tracks: z.array(trackSchema).min(2),
  /** MIDI number of pitch row 0, and how many rows. */
  pitchLow: z.number().int().min(0).max(127),
  pitchCount: z.number().int().positive(),
  stepsPerBar: z.number().int().positive(),
  barsPerWindow: z.number().int().positive(),
  timeSignature: z.object({ numerator: z.number().int(), denominator: z.number().int() }),
  tempoDefault: z.number().positive(),
  /** 8th-note swing when played: the off-beat's place in the beat (0.5 straight, 2/3 triplet swing). */
  swing: z.number().min(0.5).max(0.75).optional(),
  /** Where the training melodies lie; input melodies are moved by octaves to fit. */
  melodyRange: z.object({ low: z.number().int(), high: z.number().int() }),
  network: z.object({
    steps: z.number().int(),
    pitches: z.number().int(),
    tracks: z.number().int(),
    filters: z.number().int(),
    noiseChannels: z.number().int(),
    /** Input channels: 1 (melody) or 2 (melody, chords). */
    conditionChannels: z.number().int().min(1).max(2).optional(),
  }),
  conditioning: conditioningSchema.optional(),
  /** Decoding: output cells above this (tanh, −1…1) are notes. */
  threshold: z.number().default(0),
  training: z.object({
    dataset: z.string(),
    split: z.string(),
    windows: z.number().int(),
    iterations: z.number().int(),
    hyperParameters: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
    seconds: z.number(),
    /** The run was ended by stopWhenConverged: its similarity index had stopped rising. */
    converged: z.boolean().optional(),
    /** The similarity index (0…1) at the last evaluation of the run. */
    similarity: z.number().min(0).max(1).optional(),
    backend: z.string(),
    machine: z.string().optional(),
  }),
  metrics: z
    .object({
      evaluatedOn: z.string(),
      generated: z.unknown(),
      real: z.unknown(),
      realOrGenerated: z
        .object({ accuracy: z.number(), pairs: z.number(), trainPairs: z.number(), testPairs: z.number(), epochs: z.number() })
        .optional(),
      /** Real / model / rule baseline on the first bars of held-out pieces, composed as a user would (`continuo eval`). */
      listening: z.unknown().optional(),
    })
    .optional(),
  license: z.string().optional(),
  /**
   * The API key (its id) that trained the model through the API: the model is that key's alone, to
   * list and compose with, unless `published`. Absent: shipped, or trained by `continuo train`, and
   * open to every key.
   */
  owner: z.string().optional(),
  /** Its owner shared it with every key (publishModel). */
  published: z.boolean().optional(),
});

export type ModelCard = z.infer<typeof modelCardSchema>;
export type ModelTrack = ModelCard['tracks'][number];
