/** The median of the order totals, 0 when there is none. */
export function median(totals) {
  if (totals.length === 0) {
    return 0;
  }
  const sorted = [...totals].sort();
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 0
    ? (sorted[middle - 1] + sorted[middle]) / 2
    : sorted[middle];
}
