import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TerraformOutput } from "@cdktf/cli-core/src/lib/models/terraform";
import { saveOutputs } from "@cdktf/cli-core/src/lib/output";
import { Testing } from "cdktf";
import { environmentModel } from "../../model/environment";
import { AppsStack } from "../../stacks/apps-stack";
import { InfraStack } from "../../stacks/infra-stack";
import { environmentArgument, publicOutputs, sensitiveOutputNames } from "../../tools/outputs";
import { showcase } from "../fixtures/config";
import { synthStack } from "../support/synth";
import { TS_NODE_ARGS } from "../support/tools";

const ROOT = join(__dirname, "..", "..");

const runScript = (...args: string[]) => spawnSync(process.execPath, [...TS_NODE_ARGS, "tools/outputs.ts", ...args], { cwd: ROOT, encoding: "utf8" });

describe("npm run outputs: arguments", () => {
  it.each([
    [[], "expected exactly one environment, got 0"],
    [["staging", "production"], "expected exactly one environment, got 2"],
    [["qa"], 'unknown environment "qa"'],
  ])("rejects %j with exit code 2 and the allowed environments", (args, reason) => {
    const run = runScript(...args);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`outputs: ${reason}; usage: npm run outputs -- <environment> (one of: staging, production)\n`);
  });

  it("accepts a configured environment", () => {
    expect(environmentArgument(["production"], ["staging", "production"])).toBe("production");
  });
});

describe("npm run outputs: only non-sensitive outputs", () => {
  const app = Testing.app();
  const infra = new InfraStack(app, "live-infra", { environment: environmentModel(showcase) });
  const apps = synthStack(new AppsStack(app, "live-apps", { environment: environmentModel(showcase), infra }));
  const sensitive = new Map([
    ["live-infra", sensitiveOutputNames(synthStack(infra).tf)],
    ["live-apps", sensitiveOutputNames(apps.tf)],
  ]);
  const output = (value: string, isSensitive = false): TerraformOutput => ({ value, sensitive: isSensitive, type: "string" });
  const fetched = {
    "live-infra": { coolify_url: output("https://coolify.live.corp.test") },
    "live-apps": {
      app_store__front_uuid: output("k0w8c4"),
      app_store__front_deploy_url: output("https://coolify.live.corp.test/api/v1/deploy?uuid=k0w8c4"),
      db_store__orders_db_uuid: output("p9q1z2"),
      db_store__orders_db_internal_url: output("postgres://user:pw@p9q1z2:5432/db", true),
    },
  };

  it("knows which outputs the synthesized stacks mark sensitive", () => {
    expect([...(sensitive.get("live-apps") ?? [])]).toContain("db_store__orders_db_internal_url");
  });

  it("drops sensitive values from what cdktf writes, and from a file where one slipped through", async () => {
    const scratch = mkdtempSync(join(tmpdir(), "outputs-test-"));
    try {
      const file = join(scratch, "fetched.json");
      await saveOutputs(file, fetched, false);
      const written = JSON.parse(readFileSync(file, "utf8"));
      const expected = {
        "live-infra": { coolify_url: "https://coolify.live.corp.test" },
        "live-apps": {
          app_store__front_uuid: "k0w8c4",
          app_store__front_deploy_url: "https://coolify.live.corp.test/api/v1/deploy?uuid=k0w8c4",
          db_store__orders_db_uuid: "p9q1z2",
        },
      };
      expect(publicOutputs(written, sensitive)).toEqual(expected);

      await saveOutputs(file, fetched, true);
      const leaked = JSON.parse(readFileSync(file, "utf8"));
      expect(leaked["live-apps"].db_store__orders_db_internal_url).toBe("postgres://user:pw@p9q1z2:5432/db");
      expect(publicOutputs(leaked, sensitive)).toEqual(expected);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
