import type { TimedNote } from './music';

export interface RollTrack {
  name: string;
  color: string;
  notes: TimedNote[];
  muted?: boolean;
}

/** A chord of the chart above the notes, in seconds. */
export interface RollChord {
  time: number;
  end: number;
  symbol: string | null;
}

export interface RollOptions {
  /** Quarter notes per minute. */
  tempo: number;
  /** Quarter-note beats in a bar (3 for 3/4 and 6/8). */
  beatsPerBar?: number;
  /** Quarter notes in a beat line (1.5: the dotted quarters of 6/8); default 1. */
  pulse?: number;
  minSeconds?: number;
  chords?: RollChord[];
  /** Where the view starts, in seconds (bars taken from a long melody stay where they were). */
  start?: number;
  /** The number of the view's first bar, for the bar numbers. */
  firstBar?: number;
}

const LANE = 20;

/** Where the last drawing put things, in CSS pixels: what a pointer on the canvas points at. */
export interface RollGeometry {
  left: number;
  top: number;
  width: number;
  height: number;
  low: number;
  high: number;
  rowHeight: number;
  start: number;
  length: number;
}

/**
 * A multi-track piano roll on a canvas: bar and beat lines, one colour per track, muted tracks faded,
 * a playhead. It redraws on resize; its state is mirrored in data attributes (tracks, note counts,
 * playhead) for tests and assistive tools.
 */
export class PianoRoll {
  private tracks: RollTrack[] = [];
  private beat = 0.6;
  private beatsPerBar = 4;
  private pulse = 1;
  private length = 0;
  private start = 0;
  private firstBar = 1;
  private playhead: number | null = null;
  private active: number[] = [];
  private chords: RollChord[] = [];
  private selected: { track: number; note: number } | null = null;
  private frozen = false;
  private geometry: RollGeometry | null = null;

  private readonly resize = new ResizeObserver(() => this.draw());

  constructor(private readonly canvas: HTMLCanvasElement, private readonly emptyText: string) {
    this.resize.observe(canvas);
  }

  /** Stops redrawing on resize (the canvas is leaving the page). */
  dispose(): void {
    this.resize.disconnect();
  }

  set(tracks: RollTrack[], options: RollOptions): void {
    this.tracks = tracks;
    this.beat = 60 / options.tempo;
    this.beatsPerBar = options.beatsPerBar ?? 4;
    this.pulse = options.pulse ?? 1;
    this.canvas.dataset.barSeconds = (this.beat * this.beatsPerBar).toFixed(3);
    this.chords = options.chords ?? [];
    this.canvas.dataset.chords = this.chords.map((c) => c.symbol ?? 'N.C.').join(' ');
    this.start = options.start ?? 0;
    this.firstBar = options.firstBar ?? 1;
    const end = Math.max(options.minSeconds ?? 0, ...tracks.flatMap((t) => t.notes.map((n) => n.time + n.duration)));
    const bar = this.beat * this.beatsPerBar;
    this.length = Math.max(bar, Math.ceil((end - this.start) / bar - 1e-6) * bar);
    this.canvas.dataset.start = this.start.toFixed(3);
    this.canvas.dataset.tracks = JSON.stringify(tracks.map((t) => ({ name: t.name, notes: t.notes.length, muted: !!t.muted, color: t.color })));
    this.canvas.dataset.notes = String(tracks.reduce((s, t) => s + t.notes.length, 0));
    this.canvas.dataset.digest = digestOf(tracks);
    this.canvas.setAttribute('aria-label', `${this.canvas.getAttribute('aria-label')?.split(':')[0]}: ${tracks.map((t) => `${t.name} ${t.notes.length} notes`).join(', ') || 'empty'}`);
    this.draw();
  }

  /** Pitches held now (drawn as a highlight at the left edge of the keyboard strip). */
  setActive(pitches: number[]): void {
    this.active = pitches;
    this.draw();
  }

  /** Outlines one note (a track's index and the note's). */
  setSelected(selected: { track: number; note: number } | null): void {
    this.selected = selected;
    this.draw();
  }

  /**
   * While frozen, the pitch range and length stay as they are, so that a note being dragged does not
   * rescale the roll; the next `set` after thawing fits them to the notes again.
   */
  freeze(frozen: boolean): void {
    this.frozen = frozen;
  }

  /** The seconds and pitch under a point of the canvas (CSS pixels from its top left), if it is over the notes. */
  pointAt(px: number, py: number): { seconds: number; pitch: number } | null {
    const g = this.geometry;
    if (!g || px < g.left || py < g.top) return null;
    return {
      seconds: g.start + ((px - g.left) / (g.width - g.left - 4)) * g.length,
      pitch: g.high - Math.floor((py - g.top) / g.rowHeight),
    };
  }

  /** The x of a time, in CSS pixels. */
  xOf(seconds: number): number {
    const g = this.geometry;
    return g ? g.left + ((seconds - g.start) / g.length) * (g.width - g.left - 4) : 0;
  }

  setPlayhead(seconds: number | null): void {
    this.playhead = seconds;
    this.canvas.dataset.playhead = seconds === null ? '' : seconds.toFixed(3);
    this.draw();
  }

  draw(): void {
    const c = this.canvas;
    const dpr = window.devicePixelRatio || 1;
    const width = c.clientWidth;
    const height = c.clientHeight;
    if (width === 0 || height === 0) return;
    if (c.width !== Math.round(width * dpr) || c.height !== Math.round(height * dpr)) {
      c.width = Math.round(width * dpr);
      c.height = Math.round(height * dpr);
    }
    const g = c.getContext('2d');
    if (!g) return;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.fillStyle = '#14171c';
    g.fillRect(0, 0, width, height);

    const notes = this.tracks.flatMap((t) => t.notes);
    if (notes.length === 0 && this.active.length === 0) {
      g.fillStyle = '#9aa4b2';
      g.font = '14px system-ui, sans-serif';
      g.textAlign = 'center';
      g.fillText(this.emptyText, width / 2, height / 2);
    }
    const pitches = [...notes.map((n) => n.pitch), ...this.active];
    let low = pitches.length ? Math.min(...pitches) - 2 : 55;
    let high = pitches.length ? Math.max(...pitches) + 2 : 79;
    if (high - low < 24) {
      const mid = Math.round((high + low) / 2);
      low = mid - 12;
      high = mid + 12;
    }
    if (this.frozen && this.geometry) ({ low, high } = this.geometry);
    else if (this.frozen) this.frozen = false;
    const left = 34;
    const top = this.chords.length ? LANE : 0;
    const rows = high - low + 1;
    const rowH = (height - top) / rows;
    if (this.frozen && this.geometry) this.length = this.geometry.length;
    this.geometry = { left, top, width, height, low, high, rowHeight: rowH, start: this.start, length: this.length };
    c.dataset.geometry = JSON.stringify(this.geometry);
    const x = (t: number): number => left + ((t - this.start) / this.length) * (width - left - 4);
    const y = (p: number): number => top + (high - p) * rowH;

    // Black-key rows and octave labels.
    g.font = '10px system-ui, sans-serif';
    g.textAlign = 'right';
    g.textBaseline = 'middle';
    for (let p = low; p <= high; p++) {
      if ([1, 3, 6, 8, 10].includes(p % 12)) {
        g.fillStyle = '#1b1f26';
        g.fillRect(left, y(p), width - left, rowH);
      }
      if (p % 12 === 0) {
        g.fillStyle = '#9aa4b2';
        g.fillText(`C${p / 12 - 1}`, left - 4, y(p) + rowH / 2);
        g.fillStyle = '#262b33';
        g.fillRect(left, y(p) + rowH - 1, width - left, 1);
      }
    }
    // Beats and bars.
    const numbers = height >= 150;
    g.textAlign = 'left';
    g.textBaseline = 'bottom';
    const pulses = Math.max(1, Math.round(this.beatsPerBar / this.pulse));
    const pulseSeconds = (this.beat * this.beatsPerBar) / pulses;
    for (let b = 0, t = this.start; t <= this.start + this.length + 1e-9; b++, t = this.start + b * pulseSeconds) {
      const downbeat = b % pulses === 0;
      g.fillStyle = downbeat ? '#4a5260' : '#262b33';
      g.fillRect(Math.round(x(t)), top, 1, height - top);
      if (downbeat && numbers && t < this.start + this.length - 1e-9) {
        g.fillStyle = '#9aa4b2';
        g.fillText(String(this.firstBar + b / pulses), Math.round(x(t)) + 3, height - 2);
      }
    }
    if (top) this.drawChords(g, x, width, top);
    // Notes, muted tracks first so that the audible ones stay on top.
    const order = [...this.tracks].sort((a, b) => Number(!!b.muted) - Number(!!a.muted));
    for (const track of order) {
      g.globalAlpha = track.muted ? 0.18 : 1;
      g.fillStyle = track.color;
      for (const n of track.notes) {
        if (n.time + n.duration <= this.start) continue;
        const nx = x(n.time);
        g.fillRect(nx, y(n.pitch) + 0.5, Math.max(2, x(n.time + n.duration) - nx - 1), Math.max(1, rowH - 1));
      }
    }
    g.globalAlpha = 1;
    const chosen = this.selected && this.tracks[this.selected.track]?.notes[this.selected.note];
    if (chosen) {
      const nx = x(chosen.time);
      g.strokeStyle = '#ffffff';
      g.lineWidth = 2;
      g.strokeRect(nx - 1, y(chosen.pitch) - 0.5, Math.max(4, x(chosen.time + chosen.duration) - nx + 1), Math.max(3, rowH + 1));
    }
    for (const p of this.active) {
      g.fillStyle = '#ffd166';
      g.fillRect(left - 6, y(p), 6, Math.max(2, rowH));
    }
    if (this.playhead !== null) {
      g.fillStyle = '#ffffff';
      g.fillRect(Math.round(x(Math.min(Math.max(this.playhead, this.start), this.start + this.length))) - 1, 0, 2, height);
    }
  }

  /** The chord chart in a lane above the notes: a cell per chord, its symbol at the left. */
  private drawChords(g: CanvasRenderingContext2D, x: (t: number) => number, width: number, top: number): void {
    g.fillStyle = '#1d2128';
    g.fillRect(0, 0, width, top);
    g.textBaseline = 'middle';
    g.font = '600 12px system-ui, sans-serif';
    g.textAlign = 'left';
    for (const c of this.chords) {
      const x0 = Math.round(x(c.time));
      const x1 = Math.round(x(Math.min(c.end, this.start + this.length)));
      if (x1 <= x0) continue;
      g.fillStyle = '#4a5260';
      g.fillRect(x0, 2, 1, top - 4);
      g.save();
      g.beginPath();
      g.rect(x0, 0, x1 - x0 - 2, top);
      g.clip();
      g.fillStyle = c.symbol ? '#ffd166' : '#9aa4b2';
      g.fillText(c.symbol ?? 'N.C.', x0 + 4, top / 2 + 1);
      g.restore();
    }
  }
}

/** A short fingerprint of what is drawn (each note's track, pitch, start and length), to tell arrangements apart. */
function digestOf(tracks: RollTrack[]): string {
  let hash = 0x811c9dc5;
  const mix = (value: number): void => {
    hash = Math.imul(hash ^ value, 0x01000193) >>> 0;
  };
  tracks.forEach((track, index) => {
    for (const note of track.notes) {
      mix(index);
      mix(note.pitch);
      mix(Math.round(note.time * 1000));
      mix(Math.round(note.duration * 1000));
    }
  });
  return hash.toString(16).padStart(8, '0');
}
