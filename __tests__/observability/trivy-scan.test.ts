import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { operationsScript } from "../../constructs/observability/compose";
import { runWithInput } from "../support/bash";
import { DiscordStandIn } from "../support/s3-stand-in";
import { describeWithTools, findTool } from "../support/tools";

const BIN = join(__dirname, "..", "fixtures", "operations", "bin");
const TOOLS = { bash: findTool("bash"), curl: findTool("curl") };

describeWithTools("scheduled image scan (constructs/observability/scripts/trivy-scan.sh with a fake trivy and a Discord stand-in)", TOOLS, () => {
  let dir: string;
  let discord: DiscordStandIn;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "trivy-scan-"));
    discord = new DiscordStandIn();
    await discord.start();
    writeFileSync(
      join(dir, "images"),
      ["ghcr.io/acme/web:1.4.2", "postgres:16-alpine", "busybox:1.37.0", "ghcr.io/acme/web:1.4.2", "private/broken:1"].join("\n"),
    );
    writeFileSync(
      join(dir, "findings"),
      [
        "ghcr.io/acme/web:1.4.2 CRITICAL",
        "ghcr.io/acme/web:1.4.2 HIGH",
        "ghcr.io/acme/web:1.4.2 HIGH",
        "postgres:16-alpine HIGH",
        "postgres:16-alpine MEDIUM",
        "busybox:1.37.0 LOW",
      ].join("\n"),
    );
    writeFileSync(join(dir, "failing"), "private/broken:1\n");
  });
  afterEach(async () => {
    await discord.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const scan = (env: Record<string, string>) =>
    runWithInput("bash", ["-s"], operationsScript("trivy-scan"), {
      PATH: `${BIN}:${process.env.PATH}`,
      FAKE_DOCKER_LOG: join(dir, "docker.log"),
      FAKE_RUNNING_IMAGES: join(dir, "images"),
      FAKE_TRIVY_FINDINGS: join(dir, "findings"),
      FAKE_TRIVY_FAILING: join(dir, "failing"),
      DISCORD_WEBHOOK_URL: discord.url,
      ENVIRONMENT: "production",
      ...env,
    });

  it("reports each running image with findings at the configured severity or above, once, and the images it could not scan", async () => {
    const result = await scan({ SCAN_MIN_SEVERITY: "HIGH" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(discord.messages).toEqual([
      [
        "Trivy scan of production: images with HIGH or higher findings",
        "- ghcr.io/acme/web:1.4.2: 1 CRITICAL, 2 HIGH",
        "- postgres:16-alpine: 1 HIGH",
        "- private/broken:1: could not be scanned",
      ].join("\n"),
    ]);
  });

  it("leaves out findings below the minimum severity", async () => {
    writeFileSync(join(dir, "failing"), "");
    expect((await scan({ SCAN_MIN_SEVERITY: "CRITICAL" })).status).toBe(0);
    expect(discord.messages).toEqual(["Trivy scan of production: images with CRITICAL or higher findings\n- ghcr.io/acme/web:1.4.2: 1 CRITICAL"]);
  });

  it("sends nothing when no image has findings at that level", async () => {
    writeFileSync(join(dir, "images"), "busybox:1.37.0\n");
    const result = await scan({ SCAN_MIN_SEVERITY: "MEDIUM" });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("no findings at MEDIUM or above");
    expect(discord.messages).toEqual([]);
  });

  it("refuses an unknown severity without scanning", async () => {
    const result = await scan({ SCAN_MIN_SEVERITY: "SEVERE" });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("SCAN_MIN_SEVERITY must be one of LOW MEDIUM HIGH CRITICAL, got SEVERE");
    expect(discord.messages).toEqual([]);
  });

  it("fails when Discord refuses the report", async () => {
    const result = await scan({ SCAN_MIN_SEVERITY: "HIGH", DISCORD_WEBHOOK_URL: `${discord.url.replace(/\/api\/.*/, "")}/not-a-webhook` });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("404");
  });
});
