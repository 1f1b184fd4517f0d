export interface MidiNoteEvents {
  noteOn(pitch: number, velocity: number): void;
  noteOff(pitch: number): void;
}

/** A channel message's note, if it is one: note-on with velocity 0 is a note-off, as keyboards send it. */
export function readNoteMessage(data: Uint8Array): { on: boolean; pitch: number; velocity: number } | null {
  if (data.length < 3) return null;
  const kind = data[0] & 0xf0;
  if (kind === 0x90) return { on: data[2] > 0, pitch: data[1] & 0x7f, velocity: (data[2] & 0x7f) / 127 };
  if (kind === 0x80) return { on: false, pitch: data[1] & 0x7f, velocity: 0 };
  return null;
}

/**
 * Notes from USB and other MIDI keyboards through Web MIDI (asked for on the user's request, since the
 * browser asks permission): every input is heard, inputs plugged in later too.
 */
export class MidiInput {
  private access?: MIDIAccess;
  private readonly listening = new Set<MIDIInput>();
  private readonly onMessage = (e: Event): void => {
    const data = (e as MIDIMessageEvent).data;
    const note = data ? readNoteMessage(data) : null;
    if (!note) return;
    if (note.on) this.events.noteOn(note.pitch, note.velocity);
    else this.events.noteOff(note.pitch);
  };

  constructor(private readonly events: MidiNoteEvents, private readonly changed: (inputs: string[]) => void) {}

  static supported(): boolean {
    return typeof navigator.requestMIDIAccess === 'function';
  }

  async connect(): Promise<string[]> {
    this.access ??= await navigator.requestMIDIAccess({ sysex: false });
    this.access.addEventListener('statechange', () => this.listen());
    return this.listen();
  }

  /** Listens to every connected input (once each); says which there are. */
  private listen(): string[] {
    const names: string[] = [];
    for (const input of this.access?.inputs.values() ?? []) {
      if (input.state === 'disconnected') {
        input.removeEventListener('midimessage', this.onMessage);
        this.listening.delete(input);
        continue;
      }
      if (!this.listening.has(input)) {
        input.addEventListener('midimessage', this.onMessage);
        this.listening.add(input);
      }
      names.push(input.name ?? input.id);
    }
    this.changed(names);
    return names;
  }
}
