import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import toneMidi from '@tonejs/midi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chordSymbol } from '../src/music/chord.js';
import { loadTrainingData } from '../src/training/datasets/index.js';
import { loadJsbChorales } from '../src/training/datasets/jsb-chorales.js';
import { parseHarteChord } from '../src/training/datasets/pop909.js';

const { Midi } = toneMidi;

/** A MIDI file whose tracks hold the given [pitch, beat, beats] notes. */
function midiFile(meter: [number, number], tracks: { name: string; notes: [number, number, number][] }[]): Uint8Array {
  const midi = new Midi();
  midi.header.timeSignatures.push({ ticks: 0, timeSignature: meter });
  for (const { name, notes } of tracks) {
    const t = midi.addTrack();
    t.name = name;
    for (const [pitch, beat, beats] of notes) t.addNote({ midi: pitch, ticks: beat * 480, durationTicks: beats * 480 });
  }
  return midi.toArray();
}

const eightBars = (pitches: number[], beats = 1): [number, number, number][] =>
  Array.from({ length: 32 / beats }, (_, i) => [pitches[i % pitches.length], i * beats, beats]);

/** MusicXML (partwise) with one part per name, each a bar of four quarter notes on `step`. */
function score(parts: { name: string; step: string; octave: number }[]): string {
  const list = parts.map((p, i) => `<score-part id="P${i + 1}"><part-name>${p.name}</part-name></score-part>`).join('');
  const body = parts
    .map((p, i) => {
      const bars = Array.from({ length: 8 }, (_, m) => {
        const attributes = m === 0 ? '<attributes><divisions>1</divisions><time><beats>4</beats><beat-type>4</beat-type></time><clef><sign>G</sign><line>2</line></clef></attributes>' : '';
        const notes = Array.from({ length: 4 }, () => `<note><pitch><step>${p.step}</step><octave>${p.octave}</octave></pitch><duration>1</duration><type>quarter</type></note>`).join('');
        return `<measure number="${m + 1}">${attributes}${notes}</measure>`;
      }).join('');
      return `<part id="P${i + 1}">${bars}</part>`;
    })
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><score-partwise version="3.1"><part-list>${list}</part-list>${body}</score-partwise>`;
}

describe('genre data sets', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'continuo-genres-'));
    // POP909 layout: NNN/NNN.mid with MELODY, BRIDGE and PIANO.
    for (const id of ['001', '002', '003']) {
      await mkdir(join(dir, 'pop', id), { recursive: true });
      await writeFile(join(dir, 'pop', id, `${id}.mid`), midiFile([4, 4], [
        { name: 'MELODY', notes: eightBars([72, 74, 76]) },
        { name: 'BRIDGE', notes: eightBars([67], 2) },
        { name: 'PIANO', notes: [...eightBars([36, 43], 2), ...eightBars([60, 64], 2), ...eightBars([67], 2)] },
      ]));
    }
    await mkdir(join(dir, 'pop', '004'));
    await writeFile(join(dir, 'pop', '004', '004.mid'), midiFile([3, 4], [{ name: 'MELODY', notes: eightBars([72]) }, { name: 'BRIDGE', notes: [] }, { name: 'PIANO', notes: eightBars([48]) }]));
    // beat_midi.txt: a beat every 0.5 s (120 bpm), measures of 2 (or 3) beats marked, and every other one.
    const beats = (perMeasure: number) => Array.from({ length: 33 }, (_, i) => `${i * 0.5} ${i % perMeasure === 0 ? 1 : 0} ${i % (2 * perMeasure) === 0 ? 1 : 0}`).join('\n');
    for (const id of ['001', '002', '003']) await writeFile(join(dir, 'pop', id, 'beat_midi.txt'), beats(2));
    await writeFile(join(dir, 'pop', '004', 'beat_midi.txt'), beats(3));
    // Nottingham layout: tune + block chords, unnamed; subfolders repeat the tunes.
    await mkdir(join(dir, 'folk', 'melody'), { recursive: true });
    const reel = midiFile([4, 4], [{ name: '', notes: eightBars([74, 76, 78]) }, { name: '', notes: [...eightBars([50], 4), ...eightBars([54], 4), ...eightBars([57], 4)] }]);
    await writeFile(join(dir, 'folk', 'reels1.mid'), reel);
    await writeFile(join(dir, 'folk', 'melody', 'reels1.mid'), reel);
    await writeFile(join(dir, 'folk', 'jigs1.mid'), midiFile([6, 8], [{ name: '', notes: eightBars([74]) }, { name: '', notes: eightBars([50]) }]));
    await writeFile(join(dir, 'folk', 'tune-only.mid'), midiFile([4, 4], [{ name: '', notes: eightBars([74]) }]));
    // Weimar Jazz Database layout: a solo and its beat track.
    await mkdir(join(dir, 'jazz', 'mcsv_melody'), { recursive: true });
    await mkdir(join(dir, 'jazz', 'mcsv_beat'), { recursive: true });
    const melodyRows = ['onset,duration,period,division,bar,beat,tatum,beat_duration,signature,pitch,loud_max,loud_median,phrase_id,phrase_begin,chorus_id,chord,form,idea'];
    const beatRows = ['onset,duration,period,division,bar,beat,signature,chord,form,chorus_id,bass'];
    for (let bar = -1; bar < 8; bar++) {
      for (let beat = 1; beat <= 4; beat++) {
        const chord = bar < 0 ? 'NC' : bar % 2 === 0 ? 'C-7' : 'F7';
        beatRows.push(`0,0.3,4,1,${bar},${beat},'4/4',${chord},A1,0,${bar < 0 ? '' : 36 + beat}`);
        if (bar >= 0) melodyRows.push(`0,0.15,4,2,${bar},${beat},2,0.3,"""4/4""",${60 + beat},0,0,1,0,0,${chord},A1,x`);
      }
    }
    await writeFile(join(dir, 'jazz', 'mcsv_melody', 'Someone_Tune_FINAL.csv'), `${melodyRows.join('\n')}\n`);
    await writeFile(join(dir, 'jazz', 'mcsv_beat', 'Someone_Tune_FINAL_beattrack.csv'), `${beatRows.join('\n')}\n`);
    // Scores: a string quartet and a song.
    await mkdir(join(dir, 'scores'), { recursive: true });
    await writeFile(join(dir, 'scores', 'quartet.musicxml'), score([
      { name: 'Violin I', step: 'E', octave: 5 }, { name: 'Violin II', step: 'C', octave: 5 },
      { name: 'Viola', step: 'G', octave: 4 }, { name: 'Violoncello', step: 'C', octave: 3 },
    ]));
    await writeFile(join(dir, 'scores', 'song.xml'), score([{ name: 'Voice', step: 'E', octave: 5 }, { name: 'Piano', step: 'C', octave: 4 }]));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  const pieces = (d: Awaited<ReturnType<typeof loadTrainingData>>) => [...d.train, ...d.valid, ...d.test];

  it('reads POP909 songs with the piano split into chords and bass', async () => {
    const data = await loadTrainingData(`pop909:${join(dir, 'pop')}`);
    expect(data.name).toMatch(/3 songs .*1 skipped/);
    expect(data.tracks.map((t) => t.name)).toEqual(['Melody', 'Bridge', 'Piano', 'Bass']);
    const [song] = pieces(data);
    const [, , piano, bass] = song.tracks;
    expect(new Set(bass.map((n) => n.pitch))).toEqual(new Set([36, 43]));
    expect(piano.every((n) => n.pitch >= 60)).toBe(true);
  });

  it('reads Nottingham tunes with a bass line derived from the chords, skipping jigs and subfolders', async () => {
    const data = await loadTrainingData(`nottingham:${join(dir, 'folk')}`);
    expect(pieces(data).map((p) => p.id)).toEqual(['reels1.mid']);
    expect(data.name).toMatch(/1 tunes .*2 skipped/);
    const [tune, chords, bass] = pieces(data)[0].tracks;
    expect(tune).toHaveLength(32);
    expect(chords).toHaveLength(24);
    expect(bass.map((n) => n.pitch)).toEqual(Array(8).fill(50)); // the lowest chord note, already in the bass range
  });

  it('reads Weimar jazz solos: walking bass from the data, comping voiced from the chord labels', async () => {
    const data = await loadTrainingData(`wjazzd:${join(dir, 'jazz')}`);
    const [solo] = pieces(data);
    const [melody, bass, piano] = solo.tracks;
    // The pickup bar (bar −1) is bar 0 of the piece; an off-beat 8th (tatum 2 of 2) is 2 steps in.
    expect(melody[0]).toEqual({ pitch: 61, start: 16 + 2, duration: 2, velocity: 90 });
    expect(bass.slice(0, 4).map((n) => [n.pitch, n.start])).toEqual([[37, 16], [38, 20], [39, 24], [40, 28]]);
    const firstChord = piano.filter((n) => n.start === 16);
    expect(new Set(firstChord.map((n) => n.pitch % 12))).toEqual(new Set([0, 3, 7, 10]));
    expect(firstChord.every((n) => n.duration === 16)).toBe(true); // held to the next bar line
    expect(piano.some((n) => n.start < 16)).toBe(false); // NC: no comping
  });

  it('reads string quartets from MusicXML and skips other scores', async () => {
    const data = await loadTrainingData(`quartets:${join(dir, 'scores')}`);
    expect(data.name).toMatch(/1 scores, 1 duple-meter movements .*1 other scores skipped/);
    const [quartet] = pieces(data);
    expect(quartet.tracks.map((t) => t[0]?.pitch)).toEqual([76, 72, 67, 48]);
    expect(quartet.tracks[0]).toHaveLength(32);
  });
});

/** Small excerpts of the real data sets (see test/fixtures/datasets/README.md). */
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/datasets/${name}`, import.meta.url));

describe('genre data sets: real files, from the first downbeat, with chords and meter', () => {
  const pieces = (d: Awaited<ReturnType<typeof loadTrainingData>>) => [...d.train, ...d.valid, ...d.test];
  const symbols = (p: { chords?: readonly { start: number; chord: Parameters<typeof chordSymbol>[0] }[] }, n: number) =>
    (p.chords ?? []).slice(0, n).map((c) => [c.start, chordSymbol(c.chord)]);

  it('Nottingham: a reel with a 3-8th pickup starts on its first bar, with the chord track as labels', async () => {
    // ashover10, "Chestnut Reel": ^G/2A/2^A/2 | "G" B/2G/2B/2d/2 g/2d/2B/2G/2 | "C" AA A2 | "D" …
    const data = await loadTrainingData(`nottingham:${fixture('nottingham')}`);
    const [reel] = pieces(data);
    expect(pieces(data).map((p) => p.id)).toEqual(['ashover10.mid']);
    expect(data.name).toMatch(/1 skipped: 1 in 6\/8/);
    expect(reel.timeSignature).toEqual({ numerator: 4, denominator: 4 });
    expect(reel.chordSource).toBe('label');
    expect(reel.tracks[0].slice(0, 4).map((n) => [n.start, n.pitch])).toEqual([[0, 71], [2, 67], [4, 71], [6, 74]]); // B G B d, the pickup dropped
    expect(symbols(reel, 3)).toEqual([[0, 'G'], [16, 'C'], [32, 'D']]);
    expect(reel.tracks.every((t) => t.every((n) => n.start >= 0))).toBe(true);
  });

  it('Nottingham: a jig in 6/8 is read with meter=triple, its pickup chord (E7) dropped', async () => {
    // jigs108, "The Giant's Silver": "E7" c2d | "A" efe ece | "A" a2e c2e | "Bm" dcd "E7" Bcd | …
    const data = await loadTrainingData(`nottingham:${fixture('nottingham')}?meter=triple`);
    const [jig] = pieces(data);
    expect(jig.id).toBe('jigs108.mid');
    expect(jig.timeSignature).toEqual({ numerator: 6, denominator: 8 });
    expect(jig.tracks[0][0]).toMatchObject({ start: 0, pitch: 76 }); // e, on the first downbeat
    expect(symbols(jig, 5)).toEqual([[0, 'A'], [12, 'A'], [24, 'Bm'], [30, 'E7'], [36, 'A']]);
    expect(data).toMatchObject({ timeSignature: { numerator: 6, denominator: 8 } }); // the one meter the trainer is told
    await expect(loadTrainingData(`nottingham:${fixture('nottingham')}?meter=waltz`)).rejects.toThrow(/meter=waltz is not known/);
  });

  it('POP909: notes on the annotated beats from the first downbeat, chord_midi.txt labels, whole bars only', async () => {
    // Song 447: beat_midi.txt marks the first 4/4 downbeat on its third beat (1.627 s), where chord_midi.txt
    // has F:maj/5, then C:sus2 two beats later; a 6-beat bar at beat 46 (34.29 s) ends the first stretch.
    const data = await loadTrainingData(`pop909:${fixture('pop909')}`);
    expect(data.name).toMatch(/1 songs in 2 stretches.*1 skipped: 1 in 3\/4/); // 176 is in 3/4 by index.xlsx
    const [first, second] = pieces(data);
    expect([first.id, second.id]).toEqual(['447/447.mid#1', '447/447.mid#2']);
    expect(first.timeSignature).toEqual({ numerator: 4, denominator: 4 });
    expect(first.chordSource).toBe('label');
    expect(symbols(first, 3)).toEqual([[0, 'F'], [8, 'C'], [16, 'F']]);
    const [melody, bridge, , bass] = first.tracks;
    expect(bridge[0]).toMatchObject({ start: 0, pitch: 69 }); // the bridge notes before the downbeat (0.29 s…) are dropped
    expect(bass[0]).toMatchObject({ start: 0, pitch: 41 });
    expect(melody[0]).toMatchObject({ start: 24, pitch: 69 }); // the voice enters at 5.63 s, six beats after the downbeat
    expect(first.steps).toBeLessThanOrEqual(44 * 4); // beats 2…46
    expect(symbols(second, 1)).toEqual([[0, 'F']]); // F:maj/5 at 34.96 s, the downbeat after the 6-beat bar
    expect(first.chords!.every((c) => Number.isInteger(c.start) && c.duration > 0)).toBe(true);
  });

  it('POP909: meter=triple reads the 3/4 songs (index.xlsx) on 3-beat bars', async () => {
    const data = await loadTrainingData(`pop909:${fixture('pop909')}?meter=triple`);
    const [waltz] = pieces(data);
    expect(waltz.id).toBe('176/176.mid');
    expect(waltz.timeSignature).toEqual({ numerator: 3, denominator: 4 });
    expect(symbols(waltz, 3)).toEqual([[0, 'Gm'], [24, 'Eb'], [36, 'F']]); // G:min from the first downbeat (0.81 s) for two bars
  });

  it('Weimar Jazz: a solo with a pickup in bar 0 starts on bar 1 beat 1, with the beat track\'s chord labels', async () => {
    // Don Byas, Harvard Blues (2): the beat track starts on bar 0 beat 3 (NC), five pickup notes; bar 1 is Db7.
    const data = await loadTrainingData(`wjazzd:${fixture('wjazzd')}`);
    const [solo] = pieces(data);
    expect(solo.timeSignature).toEqual({ numerator: 4, denominator: 4 });
    expect(solo.chordSource).toBe('label');
    const [melody, bass, piano] = solo.tracks;
    expect(melody[0]).toMatchObject({ start: 0, pitch: 61 }); // the pickup (56, 61, 64, 65, 68) is dropped
    expect(bass[0]).toMatchObject({ start: 0, pitch: 37 });
    expect(symbols(solo, 1)).toEqual([[0, 'C#7']]); // Db7
    expect(new Set(piano.filter((n) => n.start === 0).map((n) => n.pitch % 12))).toEqual(new Set([1, 5, 8, 11]));
    expect(solo.chords!.every((c) => c.start % 4 === 0)).toBe(true); // labels change on beats
  });

  it('JSB: a chorale with an upbeat starts on its first downbeat, by the committed alignment or by aligning it to its score', async () => {
    // Test chorale 0 (BWV 36.4, in F): F (a quarter upbeat) | C Bb A G … over C, E, G on the downbeat.
    const json = fixture('jsb/Jsb16thSeparated-test0.json');
    const [byTable] = await loadJsbChorales(json, 'test');
    const data = await loadTrainingData(`jsb:${json}?scores=${fixture('jsb/bach')}`);
    const [byScore] = pieces(data);
    for (const chorale of [byTable, byScore]) {
      expect(chorale.timeSignature).toEqual({ numerator: 4, denominator: 4 });
      expect(chorale.steps).toBe(228 - 4);
      expect(chorale.tracks[0].slice(0, 3).map((n) => [n.start, n.pitch])).toEqual([[0, 72], [2, 70], [4, 69]]);
      expect(chorale.tracks[3][0]).toMatchObject({ start: 0, pitch: 52 });
      expect(chorale.chordSource).toBe('analysis');
      expect(symbols(chorale, 1)).toEqual([[0, 'C7']]); // C, E, G with the soprano's passing Bb: V7 of F
    }
    expect(byScore.tracks).toEqual(byTable.tracks);
  });

  it('string quartets: UTF-16 MusicXML is read, movements split at their change of meter, an upbeat dropped', async () => {
    // Excerpts: Beethoven Op. 18/3 (UTF-16, as music21 has it): bars 1–4 of the Allegro (2/2), bars 272–279
    // of the Andante con moto (2/4, B♭); Mozart K. 155/iii (2/4), an 8th upbeat (A4) and eight bars.
    const data = await loadTrainingData(`quartets:${fixture('quartets')}`);
    expect(data.name).toMatch(/2 scores, 3 duple-meter movements/);
    const byId = new Map(pieces(data).map((p) => [p.id, p]));
    const allegro = byId.get('beethoven-opus18no3-excerpt.mxl#1')!;
    const andante = byId.get('beethoven-opus18no3-excerpt.mxl#2')!;
    const mozart = byId.get('mozart-k155-movement3-excerpt.mxl')!;
    expect([allegro.timeSignature, andante.timeSignature, mozart.timeSignature]).toEqual([
      { numerator: 2, denominator: 2 }, { numerator: 2, denominator: 4 }, { numerator: 2, denominator: 4 },
    ]);
    expect([allegro.steps, andante.steps]).toEqual([4 * 16, 8 * 8]);
    expect(allegro.tracks[0][0]).toMatchObject({ start: 0, pitch: 69, duration: 16 }); // the opening A, a whole note
    expect(mozart.tracks[0].slice(0, 2).map((n) => [n.start, n.pitch])).toEqual([[0, 74], [2, 78]]); // D5 F#5 on the downbeat; the A4 upbeat dropped
    expect(mozart.chordSource).toBe('analysis');
    expect(symbols(mozart, 1)).toEqual([[0, 'D']]);
    expect(symbols(andante, 1)).toEqual([[0, 'Bb']]);
    const triple = await loadTrainingData(`quartets:${fixture('quartets')}?meter=triple`);
    expect(pieces(triple)).toHaveLength(0);
    expect(triple.name).toMatch(/2 other scores skipped: 1 in 2\/2 and 2\/4 \(beethoven-opus18no3-excerpt.mxl\), 1 in 2\/4 \(mozart-k155-movement3-excerpt.mxl\)/);
  });

  it('reads Harte chord labels as chord qualities', () => {
    expect(parseHarteChord('A:min7')).toEqual({ root: 9, quality: 'm7' });
    expect(parseHarteChord('Bb:hdim7')).toEqual({ root: 10, quality: 'm7b5' });
    expect(parseHarteChord('D:sus4(b7)')).toEqual({ root: 2, quality: '7' });
    expect(parseHarteChord('C:sus2')).toEqual({ root: 0, quality: 'maj' });
    expect(parseHarteChord('F#:maj6')).toEqual({ root: 6, quality: 'maj' });
    expect(parseHarteChord('Eb:min/b3')).toEqual({ root: 3, quality: 'min' });
    expect(parseHarteChord('G:maj7/7')).toEqual({ root: 7, quality: 'maj7' });
    expect(parseHarteChord('C#:dim7')).toEqual({ root: 1, quality: 'dim7' });
    expect(parseHarteChord('N')).toBeUndefined();
  });
});
