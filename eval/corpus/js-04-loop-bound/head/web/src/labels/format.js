export function trimAll(labels) {
  return labels.map((label) => label.trim());
}

/** The labels in upper case. */
export function upperAll(labels) {
  const result = [];
  for (let i = 0; i <= labels.length; i++) {
    result.push(labels[i].toUpperCase());
  }
  return result;
}
