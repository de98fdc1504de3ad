/**
 * The gateway in front of Loki, as the production example's monitoring document carries it, run by
 * the real nginx in a network namespace of the test's own (`unshare -n`) in front of a stand-in
 * Loki, and probed with curl (fixtures/loki-gateway/probe.sh).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { production } from "../../config/environments/production";
import { monitoringCompose } from "../../constructs/observability/compose";
import { environmentModel } from "../../model/environment";
import { observabilityModel } from "../../model/observability";
import { describeWithTools, findTool } from "../support/tools";

const PROBE = join(__dirname, "..", "fixtures", "loki-gateway", "probe.sh");
const TOKEN = "0123456789abcdef0123456789abcdef-_token";

const TOOLS = {
  nginx: findTool("nginx", ["/usr/sbin/nginx"]),
  curl: findTool("curl"),
  unshare: findTool("unshare"),
  ip: findTool("ip"),
  // A network namespace of its own needs root (CI runs the tests as root).
  root: process.getuid?.() === 0 ? "uid 0" : undefined,
};

/**
 * The gateway's configuration as the container reads it: Compose turns `$$` into `$` and substitutes
 * the token from the service's variables; only the upstream differs, the stand-in's address for
 * the `loki` service name Docker's DNS resolves.
 */
const gatewayConfig = (): string => {
  const model = observabilityModel(environmentModel(production));
  if (!model) throw new Error("monitoring is off in the production example");
  const document = parse(monitoringCompose(model));
  expect(document.services["loki-gateway"].configs).toEqual([{ source: "loki-gateway", target: "/etc/nginx/nginx.conf", mode: 0o444 }]);
  const content: string = document.configs["loki-gateway"].content;
  expect(content).toContain("proxy_pass http://loki:3100;");
  return content.replaceAll("$$", "$").replace("${LOKI_PUSH_TOKEN}", TOKEN).replace("http://loki:3100", "http://127.0.0.1:3101");
};

describeWithTools("Loki's gateway for the workers' log shippers (issue 19, finding 7)", TOOLS, () => {
  it("lets through only pushes with the token; queries, deletes and other routes never reach Loki", () => {
    const dir = mkdtempSync(join(tmpdir(), "loki-gateway-"));
    try {
      const config = join(dir, "nginx.conf");
      writeFileSync(config, gatewayConfig());
      const result = spawnSync("unshare", ["-n", "bash", PROBE, config, TOKEN], { encoding: "utf8", timeout: 30_000 });
      expect({ status: result.status, stdout: result.stdout.trim().split("\n") }).toEqual({
        status: 0,
        stdout: [
          "push with the token 204",
          "push without a token 401",
          "push with another token 401",
          "push with the token as basic auth 401",
          "query with the token 403",
          "delete with the token 403",
          "push path with a suffix 403",
          "reached Loki:",
          `POST /loki/api/v1/push Bearer ${TOKEN}`,
        ],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
