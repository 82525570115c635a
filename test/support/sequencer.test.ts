// oxlint-disable-next-line typescript/no-require-imports -- jest's CommonJS sequencer module, without types
const { staggered } = require('./sequencer.cjs') as {
  staggered: <T extends { duration?: number }>(order: T[], first: T, later: T[], workers: number) => T[];
};

// The test order (sequencer.cjs): files sharing a once-per-run folder start after the file that makes it is expected to end.
describe('the test sequencer', () => {
  const file = (name: string, duration?: number) => ({ name, duration });
  const names = (order: Array<{ name: string }>) => order.map((t) => t.name).join(' ');

  it('moves the other readers of a shared folder to where the first one is expected to have ended', () => {
    const [a, b, c, d, e, f, g] = [file('a', 3000), file('b', 1000), file('c', 1000), file('d', 500), file('e', 500), file('f', 200), file('g', 400)];
    // Two workers: a runs 0-3000; b, c, d, e fill the other worker until 3000, so f would be the first to start after a.
    expect(names(staggered([a, b, g, c, d, e, f], a, [g], 2))).toBe('a b c d e g f');
    expect(names(staggered([a, g, b, c, d, e, f], a, [g], 1))).toBe('a g b c d e f');
  });

  it('puts them last when nothing is expected to start after the first one ends, and counts a file without a duration as short', () => {
    const [a, b, c] = [file('a', 3000), file('b'), file('c', 100)];
    expect(names(staggered([a, c, b], a, [c], 2))).toBe('a b c');
  });
});
