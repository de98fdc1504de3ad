/**
 * What an environment's monitoring watches, derived once from its model: the servers with their
 * agents' addresses, the URLs to probe, the backups whose freshness is checked, the thresholds and
 * where the dashboards are served. The generated configurations read only this.
 */
import { COOLIFY_HEALTH_PATH, OBSERVABILITY_PORTS } from "../catalog/observability";
import { PORTS } from "../catalog/ports";
import { applicationHosts, httpsUrl, MONITORING_UIS, type MonitoringUi, monitoringUiHost } from "../config/naming";
import type { S3StorageConfig, ScanSeverity, ServerRole } from "../config/schema";
import { type EnvironmentModel, PRIVATE_NETWORK, proxyPeers } from "./environment";

/** Default alert thresholds (issue 13, from the seed documents): disk > 80 %, memory > 90 %, TLS certificate < 14 days. */
export const DEFAULT_THRESHOLDS = { diskUsedPercent: 80, memoryUsedPercent: 90, certificateExpiryDays: 14, backupGraceMinutes: 60 } as const;
export const DEFAULT_SCAN = { schedule: "0 4 * * *", minimumSeverity: "HIGH" } as const satisfies { schedule: string; minimumSeverity: ScanSeverity };
export const DEFAULT_COOLIFY_BACKUP_SCHEDULE = "30 3 * * *";

export type Thresholds = { readonly [K in keyof typeof DEFAULT_THRESHOLDS]: number };

/** Who may open connections to which ports of one server's private address; everything else from the private network is dropped. */
export interface PrivateFilter {
  /** The environment's private network. */
  readonly range: string;
  /** The server's address on it. */
  readonly ownAddress: string;
  readonly admit: readonly { readonly source: string; readonly ports: readonly number[] }[];
}

/** A server whose host and container metrics and logs are collected. */
export interface MonitoredServer {
  readonly name: string;
  readonly role: ServerRole;
  /** True on the Coolify host, whose agents share a compose network with Prometheus. */
  readonly isHost: boolean;
  /** How Prometheus reaches the node exporter and cAdvisor of this server. */
  readonly nodeExporter: string;
  readonly cadvisor: string;
  /** Private address the agents publish their ports on (workers only). */
  readonly bindAddress?: string;
  /** The filter of its private address, in an environment with workers (a private network). */
  readonly privateFilter?: PrivateFilter;
}

/** A database backup whose last success must be younger than its schedule's longest gap plus the grace. */
export interface WatchedBackup {
  readonly database: string;
  readonly project: string;
  readonly maxAgeSeconds: number;
}

export interface ObservabilityModel {
  readonly environment: string;
  readonly thresholds: Thresholds;
  readonly adminCidrs: readonly string[];
  /**
   * The peers the proxy admits to the UIs: the admins themselves, or Cloudflare's proxy when the
   * records are proxied (Cloudflare Access then admits only the admins at the edge).
   */
  readonly uiPeers: readonly string[];
  /** Where the UIs are served, through Traefik, to the admin CIDRs only. */
  readonly uiHosts: Readonly<Record<MonitoringUi, string>>;
  readonly servers: readonly MonitoredServer[];
  /** Loki's push URL as the workers' log shippers reach it (the host's private address). */
  readonly lokiPushFromWorkers?: string;
  /** Application URLs probed for availability and certificate expiry. */
  readonly applicationUrls: readonly string[];
  /** Coolify's health route, probed separately so that its outage has an alert of its own. */
  readonly coolifyHealthUrl: string;
  readonly backups: readonly WatchedBackup[];
  /** Present when the backup of Coolify itself is configured. */
  readonly coolifyBackupMaxAgeSeconds?: number;
  readonly securityScan: { readonly schedule: string; readonly minimumSeverity: ScanSeverity };
}

const NAMED_SCHEDULES: Readonly<Record<string, string>> = {
  every_minute: "* * * * *",
  hourly: "0 * * * *",
  "@hourly": "0 * * * *",
  daily: "0 0 * * *",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  weekly: "0 0 * * 0",
  "@weekly": "0 0 * * 0",
  monthly: "0 0 1 * *",
  "@monthly": "0 0 1 * *",
  yearly: "0 0 1 1 *",
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
};
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const DAY_MS = 86_400_000;

/** The values one cron field (already validated by the schema) matches. */
const fieldValues = (field: string, min: number, max: number, names: readonly string[] = [], offset = 0): Set<number> => {
  const value = (token: string): number => {
    const named = names.indexOf(token.toLowerCase());
    return named >= 0 ? named + offset : Number(token);
  };
  const values = new Set<number>();
  for (const item of field.split(",")) {
    const [range, step = "1"] = item.split("/");
    const [from, to] = range === "*" ? [min, max] : range.includes("-") ? range.split("-").map(value) : [value(range), item.includes("/") ? max : value(range)];
    for (let v = from; v <= to; v += Number(step)) values.add(v);
  }
  return values;
};

/**
 * The longest time between two runs of a schedule, in seconds: how late its next success may
 * come. Runs are enumerated over four years in UTC, which covers every calendar pattern a
 * five-field schedule can express (leap days included).
 */
export const longestScheduleGapSeconds = (schedule: string): number => {
  const [minute, hour, dom, month, dow] = (NAMED_SCHEDULES[schedule.trim()] ?? schedule).trim().split(/\s+/);
  const minutes = [...fieldValues(minute, 0, 59)].sort((a, b) => a - b);
  const hours = [...fieldValues(hour, 0, 23)].sort((a, b) => a - b);
  const days = fieldValues(dom, 1, 31);
  const months = fieldValues(month, 1, 12, MONTHS, 1);
  const weekdays = new Set([...fieldValues(dow, 0, 7, WEEKDAYS)].map((d) => d % 7));
  // Cron's rule: when both day fields are restricted, a day matching either one runs.
  const dayMatches = (date: Date): boolean => {
    const byMonthDay = days.has(date.getUTCDate());
    const byWeekday = weekdays.has(date.getUTCDay());
    if (dom === "*" && dow === "*") return true;
    if (dom === "*") return byWeekday;
    if (dow === "*") return byMonthDay;
    return byMonthDay || byWeekday;
  };
  const start = Date.UTC(2024, 0, 1);
  let previous: number | undefined;
  let longest = 0;
  for (let day = start; day < start + 4 * 366 * DAY_MS; day += DAY_MS) {
    const date = new Date(day);
    if (!months.has(date.getUTCMonth() + 1) || !dayMatches(date)) continue;
    for (const h of hours) {
      for (const m of minutes) {
        const run = day + (h * 60 + m) * 60_000;
        if (previous !== undefined) longest = Math.max(longest, run - previous);
        previous = run;
      }
    }
  }
  return longest / 1000;
};

const agentAddress = (server: { readonly privateIp?: string }, isHost: boolean, service: string, port: number): string =>
  isHost || !server.privateIp ? `${service}:${port}` : `${server.privateIp}:${port}`;

/**
 * What the private network may reach on a server. Workers reach the host for two things only:
 * Sentinel pushes its metrics to Coolify on port 8000 (the worker's `sentinel_custom_url`,
 * constructs/coolify/coolify-servers.ts; coollabsio/coolify v4.3.9 routes/api.php `POST
 * v1/sentinel/push`), and Alloy ships logs to Loki. Coolify's realtime and terminal (6001/6002) are
 * the browser's, through the proxy, never a worker's. The host reaches a worker's node exporter and
 * cAdvisor for Prometheus; Coolify reaches workers over SSH, which is the worker's own sshd, not a
 * container, so no filter of forwarded traffic is in its way.
 */
const privateFilter = (env: EnvironmentModel, server: { readonly privateIp?: string }, isHost: boolean): PrivateFilter | undefined => {
  const hostAddress = env.host.privateIp;
  const workers = env.servers.flatMap((other) => (other.role === "worker" && other.privateIp ? [other.privateIp] : []));
  if (!server.privateIp || !hostAddress || workers.length === 0) return undefined;
  const admit = isHost
    ? workers.map((worker) => ({ source: worker, ports: [PORTS.coolifyDashboard, OBSERVABILITY_PORTS.loki] }))
    : [{ source: hostAddress, ports: [OBSERVABILITY_PORTS.nodeExporter, OBSERVABILITY_PORTS.cadvisor] }];
  return { range: PRIVATE_NETWORK.range, ownAddress: server.privateIp, admit };
};

/** The environment's monitoring, or `undefined` when it is off (it is on by default in production). */
export const observabilityModel = (env: EnvironmentModel): ObservabilityModel | undefined => {
  const config = env.observability;
  if (!(config?.enabled ?? env.production)) return undefined;
  const thresholds = { ...DEFAULT_THRESHOLDS, ...config?.thresholds };
  const graceSeconds = thresholds.backupGraceMinutes * 60;
  const projects = env.apps?.projects ?? [];
  const hostPrivateIp = env.host.privateIp;
  const workers = env.servers.some((server) => server.role === "worker");
  return {
    environment: env.name,
    thresholds,
    adminCidrs: env.adminCidrs,
    uiPeers: proxyPeers(env.dns.proxied, env.adminCidrs),
    uiHosts: Object.fromEntries(MONITORING_UIS.map((ui) => [ui, monitoringUiHost({ domain: env.dns.domain }, ui)])) as Record<MonitoringUi, string>,
    servers: env.servers.map((server) => {
      const isHost = server.name === env.host.name;
      return {
        name: server.name,
        role: server.role,
        isHost,
        nodeExporter: agentAddress(server, isHost, "node-exporter", OBSERVABILITY_PORTS.nodeExporter),
        cadvisor: agentAddress(server, isHost, "cadvisor", OBSERVABILITY_PORTS.cadvisor),
        bindAddress: isHost ? undefined : server.privateIp,
        privateFilter: privateFilter(env, server, isHost),
      };
    }),
    lokiPushFromWorkers: workers && hostPrivateIp ? `http://${hostPrivateIp}:${OBSERVABILITY_PORTS.loki}/loki/api/v1/push` : undefined,
    applicationUrls: [
      ...new Set(projects.flatMap((project) => (project.applications ?? []).flatMap((app) => applicationHosts(app).map((host) => httpsUrl(host))))),
    ],
    coolifyHealthUrl: `${env.coolify.url}${COOLIFY_HEALTH_PATH}`,
    backups: projects.flatMap((project) =>
      (project.databases ?? []).flatMap((db) =>
        db.backup ? [{ database: db.name, project: project.name, maxAgeSeconds: longestScheduleGapSeconds(db.backup.schedule) + graceSeconds }] : [],
      ),
    ),
    coolifyBackupMaxAgeSeconds: env.coolifyBackup
      ? longestScheduleGapSeconds(env.coolifyBackup.schedule ?? DEFAULT_COOLIFY_BACKUP_SCHEDULE) + graceSeconds
      : undefined,
    securityScan: { ...DEFAULT_SCAN, ...config?.securityScan },
  };
};

/** The backup of Coolify itself: where it goes and when. */
export interface CoolifyBackupTarget {
  readonly storage: S3StorageConfig;
  readonly schedule: string;
}

/** Where and when Coolify itself is backed up, or `undefined` when the environment does not ask for it. */
export const coolifyBackupTarget = (env: EnvironmentModel): CoolifyBackupTarget | undefined => {
  const storage = env.apps?.s3Storages?.find((s) => s.name === env.coolifyBackup?.storage);
  return storage && { storage, schedule: env.coolifyBackup?.schedule ?? DEFAULT_COOLIFY_BACKUP_SCHEDULE };
};
