/**
 * The configuration files of the monitoring stack, generated from the observability model: what
 * Prometheus scrapes and probes, the alert rules with the environment's thresholds, where
 * Alertmanager sends them, Grafana's data sources and dashboards, Loki and the log shippers.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { OBSERVABILITY_PORTS } from "../../catalog/observability";
import type { MonitoredServer, ObservabilityModel } from "../../model/observability";

/** Compose service names inside the monitoring service, which Prometheus and Grafana reach them by. */
export const MONITORING_SERVICES = {
  prometheus: "prometheus",
  alertmanager: "alertmanager",
  grafana: "grafana",
  loki: "loki",
  blackbox: "blackbox-exporter",
  nodeExporter: "node-exporter",
  cadvisor: "cadvisor",
  alloy: "alloy",
  privateFilter: "private-filter",
  lokiGateway: "loki-gateway",
} as const;

/** Where the rule file sits beside `prometheus.yml`; Prometheus resolves it relative to the configuration file. */
export const ALERT_RULES_FILE = "alerts.yml";
const PROBE_MODULE = "http_2xx";
const PROBE_APPLICATIONS_JOB = "probe-applications";
const PROBE_COOLIFY_JOB = "probe-coolify";
/** Metrics the operations agent writes for node exporter's textfile collector on the Coolify host. */
export const BACKUP_METRIC = "coolify_database_backup_last_success_timestamp_seconds";
export const COOLIFY_BACKUP_METRIC = "coolify_self_backup_last_success_timestamp_seconds";

const at = (service: string, port: number): string => `${service}:${port}`;
const yaml = (value: unknown): string => stringify(value, { lineWidth: 0 });

const serverTargets = (servers: readonly MonitoredServer[], address: (server: MonitoredServer) => string) =>
  servers.map((server) => ({ targets: [address(server)], labels: { server: server.name, role: server.role } }));

const probeJob = (job: string, urls: readonly string[]) => ({
  job_name: job,
  metrics_path: "/probe",
  params: { module: [PROBE_MODULE] },
  static_configs: [{ targets: [...urls] }],
  relabel_configs: [
    { source_labels: ["__address__"], target_label: "__param_target" },
    { source_labels: ["__param_target"], target_label: "instance" },
    { target_label: "__address__", replacement: at(MONITORING_SERVICES.blackbox, OBSERVABILITY_PORTS.blackboxExporter) },
  ],
});

/** `prometheus.yml`: every server's node exporter and cAdvisor, the stack itself, and the probes. */
export const prometheusConfig = (model: ObservabilityModel): string => {
  const own = (job: string, service: string, port: number) => ({ job_name: job, static_configs: [{ targets: [at(service, port)] }] });
  return yaml({
    global: { scrape_interval: "30s", evaluation_interval: "30s", external_labels: { environment: model.environment } },
    alerting: { alertmanagers: [{ static_configs: [{ targets: [at(MONITORING_SERVICES.alertmanager, OBSERVABILITY_PORTS.alertmanager)] }] }] },
    rule_files: [ALERT_RULES_FILE],
    scrape_configs: [
      own("prometheus", "localhost", OBSERVABILITY_PORTS.prometheus),
      own("alertmanager", MONITORING_SERVICES.alertmanager, OBSERVABILITY_PORTS.alertmanager),
      own("grafana", MONITORING_SERVICES.grafana, OBSERVABILITY_PORTS.grafana),
      own("loki", MONITORING_SERVICES.loki, OBSERVABILITY_PORTS.loki),
      own("blackbox", MONITORING_SERVICES.blackbox, OBSERVABILITY_PORTS.blackboxExporter),
      { job_name: "node", static_configs: serverTargets(model.servers, (server) => server.nodeExporter) },
      { job_name: "cadvisor", static_configs: serverTargets(model.servers, (server) => server.cadvisor) },
      ...(model.applicationUrls.length > 0 ? [probeJob(PROBE_APPLICATIONS_JOB, model.applicationUrls)] : []),
      probeJob(PROBE_COOLIFY_JOB, [model.coolifyHealthUrl]),
    ],
  });
};

/** One alert rule as Prometheus reads it. */
interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: { readonly severity: "warning" | "critical" } & Record<string, string>;
  readonly annotations: { readonly summary: string };
}

/** The alert names, each documented in docs/observability.md. */
export const ALERTS = {
  diskFull: "HostDiskUsageHigh",
  memoryFull: "HostMemoryUsageHigh",
  targetDown: "TargetDown",
  probeFailing: "ProbeFailing",
  certificateExpiring: "CertificateExpiringSoon",
  backupMissing: "DatabaseBackupMissing",
  coolifyBackupMissing: "CoolifyBackupMissing",
  coolifyUnreachable: "CoolifyUnreachable",
} as const;

const FILESYSTEMS = 'fstype!~"tmpfs|overlay|squashfs|ramfs|nsfs"';

const backupAge = (metric: string, selector: string, maxAgeSeconds: number): string =>
  `(time() - max(${metric}${selector}) > ${maxAgeSeconds}) or absent(${metric}${selector})`;

/** `alerts.yml`: the rules with this environment's thresholds. Templates in annotations are Prometheus's own. */
export const alertRules = (model: ObservabilityModel): string => {
  const { thresholds } = model;
  const rules: AlertRule[] = [
    {
      alert: ALERTS.diskFull,
      expr: `100 * (1 - node_filesystem_avail_bytes{${FILESYSTEMS}} / node_filesystem_size_bytes{${FILESYSTEMS}}) > ${thresholds.diskUsedPercent}`,
      for: "10m",
      labels: { severity: "warning" },
      annotations: {
        summary: `Disk {{ $labels.mountpoint }} on {{ $labels.server }} is {{ $value | humanize }}% full (threshold ${thresholds.diskUsedPercent}%)`,
      },
    },
    {
      alert: ALERTS.memoryFull,
      expr: `100 * (1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes) > ${thresholds.memoryUsedPercent}`,
      for: "10m",
      labels: { severity: "warning" },
      annotations: { summary: `Memory on {{ $labels.server }} is {{ $value | humanize }}% used (threshold ${thresholds.memoryUsedPercent}%)` },
    },
    {
      alert: ALERTS.targetDown,
      expr: `up{job!~"${PROBE_APPLICATIONS_JOB}|${PROBE_COOLIFY_JOB}"} == 0`,
      for: "5m",
      labels: { severity: "warning" },
      annotations: { summary: "{{ $labels.job }} target {{ $labels.instance }} is down" },
    },
    {
      alert: ALERTS.probeFailing,
      expr: `probe_success{job="${PROBE_APPLICATIONS_JOB}"} == 0`,
      for: "5m",
      labels: { severity: "critical" },
      annotations: { summary: "{{ $labels.instance }} does not answer with a success" },
    },
    {
      alert: ALERTS.certificateExpiring,
      expr: `(probe_ssl_earliest_cert_expiry - time()) / 86400 < ${thresholds.certificateExpiryDays}`,
      for: "10m",
      labels: { severity: "warning" },
      annotations: {
        summary: `The certificate of {{ $labels.instance }} expires in {{ $value | humanize }} days (threshold ${thresholds.certificateExpiryDays})`,
      },
    },
    {
      alert: ALERTS.coolifyUnreachable,
      expr: `probe_success{job="${PROBE_COOLIFY_JOB}"} == 0`,
      for: "3m",
      labels: { severity: "critical" },
      annotations: { summary: "Coolify ({{ $labels.instance }}) is unreachable" },
    },
    ...model.backups.map(
      (backup): AlertRule => ({
        alert: ALERTS.backupMissing,
        expr: backupAge(BACKUP_METRIC, `{database="${backup.database}"}`, backup.maxAgeSeconds),
        for: "5m",
        labels: { severity: "critical", database: backup.database, project: backup.project },
        annotations: { summary: `No successful backup of ${backup.project}/${backup.database} in the last ${backup.maxAgeSeconds / 3600} hours` },
      }),
    ),
    ...(model.coolifyBackupMaxAgeSeconds === undefined
      ? []
      : [
          {
            alert: ALERTS.coolifyBackupMissing,
            expr: backupAge(COOLIFY_BACKUP_METRIC, "", model.coolifyBackupMaxAgeSeconds),
            for: "5m",
            labels: { severity: "critical" },
            annotations: { summary: `No successful backup of Coolify itself in the last ${model.coolifyBackupMaxAgeSeconds / 3600} hours` },
          } satisfies AlertRule,
        ]),
  ];
  return yaml({ groups: [{ name: `${model.environment}-platform`, rules }] });
};

/**
 * `alertmanager.yml`: everything to the environment's Discord webhook, grouped per alert and
 * server so that one outage is one message, repeated every four hours while it lasts; an
 * unreachable Coolify silences the application probes it explains.
 */
export const alertmanagerConfig = (discordWebhookUrl: string): string =>
  yaml({
    route: {
      receiver: "discord",
      group_by: ["alertname", "environment", "server"],
      group_wait: "30s",
      group_interval: "5m",
      repeat_interval: "4h",
    },
    // `discord_configs` exists since Alertmanager 0.25.0 (prometheus/alertmanager CHANGELOG.md, 0.25.0: Discord integration).
    receivers: [{ name: "discord", discord_configs: [{ webhook_url: discordWebhookUrl, send_resolved: true }] }],
    inhibit_rules: [
      { source_matchers: [`alertname="${ALERTS.coolifyUnreachable}"`], target_matchers: [`alertname="${ALERTS.probeFailing}"`], equal: ["environment"] },
      { source_matchers: [`alertname="${ALERTS.targetDown}"`, 'job="node"'], target_matchers: ['job="cadvisor"'], equal: ["server"] },
    ],
  });

/** `blackbox.yml`: HTTPS must answer 2xx over TLS; the certificate's expiry comes with every probe. */
export const blackboxConfig = (): string =>
  yaml({ modules: { [PROBE_MODULE]: { prober: "http", timeout: "10s", http: { preferred_ip_protocol: "ip4", fail_if_not_ssl: true } } } });

/** Loki as one process with its data on a volume, logs kept 14 days. */
export const lokiConfig = (): string =>
  yaml({
    auth_enabled: false,
    server: { http_listen_port: OBSERVABILITY_PORTS.loki },
    common: {
      path_prefix: "/loki",
      replication_factor: 1,
      ring: { kvstore: { store: "inmemory" } },
      storage: { filesystem: { chunks_directory: "/loki/chunks", rules_directory: "/loki/rules" } },
    },
    schema_config: { configs: [{ from: "2024-01-01", store: "tsdb", object_store: "filesystem", schema: "v13", index: { prefix: "index_", period: "24h" } }] },
    // Loki's log deletion API is on by default wherever retention is (grafana/loki v3.4.2,
    // pkg/validation/limits.go: `deletion_mode` defaults to "filter-and-delete"; one of "disabled",
    // "filter-only", "filter-and-delete"), and Loki has no authentication: nothing may delete logs.
    limits_config: { retention_period: "336h", deletion_mode: "disabled" },
    compactor: { working_directory: "/loki/compactor", retention_enabled: true, delete_request_store: "filesystem" },
  });

/** Loki's push route, the one route the gateway lets through (grafana/loki v3.4.2, docs/sources/reference/loki-http-api.md `POST /loki/api/v1/push`). */
export const LOKI_PUSH_PATH = "/loki/api/v1/push";

/**
 * The gateway in front of Loki for the workers' log shippers. Loki has no authentication of its own
 * and expects an authenticating reverse proxy in front of it (grafana/loki v3.4.2,
 * docs/sources/operations/authentication.md), so nginx admits only pushes that carry the token
 * (`Authorization: Bearer <token>`, which Alloy sends from its `bearer_token`) and answers every
 * other route (queries, tails, deletes) with 403. The comparison is nginx's `if` with `!=` and the
 * only thing done inside it is `return`, which nginx documents as safe in a location
 * (nginx.org/en/docs/http/ngx_http_rewrite_module.html#if). `token` is what the document substitutes
 * for the token (a Compose variable); nginx's own `$` variables are left to composeText to escape.
 */
export const lokiGatewayConfig = (token: string): string =>
  [
    "events {}",
    "http {",
    "  access_log off;",
    "  server {",
    `    listen ${OBSERVABILITY_PORTS.loki};`,
    `    location = ${LOKI_PUSH_PATH} {`,
    `      if ($http_authorization != "Bearer ${token}") {`,
    "        return 401;",
    "      }",
    `      proxy_pass http://${at(MONITORING_SERVICES.loki, OBSERVABILITY_PORTS.loki)};`,
    "    }",
    "    location / {",
    "      return 403;",
    "    }",
    "  }",
    "}",
    "",
  ].join("\n");

/** The environment variable Alloy reads the push token from (`sys.env`), where it ships to the gateway. */
export const ALLOY_PUSH_TOKEN_ENV = "LOKI_PUSH_TOKEN";

/**
 * Alloy (River syntax): every container's log to Loki, labelled with the container, server and
 * environment. Workers push through the gateway with the token as a bearer token (grafana/alloy,
 * docs/sources/reference/components/loki/loki.write.md, `endpoint` argument `bearer_token`), read
 * from the environment so that it is not written into the file.
 */
export const alloyConfig = (lokiPushUrl: string, environment: string, server: string, withToken = false): string =>
  [
    'discovery.docker "containers" {',
    '  host = "unix:///var/run/docker.sock"',
    "}",
    'discovery.relabel "containers" {',
    "  targets = []",
    "  rule {",
    '    source_labels = ["__meta_docker_container_name"]',
    '    regex         = "/(.*)"',
    '    target_label  = "container"',
    "  }",
    "}",
    'loki.source.docker "containers" {',
    '  host          = "unix:///var/run/docker.sock"',
    "  targets       = discovery.docker.containers.targets",
    "  relabel_rules = discovery.relabel.containers.rules",
    "  forward_to    = [loki.write.default.receiver]",
    "}",
    'loki.write "default" {',
    "  endpoint {",
    `    url = ${JSON.stringify(lokiPushUrl)}`,
    ...(withToken ? [`    bearer_token = sys.env(${JSON.stringify(ALLOY_PUSH_TOKEN_ENV)})`] : []),
    "  }",
    `  external_labels = { environment = ${JSON.stringify(environment)}, server = ${JSON.stringify(server)} }`,
    "}",
    "",
  ].join("\n");

/** Grafana's provisioned data sources, with fixed UIDs the dashboards refer to. */
export const grafanaDatasources = (): string =>
  yaml({
    apiVersion: 1,
    datasources: [
      {
        name: "Prometheus",
        uid: "prometheus",
        type: "prometheus",
        access: "proxy",
        url: `http://${at(MONITORING_SERVICES.prometheus, OBSERVABILITY_PORTS.prometheus)}`,
        isDefault: true,
        editable: false,
      },
      { name: "Loki", uid: "loki", type: "loki", access: "proxy", url: `http://${at(MONITORING_SERVICES.loki, OBSERVABILITY_PORTS.loki)}`, editable: false },
      {
        name: "Alertmanager",
        uid: "alertmanager",
        type: "alertmanager",
        access: "proxy",
        url: `http://${at(MONITORING_SERVICES.alertmanager, OBSERVABILITY_PORTS.alertmanager)}`,
        jsonData: { implementation: "prometheus" },
        editable: false,
      },
    ],
  });

export const GRAFANA_DASHBOARD_DIR = "/var/lib/grafana/dashboards";

/** Grafana's dashboard provider: the files mounted in {@link GRAFANA_DASHBOARD_DIR}, read-only in the UI. */
export const grafanaDashboardProvider = (): string =>
  yaml({
    apiVersion: 1,
    providers: [{ name: "platform", type: "file", disableDeletion: true, allowUiUpdates: false, options: { path: GRAFANA_DASHBOARD_DIR } }],
  });

const DASHBOARDS_DIR = join(__dirname, "dashboards");

/** The dashboards kept in the repository (`dashboards/*.json`), by file name. */
export const grafanaDashboards = (): ReadonlyMap<string, string> =>
  new Map(
    readdirSync(DASHBOARDS_DIR)
      .filter((file) => file.endsWith(".json"))
      .sort()
      .map((file) => [file, readFileSync(join(DASHBOARDS_DIR, file), "utf8")]),
  );
