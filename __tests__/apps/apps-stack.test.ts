import { Testing } from "cdktf";
import { Application } from "../../.gen/providers/coolify/application";
import { ApplicationDockerImage } from "../../.gen/providers/coolify/application-docker-image";
import { ApplicationDockerfile } from "../../.gen/providers/coolify/application-dockerfile";
import { ApplicationPrivateGit } from "../../.gen/providers/coolify/application-private-git";
import { DataCoolifyServers } from "../../.gen/providers/coolify/data-coolify-servers";
import { DatabaseBackup } from "../../.gen/providers/coolify/database-backup";
import { DatabaseClickhouse } from "../../.gen/providers/coolify/database-clickhouse";
import { DatabaseDragonfly } from "../../.gen/providers/coolify/database-dragonfly";
import { DatabaseKeydb } from "../../.gen/providers/coolify/database-keydb";
import { DatabaseMariadb } from "../../.gen/providers/coolify/database-mariadb";
import { DatabaseMongodb } from "../../.gen/providers/coolify/database-mongodb";
import { DatabaseMysql } from "../../.gen/providers/coolify/database-mysql";
import { DatabasePostgresql } from "../../.gen/providers/coolify/database-postgresql";
import { DatabaseRedis } from "../../.gen/providers/coolify/database-redis";
import { EnvironmentVariable } from "../../.gen/providers/coolify/environment-variable";
import { NotificationDiscord } from "../../.gen/providers/coolify/notification-discord";
import { PrivateKey } from "../../.gen/providers/coolify/private-key";
import { CoolifyProvider } from "../../.gen/providers/coolify/provider";
import { S3Storage } from "../../.gen/providers/coolify/s3-storage";
import { ScheduledTask } from "../../.gen/providers/coolify/scheduled-task";
import { Server } from "../../.gen/providers/coolify/server";
import { ServerSentinel } from "../../.gen/providers/coolify/server-sentinel";
import { Service } from "../../.gen/providers/coolify/service";
import type { EnvironmentConfig } from "../../config/schema";
import { environmentModel, privateAddress } from "../../model/environment";
import { AppsStack } from "../../stacks/apps-stack";
import { InfraStack } from "../../stacks/infra-stack";
import { sandbox, showcase } from "../fixtures/config";
import { resourcesOf, type SynthesizedStack, synthStack, withChanges } from "../support/synth";
import "../support/cdktf-matchers";

const synthApps = (env: EnvironmentConfig): SynthesizedStack & { stack: AppsStack; infra: InfraStack } => {
  const app = Testing.app();
  const infra = new InfraStack(app, `${env.name}-infra`, { environment: environmentModel(env) });
  const stack = new AppsStack(app, `${env.name}-apps`, { environment: environmentModel(env), infra });
  return { stack, infra, ...synthStack(stack) };
};

/** The single resource of a type whose logical id contains `part`. */
const resource = (synth: SynthesizedStack, type: string, part: string): Record<string, unknown> => {
  const matches = Object.entries(resourcesOf(synth, type)).filter(([id]) => id.includes(part));
  expect(matches).toHaveLength(1);
  return matches[0][1];
};
const ref = (synth: SynthesizedStack, type: string, part: string, attribute = "uuid"): string => {
  const id = Object.keys(resourcesOf(synth, type)).find((key) => key.includes(part));
  return `\${${type}.${id}.${attribute}}`;
};

describe("apps stack (production)", () => {
  const synth = synthApps(showcase);
  const hostUuid = "${data.coolify_servers.servers_host_86BFADB7.servers[0].uuid}";

  it("depends on the infra stack and talks to the environment's Coolify with a sensitive token variable", () => {
    expect(synth.stack.dependencies).toEqual([synth.infra]);
    expect(synth.json).toHaveProviderWithProperties(CoolifyProvider, { endpoint: "https://coolify.live.corp.test", token: "${var.coolify_token}" });
    expect(synth.tf.variable?.coolify_token).toEqual(expect.objectContaining({ sensitive: true, default: null, nullable: true }));
  });

  it("looks up the Coolify host's own server through the provider", () => {
    expect(synth.json).toHaveDataSourceWithProperties(DataCoolifyServers, { filter: [{ name: "name", values: ["localhost"] }] });
    expect(resource(synth, "coolify_application_docker_image", "front").server_uuid).toBe(hostUuid);
  });

  it("points each worker's Sentinel at Coolify on the host's private address, not at the dashboard domain whose allow list refuses it", () => {
    const host = environmentModel(showcase).host;
    const infraServers = Object.values(synthStack(synth.infra).tf.resource?.hcloud_server ?? {}) as { name: string; network: { ip: string }[] }[];
    const hostNetworkIp = infraServers.find((server) => server.name === host.hetznerName)?.network[0].ip;
    expect(hostNetworkIp).toBe(host.privateIp);
    expect(synth.json).toHaveResourceWithProperties(ServerSentinel, {
      server_uuid: ref(synth, "coolify_server", "batch"),
      sentinel_custom_url: `http://${hostNetworkIp}:8000`,
    });
    expect(Object.keys(resourcesOf(synth, "coolify_server_sentinel"))).toHaveLength(1);
  });

  it("registers the worker over the private network, has Coolify validate it without installing Docker its own way, and deploys to it only after that", () => {
    const workerIp = privateAddress({ name: "batch", role: "worker" });
    expect(synth.json).toHaveResourceWithProperties(PrivateKey, { name: "live-workers", private_key: "${var.worker_ssh_private_key}" });
    expect(synth.json).toHaveResourceWithProperties(Server, { name: "live-batch", ip: workerIp, port: 22, user: "root" });
    const gates = Object.fromEntries(Object.entries(resourcesOf(synth, "terraform_data")).filter(([id]) => id.includes("-ready")));
    expect(Object.keys(gates)).toHaveLength(1);
    const [id, gate] = Object.entries(gates)[0];
    expect(gate.triggers_replace).toEqual({ server: ref(synth, "coolify_server", "batch"), ip: workerIp });
    const [provisioner] = gate.provisioner as { "local-exec": { command: string; interpreter: string[]; environment: Record<string, string> } }[];
    expect(provisioner["local-exec"].interpreter).toEqual(["bash", "-c"]);
    expect(provisioner["local-exec"].command).toContain(`'{"install":false}'`);
    expect(provisioner["local-exec"].environment).toEqual({
      COOLIFY_URL: "https://coolify.live.corp.test",
      SERVER_UUID: ref(synth, "coolify_server", "batch"),
      SERVER_NAME: "live-batch",
      WAIT_TIMEOUT_SECONDS: "900",
      COOLIFY_API_TOKEN: '${(var.coolify_token == null) ? "" : var.coolify_token}',
    });
    for (const [type, part] of [
      ["coolify_application_private_git", "orders"],
      ["coolify_database_mongodb", "events"],
    ]) {
      expect(resource(synth, type, part)).toEqual(
        expect.objectContaining({ server_uuid: ref(synth, "coolify_server", "batch"), depends_on: [`terraform_data.${id}`] }),
      );
    }
    expect(resource(synth, "coolify_application_docker_image", "front")).not.toHaveProperty("depends_on");
    expect(resource(synth, "coolify_application_docker_image", "front")).not.toHaveProperty("autogenerate_domain");
    expect(resourcesOf(synth, "coolify_server_validate")).toEqual({});
  });

  it("creates a Docker image application with domains, ports, health check, limits and the whole image reference", () => {
    expect(resource(synth, "coolify_application_docker_image", "front")).toEqual(
      expect.objectContaining({
        name: "front",
        project_uuid: ref(synth, "coolify_project", "store"),
        environment_name: "production",
        docker_image: "ghcr.io/fixture/front:5.0.2",
        domains: "https://front.live.corp.test,https://corp.test",
        ports_exposes: "8080",
        health_check_enabled: true,
        health_check_type: "http",
        health_check_path: "/ready",
        health_check_port: "8080",
        health_check_interval: 15,
        limits_cpus: "1",
        limits_memory: "1g",
        instant_deploy: false,
      }),
    );
  });

  it("creates a private Git application with its deploy key from a secret", () => {
    expect(synth.json).toHaveResourceWithProperties(PrivateKey, { name: "live-store-orders-deploy", private_key: "${var.secret_orders_deploy_key}" });
    expect(synth.json).toHaveResourceWithProperties(ApplicationPrivateGit, {
      git_repository: "git@github.com:fixture/orders.git",
      git_branch: "release",
      build_pack: "dockerfile",
      private_key_uuid: ref(synth, "coolify_private_key", "deploy-key"),
      instant_deploy: false,
    });
  });

  it("deploys an application first only after all its variables exist, never from inside the create call", () => {
    const deployments = resourcesOf(synth, "coolify_deployment");
    expect(Object.keys(deployments)).toHaveLength(1);
    const [deployment] = Object.values(deployments);
    expect(deployment.application_uuid).toBe(ref(synth, "coolify_application_private_git", "orders"));
    const variables = Object.keys(resourcesOf(synth, "coolify_environment_variable"))
      .filter((id) => id.includes("app-orders"))
      .map((id) => `coolify_environment_variable.${id}`);
    expect(variables).toHaveLength(2);
    expect(deployment.depends_on).toEqual(variables);
    for (const type of ["coolify_application_docker_image", "coolify_application_private_git", "coolify_application", "coolify_application_dockerfile"]) {
      for (const application of Object.values(resourcesOf(synth, type))) expect(application.instant_deploy).toBe(false);
    }
  });

  it("checks every S3 storage through Coolify before a backup relies on it, and never declares one usable unchecked", () => {
    const validations = resourcesOf(synth, "coolify_s3_storage_validate");
    expect(Object.values(validations).map((v) => v.s3_storage_uuid)).toEqual([
      ref(synth, "coolify_s3_storage", "dumps"),
      ref(synth, "coolify_s3_storage", "vault"),
    ]);
    for (const storage of Object.values(resourcesOf(synth, "coolify_s3_storage"))) expect(storage).not.toHaveProperty("is_usable");
    for (const backup of Object.values(resourcesOf(synth, "coolify_database_backup"))) {
      expect(backup.depends_on).toEqual([expect.stringMatching(/^coolify_s3_storage_validate\./)]);
    }
  });

  it("creates public Git, Dockerfile and Docker Compose applications", () => {
    expect(synth.json).toHaveResourceWithProperties(Application, {
      git_repository: "https://github.com/fixture/manual.git",
      build_pack: "static",
      base_directory: "/book",
      domains: "https://manual.live.corp.test",
      ports_exposes: "80",
    });
    expect(synth.json).toHaveResourceWithProperties(ApplicationDockerfile, {
      name: "bounce",
      dockerfile_location: "FROM nginx:1.27-alpine\n",
      health_check_type: "cmd",
      health_check_command: "curl -f http://localhost/",
    });
    expect(resource(synth, "coolify_application_dockerfile", "bounce")).not.toHaveProperty("health_check_port");
    expect(synth.json).toHaveResourceWithProperties(Service, {
      name: "metrics",
      docker_compose_raw: expect.stringMatching(/^services:\n {2}board:/),
      urls: [{ name: "board", url: "https://metrics.live.corp.test" }],
      server_uuid: hostUuid,
    });
  });

  it("turns env and buildEnv into runtime/build variables, secrets into sensitive variables", () => {
    const variable = (app: string, key: string) => resource(synth, "coolify_environment_variable", `app-${app}_env-${key}_`);
    expect(variable("front", "APP_MODE")).toEqual(expect.objectContaining({ key: "APP_MODE", value: "live", is_runtime: true, is_build: false }));
    expect(variable("front", "PAYMENT_KEY")).toEqual(expect.objectContaining({ value: "${var.secret_payment_key}" }));
    expect(variable("orders", "LOG_LEVEL")).toEqual(expect.objectContaining({ value: "warn", is_runtime: true, is_build: true }));
    expect(variable("orders", "REGISTRY_TOKEN")).toEqual(expect.objectContaining({ value: "${var.secret_registry_token}", is_runtime: false, is_build: true }));
    expect(variable("metrics", "ADMIN_PASSWORD")).toEqual({
      key: "ADMIN_PASSWORD",
      value: "${var.secret_metrics_admin_password}",
      service_uuid: ref(synth, "coolify_service", "metrics"),
    });
    expect(synth.tf.variable?.secret_payment_key).toEqual({
      type: "string",
      sensitive: true,
      nullable: false,
      description: 'Secret "payment_key" used by applications',
    });
    expect(synth.json).toHaveResourceWithProperties(EnvironmentVariable, { application_uuid: ref(synth, "coolify_application_docker_image", "front") });
  });

  it("creates scheduled tasks on applications and services", () => {
    expect(synth.json).toHaveResourceWithProperties(ScheduledTask, {
      name: "digest",
      command: "node digest.js",
      frequency: "0 4 * * *",
      application_uuid: ref(synth, "coolify_application_docker_image", "front"),
    });
    expect(synth.json).toHaveResourceWithProperties(ScheduledTask, {
      name: "prune",
      frequency: "weekly",
      container: "board",
      service_uuid: ref(synth, "coolify_service", "metrics"),
    });
  });

  it("creates databases protected from destruction, with backups to the right S3 storage", () => {
    for (const [cls, name] of [
      [DatabasePostgresql, "orders-db"],
      [DatabaseMongodb, "events"],
      [DatabaseMysql, "legacy"],
      [DatabaseRedis, "cache"],
    ] as const) {
      expect(synth.json).toHaveResourceWithProperties(cls, { name, instant_deploy: true, lifecycle: { prevent_destroy: true } });
    }
    expect(synth.json).toHaveResourceWithProperties(DatabasePostgresql, { image: "postgres:17-alpine", limits_memory: "2g", is_public: false });
    expect(resource(synth, "coolify_database_backup", "orders-db")).toEqual(
      expect.objectContaining({
        database_uuid: ref(synth, "coolify_database_postgresql", "orders-db"),
        enabled: true,
        frequency: "0 1 * * *",
        save_s3: true,
        s3_storage_uuid: ref(synth, "coolify_s3_storage", "dumps"),
        retain_amount_s3: 10,
        retain_days_s3: 20,
      }),
    );
    expect(synth.json).toHaveResourceWithProperties(DatabaseBackup, { s3_storage_uuid: ref(synth, "coolify_s3_storage", "vault"), frequency: "@daily" });
    expect(Object.keys(resourcesOf(synth, "coolify_database_backup"))).toHaveLength(3);
  });

  it("creates Hetzner and R2 storages with credentials from variables, protected in production, leaving is_usable to Coolify", () => {
    expect(synth.json).toHaveResourceWithProperties(S3Storage, {
      name: "live-dumps",
      bucket: "fixture-dumps",
      endpoint: "https://hel1.your-objectstorage.com",
      region: "hel1",
      key: "${var.s3_dumps_access_key}",
      secret: "${var.s3_dumps_secret_key}",
      lifecycle: { prevent_destroy: true, ignore_changes: ["is_usable"] },
    });
    expect(synth.json).toHaveResourceWithProperties(S3Storage, {
      endpoint: "https://fedcba9876543210fedcba9876543210.r2.cloudflarestorage.com",
      region: "auto",
      key: "${var.s3_vault_access_key}",
    });
  });

  it("sends the chosen Discord notifications with the webhook from a variable", () => {
    expect(synth.json).toHaveResourceWithProperties(NotificationDiscord, {
      enabled: true,
      webhook_url: "${var.discord_webhook_url}",
      deployment_failure: true,
      backup_failure: true,
      server_unreachable: true,
    });
  });

  it("outputs UUID, URLs and deploy URL per application, UUID and a sensitive internal URL per database", () => {
    const outputs = synth.tf.output ?? {};
    expect(outputs.app_store__front_uuid).toEqual(expect.objectContaining({ value: ref(synth, "coolify_application_docker_image", "front") }));
    expect(outputs.app_store__front_urls).toEqual(expect.objectContaining({ value: ["https://front.live.corp.test", "https://corp.test"] }));
    expect(outputs.app_store__metrics_deploy_url).toEqual(
      expect.objectContaining({ value: `https://coolify.live.corp.test/api/v1/deploy?uuid=${ref(synth, "coolify_service", "metrics")}` }),
    );
    expect(outputs.db_store__orders_db_uuid).toEqual(expect.objectContaining({ value: ref(synth, "coolify_database_postgresql", "orders-db") }));
    expect(outputs.db_store__orders_db_internal_url).toEqual(
      expect.objectContaining({ sensitive: true, value: ref(synth, "coolify_database_postgresql", "orders-db", "internal_db_url") }),
    );
    const sensitive = Object.entries(outputs)
      .filter(([, output]) => output.sensitive === true)
      .map(([name]) => name);
    expect(sensitive.sort()).toEqual([
      "db_store__cache_internal_url",
      "db_store__events_internal_url",
      "db_store__legacy_internal_url",
      "db_store__orders_db_internal_url",
    ]);
    expect(Object.keys(outputs)).toHaveLength(5 * 3 + 4 * 2);
  });

  it("declares every secret as a sensitive variable without a default", () => {
    const variables = synth.tf.variable ?? {};
    expect(Object.keys(variables).sort()).toEqual([
      "coolify_token",
      "discord_webhook_url",
      "grafana_admin_password",
      "loki_push_token",
      "s3_dumps_access_key",
      "s3_dumps_secret_key",
      "s3_vault_access_key",
      "s3_vault_secret_key",
      "secret_metrics_admin_password",
      "secret_orders_deploy_key",
      "secret_payment_key",
      "secret_registry_token",
      "worker_ssh_private_key",
    ]);
    for (const [name, variable] of Object.entries(variables)) {
      expect([name, variable.sensitive]).toEqual([name, true]);
      if (name !== "coolify_token") expect([name, "default" in variable]).toEqual([name, false]);
    }
  });
});

describe("apps stack (not production)", () => {
  const synth = synthApps(sandbox);

  it("creates extra Coolify environments and places applications in them", () => {
    expect(synth.json).toHaveResourceWithProperties(ApplicationDockerImage, {
      name: "front-preview",
      environment_name: ref(synth, "coolify_environment", "preview", "name"),
      domains: "https://preview.trial.corp.test",
      docker_image: "ghcr.io/fixture/front:preview",
    });
  });

  it("creates every remaining database kind, public when a port is given, without prevent_destroy outside production", () => {
    for (const cls of [DatabaseMariadb, DatabaseKeydb, DatabaseDragonfly, DatabaseClickhouse]) {
      expect(synth.json).toHaveResourceWithProperties(cls, { lifecycle: { prevent_destroy: false } });
    }
    expect(synth.json).toHaveResourceWithProperties(DatabasePostgresql, { name: "orders-db", is_public: true, public_port: 25432 });
  });

  it("registers no worker when the environment has none", () => {
    expect(resourcesOf(synth, "coolify_server")).toEqual({});
    expect(resourcesOf(synth, "coolify_server_sentinel")).toEqual({});
    expect(synth.tf.variable).not.toHaveProperty("worker_ssh_private_key");
  });

  it("synthesizes an empty apps stack for an environment without apps", () => {
    const empty = synthApps(withChanges(sandbox, { apps: undefined }));
    expect(empty.tf.resource ?? {}).toEqual({});
    expect(Object.keys(empty.tf.variable ?? {})).toEqual(["coolify_token"]);
  });
});
