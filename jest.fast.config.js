/** `npm run test:fast`: every suite but the real-process layer (see __tests__/support/layers.js). */
const base = require("./jest.config");
const { SLOW_SUITES } = require("./__tests__/support/layers");

module.exports = { ...base, testPathIgnorePatterns: [...base.testPathIgnorePatterns, ...SLOW_SUITES] };
