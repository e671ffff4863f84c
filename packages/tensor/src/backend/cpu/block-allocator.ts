/**
 * Blocks of a fixed byte range [base, end): best fit from an address-ordered free list whose
 * neighbours coalesce on free, else from the untouched top. Pure bookkeeping (no memory is
 * touched), so it is property-tested on its own.
 *
 * Why best fit with coalescing: a training loop frees and allocates the same shapes every step,
 * which best fit hands back exactly; a run whose shapes change (another batch size, the next
 * experiment) gets the freed bytes back as one range instead of parked in a size class.
 */
export const BLOCK_ALIGN = 64;

/** Rounds a request up to whole, aligned blocks (a cache line: no two tensors share one). */
export const blockBytes = (bytes: number): number => Math.max(BLOCK_ALIGN, Math.ceil(bytes / BLOCK_ALIGN) * BLOCK_ALIGN);

export class BlockAllocator {
  /** Free ranges below the top, ordered by offset; never adjacent to each other or to the top. */
  private readonly freeAt: number[] = [];
  private readonly freeSize: number[] = [];
  /** Live blocks: offset → size. */
  private readonly live = new Map<number, number>();
  /** Everything from here to `end` is free and never handed out since the last time it was the top. */
  private top: number;
  /** Bytes of live blocks. */
  liveBytes = 0;
  /** Highest top ever reached (what the range has touched). */
  peakTop: number;

  constructor(readonly base: number, readonly end: number) {
    if (base % BLOCK_ALIGN !== 0 || end < base) throw new RangeError(`BlockAllocator: bad range [${base}, ${end})`);
    this.top = base;
    this.peakTop = base;
  }

  get liveBlocks(): number {
    return this.live.size;
  }

  /** Free bytes below the top (reusable without touching new memory). */
  get freeBelowTop(): number {
    let sum = 0;
    for (const s of this.freeSize) sum += s;
    return sum;
  }

  /** Free ranges below the top. */
  get freeRanges(): number {
    return this.freeAt.length;
  }

  /** The size of the live block at `offset`, or undefined. */
  sizeOf(offset: number): number | undefined {
    return this.live.get(offset);
  }

  /** Offset of a new block of at least `bytes` bytes, or -1 when the range is full. */
  alloc(bytes: number): number {
    const size = blockBytes(bytes);
    let best = -1;
    for (let i = 0; i < this.freeSize.length; i++) {
      const s = this.freeSize[i];
      if (s >= size && (best < 0 || s < this.freeSize[best])) {
        best = i;
        if (s === size) break;
      }
    }
    let offset: number;
    if (best >= 0) {
      offset = this.freeAt[best];
      if (this.freeSize[best] === size) {
        this.freeAt.splice(best, 1);
        this.freeSize.splice(best, 1);
      } else {
        this.freeAt[best] += size;
        this.freeSize[best] -= size;
      }
    } else {
      if (this.end - this.top < size) return -1;
      offset = this.top;
      this.top += size;
      if (this.top > this.peakTop) this.peakTop = this.top;
    }
    this.live.set(offset, size);
    this.liveBytes += size;
    return offset;
  }

  /** Returns a live block; throws on an offset that is not one (a double free is a bug). */
  free(offset: number): void {
    const size = this.live.get(offset);
    if (size === undefined) throw new Error(`BlockAllocator: no live block at ${offset}`);
    this.live.delete(offset);
    this.liveBytes -= size;
    // Insertion point: the first free range after the block.
    let lo = 0;
    let hi = this.freeAt.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.freeAt[mid] < offset) lo = mid + 1;
      else hi = mid;
    }
    let start = offset;
    let bytes = size;
    const mergeBefore = lo > 0 && this.freeAt[lo - 1] + this.freeSize[lo - 1] === offset;
    const mergeAfter = lo < this.freeAt.length && this.freeAt[lo] === offset + size;
    if (mergeBefore) {
      start = this.freeAt[lo - 1];
      bytes += this.freeSize[lo - 1];
    }
    if (mergeAfter) bytes += this.freeSize[lo];
    const first = mergeBefore ? lo - 1 : lo;
    const removed = (mergeBefore ? 1 : 0) + (mergeAfter ? 1 : 0);
    if (start + bytes === this.top) {
      // The range reaches the top: it becomes part of it.
      this.freeAt.splice(first, removed);
      this.freeSize.splice(first, removed);
      this.top = start;
    } else {
      this.freeAt.splice(first, removed, start);
      this.freeSize.splice(first, removed, bytes);
    }
  }
}
