/**
 * An application repository triggers its deployment with the command the docs give, run for real
 * (bash, jq, curl) against the fake Coolify API, which routes as Coolify 4.3.9 does: the deploy
 * route takes POST; GET answers 405 (coollabsio/coolify v4.3.9 routes/api.php:141-142).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FIXTURES, fakeCoolifyForSuite, ROOT, TOOLS } from "../bootstrap/harness";
import { configuredImage, readTwin } from "../fixtures/twin/coolify-twin";
import { describeWithTools, findTool } from "../support/tools";

const loadYaml = createRequire(__filename)("js-yaml").load as (text: string) => unknown;

interface Step {
  readonly name: string;
  readonly env?: Record<string, string>;
  readonly run: string;
}

/** The workflow steps in a Markdown file's YAML blocks that run curl against a deploy URL. */
const deploySteps = (file: string): Step[] =>
  [...readFileSync(join(ROOT, file), "utf8").matchAll(/```yaml\n([\s\S]*?)```/g)]
    .flatMap((block) => loadYaml(block[1]) as Step[])
    .filter((step) => typeof step?.run === "string" && /deploy_url/.test(step.run) && /\bcurl\b/.test(step.run));

const DOCUMENTED = [
  ...deploySteps("README.md").map((step) => ({ file: "README.md", step })),
  ...deploySteps("docs/outputs.md").map((step) => ({ file: "docs/outputs.md", step })),
];

describeWithTools("an application repository's deploy trigger, as documented", { ...TOOLS, jq: findTool("jq"), bash: findTool("bash") }, () => {
  const suite = fakeCoolifyForSuite();
  let root: string;
  let deployer: string;
  let appUuid: string;

  beforeAll(() => {
    const { coolify, postgres } = suite;
    coolify.reset();
    postgres.query(readFileSync(join(FIXTURES, "schema.sql"), "utf8"));
    postgres.query("INSERT INTO users (id, name, email) VALUES (0, 'root', 'root@example.com');");
    postgres.query("UPDATE instance_settings SET is_api_enabled = true WHERE id = 0;");
    root = coolify.addToken(["root"]);
    deployer = coolify.addToken(["deploy"]);
    const project = JSON.parse(coolify.call("POST", "/api/v1/projects", root, { name: "shop" }).body) as { uuid: string };
    const [server] = JSON.parse(coolify.call("GET", "/api/v1/servers", root).body) as { uuid: string }[];
    const created = coolify.call("POST", "/api/v1/applications/dockerimage", root, {
      project_uuid: project.uuid,
      server_uuid: server.uuid,
      environment_name: "production",
      docker_registry_image_name: "ghcr.io/acme/shop-web:1.2.3",
      ports_exposes: "3000",
      name: "web",
      instant_deploy: false,
    });
    expect(created.status).toBe(201);
    appUuid = (JSON.parse(created.body) as { uuid: string }).uuid;
  });

  it("is documented in the README and in docs/outputs.md", () => {
    expect(DOCUMENTED.map(({ file }) => file)).toEqual(["README.md", "docs/outputs.md"]);
  });

  it.each(DOCUMENTED)("$file: the documented command deploys the application", ({ step }) => {
    const { coolify } = suite;
    const before = readTwin(coolify.state).deployments.length;
    const work = mkdtempSync(join(tmpdir(), "app-repo-"));
    mkdirSync(join(work, "outputs"));
    const deployUrl = `${coolify.url}/api/v1/deploy?uuid=${appUuid}`;
    writeFileSync(join(work, "outputs", "production.json"), JSON.stringify({ "production-apps": { app_shop__web_deploy_url: deployUrl } }));
    const secrets = { COOLIFY_TOKEN: deployer };
    const env = Object.fromEntries(
      Object.entries(step.env ?? {}).map(([name, value]) => [name, value.replace("${{ secrets.COOLIFY_TOKEN }}", secrets.COOLIFY_TOKEN)]),
    );
    const run = spawnSync("bash", ["--norc", "--noprofile", "-eo", "pipefail", "-c", step.run], {
      cwd: work,
      env: { PATH: process.env.PATH, HOME: work, ...env },
      encoding: "utf8",
    });

    expect({ code: run.status, stderr: run.stderr }).toEqual({ code: 0, stderr: "" });
    expect(JSON.parse(run.stdout)).toEqual({
      deployments: [{ message: "Application web deployment queued.", resource_uuid: appUuid, deployment_uuid: expect.any(String) }],
    });
    const twin = readTwin(coolify.state);
    expect(twin.deployments).toHaveLength(before + 1);
    const app = twin.applications.find((a) => a.uuid === appUuid);
    expect(app?.running).toMatchObject({ image: "ghcr.io/acme/shop-web:1.2.3" });
    expect(app && configuredImage(app)).toBe("ghcr.io/acme/shop-web:1.2.3");
  });

  it("is refused with Coolify's 405 when sent as a GET, which deploys nothing", () => {
    const { coolify } = suite;
    const before = readTwin(coolify.state).deployments.length;
    const answer = coolify.call("GET", `/api/v1/deploy?uuid=${appUuid}`, deployer);
    expect(answer).toEqual({ status: 405, body: JSON.stringify({ message: "This endpoint has changed to a POST request." }) });
    expect(readTwin(coolify.state).deployments).toHaveLength(before);
  });
});
