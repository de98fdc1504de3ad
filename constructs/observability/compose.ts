/**
 * The Docker Compose documents Coolify deploys as services: the monitoring stack on the Coolify
 * host, the agents on every worker, and the operations agent that runs backups and scans. Every
 * configuration file travels inside the document as a top-level `configs` entry with inline
 * `content`, which Coolify keeps (coollabsio/coolify v4.3.9, bootstrap/helpers/parsers.php keeps
 * top-level `configs`) and Docker Compose mounts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { COOLIFY_TRAEFIK, OBSERVABILITY_IMAGES, OBSERVABILITY_PORTS } from "../../catalog/observability";
import type { MonitoredServer, ObservabilityModel, PrivateFilter } from "../../model/observability";
import {
  ALERT_RULES_FILE,
  ALLOY_PUSH_TOKEN_ENV,
  alertmanagerConfig,
  alertRules,
  alloyConfig,
  blackboxConfig,
  GRAFANA_DASHBOARD_DIR,
  grafanaDashboardProvider,
  grafanaDashboards,
  grafanaDatasources,
  lokiConfig,
  lokiGatewayConfig,
  MONITORING_SERVICES,
  prometheusConfig,
} from "./monitoring-config";

/** Variables Coolify sets on a service from sensitive Terraform variables; Compose substitutes them. */
export const SERVICE_SECRETS = {
  discordWebhookUrl: "DISCORD_WEBHOOK_URL",
  grafanaAdminPassword: "GRAFANA_ADMIN_PASSWORD",
  s3AccessKey: "BACKUP_S3_ACCESS_KEY",
  s3SecretKey: "BACKUP_S3_SECRET_KEY",
  backupPassphrase: "BACKUP_PASSPHRASE",
  lokiPushToken: ALLOY_PUSH_TOKEN_ENV,
} as const;

/** Directory on the Coolify host whose `*.prom` files node exporter publishes (backup freshness). */
export const HOST_METRICS_DIR = "/var/lib/coolify-ops/metrics";

/**
 * Where the monitoring keeps its data on the Coolify host: one directory per store, bind-mounted, so
 * that the data outlives the service. Provider v0.1.17 replaces a compose service on any change of
 * its document (docs/observability.md, "Where the data lives"), and Coolify's delete of a service
 * runs `docker volume rm -f` on every named volume of its containers (coollabsio/coolify v4.3.9,
 * app/Actions/Service/DeleteService.php lines 18-48, with `delete_volumes` true by default:
 * app/Http/Controllers/Api/ServicesController.php lines 973 and 1025) and `rm -rf` of the service's
 * own directory /data/coolify/services/<uuid> (app/Models/Service.php deleteConfigurations, lines
 * 202-209). An absolute bind is neither: Coolify's parser records it as a file storage with that
 * host path (bootstrap/helpers/parsers.php serviceParser lines 2132-2146 and 2198-2240, `sourceIsLocal`
 * and `replaceLocalSource` in bootstrap/helpers/shared.php leave an absolute path as it is), creates
 * the directory when it records it (`mkdir -p`: app/Models/LocalFileVolume.php `created` ->
 * ServerStorageSaveJob -> saveStorageOnServer), and deletes only the row with the service
 * (app/Models/ServiceApplication.php and ServiceDatabase.php `deleting`: `fileStorages()->delete()`,
 * a query that runs no model event, so LocalFileVolume::deleteStorageOnServer never runs).
 * Not under /data/coolify: Coolify's installer, which the bootstrap runs for every upgrade, gives
 * that whole tree to uid 9999 with mode 700 (scripts/install.sh lines 236-237).
 */
export const MONITORING_DATA_DIR = "/data/monitoring";

/**
 * Each store: the directory its container writes and the user it runs as, which owns that
 * directory. The users are the images' own: `USER nobody` (prometheus/prometheus v3.5.0 and
 * prometheus/alertmanager v0.28.1, Dockerfile), uid 472 with gid 0 (grafana/grafana Dockerfile at
 * commit 78515af65f03, read instead of the v11.6.0 tag: `ARG GF_UID="472"`, `ARG GF_GID="0"`,
 * `USER "$GF_UID"`), `USER 10001` (grafana/loki v3.4.2, cmd/loki/Dockerfile). They are set numerically in the document (`user:`), so the process runs as
 * exactly the owner the data step gives its directory, whatever an image's passwd says.
 */
export const MONITORING_STORES = {
  prometheus: { mount: "/prometheus", user: "65534:65534" },
  alertmanager: { mount: "/alertmanager", user: "65534:65534" },
  grafana: { mount: "/var/lib/grafana", user: "472:0" },
  loki: { mount: "/loki", user: "10001:10001" },
} as const satisfies Record<string, { mount: string; user: string }>;
type MonitoringStore = keyof typeof MONITORING_STORES;

const STORES = Object.keys(MONITORING_STORES) as MonitoringStore[];

/** The host directory of one store. */
const storeDirectory = (store: MonitoringStore): string => `${MONITORING_DATA_DIR}/${store}`;

/**
 * The one-shot step that gives each store's directory to its user before the stores start (they wait
 * for its successful end: `depends_on` with `service_completed_successfully`, which Coolify passes
 * through, parsers.php line 2740). Coolify creates a bind's directory as root (the `mkdir -p` above
 * runs over its SSH connection as the server's user, root) and Docker creates a missing one as root
 * too, where the non-root stores could not write. `restart: "no"` keeps the ended step out of the
 * service's status (parsers.php line 2704, `exclude_from_status`).
 */
const DATA_OWNER = "data-owner";
const dataOwnerService = () =>
  service({
    image: OBSERVABILITY_IMAGES.busybox.image,
    limits: LIMITS.dataOwner,
    once: true,
    command: ["sh", "-c", STORES.map((store) => `chown -R ${MONITORING_STORES[store].user} /stores/${store}`).join(" && ")],
    volumes: STORES.map((store) => `${storeDirectory(store)}:/stores/${store}`),
  });

/** What a store's container needs: its user, its directory mounted, and the data step ended before it starts. */
const storeSettings = (store: MonitoringStore) => ({
  user: MONITORING_STORES[store].user,
  after: [DATA_OWNER],
  volumes: [`${storeDirectory(store)}:${MONITORING_STORES[store].mount}`],
});

/** CPU and memory limits of each container, in Compose's `deploy.resources.limits` shape. */
const LIMITS = {
  prometheus: { cpus: "1.0", memory: "1g" },
  alertmanager: { cpus: "0.25", memory: "128m" },
  grafana: { cpus: "0.5", memory: "512m" },
  loki: { cpus: "0.5", memory: "512m" },
  blackbox: { cpus: "0.25", memory: "64m" },
  nodeExporter: { cpus: "0.25", memory: "64m" },
  cadvisor: { cpus: "0.5", memory: "256m" },
  alloy: { cpus: "0.25", memory: "256m" },
  operations: { cpus: "0.5", memory: "256m" },
  privateFilter: { cpus: "0.1", memory: "32m" },
  lokiGateway: { cpus: "0.25", memory: "64m" },
  dataOwner: { cpus: "0.25", memory: "32m" },
} as const;

/**
 * Compose interpolates `$` everywhere, inline config content included: every `$` of a file is
 * doubled, and only the named secrets are left for Compose to substitute.
 */
const SECRET_MARK = "@@SERVICE_SECRET_";
const secretPlaceholder = (name: string): string => `${SECRET_MARK}${name}@@`;
const composeText = (text: string): string =>
  text.replaceAll("$", "$$$$").replace(new RegExp(`${SECRET_MARK}([A-Z_]+)@@`, "g"), (_, name: string) => `\${${name}}`);

interface ServiceSpec {
  readonly image: string;
  readonly limits: { readonly cpus: string; readonly memory: string };
  /** A one-shot step: it runs to its end at each start and is not restarted. */
  readonly once?: boolean;
  readonly user?: string;
  /** Services that must have run to their successful end before this one starts. */
  readonly after?: readonly string[];
  readonly command?: readonly string[];
  readonly environment?: Record<string, string>;
  readonly volumes?: readonly string[];
  readonly configs?: readonly { readonly source: string; readonly target: string }[];
  readonly ports?: readonly string[];
  readonly labels?: Record<string, string>;
  readonly pid?: "host";
  readonly privileged?: boolean;
  readonly networkMode?: "host";
  readonly capAdd?: readonly string[];
}

const service = (spec: ServiceSpec) => ({
  image: spec.image,
  restart: spec.once ? "no" : "unless-stopped",
  ...(spec.user && { user: spec.user }),
  ...(spec.after && { depends_on: Object.fromEntries(spec.after.map((name) => [name, { condition: "service_completed_successfully" }])) }),
  ...(spec.command && { command: [...spec.command] }),
  ...(spec.environment && { environment: spec.environment }),
  ...(spec.volumes && { volumes: [...spec.volumes] }),
  ...(spec.configs && { configs: spec.configs.map((config) => ({ ...config, mode: 0o444 })) }),
  ...(spec.ports && { ports: [...spec.ports] }),
  ...(spec.pid && { pid: spec.pid }),
  ...(spec.privileged && { privileged: true }),
  ...(spec.networkMode && { network_mode: spec.networkMode }),
  ...(spec.capAdd && { cap_add: [...spec.capAdd] }),
  ...(spec.labels && { labels: spec.labels }),
  deploy: { resources: { limits: spec.limits } },
});

/** A Compose document with its files; `files` maps config name to content. */
const document = (services: Record<string, ReturnType<typeof service>>, files: ReadonlyMap<string, string>): string =>
  stringify(
    {
      services,
      ...(files.size > 0 && { configs: Object.fromEntries([...files].map(([name, content]) => [name, { content: composeText(content) }])) }),
    },
    { lineWidth: 0 },
  );

/**
 * Traefik labels serving one UI at `host`, to the admin CIDRs only, over HTTPS with Coolify's
 * certificate resolver. No `traefik.docker.network`: the container's only network is its service's,
 * which Traefik then uses (traefik/traefik v3.6.24, pkg/provider/docker/config.go getIPAddress: a
 * network it does not find falls back to the container's first, here only, network).
 */
const adminOnlyRoute = (model: ObservabilityModel, name: string, host: string, port: number): Record<string, string> => {
  const router = `${model.environment}-${name}`;
  const allowList = `${model.environment}-monitoring-admins`;
  return {
    "traefik.enable": "true",
    [`traefik.http.middlewares.${allowList}.ipallowlist.sourcerange`]: model.uiPeers.join(","),
    [`traefik.http.routers.${router}.rule`]: `Host(\`${host}\`)`,
    [`traefik.http.routers.${router}.entrypoints`]: COOLIFY_TRAEFIK.httpsEntryPoint,
    [`traefik.http.routers.${router}.tls`]: "true",
    [`traefik.http.routers.${router}.tls.certresolver`]: COOLIFY_TRAEFIK.certResolver,
    [`traefik.http.routers.${router}.middlewares`]: allowList,
    [`traefik.http.routers.${router}.service`]: router,
    [`traefik.http.services.${router}.loadbalancer.server.port`]: String(port),
  };
};

const published = (server: MonitoredServer, port: number): readonly string[] | undefined =>
  server.bindAddress ? [`${server.bindAddress}:${port}:${port}`] : undefined;

/** Node exporter, cAdvisor and Alloy of one server; on the host they also read the operations metrics. */
const agentServices = (server: MonitoredServer) => ({
  [MONITORING_SERVICES.nodeExporter]: service({
    image: OBSERVABILITY_IMAGES.nodeExporter.image,
    limits: LIMITS.nodeExporter,
    command: [
      "--path.rootfs=/host",
      ...(server.isHost ? ["--collector.textfile.directory=/textfile"] : []),
      "--collector.filesystem.mount-points-exclude=^/(dev|proc|sys|run|var/lib/docker/.+)($|/)",
    ],
    volumes: ["/:/host:ro,rslave", ...(server.isHost ? [`${HOST_METRICS_DIR}:/textfile:ro`] : [])],
    pid: "host",
    ports: published(server, OBSERVABILITY_PORTS.nodeExporter),
  }),
  [MONITORING_SERVICES.cadvisor]: service({
    image: OBSERVABILITY_IMAGES.cadvisor.image,
    limits: LIMITS.cadvisor,
    command: ["--docker_only=true", "--housekeeping_interval=30s", "--store_container_labels=false"],
    volumes: ["/:/rootfs:ro", "/var/run:/var/run:ro", "/sys:/sys:ro", "/var/lib/docker/:/var/lib/docker:ro", "/dev/disk/:/dev/disk:ro"],
    privileged: true,
    ports: published(server, OBSERVABILITY_PORTS.cadvisor),
  }),
  [MONITORING_SERVICES.alloy]: service({
    image: OBSERVABILITY_IMAGES.alloy.image,
    limits: LIMITS.alloy,
    command: ["run", "--storage.path=/var/lib/alloy/data", "/etc/alloy/config.alloy"],
    volumes: ["/var/run/docker.sock:/var/run/docker.sock:ro"],
    configs: [{ source: "alloy", target: "/etc/alloy/config.alloy" }],
    // A worker's Alloy pushes through the gateway on the host with the token (alloyConfig).
    ...(!server.isHost && { environment: { [SERVICE_SECRETS.lokiPushToken]: `\${${SERVICE_SECRETS.lokiPushToken}}` } }),
  }),
  ...(server.privateFilter && { [MONITORING_SERVICES.privateFilter]: privateFilterService(server.privateFilter) }),
});

/** Where the private filter's script is mounted, and how often it puts the rules back (after a reboot or a restart of Docker). */
const PRIVATE_FILTER_SCRIPT = "/etc/private-filter/private-filter.sh";
const PRIVATE_FILTER_PERIOD_SECONDS = 60;

/**
 * The filter of a server's private address (scripts/private-filter.sh), run with the host's own
 * iptables (`chroot /host`) in the host's network namespace, where Docker's chains are. Coolify
 * leaves a container with `network_mode` off every network, its own service's included
 * (coollabsio/coolify v4.3.9, bootstrap/helpers/parsers.php serviceParser `$use_network_mode`).
 * Docker Engine's package depends on iptables (docker/docker-ce-packaging deb/common/control,
 * `Depends: ... iptables`), so the host has it wherever Docker runs.
 */
const privateFilterService = (filter: PrivateFilter) =>
  service({
    image: OBSERVABILITY_IMAGES.busybox.image,
    limits: LIMITS.privateFilter,
    command: [
      "sh",
      "-c",
      `trap 'exit 0' TERM; while true; do chroot /host /bin/bash -s < ${PRIVATE_FILTER_SCRIPT}; sleep ${PRIVATE_FILTER_PERIOD_SECONDS} & wait $$!; done`,
    ],
    environment: {
      NETWORK_RANGE: filter.range,
      OWN_ADDRESS: filter.ownAddress,
      ADMIT: filter.admit.map(({ source, ports }) => `${source}:${ports.join(",")}`).join(" "),
    },
    volumes: ["/:/host"],
    configs: [{ source: MONITORING_SERVICES.privateFilter, target: PRIVATE_FILTER_SCRIPT }],
    networkMode: "host",
    capAdd: ["NET_ADMIN"],
  });

const agentFiles = (model: ObservabilityModel, server: MonitoredServer, lokiPushUrl: string): Map<string, string> =>
  new Map([
    ["alloy", alloyConfig(lokiPushUrl, model.environment, server.name, !server.isHost)],
    ...(server.privateFilter ? [[MONITORING_SERVICES.privateFilter, readFileSync(join(OPERATIONS_SCRIPTS_DIR, "private-filter.sh"), "utf8")] as const] : []),
  ]);

const LOCAL_LOKI_PUSH = `http://${MONITORING_SERVICES.loki}:${OBSERVABILITY_PORTS.loki}/loki/api/v1/push`;

/** The configuration files of the monitoring service, by config name. */
export const monitoringFiles = (model: ObservabilityModel): Map<string, string> => {
  const host = model.servers.find((server) => server.isHost);
  if (!host) throw new Error(`environment ${model.environment} has no Coolify host to run the monitoring on`);
  const dashboards = [...grafanaDashboards()].map(([file, content]) => [`dashboard-${file.replace(/\.json$/, "")}`, content] as const);
  return new Map([
    ["prometheus", prometheusConfig(model)],
    ["alert-rules", alertRules(model)],
    ["alertmanager", alertmanagerConfig(secretPlaceholder(SERVICE_SECRETS.discordWebhookUrl))],
    ["blackbox", blackboxConfig()],
    ["loki", lokiConfig()],
    ...(model.lokiPushFromWorkers ? [[MONITORING_SERVICES.lokiGateway, lokiGatewayConfig(secretPlaceholder(SERVICE_SECRETS.lokiPushToken))] as const] : []),
    ["grafana-datasources", grafanaDatasources()],
    ["grafana-dashboards", grafanaDashboardProvider()],
    ...dashboards,
    ...agentFiles(model, host, LOCAL_LOKI_PUSH),
  ]);
};

/** The monitoring service on the Coolify host: Prometheus, Alertmanager, Grafana, Loki, the blackbox exporter and the host's agents. */
export const monitoringCompose = (model: ObservabilityModel): string => {
  const host = model.servers.find((server) => server.isHost);
  if (!host) throw new Error(`environment ${model.environment} has no Coolify host to run the monitoring on`);
  const files = monitoringFiles(model);
  const dashboards = [...files.keys()].filter((name) => name.startsWith("dashboard-"));
  // Workers push their logs to the gateway on the host's private address; without workers nothing is published.
  const gatewayAddress = model.lokiPushFromWorkers ? new URL(model.lokiPushFromWorkers).hostname : undefined;
  return document(
    {
      [MONITORING_SERVICES.prometheus]: service({
        image: OBSERVABILITY_IMAGES.prometheus.image,
        limits: LIMITS.prometheus,
        command: [
          "--config.file=/etc/prometheus/prometheus.yml",
          `--storage.tsdb.path=${MONITORING_STORES.prometheus.mount}`,
          "--storage.tsdb.retention.time=30d",
          `--web.external-url=https://${model.uiHosts.prometheus}`,
        ],
        ...storeSettings("prometheus"),
        configs: [
          { source: "prometheus", target: "/etc/prometheus/prometheus.yml" },
          { source: "alert-rules", target: `/etc/prometheus/${ALERT_RULES_FILE}` },
        ],
        labels: adminOnlyRoute(model, "prometheus", model.uiHosts.prometheus, OBSERVABILITY_PORTS.prometheus),
      }),
      [MONITORING_SERVICES.alertmanager]: service({
        image: OBSERVABILITY_IMAGES.alertmanager.image,
        limits: LIMITS.alertmanager,
        command: [
          "--config.file=/etc/alertmanager/alertmanager.yml",
          `--storage.path=${MONITORING_STORES.alertmanager.mount}`,
          `--web.external-url=https://${model.uiHosts.alertmanager}`,
        ],
        ...storeSettings("alertmanager"),
        configs: [{ source: "alertmanager", target: "/etc/alertmanager/alertmanager.yml" }],
        labels: adminOnlyRoute(model, "alertmanager", model.uiHosts.alertmanager, OBSERVABILITY_PORTS.alertmanager),
      }),
      [MONITORING_SERVICES.grafana]: service({
        image: OBSERVABILITY_IMAGES.grafana.image,
        limits: LIMITS.grafana,
        environment: {
          GF_SECURITY_ADMIN_USER: "admin",
          GF_SECURITY_ADMIN_PASSWORD: `\${${SERVICE_SECRETS.grafanaAdminPassword}}`,
          GF_SERVER_ROOT_URL: `https://${model.uiHosts.grafana}`,
          GF_USERS_ALLOW_SIGN_UP: "false",
          GF_ANALYTICS_REPORTING_ENABLED: "false",
        },
        ...storeSettings("grafana"),
        configs: [
          { source: "grafana-datasources", target: "/etc/grafana/provisioning/datasources/platform.yml" },
          { source: "grafana-dashboards", target: "/etc/grafana/provisioning/dashboards/platform.yml" },
          ...dashboards.map((name) => ({ source: name, target: `${GRAFANA_DASHBOARD_DIR}/${name.replace(/^dashboard-/, "")}.json` })),
        ],
        labels: adminOnlyRoute(model, "grafana", model.uiHosts.grafana, OBSERVABILITY_PORTS.grafana),
      }),
      [MONITORING_SERVICES.loki]: service({
        image: OBSERVABILITY_IMAGES.loki.image,
        limits: LIMITS.loki,
        command: ["-config.file=/etc/loki/config.yml"],
        ...storeSettings("loki"),
        configs: [{ source: "loki", target: "/etc/loki/config.yml" }],
      }),
      ...(gatewayAddress && {
        [MONITORING_SERVICES.lokiGateway]: service({
          image: OBSERVABILITY_IMAGES.nginx.image,
          limits: LIMITS.lokiGateway,
          configs: [{ source: MONITORING_SERVICES.lokiGateway, target: "/etc/nginx/nginx.conf" }],
          ports: [`${gatewayAddress}:${OBSERVABILITY_PORTS.loki}:${OBSERVABILITY_PORTS.loki}`],
        }),
      }),
      [MONITORING_SERVICES.blackbox]: service({
        image: OBSERVABILITY_IMAGES.blackboxExporter.image,
        limits: LIMITS.blackbox,
        command: ["--config.file=/etc/blackbox/blackbox.yml"],
        configs: [{ source: "blackbox", target: "/etc/blackbox/blackbox.yml" }],
      }),
      [DATA_OWNER]: dataOwnerService(),
      ...agentServices(host),
    },
    files,
  );
};

/** The agents of one worker, publishing their ports on its private address only. */
export const workerAgentCompose = (model: ObservabilityModel, server: MonitoredServer): string => {
  if (!model.lokiPushFromWorkers) throw new Error(`environment ${model.environment} has workers but no private network to ship their logs over`);
  return document(agentServices(server), agentFiles(model, server, model.lokiPushFromWorkers));
};

/** The scripts this construct ships to the servers, beside it. */
export const OPERATIONS_SCRIPTS_DIR = join(__dirname, "scripts");

/** Scripts of this repository the operations agent runs, by config name, with the libraries each needs before it. */
const OPERATIONS_SCRIPTS = {
  "coolify-backup": ["lib/s3.sh", "lib/backup-format.sh", "coolify-backup.sh"],
  "trivy-scan": ["trivy-scan.sh"],
  "backup-metrics": ["backup-metrics.sh"],
} as const;
export type OperationsScript = keyof typeof OPERATIONS_SCRIPTS;

/** The shortest backup passphrase the backup and restore scripts accept: their format library's `BACKUP_PHRASE_MIN_LENGTH`. */
export const backupMinPassphrase = (): number => {
  const library = readFileSync(join(OPERATIONS_SCRIPTS_DIR, "lib", "backup-format.sh"), "utf8");
  const minimum = /^BACKUP_PHRASE_MIN_LENGTH=(\d+)$/m.exec(library)?.[1];
  if (!minimum) throw new Error("constructs/observability/scripts/lib/backup-format.sh does not set BACKUP_PHRASE_MIN_LENGTH");
  return Number(minimum);
};

/** What the agent runs for a script: its libraries, then the script, as one file for `bash -s`. */
export const operationsScript = (script: OperationsScript): string =>
  OPERATIONS_SCRIPTS[script].map((file) => readFileSync(join(OPERATIONS_SCRIPTS_DIR, file), "utf8")).join("\n");

/** Where the operations agent mounts its scripts. */
const OPERATIONS_SCRIPT_DIR = "/etc/operations";
/** The agent's own name in its compose document, where scheduled tasks run. */
export const OPERATIONS_CONTAINER = "operations";

/**
 * The operations agent: a shell with the host's root filesystem at /host. Its scheduled tasks
 * run the repository's scripts with the host's own tools (`chroot /host bash -s < script`): Docker,
 * curl, openssl and tar, as on any Coolify host, so that nothing is installed at run time.
 */
export const operationsCompose = (environment: Record<string, string>, scripts: readonly OperationsScript[]): string =>
  document(
    {
      [OPERATIONS_CONTAINER]: service({
        image: OBSERVABILITY_IMAGES.busybox.image,
        limits: LIMITS.operations,
        command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 3600 & wait $$!; done"],
        environment,
        volumes: ["/:/host"],
        configs: scripts.map((script) => ({ source: script, target: `${OPERATIONS_SCRIPT_DIR}/${script}.sh` })),
      }),
    },
    new Map(scripts.map((script) => [script, operationsScript(script)])),
  );

/**
 * The command a scheduled task runs in the agent to execute one script on the host. Coolify runs
 * it with `sh -c` in the named container (coollabsio/coolify v4.3.9, app/Jobs/ScheduledTaskJob.php).
 */
export const operationsCommand = (script: OperationsScript): string => `chroot /host /bin/bash -s < ${OPERATIONS_SCRIPT_DIR}/${script}.sh`;
