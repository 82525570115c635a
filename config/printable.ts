/**
 * Text from a pull request (file names, keys, values, messages that quote them) made safe for a terminal
 * and a CI log: control characters, including newlines and escape sequences, and bidirectional overrides
 * become `\uXXXX`, so they can neither start a line of their own (a forged GitHub Actions workflow command,
 * `::error::...`) nor drive the terminal or reorder what a reviewer reads.
 */
export function printable(text: string): string {
  // oxlint-disable-next-line no-control-regex -- finding control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
