import type { Api } from './api';
import { $, h } from './dom';
import {
  StudioShareDocument, StudioSharesDocument, StudioShareTargetsDocument,
  type ShareTarget, type StudioShareFragment, type Visibility,
} from './generated/graphql';
import type { Take } from './takes';

const NAMES: Record<ShareTarget, string> = { SOUNDCLOUD: 'SoundCloud', DISCORD: 'Discord' };
const finished = (s: StudioShareFragment): boolean => s.status === 'DONE' || s.status === 'FAILED' || s.status === 'CANCELLED';

/**
 * Publishing a take: to SoundCloud and to the server's Discord channel, each shown only when the
 * server is set up for it (`shareTargets`), with every share's status and, once published, its link.
 */
export class SharePanel {
  private targets: ShareTarget[] = [];
  private take: Take | null = null;
  private titled: string | null = null;
  private polling = 0;
  private readonly panel = $<HTMLFieldSetElement>('share');
  private readonly title = $<HTMLInputElement>('share-title');
  private readonly note = $('share-note');
  private readonly list = $('shares');
  private readonly buttons: Record<ShareTarget, HTMLButtonElement> = {
    SOUNDCLOUD: $<HTMLButtonElement>('share-soundcloud'),
    DISCORD: $<HTMLButtonElement>('share-discord'),
  };

  constructor(private readonly api: Api, private readonly problem: (e: unknown) => string) {
    for (const target of Object.keys(this.buttons) as ShareTarget[]) this.buttons[target].addEventListener('click', () => void this.publish(target));
  }

  /** Asks the server where it can publish; with nowhere, the panel stays hidden. */
  async init(): Promise<void> {
    try {
      this.targets = (await this.api.request(StudioShareTargetsDocument)).shareTargets;
    } catch {
      this.targets = [];
    }
    for (const target of Object.keys(this.buttons) as ShareTarget[]) this.buttons[target].hidden = !this.targets.includes(target);
    $('share-visibility-label').hidden = !this.targets.includes('SOUNDCLOUD');
    if (this.take) this.show(this.take, this.titled ?? '');
  }

  /** The take shown now: it is the one published (its variation's audio, MIDI and piano roll). */
  show(take: Take, defaultTitle: string): void {
    this.take = take;
    this.panel.hidden = this.targets.length === 0;
    if (this.panel.hidden) return;
    // A title the user wrote stays; the default follows the take.
    if (!this.title.value || this.title.value === this.titled) this.title.value = defaultTitle;
    this.titled = defaultTitle;
    for (const button of Object.values(this.buttons)) button.disabled = false;
    this.note.textContent = this.which(take);
    this.panel.dataset.variation = String(take.variation);
    void this.refresh(take.composition.id);
  }

  /** Which take a share publishes, said before it is sent. */
  private which(take: Take): string {
    const variations = take.composition.variations;
    return `Publishes take ${take.number}${variations > 1 ? ` (variation ${take.variation + 1} of ${variations})` : ''}: choose another take to publish it instead.`;
  }

  private async publish(target: ShareTarget): Promise<void> {
    const take = this.take;
    if (!take) return;
    const button = this.buttons[target];
    button.disabled = true;
    this.note.textContent = `Sending to ${NAMES[target]}…`;
    try {
      await this.api.request(StudioShareDocument, {
        input: {
          compositionId: take.composition.id, target, title: this.title.value.trim(),
          description: $<HTMLInputElement>('share-description').value.trim(),
          visibility: $<HTMLSelectElement>('share-visibility').value as Visibility,
          variation: take.variation,
        },
      });
      this.note.textContent = this.which(take);
      await this.refresh(take.composition.id);
    } catch (error) {
      this.note.textContent = this.problem(error);
    } finally {
      button.disabled = false;
    }
  }

  /** Shows the composition's shares, and asks again while any is under way. */
  private async refresh(compositionId: string): Promise<void> {
    window.clearTimeout(this.polling);
    let shares: StudioShareFragment[];
    try {
      shares = (await this.api.request(StudioSharesDocument, { id: compositionId })).composition?.shares ?? [];
    } catch (error) {
      this.note.textContent = this.problem(error);
      return;
    }
    if (this.take?.composition.id !== compositionId) return;
    this.list.replaceChildren(...shares.map((s) => this.item(s)));
    if (!shares.every(finished)) this.polling = window.setTimeout(() => void this.refresh(compositionId), 700);
  }

  private item(s: StudioShareFragment): HTMLElement {
    const status = s.status === 'DONE' ? (s.target === 'DISCORD' ? 'posted to the channel' : 'published') : s.status.toLowerCase();
    const variations = this.take?.composition.variations ?? 1;
    return h('li', { 'data-share': s.id, 'data-target': s.target, 'data-status': s.status, 'data-variation': String(s.variation), class: s.status.toLowerCase() },
      h('strong', {}, NAMES[s.target]), ` · “${s.title}”${variations > 1 ? ` (variation ${s.variation + 1})` : ''} · `,
      h('span', { class: 'status' }, status),
      s.target === 'SOUNDCLOUD' && s.status === 'DONE' ? ` (${s.visibility.toLowerCase()})` : null,
      s.url ? h('a', { href: s.url, target: '_blank', rel: 'noopener' }, `Open on ${NAMES[s.target]}`) : null,
      s.error ? h('span', { class: 'error-text' }, `${s.error.message} (${s.error.code})`) : null);
  }
}
