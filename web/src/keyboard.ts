import { h, isTyping } from './dom';
import { pitchName } from './music';

/** DAW layout: the home row plays the white keys C…C, the row above the black keys. */
const KEY_OFFSETS: Record<string, number> = {
  KeyA: 0, KeyW: 1, KeyS: 2, KeyE: 3, KeyD: 4, KeyF: 5, KeyT: 6, KeyG: 7, KeyY: 8, KeyH: 9, KeyU: 10, KeyJ: 11, KeyK: 12,
};
const BLACK = [1, 3, 6, 8, 10];

export interface KeyboardEvents {
  noteOn(pitch: number): void;
  noteOff(pitch: number): void;
}

/**
 * The on-screen piano (mouse, pen and touch; two octaves from the current C) and the computer
 * keyboard (A W S E D F T G Y H U J K, Z/X octave down/up), which works anywhere on the page except
 * in text fields.
 */
export class Keyboard {
  private octave = 4;
  private readonly held = new Map<string, number>();
  private readonly keys = new Map<number, HTMLElement>();

  constructor(private readonly root: HTMLElement, private readonly octaveOut: HTMLOutputElement, private readonly events: KeyboardEvents) {
    this.build();
    window.addEventListener('keydown', (e) => this.keyDown(e));
    window.addEventListener('keyup', (e) => this.keyUp(e));
    window.addEventListener('blur', () => this.releaseAll());
  }

  private get base(): number {
    return (this.octave + 1) * 12;
  }

  private build(): void {
    this.root.replaceChildren();
    this.keys.clear();
    this.octaveOut.value = `C${this.octave}`;
    const whites = h('div', { class: 'whites' });
    const blacks = h('div', { class: 'blacks', 'aria-hidden': 'true' });
    let whiteIndex = 0;
    for (let offset = 0; offset <= 24; offset++) {
      const pitch = this.base + offset;
      const black = BLACK.includes(offset % 12);
      const key = h('button', { type: 'button', class: black ? 'key black' : 'key white', tabindex: '-1', 'aria-label': pitchName(pitch), 'data-pitch': String(pitch) });
      if (!black && offset % 12 === 0) key.append(h('span', {}, pitchName(pitch)));
      if (black) {
        key.style.left = `calc(${whiteIndex} * var(--white) - var(--black) / 2)`;
        blacks.append(key);
      } else {
        whites.append(key);
        whiteIndex++;
      }
      this.pointer(key, pitch);
      this.keys.set(pitch, key);
    }
    this.root.style.setProperty('--whites', String(whiteIndex));
    this.root.append(whites, blacks);
  }

  private pointer(key: HTMLElement, pitch: number): void {
    let down = false;
    const on = (e: PointerEvent): void => {
      e.preventDefault();
      if (down) return;
      down = true;
      key.releasePointerCapture?.(e.pointerId);
      this.press(pitch);
    };
    const off = (): void => {
      if (!down) return;
      down = false;
      this.release(pitch);
    };
    key.addEventListener('pointerdown', on);
    key.addEventListener('pointerenter', (e) => {
      if (e.buttons & 1) on(e);
    });
    key.addEventListener('pointerup', off);
    key.addEventListener('pointerleave', off);
    key.addEventListener('pointercancel', off);
  }

  /** Shows a key as held or not, for notes that come from elsewhere (a MIDI keyboard). */
  highlight(pitch: number, down: boolean): void {
    this.keys.get(pitch)?.classList.toggle('down', down);
  }

  private press(pitch: number): void {
    this.keys.get(pitch)?.classList.add('down');
    this.events.noteOn(pitch);
  }

  private release(pitch: number): void {
    this.keys.get(pitch)?.classList.remove('down');
    this.events.noteOff(pitch);
  }

  private keyDown(e: KeyboardEvent): void {
    if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
    if (e.code === 'KeyZ' || e.code === 'KeyX') {
      e.preventDefault();
      if (!e.repeat) this.shift(e.code === 'KeyZ' ? -1 : 1);
      return;
    }
    const offset = KEY_OFFSETS[e.code];
    if (offset === undefined) return;
    e.preventDefault();
    if (e.repeat || this.held.has(e.code)) return;
    const pitch = this.base + offset;
    this.held.set(e.code, pitch);
    this.press(pitch);
  }

  private keyUp(e: KeyboardEvent): void {
    const pitch = this.held.get(e.code);
    if (pitch === undefined) return;
    this.held.delete(e.code);
    this.release(pitch);
  }

  private releaseAll(): void {
    for (const [code, pitch] of this.held) {
      this.held.delete(code);
      this.release(pitch);
    }
  }

  shift(by: number): void {
    const next = Math.min(7, Math.max(1, this.octave + by));
    if (next === this.octave) return;
    this.releaseAll();
    this.octave = next;
    this.build();
  }
}
