import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Ajv from "ajv";
import DRAFT_07 from "ajv/dist/refs/json-schema-draft-07.json";
import { TerraformStack, Testing } from "cdktf";
import { parse } from "yaml";
import { CLOUDFLARE_IP_RANGES } from "../../catalog/cloudflare";
import { DOCKER_ENGINE_API, DOCKER_ENGINE_VERSION } from "../../catalog/docker";
import { DOCKER_API_CLIENTS, type DockerApiClient } from "../../catalog/observability";
import { production } from "../../config/environments/production";
import { staging } from "../../config/environments/staging";
import type { EnvironmentConfig } from "../../config/schema";
import { AppsSecrets } from "../../constructs/coolify/apps-secrets";
import { CoolifyServers } from "../../constructs/coolify/coolify-servers";
import {
  MONITORING_DATA_DIR,
  MONITORING_STORES,
  monitoringCompose,
  monitoringFiles,
  OPERATIONS_SCRIPTS_DIR,
  operationsScript,
} from "../../constructs/observability/compose";
import { type PlatformOperationsProps, platformOperations } from "../../constructs/observability/observability";
import { environmentModel } from "../../model/environment";
import { type CoolifyBackupTarget, observabilityModel } from "../../model/observability";
import { AppsStack } from "../../stacks/apps-stack";
import { InfraStack } from "../../stacks/infra-stack";
import { problemsOf } from "../support/config";
import { resourcesOf, type SynthesizedStack, synthStack, withChanges } from "../support/synth";
import { describeWithTools, findTool } from "../support/tools";

/** The Compose Specification's schema, read from the shared data at test time. */
const COMPOSE_SCHEMA = JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "shared", "compose-spec", "compose-spec.json"), "utf8"));
/** Ajv for the schema: it names draft-07's meta-schema by its https address, which Ajv knows as http://...#. */
const composeValidator = () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addMetaSchema(DRAFT_07, COMPOSE_SCHEMA.$schema);
  return ajv.compile(COMPOSE_SCHEMA);
};
const validateCompose = composeValidator();

const synthApps = (env: EnvironmentConfig): SynthesizedStack => {
  const app = Testing.app();
  const infra = new InfraStack(app, `${env.name}-infra`, { environment: environmentModel(env) });
  return synthStack(new AppsStack(app, `${env.name}-apps`, { environment: environmentModel(env), infra }));
};

interface ComposeDocument {
  services: Record<
    string,
    {
      image: string;
      deploy?: { resources?: { limits?: { cpus?: string; memory?: string } } };
      labels?: Record<string, string>;
      ports?: string[];
      volumes?: string[];
      environment?: Record<string, string>;
    }
  >;
  configs?: Record<string, { content: string }>;
}

/** A Terraform string literal's value: `$${` and `%%{` are its escapes of `${` and `%{`. */
const terraformLiteral = (text: string): string => text.replaceAll("$${", "${").replaceAll("%%{", "%{");

const composeDocuments = (synth: SynthesizedStack): Map<string, string> =>
  new Map(Object.values(resourcesOf(synth, "coolify_service")).map((service) => [String(service.name), terraformLiteral(String(service.docker_compose_raw))]));

/** What Compose makes of inline content: `$$` is a literal `$`. */
const interpolated = (content: string): string => content.replaceAll("$$", "$");

describe("the platform's own services in the production example", () => {
  const synth = synthApps(production);
  const documents = composeDocuments(synth);

  it("are a monitoring service, an agent per worker and the operations agent", () => {
    expect([...documents.keys()].filter((name) => !name.includes("analytics")).sort()).toEqual(["agent-worker-1", "monitoring", "operations"]);
  });

  it.each([...documents])("%s is valid against the Compose Specification's JSON Schema", (_, raw) => {
    const valid = validateCompose(parse(raw));
    expect(validateCompose.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it("the schema check can fail: an unknown service key is rejected", () => {
    const document = parse(documents.get("monitoring") ?? "");
    document.services.prometheus.memory_limit = "1g";
    expect(validateCompose(document)).toBe(false);
  });

  it.each([...documents].filter(([name]) => name !== "analytics"))("%s pins every image to an exact release and limits every container", (_, raw) => {
    const document: ComposeDocument = parse(raw);
    for (const [name, service] of Object.entries(document.services)) {
      expect([name, service.image]).toEqual([name, expect.stringMatching(/:v?\d+\.\d+\.\d+(@sha256:[0-9a-f]{64})?$/)]);
      expect(service.deploy?.resources?.limits).toEqual({ cpus: expect.stringMatching(/^\d/), memory: expect.stringMatching(/^\d+[mg]$/) });
    }
  });

  it("serves Grafana, Prometheus and Alertmanager only to the admin CIDRs, through Coolify's Traefik over HTTPS", () => {
    const document: ComposeDocument = parse(documents.get("monitoring") ?? "");
    for (const [service, host] of [
      ["grafana", "grafana.example.com"],
      ["prometheus", "prometheus.example.com"],
      ["alertmanager", "alertmanager.example.com"],
    ]) {
      const labels = document.services[service].labels ?? {};
      const router = `production-${service}`;
      expect(labels[`traefik.http.routers.${router}.rule`]).toBe(`Host(\`${host}\`)`);
      expect(labels[`traefik.http.routers.${router}.entrypoints`]).toBe("https");
      const middleware = labels[`traefik.http.routers.${router}.middlewares`];
      expect(labels[`traefik.http.middlewares.${middleware}.ipallowlist.sourcerange`]).toBe(production.adminCidrs.join(","));
      expect(document.services[service].ports).toBeUndefined();
    }
    for (const service of ["loki", "node-exporter", "cadvisor", "blackbox-exporter", "alloy"]) {
      expect(document.services[service].labels?.["traefik.enable"]).toBeUndefined();
    }
  });

  it("behind Cloudflare's proxy, admits Cloudflare's addresses at the proxy: the admins are checked at Cloudflare's edge (infra stack)", () => {
    const proxied = withChanges(production, { dns: { ...production.dns, proxied: true } });
    const document: ComposeDocument = parse(composeDocuments(synthApps(proxied)).get("monitoring") ?? "");
    const labels = document.services.grafana.labels ?? {};
    const middleware = labels["traefik.http.routers.production-grafana.middlewares"];
    expect(labels[`traefik.http.middlewares.${middleware}.ipallowlist.sourcerange`]).toBe(CLOUDFLARE_IP_RANGES.join(","));
  });

  it("carries each configuration file as generated, with only the named secrets left for Compose to substitute", () => {
    const model = observabilityModel(environmentModel(production));
    if (!model) throw new Error("production has no monitoring");
    const document: ComposeDocument = parse(documents.get("monitoring") ?? "");
    const files = monitoringFiles(model);
    expect(Object.keys(document.configs ?? {}).sort()).toEqual([...files.keys()].sort());
    for (const [name, content] of files) {
      const carried = interpolated(document.configs?.[name].content ?? "")
        .replace("${DISCORD_WEBHOOK_URL}", "@@SERVICE_SECRET_DISCORD_WEBHOOK_URL@@")
        .replace("${LOKI_PUSH_TOKEN}", "@@SERVICE_SECRET_LOKI_PUSH_TOKEN@@");
      expect([name, carried]).toEqual([name, content]);
    }
    // Prometheus's own templates survive Compose: `$labels` is written `$$labels`.
    expect(document.configs?.["alert-rules"].content).toContain("{{ $$labels.server }}");
    expect(document.configs?.alertmanager.content).toContain('webhook_url: "${DISCORD_WEBHOOK_URL}"');
  });

  it("sets the services' secrets from sensitive variables, never as literals, and starts each service after them", () => {
    const bulk = Object.values(resourcesOf(synth, "coolify_envs_bulk"));
    const variables = Object.assign({}, ...bulk.map((b) => b.variables as Record<string, string>));
    expect(variables).toEqual({
      DISCORD_WEBHOOK_URL: "${var.discord_webhook_url}",
      GRAFANA_ADMIN_PASSWORD: "${var.grafana_admin_password}",
      LOKI_PUSH_TOKEN: "${var.loki_push_token}",
      BACKUP_S3_ACCESS_KEY: "${var.s3_backups_access_key}",
      BACKUP_S3_SECRET_KEY: "${var.s3_backups_secret_key}",
      BACKUP_PASSPHRASE: "${var.coolify_backup_passphrase}",
    });
    for (const name of ["grafana_admin_password", "coolify_backup_passphrase", "loki_push_token"])
      expect(synth.tf.variable?.[name]).toMatchObject({ sensitive: true });
    const starts = Object.values(resourcesOf(synth, "coolify_resource_action"));
    expect(starts).toHaveLength(3);
    for (const service of Object.values(resourcesOf(synth, "coolify_service")).filter((s) => s.name !== "analytics")) {
      expect(service.instant_deploy).toBe(false);
    }
  });

  it("keeps every platform service off the `coolify` network every application shares: its own network only", () => {
    const platform = Object.values(resourcesOf(synth, "coolify_service")).filter((s) => s.name !== "analytics");
    expect(platform.map((s) => [s.name, s.connect_to_docker_network])).toEqual(platform.map((s) => [s.name, false]));
    for (const [name, raw] of [...documents].filter(([n]) => n !== "analytics")) {
      const document = parse(raw);
      expect([name, document.networks]).toEqual([name, undefined]);
      for (const [service, spec] of Object.entries(document.services as Record<string, Record<string, unknown>>)) {
        // The private network's filter programs the host's firewall, so it lives in the host's network namespace and listens on nothing.
        const networkMode = service === "private-filter" ? "host" : undefined;
        expect([name, service, spec.networks, spec.network_mode, (spec.labels as Record<string, string> | undefined)?.["traefik.docker.network"]]).toEqual([
          name,
          service,
          undefined,
          networkMode,
          undefined,
        ]);
      }
    }
  });

  it("publishes nothing but what another server must reach, on private addresses: Loki's gateway for the workers' logs, each worker's exporters", () => {
    const published = [...documents]
      .filter(([name]) => name !== "analytics")
      .flatMap(([name, raw]) =>
        Object.entries((parse(raw) as ComposeDocument).services).flatMap(([service, spec]) => (spec.ports ?? []).map((port) => `${name}/${service} ${port}`)),
      );
    expect(published.sort()).toEqual([
      "agent-worker-1/cadvisor 10.42.1.200:8080:8080",
      "agent-worker-1/node-exporter 10.42.1.200:9100:9100",
      "monitoring/loki-gateway 10.42.1.10:3100:3100",
    ]);
  });

  it("gives host access (privileged, host PID, host paths beyond the monitoring's own data) only to the agents docs/security.md names, BusyBox pinned by digest", () => {
    const ownData = (volume: string): boolean => volume.startsWith(`${MONITORING_DATA_DIR}/`);
    const hostAccess = [...documents]
      .filter(([name]) => name !== "analytics")
      .flatMap(([name, raw]) =>
        Object.entries(parse(raw).services as Record<string, { image: string; privileged?: boolean; pid?: string; volumes?: string[] }>)
          .filter(([, spec]) => spec.privileged || spec.pid === "host" || (spec.volumes ?? []).some((volume) => volume.startsWith("/") && !ownData(volume)))
          .map(([service, spec]) => `${name}/${service} ${spec.image}`),
      );
    expect(hostAccess.sort()).toEqual([
      "agent-worker-1/alloy grafana/alloy:v1.18.1",
      "agent-worker-1/cadvisor ghcr.io/google/cadvisor:v0.57.0",
      "agent-worker-1/node-exporter quay.io/prometheus/node-exporter:v1.9.1",
      "agent-worker-1/private-filter busybox:1.37.0@sha256:9db7b59979c38555a39def84a31fb98b5296952f9e3afd4f6f11f05b07adfab0",
      "monitoring/alloy grafana/alloy:v1.18.1",
      "monitoring/cadvisor ghcr.io/google/cadvisor:v0.57.0",
      "monitoring/node-exporter quay.io/prometheus/node-exporter:v1.9.1",
      "monitoring/private-filter busybox:1.37.0@sha256:9db7b59979c38555a39def84a31fb98b5296952f9e3afd4f6f11f05b07adfab0",
      "operations/operations busybox:1.37.0@sha256:9db7b59979c38555a39def84a31fb98b5296952f9e3afd4f6f11f05b07adfab0",
    ]);
  });

  it("keeps the monitoring's data in host directories outside Coolify's service directory, each owned by its store's user before the store starts", () => {
    type Spec = { image: string; user?: string; restart?: string; command?: string[]; volumes?: string[]; depends_on?: Record<string, { condition: string }> };
    const services = parse(documents.get("monitoring") ?? "").services as Record<string, Spec>;
    expect(parse(documents.get("monitoring") ?? "").volumes).toBeUndefined();
    const stores = Object.entries(MONITORING_STORES).map(([store, { mount, user }]) => ({ store, mount, user, spec: services[store] }));
    for (const { store, mount, user, spec } of stores) {
      expect(spec.volumes).toEqual([`${MONITORING_DATA_DIR}/${store}:${mount}`]);
      expect(spec.user).toBe(user);
      expect(spec.depends_on).toEqual({ "data-owner": { condition: "service_completed_successfully" } });
    }
    expect(MONITORING_DATA_DIR.startsWith("/data/coolify")).toBe(false);
    const owner = services["data-owner"];
    expect(owner.restart).toBe("no");
    expect(owner.volumes).toEqual(stores.map(({ store }) => `${MONITORING_DATA_DIR}/${store}:/stores/${store}`));
    expect(owner.command?.[2]).toBe(stores.map(({ store, user }) => `chown -R ${user} /stores/${store}`).join(" && "));
    // Nothing else of the document writes to the host's data directories, and nothing keeps data in a named volume.
    const others = Object.entries(services).filter(([name]) => name !== "data-owner" && !(name in MONITORING_STORES));
    expect(others.flatMap(([, spec]) => spec.volumes ?? []).filter((volume) => volume.startsWith(MONITORING_DATA_DIR) || !volume.startsWith("/"))).toEqual([]);
  });

  it("filters each server's private address: workers reach only Coolify's 8000 (Sentinel) and Loki on the host, the host only the workers' exporters (issue 19, finding 7)", () => {
    const filters = [...documents]
      .filter(([name]) => name !== "analytics")
      .flatMap(([name, raw]) => {
        const filter = (parse(raw) as { services: Record<string, { environment?: Record<string, string>; volumes?: string[]; cap_add?: string[] }> }).services[
          "private-filter"
        ];
        return filter ? [[name, filter.environment, filter.volumes, filter.cap_add] as const] : [];
      });
    expect(filters).toEqual([
      ["agent-worker-1", { NETWORK_RANGE: "10.42.0.0/16", OWN_ADDRESS: "10.42.1.200", ADMIT: "10.42.1.10:9100,8080" }, ["/:/host"], ["NET_ADMIN"]],
      ["monitoring", { NETWORK_RANGE: "10.42.0.0/16", OWN_ADDRESS: "10.42.1.10", ADMIT: "10.42.1.200:8000,3100" }, ["/:/host"], ["NET_ADMIN"]],
    ]);
    const monitoring = parse(documents.get("monitoring") ?? "");
    expect(interpolated(monitoring.configs["private-filter"].content)).toBe(readFileSync(join(OPERATIONS_SCRIPTS_DIR, "private-filter.sh"), "utf8"));
    expect(monitoring.services["private-filter"].command[2]).toContain("chroot /host /bin/bash -s < /etc/private-filter/private-filter.sh");
  });

  it("without workers there is no private network, and no filter", () => {
    const model = observabilityModel(environmentModel(withChanges(staging, { observability: { enabled: true } })));
    const monitoring = parse(model ? monitoringCompose(model) : "");
    expect(Object.keys(monitoring.services)).not.toContain("private-filter");
  });

  it("places each worker's agents on that worker, publishing on its private address only", () => {
    const services = resourcesOf(synth, "coolify_service");
    const agent = Object.values(services).find((s) => s.name === "agent-worker-1");
    expect(agent?.server_uuid).toMatch(/coolify_server\.servers_worker-1_/);
    const document: ComposeDocument = parse(terraformLiteral(String(agent?.docker_compose_raw)));
    expect(document.services["node-exporter"].ports).toEqual(["10.42.1.200:9100:9100"]);
    expect(document.services.cadvisor.ports).toEqual(["10.42.1.200:8080:8080"]);
    expect(document.configs?.alloy.content).toContain('url = "http://10.42.1.10:3100/loki/api/v1/push"');
  });

  it("ships the workers' logs through Loki's gateway with the push token; Loki itself publishes nothing and the host's Alloy needs no token (issue 19, finding 7)", () => {
    const monitoring = parse(documents.get("monitoring") ?? "");
    expect(monitoring.services.loki.ports).toBeUndefined();
    expect(monitoring.services["loki-gateway"].ports).toEqual(["10.42.1.10:3100:3100"]);
    expect(monitoring.configs.alloy.content).not.toContain("bearer_token");
    const agent = parse(documents.get("agent-worker-1") ?? "");
    expect(agent.configs.alloy.content).toContain('    bearer_token = sys.env("LOKI_PUSH_TOKEN")\n');
    expect(agent.services.alloy.environment).toEqual({ LOKI_PUSH_TOKEN: "${LOKI_PUSH_TOKEN}" });
    const bulks = Object.values(resourcesOf(synth, "coolify_envs_bulk"));
    const holding = bulks.filter((bulk) => (bulk.variables as Record<string, string>).LOKI_PUSH_TOKEN === "${var.loki_push_token}");
    expect(holding.map((bulk) => bulk.resource_uuid)).toEqual([
      expect.stringMatching(/coolify_service\.operations_agent-worker-1_/),
      expect.stringMatching(/coolify_service\.operations_monitoring_/),
    ]);
    expect((holding[1].lifecycle as { precondition: { condition: string }[] }).precondition[0].condition).toBe(
      '${can(regex("^[A-Za-z0-9_-]{32,}$", var.loki_push_token))}',
    );
  });

  it("schedules the backup of Coolify, the backup freshness and the image scan in the operations agent", () => {
    const tasks = Object.values(resourcesOf(synth, "coolify_scheduled_task")).filter((task) => String(task.service_uuid ?? "").includes("operations"));
    expect(tasks.map((task) => [task.name, task.frequency, task.container]).sort()).toEqual([
      ["backup-metrics", "*/5 * * * *", "operations"],
      ["coolify-backup", "30 3 * * *", "operations"],
      ["trivy-scan", "0 4 * * *", "operations"],
    ]);
    const document: ComposeDocument & { services: { operations: { configs: { source: string; target: string }[] } } } = parse(
      documents.get("operations") ?? "",
    );
    expect(interpolated(document.configs?.["coolify-backup"].content ?? "")).toBe(operationsScript("coolify-backup"));
    // Each task feeds the script its agent mounts to the host's bash.
    for (const task of tasks) {
      const mounted = document.services.operations.configs.find((config) => config.source === task.name);
      expect(task.command).toBe(`chroot /host /bin/bash -s < ${mounted?.target}`);
    }
  });
});

/** "1.44" as a number that orders API versions: 1.44 → 1044. */
const apiVersion = (version: string): number => {
  const [major, minor] = version.split(".").map(Number);
  return major * 1000 + minor;
};

/** Why a client cannot work with the pinned engine, or nothing when it can. */
const engineProblems = (image: string, client: DockerApiClient | undefined, readsLayers: boolean): string[] => {
  if (!client) return [`${image} is given the Docker socket but catalog/observability.ts DOCKER_API_CLIENTS does not say which API version it speaks`];
  const spoken = client.negotiates ? Math.min(apiVersion(client.maxApiVersion), apiVersion(DOCKER_ENGINE_API.max)) : apiVersion(client.maxApiVersion);
  const problems: string[] = [];
  if (spoken < apiVersion(DOCKER_ENGINE_API.min) || spoken > apiVersion(DOCKER_ENGINE_API.max)) {
    problems.push(
      `${image} speaks Docker API ${client.maxApiVersion}; Docker ${DOCKER_ENGINE_VERSION} serves ${DOCKER_ENGINE_API.min} to ${DOCKER_ENGINE_API.max}`,
    );
  }
  if (readsLayers && DOCKER_ENGINE_API.containerdImageStore && !client.containerdImageStore) {
    problems.push(`${image} reads image layers from disk but does not know Docker ${DOCKER_ENGINE_VERSION}'s default containerd image store`);
  }
  return problems;
};

/** The images of a document given the Docker socket (directly or through /var/run), and whether each reads Docker's storage. */
const socketImages = (raw: string): { image: string; readsLayers: boolean }[] =>
  Object.values((parse(raw) as ComposeDocument).services)
    .filter((service) => (service.volumes ?? []).some((volume) => /^\/var\/run(\/docker\.sock)?:/.test(volume)))
    .map((service) => ({ image: service.image, readsLayers: (service.volumes ?? []).some((volume) => volume.startsWith("/var/lib/docker")) }));

describe(`every image that drives the Docker socket speaks to the pinned Docker ${DOCKER_ENGINE_VERSION}`, () => {
  const documents = composeDocuments(synthApps(production));

  it.each([...documents].filter(([name]) => name !== "analytics"))("%s", (_, raw) => {
    const document: ComposeDocument = parse(raw);
    // The image scan runs TRIVY_IMAGE with the socket mounted (scripts/trivy-scan.sh).
    const trivy = Object.values(document.services).flatMap((service) => (service.environment?.TRIVY_IMAGE ? [service.environment.TRIVY_IMAGE] : []));
    const images = [...socketImages(raw), ...trivy.map((image) => ({ image, readsLayers: false }))];
    expect(images.flatMap(({ image, readsLayers }) => engineProblems(image, DOCKER_API_CLIENTS[image], readsLayers))).toEqual([]);
  });

  it("the monitoring and the workers' agents give the socket to cAdvisor and Alloy, and the operations agent passes Trivy's image", () => {
    expect(socketImages(documents.get("monitoring") ?? "").map(({ image }) => image.split(":")[0])).toEqual(["ghcr.io/google/cadvisor", "grafana/alloy"]);
    expect(socketImages(documents.get("agent-worker-1") ?? "").filter(({ readsLayers }) => readsLayers)).toHaveLength(1);
    expect(parse(documents.get("operations") ?? "").services.operations.environment.TRIVY_IMAGE).toMatch(/^aquasec\/trivy:/);
  });

  it("the check rejects a client older than the engine's minimum and a layer reader that predates the containerd store", () => {
    // cAdvisor v0.49.1: docker/docker v20.10.27 (go.mod), whose api/common.go DefaultVersion is 1.41, without containerd-snapshotter support.
    const old: DockerApiClient = {
      module: "github.com/docker/docker v20.10.27",
      maxApiVersion: "1.41",
      negotiates: true,
      source: "google/cadvisor v0.49.1 go.mod",
    };
    expect(engineProblems("cadvisor:v0.49.1", old, true)).toEqual([
      `cadvisor:v0.49.1 reads image layers from disk but does not know Docker ${DOCKER_ENGINE_VERSION}'s default containerd image store`,
    ]);
    expect(engineProblems("client:1.39", { ...old, maxApiVersion: "1.39" }, false)).toEqual([
      `client:1.39 speaks Docker API 1.39; Docker ${DOCKER_ENGINE_VERSION} serves 1.40 to 1.55`,
    ]);
    expect(engineProblems("unknown:1", undefined, false)).toHaveLength(1);
  });
});

describe("opting in and out", () => {
  it("staging has none of it by default and gets monitoring when it opts in", () => {
    expect(composeDocuments(synthApps(staging)).has("monitoring")).toBe(false);
    const optedIn = composeDocuments(synthApps(withChanges(staging, { observability: { enabled: true } })));
    expect(optedIn.has("monitoring")).toBe(true);
    expect(optedIn.has("operations")).toBe(true);
  });

  it("production can turn monitoring off and keep the backup of Coolify", () => {
    const documents = composeDocuments(synthApps(withChanges(production, { observability: { enabled: false } })));
    expect(documents.has("monitoring")).toBe(false);
    expect(Object.keys(parse(documents.get("operations") ?? "").configs)).toEqual(["coolify-backup"]);
  });
});

describe("platformOperations takes only what it uses", () => {
  /** A bare stack with the construct built from narrow props, no environment model in sight. */
  const build = (
    props: Pick<PlatformOperationsProps, "monitoring" | "coolifyBackup">,
  ): { created: boolean; documents: Map<string, string>; types: string[] } => {
    const stack = new TerraformStack(Testing.app(), "narrow");
    const secrets = new AppsSecrets(stack);
    const servers = new CoolifyServers(stack, "servers", {
      host: "coolify",
      workers: [],
      workerKeyName: "workers",
      secrets,
      coolifyUrl: "https://coolify.example.com",
    });
    const created = platformOperations(stack, { environment: "narrow", servers, secrets, ...props }) !== undefined;
    const synth = synthStack(stack);
    const types = Object.keys(synth.tf.resource ?? {});
    return { created, documents: types.includes("coolify_service") ? composeDocuments(synth) : new Map(), types };
  };
  const env = environmentModel(production);
  const monitoring = observabilityModel({ ...env, servers: env.servers.filter((server) => server.role !== "worker") });
  const coolifyBackup: CoolifyBackupTarget = {
    storage: production.apps?.s3Storages?.[0] ?? { name: "none", provider: "hetzner", location: "fsn1", bucket: "none" },
    schedule: "15 2 * * *",
  };

  it("creates nothing when neither monitoring nor Coolify's backup is given", () => {
    expect(build({})).toEqual({ created: false, documents: new Map(), types: [] });
  });

  it("builds the monitoring and the operations agent from a monitoring model alone", () => {
    const { created, documents } = build({ monitoring });
    expect(created).toBe(true);
    expect([...documents.keys()].sort()).toEqual(["monitoring", "operations"]);
    expect(Object.keys(parse(documents.get("operations") ?? "").configs).sort()).toEqual(["backup-metrics", "trivy-scan"]);
  });

  it("builds only the backup from a backup target alone, with that target's bucket", () => {
    const { documents } = build({ coolifyBackup });
    expect([...documents.keys()]).toEqual(["operations"]);
    expect(parse(documents.get("operations") ?? "").services.operations.environment.BACKUP_S3_BUCKET).toBe(coolifyBackup.storage.bucket);
  });
});

describeWithTools("the backup passphrase's minimum length, in real terraform", { terraform: findTool("terraform") }, () => {
  const synth = synthApps(production);
  const secrets = Object.entries(resourcesOf(synth, "coolify_envs_bulk")).find(([, bulk]) => (bulk.variables as Record<string, string>).BACKUP_PASSPHRASE);
  const preconditions = (secrets?.[1].lifecycle as { precondition?: { condition: string; error_message: string }[] } | undefined)?.precondition ?? [];

  /** `terraform plan` of the synthesized variable and the synthesized precondition, on a resource that needs no provider. */
  const plan = (passphrase: string): { status: number | null; output: string } => {
    const dir = mkdtempSync(join(tmpdir(), "passphrase-"));
    try {
      const variable = synth.tf.variable?.coolify_backup_passphrase;
      writeFileSync(
        join(dir, "main.tf.json"),
        JSON.stringify({
          variable: { coolify_backup_passphrase: variable },
          resource: { terraform_data: { check: { input: "${length(var.coolify_backup_passphrase)}", lifecycle: { precondition: preconditions } } } },
        }),
      );
      const result = spawnSync("terraform", ["plan", "-input=false", "-no-color"], {
        cwd: dir,
        encoding: "utf8",
        env: { PATH: process.env.PATH, HOME: dir, CHECKPOINT_DISABLE: "1", TF_VAR_coolify_backup_passphrase: passphrase },
      });
      return { status: result.status, output: `${result.stdout}${result.stderr}` };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it("guards the resource that hands the passphrase to Coolify with one precondition", () => {
    expect(preconditions).toEqual([
      {
        condition: "${length(var.coolify_backup_passphrase) >= 20}",
        error_message:
          "environment production: variable coolify_backup_passphrase must have at least 20 characters (the backup and restore scripts refuse a shorter one).",
      },
    ]);
  });

  it("fails the plan for 19 characters, naming the environment and the variable and never printing the value, and passes 20", () => {
    const short = plan("nineteen-characters");
    expect(short.status).toBe(1);
    expect(short.output.replace(/\s+/g, " ")).toContain("environment production: variable coolify_backup_passphrase must have at least 20 characters");
    expect(short.output).not.toContain("nineteen-characters");
    expect(plan("twenty-characters-ok").status).toBe(0);
  });
});

describe("configuration errors", () => {
  it("names the environment, the field and the allowed storages for an unknown backup storage", () => {
    expect(problemsOf({ environments: [withChanges(production, { coolifyBackup: { storage: "nowhere" } })] })).toEqual([
      'environment "production": coolifyBackup.storage: "nowhere" is not an S3 storage of apps.s3Storages (allowed: backups, offsite)',
    ]);
  });

  it("rejects an application domain the monitoring's UIs are served at, while monitoring is on", () => {
    const projects = (production.apps?.projects ?? []).map((project, i) =>
      i === 0
        ? {
            ...project,
            applications: [
              ...(project.applications ?? []),
              { kind: "docker-image" as const, name: "dash", image: "grafana/grafana:11.6.0", ports: [3000], domains: ["grafana.example.com"] },
            ],
          }
        : project,
    );
    const withApp = withChanges(production, { apps: { ...production.apps, projects } });
    expect(problemsOf({ environments: [withApp] })).toEqual([
      'environment "production": observability: "grafana.example.com" serves the monitoring\'s grafana but application shop/dash uses it too; give the application another domain or set observability.enabled to false',
    ]);
    expect(problemsOf({ environments: [withChanges(withApp, { observability: { enabled: false } })] })).toEqual([]);
  });

  it("rejects a threshold out of range and a bad scan schedule", () => {
    const problems = problemsOf({
      environments: [withChanges(production, { observability: { thresholds: { diskUsedPercent: 120 }, securityScan: { schedule: "every day" } } })],
    });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^environment "production": observability\.thresholds\.diskUsedPercent: /);
    expect(problems[1]).toMatch(/^environment "production": observability\.securityScan\.schedule: bad cron expression "every day"/);
  });
});
