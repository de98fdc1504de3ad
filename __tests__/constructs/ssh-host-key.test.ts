/**
 * The environment's SSH host key, synth-level: its private half goes to every server through
 * cloud-init as a Terraform expression of the sensitive variable (never text in the synthesized
 * file), and every SSH connection Terraform opens to a server pins the public half.
 */
import { randomBytes } from "node:crypto";
import { parse } from "yaml";
import { stackName } from "../../config/naming";
import { SSH_HOST_KEY_VARIABLE } from "../../constructs/hetzner/ssh-host-key";
import { environmentModel } from "../../model/environment";
import { InfraStack } from "../../stacks/infra-stack";
import { live, trial } from "../fixtures/config";
import { resourcesOf, synthWith } from "../support/synth";

const infra = (env: typeof live) => synthWith((app) => new InfraStack(app, stackName(env, "infra"), { environment: environmentModel(env) }));
const EXPRESSION = `\${jsonencode(var.${SSH_HOST_KEY_VARIABLE})}`;

/** Text shaped like an OpenSSH private key: several base64 lines between the armor lines. */
const privateKeyText = (): string =>
  `-----BEGIN OPENSSH PRIVATE KEY-----\n${randomBytes(300).toString("base64").replace(/.{70}/g, "$&\n")}\n-----END OPENSSH PRIVATE KEY-----\n`;

describe("the environment's SSH host key", () => {
  it("is a sensitive variable without default, checked by a precondition that names the environment", () => {
    const { tf } = infra(live);
    expect(tf.variable?.[SSH_HOST_KEY_VARIABLE]).toMatchObject({ type: "string", sensitive: true });
    expect(tf.variable?.[SSH_HOST_KEY_VARIABLE]).not.toHaveProperty("default");
  });

  it("reaches every server's cloud-init as sshd's only host key, from the variable, never as text", () => {
    const { json, tf } = infra(live);
    const servers = Object.values(resourcesOf({ json, tf }, "hcloud_server"));
    expect(servers).toHaveLength(live.servers.length);
    const privateKey = privateKeyText();
    for (const server of servers) {
      const userData = String(server.user_data);
      expect(userData.split(EXPRESSION)).toHaveLength(2);
      // What cloud-init reads once Terraform has put the variable's JSON string in place of the expression.
      const config = parse(userData.replace(EXPRESSION, JSON.stringify(privateKey))) as {
        ssh_deletekeys: boolean;
        ssh_keys: Record<string, string>;
        write_files: { path: string; content: string }[];
      };
      expect(userData.startsWith("#cloud-config\n")).toBe(true);
      expect(config.ssh_deletekeys).toBe(true);
      expect(config.ssh_keys).toEqual({ ed25519_private: privateKey, ed25519_public: live.sshHostKey });
      const sshd = config.write_files.find((file) => file.path.startsWith("/etc/ssh/sshd_config.d/"));
      expect(sshd?.content.split("\n").filter((line) => line.startsWith("HostKey "))).toEqual(["HostKey /etc/ssh/ssh_host_ed25519_key"]);
    }
  });

  it("is pinned by every SSH connection Terraform opens to a server: the bootstrap and each worker's Docker install", () => {
    const { json, tf } = infra(live);
    const connections = Object.entries(resourcesOf({ json, tf }, "null_resource")).flatMap(([id, resource]) =>
      resource.connection ? [[id, resource.connection] as const] : [],
    );
    expect(connections.map(([id]) => id).sort()).toEqual(["coolify_bootstrap", "worker_docker_batch"]);
    for (const [, connection] of connections) {
      expect(connection).toMatchObject({ type: "ssh", user: "root", host_key: live.sshHostKey, private_key: "${var.coolify_ssh_private_key}" });
    }
  });

  it("stays out of a running server's plan: user data is read at first boot only, production or not", () => {
    for (const env of [trial, live]) {
      for (const server of Object.values(resourcesOf(infra(env), "hcloud_server"))) {
        expect((server.lifecycle as { ignore_changes: string[] }).ignore_changes).toContain("user_data");
      }
    }
  });
});
