// Preloaded with `node --require` to give a process (and, through NODE_OPTIONS, every process it starts)
// another clock. Nothing but `npm run validate` may depend on the date, so tests and synth must give the
// same results under it.
// - FAKE_NOW=<ISO time>: `new Date()` and `Date.now()` return that time, always.
// - CLOCK_SHIFT_DAYS=<n>: the clock runs, n days ahead of the real one.
const DAY_MS = 24 * 60 * 60 * 1000;
const RealDate = Date;
let now;
if (process.env.FAKE_NOW !== undefined) {
  const fixed = RealDate.parse(process.env.FAKE_NOW);
  if (Number.isNaN(fixed)) throw new Error(`FAKE_NOW must be an ISO time, got ${process.env.FAKE_NOW}`);
  now = () => fixed;
} else {
  const days = Number(process.env.CLOCK_SHIFT_DAYS);
  if (!Number.isInteger(days)) throw new Error(`set FAKE_NOW (an ISO time) or CLOCK_SHIFT_DAYS (whole days), got '${process.env.CLOCK_SHIFT_DAYS}'`);
  now = () => RealDate.now() + days * DAY_MS;
}
class FakeDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(now());
    else super(...args);
  }
  static now() {
    return now();
  }
}
// Named Date, as the real one is: code that reads a value's constructor name sees no difference.
Object.defineProperty(FakeDate, 'name', { value: 'Date' });
globalThis.Date = FakeDate;
