import { createHash } from "node:crypto";
import { Fn, TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { Application } from "../../.gen/providers/coolify/application";
import { ApplicationDockerImage } from "../../.gen/providers/coolify/application-docker-image";
import { ApplicationDockerfile } from "../../.gen/providers/coolify/application-dockerfile";
import { ApplicationPrivateGit } from "../../.gen/providers/coolify/application-private-git";
import { Deployment } from "../../.gen/providers/coolify/deployment";
import { EnvironmentVariable } from "../../.gen/providers/coolify/environment-variable";
import { PrivateKey } from "../../.gen/providers/coolify/private-key";
import { ScheduledTask } from "../../.gen/providers/coolify/scheduled-task";
import { Service } from "../../.gen/providers/coolify/service";
import { applicationHosts, httpsUrl, resourceName } from "../../config/naming";
import type {
  ApplicationConfig,
  DockerComposeApplication,
  EnvValue,
  HealthCheckConfig,
  PrivateGitApplication,
  PublicGitApplication,
} from "../../config/schema";
import type { AppsSecrets } from "./apps-secrets";
import type { DeploymentTarget } from "./coolify-servers";
import { resourceOutputName } from "./output-names";

const DEFAULT_BUILD_PACK = "nixpacks";
/**
 * Coolify's API requires a branch for a Git application (coollabsio/coolify v4.3.9
 * app/Http/Controllers/Api/ApplicationsController.php line 1339, `git_branch` required: 422 without
 * it, and the provider sends an unset one as ""); its dashboard starts from `main`
 * (app/Livewire/Project/New/PublicGitRepository.php line 45).
 */
const DEFAULT_BRANCH = "main";

export interface CoolifyApplicationProps {
  /** The environment's name, which prefixes the names this application gives Coolify resources. */
  readonly environment: string;
  readonly projectName: string;
  readonly projectUuid: string;
  /** Coolify environment name (a token when the environment is created in this stack). */
  readonly environmentName: string;
  readonly app: ApplicationConfig;
  readonly target: DeploymentTarget;
  readonly secrets: AppsSecrets;
  /** Coolify's URL, for the deploy trigger URL. */
  readonly coolifyUrl: string;
}

const healthCheckSettings = (check: HealthCheckConfig | undefined, firstPort: number) =>
  check === undefined
    ? {}
    : {
        healthCheckEnabled: true,
        healthCheckType: check.command === undefined ? "http" : "cmd",
        healthCheckPath: check.path,
        healthCheckCommand: check.command,
        healthCheckPort: check.command === undefined ? String(check.port ?? firstPort) : undefined,
        healthCheckInterval: check.intervalSeconds,
        healthCheckTimeout: check.timeoutSeconds,
        healthCheckRetries: check.retries,
      };

const gitSettings = (app: PublicGitApplication | PrivateGitApplication) => ({
  gitRepository: app.repository,
  gitBranch: app.branch ?? DEFAULT_BRANCH,
  buildPack: app.buildPack ?? DEFAULT_BUILD_PACK,
  baseDirectory: app.baseDirectory,
});

/** Domains by compose service, as Coolify's `urls` wants them. */
const composeUrls = (app: DockerComposeApplication): { name: string; url: string }[] => {
  const byService = new Map<string, string[]>();
  for (const { service, domain } of app.domains ?? []) byService.set(service, [...(byService.get(service) ?? []), httpsUrl(domain)]);
  return [...byService].map(([name, urls]) => ({ name, url: urls.join(",") }));
};

/**
 * What makes the deployment roll out again: the provider PATCHes a changed application without
 * deploying it (`redeploy_on_update` defaults to false and would only restart, internal/service/
 * application/common_crud.go updateAndReadBack), and variables are resources of their own, so a
 * change of image, settings or variables replaces the `coolify_deployment` through its `triggers`
 * (RequiresReplace, internal/service/deployment/resource.go; coolify-terraform/terraform-provider-coolify
 * v0.1.17), whose create is a real deploy (POST /api/v1/deploy?uuid=) after the update. The image is
 * shown as it is; settings and variables as hashes, so that no secret reaches the plan or the state.
 */
const rolloutTriggers = (app: ApplicationConfig, variables: Record<string, string>): Record<string, string> => {
  const { env: _env, buildEnv: _buildEnv, scheduledTasks: _tasks, ...settings } = app as ApplicationConfig & { buildEnv?: unknown };
  return {
    ...(app.kind === "docker-image" ? { image: app.image } : {}),
    settings: createHash("sha256").update(JSON.stringify(settings)).digest("hex"),
    variables: Fn.sha256(Fn.jsonencode(variables)),
  };
};

/**
 * One application of any kind (Docker image, public or private Git, Dockerfile, or Docker Compose
 * as a Coolify service) with its variables, scheduled tasks and the outputs application
 * repositories consume: UUID, URLs and the deploy trigger URL.
 */
export class CoolifyApplication extends Construct {
  readonly uuid: string;

  constructor(scope: Construct, id: string, props: CoolifyApplicationProps) {
    super(scope, id);
    const { app } = props;
    this.uuid = this.createResource(props);
    const { resources: variables, values } = this.createVariables(props);
    // The first deployment only once the variables exist: with `instant_deploy` Coolify would queue it
    // inside the create call, before any variable (coolify_deployment: POST /api/v1/deploy?uuid=).
    // A compose service keeps `instant_deploy`: the provider's deployment resource tracks applications.
    if (app.deployOnCreate && app.kind !== "docker-compose") {
      new Deployment(this, "first-deployment", { applicationUuid: this.uuid, dependsOn: variables, triggers: rolloutTriggers(app, values) });
    }
    for (const task of app.scheduledTasks ?? []) {
      new ScheduledTask(this, `task-${task.name}`, {
        ...(app.kind === "docker-compose" ? { serviceUuid: this.uuid } : { applicationUuid: this.uuid }),
        name: task.name,
        command: task.command,
        frequency: task.schedule,
        container: task.container,
        timeout: task.timeoutSeconds,
      });
    }

    const output = (value: string, outputValue: string | string[], description: string): TerraformOutput =>
      new TerraformOutput(this, resourceOutputName("app", props.projectName, app.name, value), {
        value: outputValue,
        description: `Application ${app.name} (project ${props.projectName}): ${description}`,
        staticId: true,
      });
    output("uuid", this.uuid, "Coolify UUID");
    output("urls", applicationHosts(app).map(httpsUrl), "public URLs");
    // A POST: Coolify routes GET /deploy to a 405 (coollabsio/coolify v4.3.9 routes/api.php:141-142, OtherController::post_required).
    output(
      "deploy_url",
      `${props.coolifyUrl}/api/v1/deploy?uuid=${this.uuid}`,
      "deploy trigger URL (POST with a Coolify API token with the deploy ability as Bearer)",
    );
  }

  private createResource({ environment, projectName, projectUuid, environmentName, app, target, secrets }: CoolifyApplicationProps): string {
    const common = {
      projectUuid,
      environmentName,
      serverUuid: target.serverUuid,
      dependsOn: target.dependsOn,
      name: app.name,
      description: app.description,
    };
    if (app.kind === "docker-compose") {
      // No domains, no `urls`: the provider reads `urls` back only into a state that has them, and an
      // empty list comes back as none, which Terraform refuses as an inconsistent result
      // (coolify-terraform/terraform-provider-coolify v0.1.17 internal/service/service/resource.go flattenServiceURLs).
      const urls = composeUrls(app);
      return new Service(this, "service", {
        ...common,
        instantDeploy: app.deployOnCreate ?? false,
        dockerComposeRaw: app.compose,
        urls: urls.length > 0 ? urls : undefined,
      }).uuid;
    }
    const container = {
      ...common,
      instantDeploy: false,
      portsExposes: app.ports.join(","),
      domains: (app.domains ?? []).map(httpsUrl).join(","),
      // Without domains an application stays internal instead of getting a generated public name. With
      // domains it is left out: Coolify ignores it then, and an imported application holds the provider's
      // import default `true`, which `false` would plan to change for nothing (create-only, never sent on
      // update: coolify-terraform/terraform-provider-coolify v0.1.17 internal/service/application/
      // common_schema.go `autogenerate_domain`, common_flatten.go flattenExtendedDefaults).
      autogenerateDomain: (app.domains ?? []).length > 0 ? undefined : false,
      limitsCpus: app.limits?.cpus === undefined ? undefined : String(app.limits.cpus),
      limitsMemory: app.limits?.memory,
      ...healthCheckSettings(app.healthCheck, app.ports[0]),
    };
    switch (app.kind) {
      case "docker-image": {
        // The whole reference at creation: a tag sent apart arrives in a follow-up PATCH, after Coolify
        // queued the first deployment of the untagged (latest) image.
        return new ApplicationDockerImage(this, "application", { ...container, dockerImage: app.image }).uuid;
      }
      case "dockerfile":
        return new ApplicationDockerfile(this, "application", { ...container, dockerfileLocation: app.dockerfile }).uuid;
      case "public-git":
        return new Application(this, "application", { ...container, ...gitSettings(app) }).uuid;
      case "private-git": {
        const deployKey = new PrivateKey(this, "deploy-key", {
          name: resourceName({ name: environment }, `${projectName}-${app.name}-deploy`),
          description: `deploy key for ${app.repository}`,
          privateKey: secrets.secret(app.deployKey.secret),
        });
        return new ApplicationPrivateGit(this, "application", { ...container, ...gitSettings(app), privateKeyUuid: deployKey.uuid }).uuid;
      }
    }
  }

  /** One Coolify variable per key; a key in both `env` and `buildEnv` (same value) is both. Also gives each key's value (a token for a secret). */
  private createVariables({ app, secrets }: CoolifyApplicationProps): { resources: EnvironmentVariable[]; values: Record<string, string> } {
    const variables = new Map<string, { value: EnvValue; runtime: boolean; build: boolean }>();
    for (const [key, value] of Object.entries(app.env ?? {})) variables.set(key, { value, runtime: true, build: false });
    if (app.kind !== "docker-compose") {
      for (const [key, value] of Object.entries(app.buildEnv ?? {})) {
        variables.set(key, { value, runtime: variables.has(key), build: true });
      }
    }
    const values: Record<string, string> = {};
    const resources = [...variables].map(([key, { value, runtime, build }]) => {
      const resolved = typeof value === "string" ? value : secrets.secret(value.secret);
      values[key] = resolved;
      return new EnvironmentVariable(this, `env-${key}`, {
        key,
        value: resolved,
        ...(app.kind === "docker-compose" ? { serviceUuid: this.uuid } : { applicationUuid: this.uuid, isRuntime: runtime, isBuild: build }),
      });
    });
    return { resources, values };
  }
}
