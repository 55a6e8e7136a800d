const REPLACEMENTS = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  "\"": "&quot;",
  "'": "&#39;",
};

/** The text with the characters HTML gives a meaning escaped. */
export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => REPLACEMENTS[c]);
}
