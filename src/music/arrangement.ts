import type { Note, TempoChange, TimeSignature } from './melody.js';

export type TrackRole = 'melody' | 'accompaniment';

export interface Instrument {
  /** Shown to people and written as the MIDI track name. */
  readonly name: string;
  /** General MIDI program, 0–127 (ignored for drums). */
  readonly program: number;
  /** Drums play on MIDI channel 10. */
  readonly isDrum: boolean;
}

export interface ArrangementTrack extends Instrument {
  readonly role: TrackRole;
  readonly notes: readonly Note[];
}

/** A multi-track piece on the step grid: what compose returns and what MIDI/audio/pictures are made of. */
export interface Arrangement {
  readonly tracks: readonly ArrangementTrack[];
  readonly tempo: number;
  readonly timeSignature: TimeSignature;
  /** Length in steps (whole bars). */
  readonly steps: number;
  readonly title?: string;
  /**
   * Swing: where the second 8th note of each beat falls, as a fraction of the beat (0.5 = straight,
   * 2/3 = triplet swing). Applied when the arrangement is played (MIDI, audio), not to the step grid.
   */
  readonly swing?: number;
  /** Steps of the source before step 0 (Melody.offset): MIDI files put the music back there. */
  readonly offset?: number;
  /** The source's tempo map (Melody.tempos), written to MIDI files in place of `tempo`. */
  readonly tempos?: readonly TempoChange[];
}
