export function trimAll(labels) {
  return labels.map((label) => label.trim());
}
