import { exampleConfig } from "../../config";
import { ConfigError } from "../../config/problems";
import { validateConfig } from "../../config/validate";

const problemsFor = (guardrailExceptions: unknown): readonly string[] => {
  const [staging, production] = exampleConfig.environments;
  try {
    validateConfig(JSON.parse(JSON.stringify({ environments: [staging, { ...production, guardrailExceptions }] })));
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems;
  }
};

describe("guardrailExceptions in the configuration", () => {
  it("accepts a complete, reviewed entry", () => {
    expect(problemsFor([{ rule: "standard-labels", path: "production-infra/x", reason: "labels managed by another team's tooling", approvedBy: "bob" }])).toEqual([]);
  });

  it("reports every problem of every entry with its path and what is allowed", () => {
    expect(
      problemsFor([
        { rule: "no-such-rule", path: "staging-infra/firewall/firewall", reason: "because", approvedBy: "" },
        { rule: "database-backup", path: "production-apps/db", reason: "restored from nightly dumps elsewhere", approvedBy: "carol" },
        { rule: "database-backup", path: "production-apps/db", reason: "restored from nightly dumps elsewhere", approvedBy: "carol" },
      ]),
    ).toEqual([
      'environment "production": guardrailExceptions[0].rule: "no-such-rule" is not a known guardrail rule (allowed: production-protection, admin-ports-not-public, database-backup, standard-labels, sensitive-literal, sensitive-output, stateful-deletion)',
      'environment "production": guardrailExceptions[0].path: "staging-infra/firewall/firewall" is not a construct path in one of this environment\'s stacks (e.g. "production-infra/firewall/firewall")',
      'environment "production": guardrailExceptions[0].reason: must explain the exception in at least 20 characters',
      'environment "production": guardrailExceptions[0].approvedBy: must be a non-empty string, got ""',
      'environment "production": guardrailExceptions[2]: duplicate exception for rule "database-backup" at "production-apps/db"',
    ]);
  });
});
