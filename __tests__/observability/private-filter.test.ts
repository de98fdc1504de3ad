/**
 * The private network's filter (constructs/observability/scripts/private-filter.sh) with the real
 * bash, iptables and kernel, in network namespaces of the test's own (`unshare -mn`), so the
 * machine's own firewall is never touched: a host and a worker on a private network, and a
 * container whose ports the host publishes the way Docker does (fixtures/private-filter/topology.sh).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { parse } from "yaml";
import { production } from "../../config/environments/production";
import { monitoringCompose, OPERATIONS_SCRIPTS_DIR } from "../../constructs/observability/compose";
import { environmentModel } from "../../model/environment";
import { observabilityModel } from "../../model/observability";
import { describeWithTools, findTool } from "../support/tools";

const FILTER = join(OPERATIONS_SCRIPTS_DIR, "private-filter.sh");
const TOPOLOGY = join(__dirname, "..", "fixtures", "private-filter", "topology.sh");

const TOOLS = {
  unshare: findTool("unshare"),
  ip: findTool("ip"),
  iptables: findTool("iptables"),
  "iptables-restore": findTool("iptables-restore"),
  // Network namespaces and iptables need root (CI runs the tests as root).
  root: process.getuid?.() === 0 ? "uid 0" : undefined,
};

/** The environment the production example's host filter runs with, as the monitoring service sets it. */
const hostFilterEnvironment = (): Record<string, string> => {
  const model = observabilityModel(environmentModel(production));
  if (!model) throw new Error("monitoring is off in the production example");
  return parse(monitoringCompose(model)).services["private-filter"].environment;
};

const run = (script: string, args: string[], env: Record<string, string>) => {
  const result = spawnSync("unshare", ["-mn", "bash", script, ...args], { encoding: "utf8", env: { PATH: process.env.PATH ?? "", ...env }, timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
};

describeWithTools("the private network's filter on the Coolify host (issue 19, finding 7)", TOOLS, () => {
  it("lets a worker reach Coolify's 8000 (Sentinel) and Loki, and nothing else the host publishes; other private addresses reach nothing; a second run changes nothing", () => {
    const env = hostFilterEnvironment();
    // The example's worker-1 is 10.42.1.200; .201 stands for any other machine on the private network.
    expect(env).toEqual({ NETWORK_RANGE: "10.42.0.0/16", OWN_ADDRESS: "10.42.1.10", ADMIT: "10.42.1.200:8000,3100" });
    const result = run(TOPOLOGY, [FILTER], env);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: "" });
    expect(result.stdout.trim().split("\n")).toEqual([
      "without the filter",
      "10.42.1.200 -> 8000 open",
      "10.42.1.200 -> 3100 open",
      "10.42.1.200 -> 6001 open",
      "10.42.1.200 -> 6002 open",
      "10.42.1.200 -> 9100 open",
      "10.42.1.201 -> 8000 open",
      "with the filter",
      "10.42.1.200 -> 8000 open",
      "10.42.1.200 -> 3100 open",
      "10.42.1.200 -> 6001 closed",
      "10.42.1.200 -> 6002 closed",
      "10.42.1.200 -> 9100 closed",
      "10.42.1.201 -> 8000 closed",
      "-N DOCKER-USER",
      "-A DOCKER-USER -j PLATFORM-PRIVATE",
    ]);
  });

  it("refuses, naming the problem, without Docker's DOCKER-USER chain or with a malformed input", () => {
    const env = hostFilterEnvironment();
    expect(run(FILTER, [], env)).toEqual({
      status: 1,
      stdout: "",
      stderr: "private-filter: there is no DOCKER-USER chain (is Docker running with its iptables firewall backend?)\n",
    });
    const withChain = (extra: Record<string, string>) => {
      const result = spawnSync("unshare", ["-mn", "bash", "--norc", "-c", 'iptables -N DOCKER-USER && bash "$0"', FILTER], {
        encoding: "utf8",
        env: { PATH: process.env.PATH ?? "", ...env, ...extra },
      });
      return { status: result.status, stderr: result.stderr };
    };
    expect(withChain({ ADMIT: "10.42.1.200:8000;3100" })).toEqual({
      status: 1,
      stderr: "private-filter: ADMIT entry '10.42.1.200:8000;3100' is not <address>:<port>[,<port>...]\n",
    });
    expect(withChain({ OWN_ADDRESS: "" })).toEqual({ status: 1, stderr: "private-filter: OWN_ADDRESS must be an IPv4 address, got ''\n" });
  });
});

describeWithTools("private-filter.sh source", { shellcheck: findTool("shellcheck") }, () => {
  it("is shellcheck-clean, its test topology and the Loki gateway's probe included", () => {
    const result = spawnSync("shellcheck", [FILTER, TOPOLOGY, join(__dirname, "..", "fixtures", "loki-gateway", "probe.sh")], { encoding: "utf8" });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});
