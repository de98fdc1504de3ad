import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { production } from "../../config/environments/production";
import type { EnvironmentConfig } from "../../config/schema";
import {
  ALERT_RULES_FILE,
  ALERTS,
  alertmanagerConfig,
  alertRules,
  BACKUP_METRIC,
  COOLIFY_BACKUP_METRIC,
  lokiConfig,
  prometheusConfig,
} from "../../constructs/observability/monitoring-config";
import { environmentModel } from "../../model/environment";
import { DEFAULT_THRESHOLDS, longestScheduleGapSeconds, type ObservabilityModel, observabilityModel } from "../../model/observability";
import { showcase } from "../fixtures/config";
import { withChanges } from "../support/synth";
import { describeWithTools, findTool } from "../support/tools";

const TOOLS = { promtool: findTool("promtool"), amtool: findTool("amtool") };

const modelOf = (env: EnvironmentConfig): ObservabilityModel => {
  const model = observabilityModel(environmentModel(env));
  if (!model) throw new Error(`observability is off in ${env.name}`);
  return model;
};

const run = (tool: string, args: string[], cwd: string) => {
  const result = spawnSync(tool, args, { cwd, encoding: "utf8" });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
};

describe("observability model", () => {
  it("is on in production by default, off elsewhere unless enabled, and off when production turns it off", () => {
    expect(observabilityModel(environmentModel(production))).toBeDefined();
    const staging = withChanges(production, { name: "staging", production: false });
    expect(observabilityModel(environmentModel(staging))).toBeUndefined();
    expect(observabilityModel(environmentModel(withChanges(staging, { observability: { enabled: true } })))).toBeDefined();
    expect(observabilityModel(environmentModel(withChanges(production, { observability: { enabled: false } })))).toBeUndefined();
  });

  it("derives scrape addresses, probes and backups from the servers, the applications and the databases", () => {
    const model = modelOf(production);
    expect(model.servers.map((s) => [s.name, s.nodeExporter, s.cadvisor, s.bindAddress])).toEqual([
      ["coolify", "node-exporter:9100", "cadvisor:8080", undefined],
      // worker-1 keeps 10.42.1.200 whatever other workers come and go: its number is a hash of its name.
      ["worker-1", "10.42.1.200:9100", "10.42.1.200:8080", "10.42.1.200"],
    ]);
    expect(model.lokiPushFromWorkers).toBe("http://10.42.1.10:3100/loki/api/v1/push");
    // Every domain of every application kind (docker-compose domains included), once.
    expect(model.applicationUrls).toEqual([
      "https://shop.example.com",
      "https://example.com",
      "https://api.example.com",
      "https://docs.example.com",
      "https://go.example.com",
      "https://stats.example.com",
    ]);
    expect(model.coolifyHealthUrl).toBe("https://coolify.example.com/api/health");
    expect(model.uiHosts.grafana).toBe("grafana.example.com");
    // shop-db backs up at 02:00 daily: at most a day between runs, plus the default grace of an hour.
    expect(model.backups.find((b) => b.database === "shop-db")?.maxAgeSeconds).toBe(86400 + 3600);
    expect(model.thresholds).toEqual(DEFAULT_THRESHOLDS);
  });

  it.each([
    ["0 2 * * *", 86400],
    ["*/15 * * * *", 900],
    ["0 3 * * 1-5", 3 * 86400],
    ["@weekly", 7 * 86400],
    ["0 0 1 * *", 31 * 86400],
    ["0 1,13 * * *", 12 * 3600],
  ])("finds the longest gap of %s", (schedule, seconds) => {
    expect(longestScheduleGapSeconds(schedule)).toBe(seconds);
  });
});

/** A `promtool test rules` case: series over time, and the alerts expected at one moment. */
interface RuleCase {
  readonly series: readonly { readonly series: string; readonly values: string }[];
  readonly at: string;
  readonly alert: string;
  readonly fires: readonly Record<string, string>[];
}

/** Backup cases are evaluated at 20m: `time()` is then 1200, and a timestamp of 1200 - age is `age` old. */
const EVALUATED_AT_SECONDS = 20 * 60;

/** Each alert once above its threshold (fires, with its labels) and once below (stays quiet). */
const ruleCases = (model: ObservabilityModel): RuleCase[] => {
  const t = model.thresholds;
  const node = 'job="node",instance="10.42.1.200:9100",server="worker-1",role="worker"';
  const fs = 'device="/dev/sda1",fstype="ext4",mountpoint="/"';
  const disk = (usedPercent: number): RuleCase["series"] => [
    { series: `node_filesystem_size_bytes{${node},${fs}}`, values: "1000x20" },
    { series: `node_filesystem_avail_bytes{${node},${fs}}`, values: `${1000 - usedPercent * 10}x20` },
  ];
  const memory = (usedPercent: number): RuleCase["series"] => [
    { series: `node_memory_MemTotal_bytes{${node}}`, values: "1000x20" },
    { series: `node_memory_MemAvailable_bytes{${node}}`, values: `${1000 - usedPercent * 10}x20` },
  ];
  const nodeLabels = { job: "node", instance: "10.42.1.200:9100", server: "worker-1", role: "worker" };
  const app = model.applicationUrls[0];
  const appProbe = `job="probe-applications",instance="${app}"`;
  const coolifyProbe = `job="probe-coolify",instance="${model.coolifyHealthUrl}"`;
  // Series start at time 0, so a certificate's end is its number of seconds after that.
  const certificate = (days: number): RuleCase["series"] => [{ series: `probe_ssl_earliest_cert_expiry{${appProbe}}`, values: `${days * 86400}x20` }];
  const backup = model.backups[0];
  // The other databases backed up just now, so that only the one under test can be late.
  const backupAt = (ageSeconds: number): RuleCase["series"] =>
    model.backups.map((b) => ({
      series: `${BACKUP_METRIC}{job="node",instance="node-exporter:9100",database="${b.database}"}`,
      values: `${EVALUATED_AT_SECONDS - (b === backup ? ageSeconds : 0)}x20`,
    }));
  const cases: RuleCase[] = [
    {
      series: disk(t.diskUsedPercent + 1),
      at: "15m",
      alert: ALERTS.diskFull,
      fires: [{ ...nodeLabels, ...{ device: "/dev/sda1", fstype: "ext4", mountpoint: "/" }, severity: "warning" }],
    },
    { series: disk(t.diskUsedPercent - 1), at: "15m", alert: ALERTS.diskFull, fires: [] },
    { series: memory(t.memoryUsedPercent + 1), at: "15m", alert: ALERTS.memoryFull, fires: [{ ...nodeLabels, severity: "warning" }] },
    { series: memory(t.memoryUsedPercent - 1), at: "15m", alert: ALERTS.memoryFull, fires: [] },
    { series: [{ series: `up{${node}}`, values: "0x20" }], at: "10m", alert: ALERTS.targetDown, fires: [{ ...nodeLabels, severity: "warning" }] },
    { series: [{ series: `up{${node}}`, values: "1x20" }], at: "10m", alert: ALERTS.targetDown, fires: [] },
    {
      series: [{ series: `probe_success{${appProbe}}`, values: "0x20" }],
      at: "10m",
      alert: ALERTS.probeFailing,
      fires: [{ job: "probe-applications", instance: app, severity: "critical" }],
    },
    { series: [{ series: `probe_success{${appProbe}}`, values: "1x20" }], at: "10m", alert: ALERTS.probeFailing, fires: [] },
    {
      series: certificate(t.certificateExpiryDays - 1),
      at: "15m",
      alert: ALERTS.certificateExpiring,
      fires: [{ job: "probe-applications", instance: app, severity: "warning" }],
    },
    { series: certificate(t.certificateExpiryDays + 1), at: "15m", alert: ALERTS.certificateExpiring, fires: [] },
    {
      series: [{ series: `probe_success{${coolifyProbe}}`, values: "0x20" }],
      at: "10m",
      alert: ALERTS.coolifyUnreachable,
      fires: [{ job: "probe-coolify", instance: model.coolifyHealthUrl, severity: "critical" }],
    },
    { series: [{ series: `probe_success{${coolifyProbe}}`, values: "1x20" }], at: "10m", alert: ALERTS.coolifyUnreachable, fires: [] },
  ];
  const backupLabels = { database: backup.database, project: backup.project, severity: "critical" };
  cases.push(
    { series: backupAt(backup.maxAgeSeconds + 600), at: "20m", alert: ALERTS.backupMissing, fires: [backupLabels] },
    { series: backupAt(backup.maxAgeSeconds - 600), at: "20m", alert: ALERTS.backupMissing, fires: [] },
    {
      series: [],
      at: "10m",
      alert: ALERTS.backupMissing,
      fires: model.backups.map((b) => ({ database: b.database, project: b.project, severity: "critical" })),
    },
  );
  if (model.coolifyBackupMaxAgeSeconds !== undefined) {
    const age = model.coolifyBackupMaxAgeSeconds;
    const own = (ageSeconds: number) => [
      { series: `${COOLIFY_BACKUP_METRIC}{job="node",instance="node-exporter:9100"}`, values: `${EVALUATED_AT_SECONDS - ageSeconds}x20` },
    ];
    cases.push(
      { series: own(age + 600), at: "20m", alert: ALERTS.coolifyBackupMissing, fires: [{ severity: "critical" }] },
      { series: own(age - 600), at: "20m", alert: ALERTS.coolifyBackupMissing, fires: [] },
    );
  }
  return cases;
};

/** The rule test file: every case its own test group, so that each starts from an empty database. */
const ruleTests = (cases: readonly RuleCase[]): string =>
  stringify({
    rule_files: [ALERT_RULES_FILE],
    evaluation_interval: "1m",
    tests: cases.map((c) => ({
      interval: "1m",
      input_series: c.series,
      alert_rule_test: [{ eval_time: c.at, alertname: c.alert, exp_alerts: c.fires.map((labels) => ({ exp_labels: labels })) }],
    })),
  });

describeWithTools("generated Prometheus and Alertmanager configuration, checked by promtool and amtool", TOOLS, () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "monitoring-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (model: ObservabilityModel): void => {
    writeFileSync(join(dir, "prometheus.yml"), prometheusConfig(model));
    writeFileSync(join(dir, ALERT_RULES_FILE), alertRules(model));
  };
  /**
   * The rules as `promtool test rules` gets them: without their annotations, which it would
   * otherwise compare as rendered text; `check rules` has already parsed their templates.
   */
  const writeForUnitTests = (model: ObservabilityModel): void => {
    const rules = parse(alertRules(model));
    for (const group of rules.groups) for (const rule of group.rules) delete rule.annotations;
    writeFileSync(join(dir, ALERT_RULES_FILE), stringify(rules));
  };

  it.each([
    ["production (defaults)", production],
    ["a fixture with workers and several backups", showcase],
  ])("promtool accepts the configuration and rules of %s", (_, env) => {
    write(modelOf(env));
    const config = run(TOOLS.promtool ?? "promtool", ["check", "config", "prometheus.yml"], dir);
    expect(config.output).toContain("SUCCESS");
    expect(config.status).toBe(0);
    const rules = run(TOOLS.promtool ?? "promtool", ["check", "rules", ALERT_RULES_FILE], dir);
    expect(rules.status).toBe(0);
  });

  it("promtool rejects a configuration whose rule file is broken (the check can fail)", () => {
    write(modelOf(production));
    writeFileSync(join(dir, ALERT_RULES_FILE), alertRules(modelOf(production)).replace("> 80", "> > 80"));
    expect(run(TOOLS.promtool ?? "promtool", ["check", "rules", ALERT_RULES_FILE], dir).status).not.toBe(0);
  });

  it.each([
    ["the default thresholds", production],
    [
      "thresholds overridden per environment",
      withChanges(production, {
        observability: { thresholds: { diskUsedPercent: 70, memoryUsedPercent: 75, certificateExpiryDays: 21, backupGraceMinutes: 180 } },
      }),
    ],
  ])("every alert fires above its threshold and stays quiet below it, with %s (promtool test rules)", (_, env) => {
    const model = modelOf(env);
    writeForUnitTests(model);
    const cases = ruleCases(model);
    writeFileSync(join(dir, "alerts.test.yml"), ruleTests(cases));
    const result = run(TOOLS.promtool ?? "promtool", ["test", "rules", "alerts.test.yml"], dir);
    expect(result.output).toContain("SUCCESS");
    expect(result.status).toBe(0);
    expect(new Set(cases.map((c) => c.alert))).toEqual(new Set(Object.values(ALERTS)));
  });

  it("the rule tests fail when a threshold is not the configured one (they can fail)", () => {
    const model = modelOf(production);
    writeForUnitTests({ ...model, thresholds: { ...model.thresholds, diskUsedPercent: model.thresholds.diskUsedPercent - 5 } });
    writeFileSync(join(dir, "alerts.test.yml"), ruleTests(ruleCases(model)));
    expect(run(TOOLS.promtool ?? "promtool", ["test", "rules", "alerts.test.yml"], dir).status).not.toBe(0);
  });

  it("amtool accepts the Alertmanager configuration, which routes everything to Discord, grouped", () => {
    const config = alertmanagerConfig("https://discord.com/api/webhooks/123/abc");
    writeFileSync(join(dir, "alertmanager.yml"), config);
    const result = run(TOOLS.amtool ?? "amtool", ["check-config", "alertmanager.yml"], dir);
    expect(result.output).toContain("SUCCESS");
    expect(result.status).toBe(0);
    const parsed = parse(config);
    expect(parsed.route.receiver).toBe("discord");
    expect(parsed.route.group_by).toEqual(["alertname", "environment", "server"]);
    expect(parsed.receivers[0].discord_configs[0].webhook_url).toBe("https://discord.com/api/webhooks/123/abc");
    writeFileSync(join(dir, "broken.yml"), config.replace("receiver: discord", "receiver: nowhere"));
    expect(run(TOOLS.amtool ?? "amtool", ["check-config", "broken.yml"], dir).status).not.toBe(0);
  });

  it("the scrape configuration lists every server with its labels", () => {
    write(modelOf(showcase));
    const parsed = parse(readFileSync(join(dir, "prometheus.yml"), "utf8"));
    const node = parsed.scrape_configs.find((job: { job_name: string }) => job.job_name === "node");
    expect(node.static_configs.map((c: { labels: { server: string } }) => c.labels.server)).toEqual(showcase.servers.map((s) => s.name));
  });
});

describe("Loki", () => {
  it("keeps retention and turns its unauthenticated log deletion API off (deletion_mode, one of Loki 3.4's disabled, filter-only, filter-and-delete)", () => {
    const config = parse(lokiConfig());
    expect(config.compactor.retention_enabled).toBe(true);
    expect(config.limits_config).toEqual({ retention_period: "336h", deletion_mode: "disabled" });
  });
});
