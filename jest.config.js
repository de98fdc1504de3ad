/** Transpile-only: type errors are caught by `npm run build` (tsc --noEmit), not by the test run. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>"],
  testMatch: ["**/__tests__/**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/cdktf.out/", "/.gen/"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022", parser: { syntax: "typescript" } } }] },
  // Two workers on two cores: the real-Terraform suites mostly wait on other processes.
  maxWorkers: 2,
  // One local-provider daemon per run (see __tests__/support/provider-daemon.ts).
  globalSetup: "<rootDir>/__tests__/support/global-setup.ts",
  globalTeardown: "<rootDir>/__tests__/support/global-teardown.ts",
  testTimeout: 120000,
};
