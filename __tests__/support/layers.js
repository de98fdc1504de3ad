/**
 * The suites that start the real Terraform, an sshd or a PostgreSQL: `npm test` runs them,
 * `npm run test:fast` (jest.fast.config.js) leaves them out. __tests__/test-layers.test.ts checks
 * that every suite using those harnesses is listed.
 */
exports.SLOW_SUITES = [
  "/__tests__/config/terraform-literal\\.test\\.ts$",
  "/__tests__/twin/(deploy-trigger|staging-day2|production-day2)\\.test\\.ts$",
  "/__tests__/adopt/(adopt-plan|adopt-infra-plan)\\.test\\.ts$",
  "/__tests__/terraform/",
  "/__tests__/bootstrap/(bootstrap-e2e|bootstrap-script|docker-install|fake-coolify-api|worker-ready)\\.test\\.ts$",
  "/__tests__/cost/plan-cost\\.test\\.ts$",
  "/__tests__/delivery/(drift|new-environment-diff|outputs-for-terraform|plan-comment|rotate-secrets|state-backend)\\.test\\.ts$",
  "/__tests__/observability/(backup-metrics|coolify-recovery|operations-stack)\\.test\\.ts$",
];
