import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { Resource } from "@cdktf/provider-null/lib/resource";
import { TerraformStack } from "cdktf";
import { COOLIFY_RELEASE_SHA256 } from "../../catalog/coolify";
import { DOCKER_APT_KEY_FINGERPRINT, DOCKER_ENGINE_VERSION } from "../../catalog/docker";
import type { EnvironmentConfig } from "../../config/schema";
import { BOOTSTRAP_SCRIPT_PATH, CDN_CURL_PATH, CoolifyBootstrap, DOCKER_INSTALL_PATH } from "../../constructs/bootstrap/coolify-bootstrap";
import { dashboardAccessConfig } from "../../constructs/bootstrap/dashboard-access";
import { SshHostKey } from "../../constructs/hetzner/ssh-host-key";
import { environmentModel } from "../../model/environment";
import { InfraStack } from "../../stacks/infra-stack";
import { live, trial } from "../fixtures/config";
import { resourcesOf, type SynthesizedStack, synthWith, withChanges } from "../support/synth";
import "../support/cdktf-matchers";

const bootstrapOf = (synth: SynthesizedStack): Record<string, unknown> => resourcesOf(synth, "null_resource").coolify_bootstrap;
const infra = (env: EnvironmentConfig) => synthWith((app) => new InfraStack(app, `${env.name}-infra`, { environment: environmentModel(env) }));
const address = (resource: { terraformResourceType: string; friendlyUniqueId: string }): string =>
  `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
const triggersOf = (env: EnvironmentConfig) => bootstrapOf(infra(env)).triggers;

describe("CoolifyBootstrap", () => {
  it("connects to the host's primary IPv4 as root with the private key variable, accepting only the environment's host key, then uploads, runs and always cleans up", () => {
    const synth = infra(trial);
    const script = readFileSync(BOOTSTRAP_SCRIPT_PATH, "utf8");
    const cdnCurl = readFileSync(CDN_CURL_PATH, "utf8");
    const dockerInstall = readFileSync(DOCKER_INSTALL_PATH, "utf8");
    const host = synth.stack.host;
    const access = dashboardAccessConfig({ host: "coolify.trial.corp.test", sources: trial.adminCidrs });

    expect(synth.json).toHaveResourceWithProperties(Resource, {
      triggers: {
        server_id: `\${${address(host.server)}.id}`,
        coolify_version: "4.3.8",
        script_sha256: createHash("sha256").update(script).digest("hex"),
        cdn_curl_sha256: createHash("sha256").update(cdnCurl).digest("hex"),
        docker_install_sha256: createHash("sha256").update(dockerInstall).digest("hex"),
        instance_domain: "coolify.trial.corp.test",
        dashboard_access_sha256: createHash("sha256").update(access).digest("hex"),
        api_allowed_ips: trial.adminCidrs.join(","),
        authorized_keys_sha256: createHash("sha256")
          .update(trial.sshPublicKeys.map((key) => key.publicKey).join("\n"))
          .digest("hex"),
      },
    });
    const bootstrap = bootstrapOf(synth);
    expect(bootstrap.connection).toEqual({
      type: "ssh",
      host: `\${${address(host.ipv4)}.ip_address}`,
      port: 22,
      user: "root",
      private_key: "${var.coolify_ssh_private_key}",
      host_key: trial.sshHostKey,
      timeout: "5m",
    });
    const dir = "/root/.coolify-bootstrap";
    expect(bootstrap.provisioner).toEqual([
      { "remote-exec": { inline: [`rm -rf ${dir} && install -d -m 700 ${dir}`] } },
      { file: { content: script.split("${").join("$${").split("%{").join("%%{"), destination: `${dir}/coolify-bootstrap.sh` } },
      {
        file: {
          content: [
            `ENVIRONMENT=${trial.name}`,
            "COOLIFY_VERSION=4.3.8",
            "COOLIFY_FQDN=https://coolify.trial.corp.test",
            "COOLIFY_API_URL=http://127.0.0.1:8000",
            "COOLIFY_DATA_DIR=/data/coolify",
            "DOCKER_DATA_DIR=/var/lib/docker",
            "CONTAINERD_DATA_DIR=/var/lib/containerd",
            "MONITORING_DATA_DIR=/data/monitoring",
            "DATA_VOLUME_DEVICE=",
            "WAIT_TIMEOUT_SECONDS=900",
            "ROOT_USERNAME=${var.coolify_root_username}",
            "ROOT_USER_EMAIL=${var.coolify_root_email}",
            "ROOT_USER_PASSWORD=${var.coolify_root_password}",
            "COOLIFY_API_TOKEN=${var.coolify_token}",
            "COOLIFY_READ_TOKEN=${var.coolify_read_token}",
            `COOLIFY_API_ALLOWED_IPS=${environmentModel(trial).coolify.apiCallers.join(",")}`,
            "COOLIFY_RELEASE_BASE_URL=https://raw.githubusercontent.com/coollabsio/coolify/v4.3.8",
            `COOLIFY_RELEASE_FILE=install.sh scripts/install.sh ${COOLIFY_RELEASE_SHA256["4.3.8"]["scripts/install.sh"]}`,
            `COOLIFY_RELEASE_FILE=versions.json versions.json ${COOLIFY_RELEASE_SHA256["4.3.8"]["versions.json"]}`,
            `COOLIFY_RELEASE_FILE=docker-compose.yml docker-compose.yml ${COOLIFY_RELEASE_SHA256["4.3.8"]["docker-compose.yml"]}`,
            `COOLIFY_RELEASE_FILE=docker-compose.prod.yml docker-compose.prod.yml ${COOLIFY_RELEASE_SHA256["4.3.8"]["docker-compose.prod.yml"]}`,
            `COOLIFY_RELEASE_FILE=.env.production .env.production ${COOLIFY_RELEASE_SHA256["4.3.8"][".env.production"]}`,
            `COOLIFY_RELEASE_FILE=upgrade.sh scripts/upgrade.sh ${COOLIFY_RELEASE_SHA256["4.3.8"]["scripts/upgrade.sh"]}`,
            `COOLIFY_RELEASE_FILE=upgrade-postgres.sh scripts/upgrade-postgres.sh ${COOLIFY_RELEASE_SHA256["4.3.8"]["scripts/upgrade-postgres.sh"]}`,
            `DOCKER_VERSION=${DOCKER_ENGINE_VERSION}`,
            `DOCKER_APT_KEY_FINGERPRINT=${DOCKER_APT_KEY_FINGERPRINT}`,
            ...trial.sshPublicKeys.map((key) => `AUTHORIZED_KEY=${key.publicKey}`),
            "",
          ].join("\n"),
          destination: `${dir}/inputs.env`,
        },
      },
      { file: { content: access, destination: `${dir}/dashboard-access.yaml` } },
      { file: { content: cdnCurl.split("${").join("$${").split("%{").join("%%{"), destination: `${dir}/cdn-curl.sh` } },
      { file: { content: dockerInstall.split("${").join("$${").split("%{").join("%%{"), destination: `${dir}/docker-install.sh` } },
      {
        "remote-exec": {
          inline: [
            `trap 'rm -rf ${dir}' EXIT`,
            "trap 'exit 1' HUP INT TERM",
            `chmod 600 ${dir}/inputs.env && bash ${dir}/coolify-bootstrap.sh ${dir}/inputs.env`,
          ],
        },
      },
    ]);
  });

  it("runs after the host server, the firewall and every DNS record", () => {
    const synth = infra(live);
    const { stack } = synth;
    const expected = [stack.host.server, ...stack.dns.records].map(address);
    const dependsOn = bootstrapOf(synth).depends_on as string[];

    expect(dependsOn).toEqual(expect.arrayContaining(expected));
    expect(dependsOn.some((address) => address.startsWith("hcloud_firewall."))).toBe(true);
    expect(dependsOn).toHaveLength(expected.length + 1);
  });

  it("re-runs exactly on a new server, Coolify version, script (or its CDN curl), instance domain, the admins' addresses or SSH keys, and not otherwise", () => {
    const base = triggersOf(trial) as Record<string, string>;
    const accessFor = (env: EnvironmentConfig) => {
      const { coolify } = environmentModel(env);
      return createHash("sha256")
        .update(dashboardAccessConfig({ host: coolify.host, sources: coolify.dashboardPeers }))
        .digest("hex");
    };

    expect(triggersOf(withChanges(trial, { coolify: { version: "4.3.9" } }))).toEqual({ ...base, coolify_version: "4.3.9" });
    const moved = withChanges(trial, { domain: "stage.corp.test" });
    expect(triggersOf(moved)).toEqual({ ...base, instance_domain: "coolify.stage.corp.test", dashboard_access_sha256: accessFor(moved) });
    const admins = withChanges(trial, { adminCidrs: ["192.0.2.0/24"] });
    expect(triggersOf(admins)).toEqual({ ...base, dashboard_access_sha256: accessFor(admins), api_allowed_ips: "192.0.2.0/24" });
    const [first] = trial.sshPublicKeys;
    const rotated = withChanges(trial, { sshPublicKeys: [...trial.sshPublicKeys, { ...first, name: "deploy-next" }] });
    expect(triggersOf(rotated)).toEqual({
      ...base,
      authorized_keys_sha256: createHash("sha256")
        .update(rotated.sshPublicKeys.map((key) => key.publicKey).join("\n"))
        .digest("hex"),
    });
    expect(Object.keys(base).sort()).toEqual([
      "api_allowed_ips",
      "authorized_keys_sha256",
      "cdn_curl_sha256",
      "coolify_version",
      "dashboard_access_sha256",
      "docker_install_sha256",
      "instance_domain",
      "script_sha256",
      "server_id",
    ]);
    expect(triggersOf(withChanges(trial, { labels: { team: "other" } }))).toEqual(base);
  });

  it("hands the host's data volume to the bootstrap, after the volume is attached, and re-runs for a new volume", () => {
    const withVolume = withChanges(live, { servers: live.servers.map((s) => (s.role === "coolify-host" ? { ...s, volumeSizeGb: 50 } : s)) });
    const synth = infra(withVolume);
    const volume = synth.stack.host.volume;
    if (!volume) throw new Error("the host has a volume");
    const bootstrap = bootstrapOf(synth) as { triggers: Record<string, string>; depends_on: string[]; provisioner: { file?: { content: string } }[] };
    const device = `\${${address(volume)}.linux_device}`;
    expect(bootstrap.triggers.data_volume).toBe(device);
    expect(bootstrap.depends_on).toContain(address(volume));
    expect(bootstrap.provisioner[2].file?.content).toContain(`\nDATA_VOLUME_DEVICE=${device}\n`);
    expect(bootstrapOf(infra(live)).triggers).not.toHaveProperty("data_volume");
  });

  it("declares the credentials as sensitive variables, with the rules as preconditions naming environment and variable", () => {
    const synth = infra(trial);
    const variables = synth.tf.variable ?? {};

    for (const name of [
      "coolify_ssh_private_key",
      "coolify_ssh_host_key",
      "coolify_root_email",
      "coolify_root_password",
      "coolify_token",
      "coolify_read_token",
    ]) {
      expect(variables[name]).toMatchObject({ type: "string", sensitive: true });
      expect(variables[name]).not.toHaveProperty("default");
    }
    expect(variables.coolify_root_username).toMatchObject({ type: "string", sensitive: false, default: "root" });
    const preconditions = (bootstrapOf(synth).lifecycle as { precondition: { error_message: string }[] }).precondition;
    expect(preconditions.map((p) => p.error_message)).toEqual([
      'Environment "trial": coolify_ssh_private_key must be a PEM/OpenSSH private key (-----BEGIN … PRIVATE KEY-----).',
      'Environment "trial": coolify_root_username must be 3 to 255 letters, digits, spaces, _ or -.',
      'Environment "trial": coolify_root_email must be an email address like ops@example.com.',
      'Environment "trial": coolify_root_password must be at least 16 characters long.',
      'Environment "trial": coolify_root_password must contain a lowercase letter.',
      'Environment "trial": coolify_root_password must contain an uppercase letter.',
      'Environment "trial": coolify_root_password must contain a digit.',
      'Environment "trial": coolify_root_password must contain a symbol.',
      'Environment "trial": coolify_root_password may contain only letters, digits and the symbols !#%()*+,./:;<=>?@[]^_{}~-.',
      'Environment "trial": coolify_token must be at least 40 characters long.',
      'Environment "trial": coolify_token may contain only letters, digits, - and _.',
      'Environment "trial": coolify_read_token must be at least 40 characters long.',
      'Environment "trial": coolify_read_token may contain only letters, digits, - and _.',
      'Environment "trial": coolify_read_token must differ from coolify_token (a plan\'s token may only read).',
      'Environment "trial": coolify_ssh_host_key must be an OpenSSH private key (-----BEGIN OPENSSH PRIVATE KEY-----, from ssh-keygen -t ed25519).',
    ]);
  });

  it("takes connection, release mirror, API, directory and timeout overrides", () => {
    const synth = synthWith((app) => {
      const stack = new TerraformStack(app, "overrides");
      new CoolifyBootstrap(stack, "bootstrap", {
        environment: trial.name,
        coolify: {
          ...environmentModel(trial).coolify,
          release: {
            baseUrl: "https://mirror.example.com/coolify/v4.3.8",
            files: [{ cdnName: "install.sh", path: "scripts/install.sh", sha256: "ab".repeat(32) }],
          },
        },
        serverId: "server-1",
        host: "192.0.2.10",
        hostKey: new SshHostKey(stack, "host-key", { environment: trial.name, publicKey: trial.sshHostKey }).pinned,
        port: 2222,
        user: "deploy",
        connectionTimeout: "30s",
        apiUrl: "http://127.0.0.1:18000",
        dataDir: "/srv/coolify",
        remoteDir: "/tmp/bootstrap",
        waitTimeoutSeconds: 30,
      });
      return stack;
    });
    const bootstrap = bootstrapOf(synth) as { connection: object; provisioner: { file?: { content: string; destination: string } }[] };

    expect(bootstrap.connection).toMatchObject({ host: "192.0.2.10", port: 2222, user: "deploy", host_key: trial.sshHostKey, timeout: "30s" });
    const inputs = bootstrap.provisioner[2].file;
    expect(inputs?.destination).toBe("/tmp/bootstrap/inputs.env");
    expect(inputs?.content).toContain(
      "COOLIFY_API_URL=http://127.0.0.1:18000\nCOOLIFY_DATA_DIR=/srv/coolify\nDOCKER_DATA_DIR=/var/lib/docker\nCONTAINERD_DATA_DIR=/var/lib/containerd\nMONITORING_DATA_DIR=/data/monitoring\nDATA_VOLUME_DEVICE=\nWAIT_TIMEOUT_SECONDS=30\n",
    );
    expect(inputs?.content).toContain(
      `\nCOOLIFY_RELEASE_BASE_URL=https://mirror.example.com/coolify/v4.3.8\nCOOLIFY_RELEASE_FILE=install.sh scripts/install.sh ${"ab".repeat(32)}\nDOCKER_VERSION=`,
    );
  });
});
