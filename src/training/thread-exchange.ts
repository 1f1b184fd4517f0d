/**
 * Small vectors exchanged between the threads that train one batch together, through shared memory:
 * each thread writes its part and waits (Atomics) until all have, then reads every part, in the same
 * order in every thread, so that sums come out the same everywhere to the last bit. The threads must
 * exchange equally often and in the same order (they run the same program on their parts of a batch).
 */
const COUNT = 0;
const GENERATION = 1;
const FAILED = 2;
const HEADER_BYTES = 16;

export class ThreadExchangeError extends Error {}

export class ThreadExchange {
  private readonly control: Int32Array;
  private readonly data: Float64Array;
  private calls = 0;

  /** Shared memory for `size` threads exchanging vectors of up to `capacity` numbers. */
  static allocate(size: number, capacity: number): SharedArrayBuffer {
    return new SharedArrayBuffer(HEADER_BYTES + 2 * size * capacity * Float64Array.BYTES_PER_ELEMENT);
  }

  constructor(
    buffer: SharedArrayBuffer,
    readonly rank: number,
    readonly size: number,
    private readonly timeoutMs = 300_000,
  ) {
    this.control = new Int32Array(buffer, 0, HEADER_BYTES / Int32Array.BYTES_PER_ELEMENT);
    this.data = new Float64Array(buffer, HEADER_BYTES);
  }

  private get capacity(): number {
    return this.data.length / (2 * this.size);
  }

  /** Every thread's `values` (all of the same length), in rank order. */
  gather(values: ArrayLike<number>): Float64Array[] {
    if (values.length > this.capacity) throw new RangeError(`a thread exchange holds ${this.capacity} numbers per thread, got ${values.length}`);
    // Two banks: a thread writes exchange k's part only after every thread has passed exchange k−1's
    // wait, that is after all have read exchange k−2's parts from the same bank.
    const bank = (this.calls++ & 1) * this.size;
    const slot = (bank + this.rank) * this.capacity;
    for (let i = 0; i < values.length; i++) this.data[slot + i] = values[i];
    this.arrive();
    return Array.from({ length: this.size }, (_, r) => this.data.slice((bank + r) * this.capacity, (bank + r) * this.capacity + values.length));
  }

  /** The element-wise sum of every thread's `values`. */
  sum(values: ArrayLike<number>): Float64Array {
    const total = new Float64Array(values.length);
    for (const part of this.gather(values)) for (let i = 0; i < values.length; i++) total[i] += part[i];
    return total;
  }

  /** Wakes and fails every thread waiting now or later (one of them has stopped). */
  fail(): void {
    Atomics.store(this.control, FAILED, 1);
    Atomics.add(this.control, GENERATION, 1);
    Atomics.notify(this.control, GENERATION);
  }

  private arrive(): void {
    const generation = Atomics.load(this.control, GENERATION);
    this.check();
    if (Atomics.add(this.control, COUNT, 1) === this.size - 1) {
      Atomics.store(this.control, COUNT, 0);
      Atomics.add(this.control, GENERATION, 1);
      Atomics.notify(this.control, GENERATION);
      return;
    }
    while (Atomics.load(this.control, GENERATION) === generation) {
      if (Atomics.wait(this.control, GENERATION, generation, this.timeoutMs) === 'timed-out') {
        this.fail();
        throw new ThreadExchangeError(`a training thread did not answer within ${this.timeoutMs / 1000} s`);
      }
    }
    this.check();
  }

  private check(): void {
    if (Atomics.load(this.control, FAILED) !== 0) throw new ThreadExchangeError('another training thread stopped');
  }
}
