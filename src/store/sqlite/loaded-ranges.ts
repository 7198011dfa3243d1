/**
 * Which half-open ranges [from, to) of publication times the in-memory band index has loaded: sorted and disjoint,
 * touching ranges joined. The index loads what a lookup needs and does not hold yet, so that an old item seen for
 * the first time loads the days around it, not everything since.
 */
export class LoadedRanges {
  private readonly ranges: [number, number][] = [];

  /** The parts of [from, to) not loaded yet, in order. */
  missing(from: number, to: number): [number, number][] {
    const gaps: [number, number][] = [];
    let at = from;
    for (const [a, b] of this.ranges) {
      if (b <= at) continue;
      if (a >= to) break;
      if (a > at) gaps.push([at, a]);
      at = Math.max(at, b);
      if (at >= to) break;
    }
    if (at < to) gaps.push([at, to]);
    return gaps;
  }

  add(from: number, to: number): void {
    if (to <= from) return;
    let start = from;
    let end = to;
    const kept: [number, number][] = [];
    for (const [a, b] of this.ranges) {
      if (b < start || a > end) kept.push([a, b]);
      else {
        start = Math.min(start, a);
        end = Math.max(end, b);
      }
    }
    kept.push([start, end]);
    kept.sort((x, y) => x[0] - y[0]);
    this.ranges.splice(0, this.ranges.length, ...kept);
  }
}
