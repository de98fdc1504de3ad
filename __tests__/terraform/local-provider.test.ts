/**
 * The local provider on its own: what Terraform sees when a schema cannot be served, the plugin
 * handshake, and the values it makes up (numeric hcloud ids, pins, the same values on every run).
 */
import { spawn } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSecureContext } from "node:tls";
import { makeServerCertificate } from "../../local-provider/src/certificate";
import { TERRAFORM_PLUGIN_ENV } from "../../local-provider/src/handshake";
import { buildMirror, DAEMON_VARIABLE, PLATFORM } from "../../local-provider/src/mirror";
import { startProviderDaemon } from "../support/provider-daemon";
import { LOCAL_PROVIDER_ENTRY, PROVIDER_SCHEMAS, run, TERRAFORM_TOOLS } from "../support/terraform";
import { describeWithTools } from "../support/tools";

const NULL_SCHEMA = join(PROVIDER_SCHEMAS, "null-3.2.4.json");
const HCLOUD_SCHEMA = join(PROVIDER_SCHEMAS, "hcloud@~%3E%201.59.0.json");

/** A directory with one configuration and local providers built from `schemas` (copied, so a test may break them). */
const workspace = (config: object, schemas: Record<string, string>, pins: object[] = []) => {
  const dir = mkdtempSync(join(tmpdir(), "local-provider-"));
  mkdirSync(join(dir, "schemas"));
  for (const [name, text] of Object.entries(schemas)) writeFileSync(join(dir, "schemas", name), text);
  const { cliConfigFile } = buildMirror(join(dir, "providers"), [join(dir, "schemas")], LOCAL_PROVIDER_ENTRY);
  writeFileSync(join(dir, "pins.json"), JSON.stringify(pins));
  writeFileSync(join(dir, "main.tf.json"), JSON.stringify(config, null, 2));
  const env = { ...process.env, CHECKPOINT_DISABLE: "1", TF_CLI_CONFIG_FILE: cliConfigFile, LOCAL_PROVIDER_PINS: join(dir, "pins.json") };
  const terraform = (...args: string[]) => run(TERRAFORM_TOOLS.terraform ?? "terraform", [...args, "-no-color"], { cwd: dir, env });
  return { dir, env, terraform };
};

const nullConfig = { terraform: { required_providers: { null: { source: "hashicorp/null", version: "3.2.4" } } }, resource: { null_resource: { a: {} } } };

describeWithTools("the local provider", TERRAFORM_TOOLS, () => {
  it("shows Terraform a schema file it cannot read as an error naming the file", async () => {
    const { dir, terraform } = workspace(nullConfig, { "null.json": readFileSync(NULL_SCHEMA, "utf8") });
    expect((await terraform("init", "-input=false")).code).toBe(0);
    writeFileSync(join(dir, "schemas", "null.json"), '{"provider_schemas": ');
    const result = await terraform("validate");
    expect(result.code).toBe(1);
    expect(result.stderr.replace(/\s+/g, " ")).toContain(`local provider: schema file ${join(dir, "schemas", "null.json")} is not valid JSON`);
  });

  it("names the provider when the file has no schema for it", async () => {
    const { dir, terraform } = workspace(nullConfig, { "null.json": readFileSync(NULL_SCHEMA, "utf8") });
    expect((await terraform("init", "-input=false")).code).toBe(0);
    writeFileSync(join(dir, "schemas", "null.json"), readFileSync(HCLOUD_SCHEMA, "utf8"));
    const result = await terraform("validate");
    expect(result.code).toBe(1);
    expect(result.stderr.replace(/\s+/g, " ")).toContain(
      `has no schema for provider registry.terraform.io/hashicorp/null; it has: registry.terraform.io/hetznercloud/hcloud`,
    );
  });

  it("refuses to build a mirror from a missing file, a file without versions or a directory without schemas, in one line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mirror-"));
    const missing = join(dir, "missing.json");
    writeFileSync(
      join(dir, "unversioned.json"),
      JSON.stringify({ provider_schemas: { "registry.terraform.io/hashicorp/null": { provider: { version: 0, block: {} } } } }),
    );
    mkdirSync(join(dir, "empty"));
    const mirror = (path: string) =>
      run(process.execPath, [join(LOCAL_PROVIDER_ENTRY, "..", "mirror.js"), join(dir, "out"), path], { cwd: dir, env: process.env });
    expect(await mirror(missing)).toMatchObject({ code: 1, stderr: `local provider: schema file or directory ${missing} does not exist\n` });
    expect(await mirror(join(dir, "unversioned.json"))).toMatchObject({
      code: 1,
      stderr: `local provider: schema file ${join(dir, "unversioned.json")} records no version for provider registry.terraform.io/hashicorp/null ("provider_versions")\n`,
    });
    expect(await mirror(join(dir, "empty"))).toMatchObject({ code: 1, stderr: `local provider: no schema files (*.json) in ${join(dir, "empty")}\n` });
  });

  it("answers a start outside Terraform with one line, and Terraform's start with go-plugin's handshake and a certificate for localhost", async () => {
    const outside = await run(process.execPath, [LOCAL_PROVIDER_ENTRY, "--schema", NULL_SCHEMA], { cwd: tmpdir(), env: { PATH: process.env.PATH } });
    expect(outside).toMatchObject({
      code: 1,
      stdout: "",
      stderr: "local provider: this program is a Terraform provider plugin; Terraform starts it (see local-provider/README.md)\n",
    });

    const clientCertificate = makeServerCertificate().certificatePem;
    const plugin = spawn(process.execPath, [LOCAL_PROVIDER_ENTRY, "--schema", NULL_SCHEMA], {
      env: { ...process.env, ...TERRAFORM_PLUGIN_ENV, PLUGIN_CLIENT_CERT: clientCertificate },
    });
    try {
      const line = await new Promise<string>((resolve) => plugin.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString())));
      const [, socket, certificate] = /^1\|6\|unix\|(\S+)\|grpc\|([A-Za-z0-9+/]+)\n$/.exec(line) ?? [];
      expect(existsSync(socket)).toBe(true);
      const served = new X509Certificate(Buffer.from(certificate, "base64"));
      expect(served.subjectAltName).toBe("DNS:localhost");
      expect(served.checkIssued(served)).toBe(true);
      expect(served.publicKey.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
      expect(served.verify(served.publicKey)).toBe(true);
    } finally {
      plugin.kill();
    }
  });

  it("serves Terraform from one daemon when LOCAL_PROVIDER_DAEMON names it, and from its own process when the daemon is gone", async () => {
    const { dir, env } = workspace(nullConfig, { "null.json": readFileSync(NULL_SCHEMA, "utf8") });
    const daemon = await startProviderDaemon();
    const terraform = (daemonPort: string, ...args: string[]) =>
      run(TERRAFORM_TOOLS.terraform ?? "terraform", [...args, "-no-color"], { cwd: dir, env: { ...env, [DAEMON_VARIABLE]: daemonPort } });
    try {
      expect((await terraform(daemon.port, "init", "-input=false")).code).toBe(0);
      const served = await terraform(daemon.port, "apply", "-auto-approve", "-input=false");
      expect(served.output).toContain("Apply complete! Resources: 1 added, 0 changed, 0 destroyed.");
      expect(daemon.stderr()).toContain("serving registry.terraform.io/hashicorp/null\n");

      const withoutCookie = await run(
        join(dir, "providers", "mirror", "registry.terraform.io", "hashicorp", "null", "3.2.4", PLATFORM, "terraform-provider-null_v3.2.4"),
        [],
        {
          cwd: dir,
          env: { PATH: process.env.PATH, [DAEMON_VARIABLE]: daemon.port },
        },
      );
      expect(withoutCookie).toMatchObject({
        code: 1,
        stderr: "local provider daemon: local provider: this program is a Terraform provider plugin; Terraform starts it (see local-provider/README.md)\n",
      });
    } finally {
      daemon.process.kill();
      await new Promise((resolve) => daemon.process.once("exit", resolve));
    }
    const alone = await terraform(daemon.port, "plan", "-input=false");
    expect(alone.code).toBe(0);
    expect(alone.output).toContain("No changes.");
  });

  it("makes certificates TLS accepts every time (DER integers are minimal)", () => {
    // A serial number with a zero first byte broke about one start in 128; 512 starts would almost surely meet one.
    for (let i = 0; i < 512; i++) {
      const { certificatePem, privateKeyPem } = makeServerCertificate();
      expect(() => createSecureContext({ cert: certificatePem, key: privateKeyPem })).not.toThrow();
    }
  });

  it("makes up the same valid values on every run, with hcloud ids that parse as numbers, and uses pinned values", async () => {
    const hcloudConfig = {
      terraform: { required_providers: { hcloud: { source: "hetznercloud/hcloud", version: "1.59.0" } } },
      resource: {
        hcloud_primary_ip: {
          v4: { name: "a-v4", type: "ipv4", location: "nbg1", assignee_type: "server", auto_delete: false },
          v6: { name: "a-v6", type: "ipv6", location: "nbg1", assignee_type: "server", auto_delete: false },
        },
        hcloud_server: {
          a: {
            name: "a",
            server_type: "cx23",
            image: "ubuntu-24.04",
            location: "nbg1",
            public_net: [{ ipv4: "${hcloud_primary_ip.v4.id}", ipv6: "${hcloud_primary_ip.v6.id}" }],
          },
        },
      },
      output: {
        ipv4: { value: "${hcloud_primary_ip.v4.ip_address}" },
        ipv6: { value: "${hcloud_primary_ip.v6.ip_address}" },
        server: { value: "${hcloud_server.a.id}" },
      },
    };
    const pins = [{ resource: "hcloud_primary_ip", match: { type: "ipv4" }, values: { ip_address: "127.0.0.1" } }];
    const applied = async (): Promise<Record<string, { value: string }>> => {
      const { terraform } = workspace(hcloudConfig, { "hcloud.json": readFileSync(HCLOUD_SCHEMA, "utf8") }, pins);
      expect((await terraform("init", "-input=false")).code).toBe(0);
      const apply = await terraform("apply", "-auto-approve", "-input=false");
      expect(apply).toMatchObject({ code: 0, stderr: "" });
      return JSON.parse((await terraform("output", "-json")).stdout);
    };
    const first = await applied();
    expect(first.server.value).toMatch(/^[1-9]\d*$/);
    expect(first.ipv4.value).toBe("127.0.0.1");
    expect(first.ipv6.value).toMatch(/^2001:db8:[0-9a-f]+::1$/);
    expect(await applied()).toEqual(first);
  });
});
