/**
 * Adoption proved on the twin with the real `terraform`: the fake Coolify API (its twin memory) is
 * populated through the API as the dashboard would (a project with a second environment, Docker image
 * applications with domains and variables, one tagged, one on `latest`), `npm run adopt` reads it with
 * a read-only token, and the adopted apps stack is planned, applied and planned again, the local
 * Coolify provider importing and reading every resource through that same API as
 * terraform-provider-coolify v0.1.17 does. Then a resource edited in Coolify shows as drift.
 */
import { readFileSync } from "node:fs";
import { secretVariableName } from "../../constructs/coolify/apps-secrets";
import { adopt } from "../../tools/adopt";
import { FakeCoolify, TestPostgres, TOOLS } from "../bootstrap/harness";
import { fileWith } from "../support/app";
import { CdktfProject, TERRAFORM_TOOLS } from "../support/terraform";
import { describeWithTools } from "../support/tools";
import { type ApplicationSide, applicationSideImports, METRICS_COMPOSE, populateApplicationSide, STATIC_DOCKERFILE } from "./application-side";
import { baseConfig } from "./coolify-fixture";

const STACK = "staging-apps";

interface PlanJson {
  readonly resource_changes?: {
    readonly address: string;
    readonly change: {
      readonly actions: string[];
      readonly importing?: { readonly id: string };
      readonly before?: Record<string, unknown>;
      readonly after?: Record<string, unknown>;
    };
  }[];
}

describeWithTools("adopting a Coolify populated through its API: the real terraform plan (twin)", { ...TERRAFORM_TOOLS, ...TOOLS }, () => {
  let postgres: TestPostgres;
  let coolify: FakeCoolify;
  let project: CdktfProject;
  let root: string;
  let adopted: Record<string, string>;
  let firstApply: readonly string[];
  let notExpressed: readonly string[];
  let side: ApplicationSide;
  let serverUuid: string;
  const uuids: Record<string, string> = {};

  /** One call as the dashboard makes it, with the root token; its JSON answer. */
  const api = (method: string, path: string, body?: unknown): Record<string, unknown> => {
    const answer = coolify.call(method, `/api/v1${path}`, root, body);
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${answer.body}`);
    return JSON.parse(answer.body) as Record<string, unknown>;
  };

  /** A saved plan and what it does to each resource (no-ops and reads left out). */
  const plan = async (): Promise<{ summary: string; changes: NonNullable<PlanJson["resource_changes"]> }> => {
    const planned = await project.terraform(STACK, ["plan", "-input=false", "-out=adopt.tfplan"]);
    if (planned.code !== 0) throw new Error(planned.output);
    const shown = JSON.parse((await project.terraform(STACK, ["show", "-json", "adopt.tfplan"])).stdout) as PlanJson;
    const summary = /^(Plan: .*|No changes\..*)$/m.exec(planned.output)?.[1] ?? planned.output;
    return {
      summary,
      changes: (shown.resource_changes ?? []).filter((change) => !["no-op", "read"].includes(change.change.actions.join()) || change.change.importing),
    };
  };

  beforeAll(async () => {
    postgres = new TestPostgres();
    coolify = new FakeCoolify(postgres);
    await coolify.startInstalled({ apiEnabled: true });
    root = coolify.addToken(["root"]);

    const [server] = api("GET", "/servers") as unknown as { uuid: string }[];
    uuids.project = String(api("POST", "/projects", { name: "shop", description: "The web shop" }).uuid);
    api("POST", `/projects/${uuids.project}/environments`, { name: "preview" });
    const application = (body: Record<string, unknown>) =>
      String(
        api("POST", "/applications/dockerimage", {
          project_uuid: uuids.project,
          server_uuid: server.uuid,
          instant_deploy: false,
          ...body,
        }).uuid,
      );
    uuids.web = application({
      environment_name: "production",
      name: "web",
      description: "The shop's front end",
      docker_registry_image_name: "ghcr.io/acme/web",
      docker_registry_image_tag: "1.4.2",
      ports_exposes: "3000",
      domains: "https://shop.staging.example.com",
    });
    api("POST", `/applications/${uuids.web}/envs`, { key: "NODE_ENV", value: "production" });
    api("POST", `/applications/${uuids.web}/envs`, { key: "API_TOKEN", value: "tok-7f3a9c1e5b2d4f6a8c0e" });
    uuids.docs = application({
      environment_name: "preview",
      name: "docs",
      docker_registry_image_name: "nginx",
      ports_exposes: "80",
      domains: "https://docs.staging.example.com",
    });
    serverUuid = server.uuid;
    side = populateApplicationSide(api, uuids.project, server.uuid);

    const file = fileWith(baseConfig());
    // read:sensitive: Coolify shows a service's compose document to no other token (app/Models/Service.php `$hidden`).
    const result = await adopt({ config: file, environment: "staging", url: coolify.url, token: coolify.addToken(["read", "read:sensitive"]) });
    adopted = (result.apps.adopted ?? {}) as Record<string, string>;
    firstApply = result.firstApply;
    notExpressed = result.notExpressed;
    project = new CdktfProject(JSON.parse(readFileSync(file, "utf8")), [], { LOCAL_PROVIDER_COOLIFY_TWIN: coolify.url, TF_VAR_coolify_token: root });
    const synth = await project.script("main.ts", []);
    if (synth.code !== 0) throw new Error(synth.output);
    const init = await project.terraform(STACK, ["init", "-input=false"]);
    if (init.code !== 0) throw new Error(init.output);
    // The secret the adoption turned into a variable gets Coolify's value, as the team sets it; every other variable a stand-in.
    for (const name of Object.keys((project.synthesized(STACK).variable ?? {}) as Record<string, unknown>)) project.env[`TF_VAR_${name}`] ??= "stand-in-value";
    project.env[`TF_VAR_${secretVariableName("shop_web_api_token")}`] = "tok-7f3a9c1e5b2d4f6a8c0e";
  }, 240_000);

  afterAll(() => {
    coolify?.stop();
    postgres?.stop();
  });

  it("plans an import of every adopted resource by the id the adoption wrote, nothing added or destroyed, and only the change the adoption announced", async () => {
    const { summary, changes } = await plan();
    // The adoption reads where each resource runs once, then the provider checks each placed import (two images, a Git application, a service) on its server.
    const server = adopted["project-shop/app-web/application"].split(":")[1];
    expect(coolify.recorded("api-requests.log").filter((line) => line.startsWith(`GET /api/v1/servers/${server}/resources `))).toHaveLength(1 + 4);
    const imports = changes.filter((change) => change.change.importing).map((change) => change.change.importing?.id);
    expect(imports.sort()).toEqual(Object.values(adopted).sort());
    expect(summary).toBe(`Plan: ${imports.length} to import, 0 to add, 1 to change, 0 to destroy.`);
    const changed = changes.filter((change) => change.change.actions.join() !== "no-op");
    expect(changed.map((change) => [change.address.split(".")[0], change.change.before?.docker_image, change.change.after?.docker_image])).toEqual([
      ["coolify_application_docker_image", "ghcr.io/acme/web", "ghcr.io/acme/web:1.4.2"],
    ]);
    expect(firstApply).toEqual([expect.stringContaining('docker_image "ghcr.io/acme/web" → "ghcr.io/acme/web:1.4.2"')]);
    expect(adopted).toEqual(
      expect.objectContaining({
        "project-shop/project": uuids.project,
        "project-shop/environment-preview": `${uuids.project}:preview`,
        "project-shop/app-web/application": expect.stringMatching(new RegExp(`^${uuids.project}:[a-z0-9]+:production:${uuids.web}$`)),
        "project-shop/app-docs/application": expect.stringMatching(new RegExp(`^${uuids.project}:[a-z0-9]+:preview:${uuids.docs}$`)),
      }),
    );
  }, 120_000);

  it("adopts the application side: a Git application and a Compose service with their variables and tasks imported by the provider's ids without a change; the service's URLs, a private Git and a Dockerfile application listed, not written", async () => {
    const variableUuid = (parent: string, key: string): string =>
      String((api("GET", `${parent}/envs`) as unknown as { key: string; uuid: string }[]).find((variable) => variable.key === key)?.uuid);
    expect(adopted).toEqual(expect.objectContaining(applicationSideImports(uuids.project, serverUuid, side, variableUuid)));
    for (const [name, uuid] of [
      ["worker", side.worker],
      ["static-site", side.staticSite],
    ]) {
      expect(Object.values(adopted).some((id) => id.endsWith(uuid))).toBe(false);
      expect(notExpressed).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^application "${name}" \\(${uuid}, project shop\\): a (private Git|Dockerfile) application: terraform-provider-coolify v0\\.1\\.17 cannot import`,
          ),
        ),
      );
    }
    const shown = JSON.parse((await project.terraform(STACK, ["show", "-json", "adopt.tfplan"])).stdout) as PlanJson;
    const byAddress = Object.fromEntries((shown.resource_changes ?? []).map((change) => [change.address, change.change]));
    const service = Object.entries(byAddress).find(([address]) => address.startsWith("coolify_service."))?.[1];
    // Coolify keeps the compose document re-written (ServicesController::create_service, Yaml::dump): the adoption wrote that text, so it imports unchanged.
    expect(service?.before?.docker_compose_raw).toBe(service?.after?.docker_compose_raw);
    expect(service?.before?.docker_compose_raw).not.toBe(METRICS_COMPOSE);
    expect([service?.before?.urls, service?.after?.urls, service?.before?.type]).toEqual([null, null, null]);
    expect(notExpressed).toContainEqual(
      `service "metrics" (${side.metrics}, project shop): its URLs grafana: grafana.staging.example.com, which stay as set in Coolify: written into the configuration, the first apply would replace the service to set them again`,
    );
    const importedTypes = (shown.resource_changes ?? []).filter((change) => change.change.importing).map((change) => change.address.split(".")[0]);
    expect([...new Set(importedTypes)].sort()).toEqual(
      expect.arrayContaining(["coolify_application", "coolify_environment_variable", "coolify_scheduled_task", "coolify_service"]),
    );
  }, 120_000);

  it("applies that plan without creating or deleting anything in Coolify, and then plans no change", async () => {
    const apply = await project.terraform(STACK, ["apply", "-input=false", "adopt.tfplan"]);
    expect({ code: apply.code, output: apply.code === 0 ? "" : apply.output }).toEqual({ code: 0, output: "" });
    expect(apply.output).toMatch(/Apply complete! Resources: \d+ imported, 0 added, 1 changed, 0 destroyed\./);
    const again = await project.terraform(STACK, ["plan", "-input=false", "-detailed-exitcode"]);
    expect({ code: again.code, output: again.code === 0 ? "" : again.output }).toEqual({ code: 0, output: "" });
    const apps = api("GET", `/applications/${uuids.web}`);
    expect([apps.docker_registry_image_name, apps.docker_registry_image_tag, apps.status]).toEqual(["ghcr.io/acme/web", "1.4.2", "exited:unhealthy"]);
  }, 120_000);

  it("shows an application edited in Coolify after the adoption as drift the next plan undoes", async () => {
    api("PATCH", `/applications/${uuids.web}`, { description: "edited in the dashboard" });
    const { summary, changes } = await plan();
    expect(summary).toBe("Plan: 0 to add, 1 to change, 0 to destroy.");
    expect(changes.map((change) => [change.change.actions.join(), change.change.before?.description, change.change.after?.description])).toEqual([
      ["update", "edited in the dashboard", "The shop's front end"],
    ]);
  }, 120_000);

  it("leaves what it did not adopt as it was, and shows a scheduled task and a service edited in Coolify as drift, the service's as a replacement", async () => {
    const dockerfile = api("GET", `/applications/${side.staticSite}`);
    expect([dockerfile.name, dockerfile.dockerfile, api("GET", `/applications/${side.worker}`).git_repository]).toEqual([
      "static-site",
      STATIC_DOCKERFILE,
      "git@github.com:acme/worker.git",
    ]);
    api("PATCH", `/services/${side.metrics}`, { description: "edited in the dashboard" });
    api("PATCH", `/applications/${side.site}/scheduled-tasks/${side.siteTask}`, { frequency: "0 5 * * *" });
    const { changes } = await plan();
    const drift = Object.fromEntries(
      changes
        .filter((change) => /^coolify_(service|scheduled_task)\./.test(change.address))
        .map((change) => [
          change.address.split(".")[0],
          [
            change.change.actions.join(),
            change.change.before?.description ?? change.change.before?.frequency,
            change.change.after?.description ?? change.change.after?.frequency,
          ],
        ]),
    );
    // Any update of a compose service replaces it with provider v0.1.17: `type` is Computed and RequiresReplace,
    // null in its state (Coolify's answer has none), and the framework plans a computed null as unknown in an update.
    expect(drift).toEqual({
      coolify_service: ["delete,create", "edited in the dashboard", "Dashboards"],
      coolify_scheduled_task: ["update", "0 5 * * *", "0 4 * * *"],
    });
  }, 120_000);
});
