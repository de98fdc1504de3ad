/**
 * Each worker gets the host's own Docker install, synth-level: the same docker-install.sh the
 * bootstrap uploads, over a connection that pins the environment's host key, with the pinned engine
 * and Coolify's prerequisites, before the apps stack has Coolify validate the worker.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { DOCKER_APT_KEY_FINGERPRINT, DOCKER_ENGINE_VERSION } from "../../catalog/docker";
import { stackName } from "../../config/naming";
import type { EnvironmentConfig } from "../../config/schema";
import { DEFAULT_WAIT_TIMEOUT_SECONDS, DOCKER_INSTALL_PATH } from "../../constructs/bootstrap/coolify-bootstrap";
import { WORKER_REMOTE_DIR } from "../../constructs/bootstrap/worker-docker";
import { environmentModel } from "../../model/environment";
import { InfraStack } from "../../stacks/infra-stack";
import { live, trial } from "../fixtures/config";
import { resourcesOf, synthWith } from "../support/synth";

type Provisioner = { file?: { content: string; destination: string }; "remote-exec"?: { inline: string[] } };
const infra = (env: EnvironmentConfig) => synthWith((app) => new InfraStack(app, stackName(env, "infra"), { environment: environmentModel(env) }));

describe("WorkerDocker", () => {
  it("uploads the bootstrap's own docker-install.sh to each worker and runs it with the pinned engine and Coolify's prerequisites", () => {
    const synth = infra(live);
    const resources = resourcesOf(synth, "null_resource");
    const worker = resources.worker_docker_batch as { triggers: Record<string, string>; connection: Record<string, unknown>; provisioner: Provisioner[] };
    const uploaded = (provisioners: Provisioner[]) => provisioners.find((p) => p.file?.destination.endsWith("/docker-install.sh"))?.file?.content;
    const batch = synth.stack.servers.find((server) => server.node.id === "batch");
    if (!batch) throw new Error("live has the worker batch");
    const address = (resource: { terraformResourceType: string; friendlyUniqueId: string }) => `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;

    expect(uploaded(worker.provisioner)).toBe(uploaded((resources.coolify_bootstrap as { provisioner: Provisioner[] }).provisioner));
    expect(uploaded(worker.provisioner)).toBe(readFileSync(DOCKER_INSTALL_PATH, "utf8").split("${").join("$${").split("%{").join("%%{"));
    expect(worker.triggers).toEqual({
      server_id: `\${${address(batch.server)}.id}`,
      docker_version: DOCKER_ENGINE_VERSION,
      docker_apt_key_fingerprint: DOCKER_APT_KEY_FINGERPRINT,
      script_sha256: createHash("sha256").update(readFileSync(DOCKER_INSTALL_PATH)).digest("hex"),
    });
    expect(worker.connection).toMatchObject({ host: `\${${address(batch.ipv4)}.ip_address}`, host_key: live.sshHostKey });
    const run = worker.provisioner.at(-1)?.["remote-exec"]?.inline ?? [];
    expect(run[0]).toBe(`trap 'rm -rf ${WORKER_REMOTE_DIR}' EXIT`);
    expect(run).toContain("set -e");
    expect(run.at(-1)).toBe(
      `bash ${WORKER_REMOTE_DIR}/docker-install.sh batch ${DOCKER_ENGINE_VERSION} ${DOCKER_APT_KEY_FINGERPRINT} ${DEFAULT_WAIT_TIMEOUT_SECONDS} git curl jq`,
    );
  });

  it("has nothing to install in an environment without workers", () => {
    expect(Object.keys(resourcesOf(infra(trial), "null_resource"))).toEqual(["coolify_bootstrap"]);
  });
});
