// Preloaded with `node --require` to give a process another clock: `new Date()` and `Date.now()`
// return FAKE_NOW. Synth output must not change with it.
const fixed = Date.parse(process.env.FAKE_NOW);
if (Number.isNaN(fixed)) throw new Error(`FAKE_NOW must be an ISO time, got ${process.env.FAKE_NOW}`);
const RealDate = Date;
class FakeDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(fixed);
    else super(...args);
  }
  static now() {
    return fixed;
  }
}
globalThis.Date = FakeDate;
