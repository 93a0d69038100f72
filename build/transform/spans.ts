/** Anything with source offsets, sorted by `start` where a function below needs that. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** Index of the first span starting at or after `offset` (binary search over sorted spans). */
export function firstAtOrAfter(spans: readonly Span[], offset: number): number {
  let low = 0;
  let high = spans.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (spans[middle]!.start < offset) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The span containing `offset`, among sorted spans that do not overlap. */
export function spanAt<T extends Span>(spans: readonly T[], offset: number): T | undefined {
  const candidate = spans[firstAtOrAfter(spans, offset + 1) - 1];
  return candidate && offset < candidate.end ? candidate : undefined;
}

/** Newlines in `text` between `start` and `end`. */
export function newlinesIn(text: string, start: number, end: number): number {
  let count = 0;
  for (let index = text.indexOf("\n", start); index !== -1 && index < end; index = text.indexOf("\n", index + 1)) count++;
  return count;
}
