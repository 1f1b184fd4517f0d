import { InstrumentFamilyByID, instrumentByPatchID } from '@tonejs/midi/dist/InstrumentMaps.js';
import { h } from './dom';

const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** The General MIDI instrument name of a program (0-based), as the sound bank files it. */
export function instrumentName(program: number): string {
  return capital(instrumentByPatchID[program] ?? `program ${program}`);
}

/** A select of the 128 General MIDI programs, in their 16 families of 8. */
export function instrumentSelect(label: string, program: number): HTMLSelectElement {
  const select = h('select', { class: 'instrument', 'aria-label': label, title: label });
  InstrumentFamilyByID.forEach((family, f) => {
    const group = h('optgroup', { label: capital(family) });
    for (let p = f * 8; p < f * 8 + 8; p++) group.append(h('option', { value: String(p), selected: p === program }, instrumentName(p)));
    select.append(group);
  });
  return select;
}
