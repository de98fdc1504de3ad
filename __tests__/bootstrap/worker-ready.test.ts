/**
 * worker-ready.sh, the gate before anything is placed on a worker, against the contract-driven fake
 * Coolify API: Coolify is asked to validate the server without installing anything (the infra stack
 * installed the pinned Docker), then polled until it reports the server usable.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { WORKER_READY_SCRIPT_PATH } from "../../constructs/coolify/coolify-servers";
import { keyPair } from "../../tools/new-environment";
import { readTwin } from "../fixtures/twin/coolify-twin";
import { describeWithTools, findTool } from "../support/tools";
import { FIXTURES, fakeCoolifyForSuite, TOOLS } from "./harness";

describeWithTools("worker-ready.sh against the fake Coolify API", { ...TOOLS, bash: findTool("bash"), jq: findTool("jq") }, () => {
  const suite = fakeCoolifyForSuite();
  let root: string;
  /** The worker, registered in Coolify (POST /security/keys, POST /servers) before each test, as the apps stack registers it. */
  let uuid: string;
  const [workerKey] = keyPair("coolify-workers@live");

  const run = (token: string, timeout = 5) => {
    const { coolify } = suite;
    const result = spawnSync("bash", [WORKER_READY_SCRIPT_PATH], {
      env: {
        ...process.env,
        ...coolify.env,
        COOLIFY_URL: coolify.url,
        SERVER_UUID: uuid,
        SERVER_NAME: "live-batch",
        WAIT_TIMEOUT_SECONDS: String(timeout),
        POLL_SECONDS: "0.1",
        COOLIFY_API_TOKEN: token,
      },
      encoding: "utf8",
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const requests = () => suite.coolify.recorded("api-requests.log");

  beforeEach(() => {
    const { coolify, postgres } = suite;
    coolify.reset();
    postgres.query(readFileSync(join(FIXTURES, "schema.sql"), "utf8"));
    postgres.query("INSERT INTO users (id, name, email) VALUES (0, 'root', 'root@example.com'); UPDATE instance_settings SET is_api_enabled = true;");
    root = coolify.addToken(["root"]);
    const key = JSON.parse(coolify.call("POST", "/api/v1/security/keys", root, { name: "live-workers", private_key: workerKey }).body) as { uuid: string };
    const server = coolify.call("POST", "/api/v1/servers", root, { name: "live-batch", ip: "10.0.0.3", port: 22, user: "root", private_key_uuid: key.uuid });
    uuid = (JSON.parse(server.body) as { uuid: string }).uuid;
    writeFileSync(join(coolify.state, "api-requests.log"), "");
  });

  it("has Coolify validate without installing Docker its own way, waits until the server is usable, and never passes the token as an argument", () => {
    const { coolify } = suite;
    writeFileSync(join(coolify.state, "install-polls"), "3");

    const result = run(root);

    expect(result).toEqual({ code: 0, stdout: "worker-ready: live-batch: validated, usable\n", stderr: "" });
    expect(requests()).toEqual([`POST /api/v1/servers/${uuid}/validate 201`, ...Array.from({ length: 4 }, () => `GET /api/v1/servers/${uuid} 200`)]);
    expect(coolify.recorded("coolify-docker-installs")).toEqual([]);
    expect(coolify.recorded("curl-calls.log").join("\n")).not.toContain(root);
  });

  it("fails within its bound on a worker without Docker instead of having Coolify install it", () => {
    const { coolify } = suite;
    writeFileSync(join(coolify.state, "workers-without-docker"), "");

    const result = run(root, 1);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^worker-ready: live-batch: not usable after 1s \(last answer HTTP 200: \{"uuid":"\w+","name":"live-batch"/);
    expect(readTwin(coolify.state).servers.find((server) => server.uuid === uuid)?.settings).toMatchObject({ is_reachable: true, is_usable: false });
    expect(coolify.recorded("coolify-docker-installs")).toEqual([]);
  });

  it("fails naming the server when Coolify does not have it (404)", () => {
    const result = spawnSync("bash", [WORKER_READY_SCRIPT_PATH], {
      env: { ...process.env, ...suite.coolify.env, COOLIFY_URL: suite.coolify.url, SERVER_UUID: "gone", SERVER_NAME: "live-batch", COOLIFY_API_TOKEN: root },
      encoding: "utf8",
    });

    expect({ code: result.status, stderr: result.stderr }).toEqual({
      code: 1,
      stderr: 'worker-ready: live-batch: validation refused: HTTP 404 {"message":"Server not found."}\n',
    });
  });

  it("fails naming the server when the token may not write", () => {
    const { coolify } = suite;
    const result = run(coolify.addToken(["read"]));

    expect(result.code).toBe(1);
    expect(result.stderr).toBe('worker-ready: live-batch: validation refused: HTTP 403 {"message":"Missing required permissions: write"}\n');
  });

  it("gives up within its bound on a server Coolify never finds usable", () => {
    const { coolify } = suite;
    writeFileSync(join(coolify.state, "install-polls"), "100000");

    const result = run(root, 1);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^worker-ready: live-batch: not usable after 1s \(last answer HTTP 200: \{"uuid":"\w+","name":"live-batch"/);
    expect(readTwin(coolify.state).servers.find((server) => server.uuid === uuid)?.settings).toMatchObject({ is_reachable: true, is_usable: false });
  });
});
