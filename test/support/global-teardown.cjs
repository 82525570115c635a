// jest globalTeardown (see temp-dir.cjs).
module.exports = require('./temp-dir.cjs').teardown;
