import { copyOf, live, trial } from "../fixtures/config";
import { problemsOf } from "../support/config";

const reviewed = { rule: "database-backup", path: "live-apps/db", reason: "restored from nightly dumps elsewhere", approvedBy: "carol" };

const problemsFor = (guardrailExceptions: unknown): readonly string[] => problemsOf({ environments: [trial, { ...copyOf(live), guardrailExceptions }] });

describe("guardrailExceptions in the configuration", () => {
  it("accepts a complete, reviewed entry", () => {
    expect(problemsFor([{ rule: "standard-labels", path: "live-infra/x", reason: "labels managed by another team's tooling", approvedBy: "bob" }])).toEqual([]);
  });

  it("reports every problem of every entry with its path and what is allowed", () => {
    expect(problemsFor([{ rule: "no-such-rule", path: "trial-infra/firewall/firewall", reason: "because", approvedBy: "" }, reviewed, reviewed])).toEqual([
      'environment "live": guardrailExceptions[0].rule: "no-such-rule" is not a known guardrail rule (allowed: production-protection, admin-ports-not-public, database-backup, standard-labels, sensitive-literal, sensitive-output, budget, stateful-deletion)',
      'environment "live": guardrailExceptions[0].reason: must explain the exception in at least 20 characters',
      'environment "live": guardrailExceptions[0].approvedBy: must be a non-empty string, got ""',
      'environment "live": guardrailExceptions[2]: duplicate exception for rule "database-backup" at "live-apps/db"',
    ]);
    expect(problemsFor([{ ...reviewed, path: "trial-infra/firewall/firewall" }, reviewed, reviewed])).toEqual([
      'environment "live": guardrailExceptions[0].path: "trial-infra/firewall/firewall" is not a construct path in one of this environment\'s stacks (e.g. "live-infra/firewall/firewall")',
      'environment "live": guardrailExceptions[2]: duplicate exception for rule "database-backup" at "live-apps/db"',
    ]);
  });
});
