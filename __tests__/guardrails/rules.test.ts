import { CloudflareProvider } from "@cdktf/provider-cloudflare/lib/provider";
import { ZeroTrustAccessApplication } from "@cdktf/provider-cloudflare/lib/zero-trust-access-application";
import { type App, TerraformOutput, TerraformStack, TerraformVariable, Testing } from "cdktf";
import { DatabaseBackup } from "../../.gen/providers/coolify/database-backup";
import { DatabasePostgresql } from "../../.gen/providers/coolify/database-postgresql";
import { EnvironmentVariable } from "../../.gen/providers/coolify/environment-variable";
import { CoolifyProvider } from "../../.gen/providers/coolify/provider";
import { S3Storage } from "../../.gen/providers/coolify/s3-storage";
import { Service } from "../../.gen/providers/coolify/service";
import { Firewall } from "../../.gen/providers/hcloud/firewall";
import { Network } from "../../.gen/providers/hcloud/network";
import { PrimaryIp } from "../../.gen/providers/hcloud/primary-ip";
import { HcloudProvider } from "../../.gen/providers/hcloud/provider";
import { Server } from "../../.gen/providers/hcloud/server";
import { SshKey } from "../../.gen/providers/hcloud/ssh-key";
import { Volume } from "../../.gen/providers/hcloud/volume";
import { enforceGuardrails, GuardrailError, type Guardrails } from "../../aspects/guardrails";
import type { GuardrailException } from "../../config/schema";

const LABELS = { environment: "prod", role: "worker", "managed-by": "cdktf" };
const PROTECTED = { deleteProtection: true, lifecycle: { preventDestroy: true } };

interface Built {
  readonly stack: TerraformStack;
  readonly guardrails: Guardrails;
}

const secretVariable = (stack: TerraformStack, name: string): string =>
  new TerraformVariable(stack, `${name}-variable`, { type: "string", sensitive: true }).stringValue;

const addProviders = (stack: TerraformStack): void => {
  new HcloudProvider(stack, "hcloud", { token: secretVariable(stack, "hcloud-token") });
  new CoolifyProvider(stack, "coolify", { token: secretVariable(stack, "coolify-token") });
};

/** A stack named `prod` with the guardrails on, providers configured as they should be, and whatever `build` adds. */
const stackWith = (
  build: (stack: TerraformStack) => void,
  { production = true, exceptions = [] as GuardrailException[], providers = addProviders } = {},
): Built => {
  const app: App = Testing.app();
  const stack = new TerraformStack(app, "prod");
  const guardrails = enforceGuardrails(stack, { production, guardrailExceptions: exceptions });
  providers(stack);
  build(stack);
  return { stack, guardrails };
};

/** The error message the synth fails with, or `undefined` when it passes. */
const synthError = ({ stack }: Built): string | undefined => {
  try {
    Testing.synth(stack, true);
    return undefined;
  } catch (error) {
    if (!(error instanceof GuardrailError)) throw error;
    return error.message;
  }
};

const database = (stack: TerraformStack, id: string, extra: Partial<ConstructorParameters<typeof DatabasePostgresql>[2]> = {}): DatabasePostgresql =>
  new DatabasePostgresql(stack, id, { projectUuid: "p", serverUuid: "s", ...PROTECTED, ...extra });

describe("production-protection", () => {
  it("fails for an unprotected server, primary IP, volume, database and S3 storage, listing every one", () => {
    const message = synthError(
      stackWith((stack) => {
        new Server(stack, "server", { name: "s", serverType: "cx22", labels: LABELS, deleteProtection: true });
        new PrimaryIp(stack, "ip", { name: "ip", type: "ipv4", assigneeType: "server", autoDelete: false, labels: LABELS, deleteProtection: true });
        new Volume(stack, "volume", { name: "v", size: 10, labels: LABELS, lifecycle: { preventDestroy: true } });
        new DatabasePostgresql(stack, "db", { projectUuid: "p", serverUuid: "s" });
        new DatabaseBackup(stack, "db-backup", { databaseUuid: "${coolify_database_postgresql.db.uuid}", frequency: "daily" });
        new S3Storage(stack, "s3", { name: "b", bucket: "b", endpoint: "e", region: "r", key: secretVariable(stack, "k"), secret: secretVariable(stack, "s") });
      }),
    );
    expect(message).toBe(
      [
        "Guardrails failed for stack prod (5 violations):",
        "  - prod/server [production-protection]: hcloud_server in production without rebuild_protection",
        "    fix: set rebuild_protection to true (the constructs do this when the environment has production: true)",
        "  - prod/ip [production-protection]: hcloud_primary_ip in production without lifecycle.prevent_destroy",
        "    fix: set lifecycle.prevent_destroy to true (the constructs do this when the environment has production: true)",
        "  - prod/volume [production-protection]: hcloud_volume in production without delete_protection",
        "    fix: set delete_protection to true (the constructs do this when the environment has production: true)",
        "  - prod/db [production-protection]: coolify_database_postgresql in production without lifecycle.prevent_destroy",
        "    fix: set lifecycle.prevent_destroy to true (the constructs do this when the environment has production: true)",
        "  - prod/s3 [production-protection]: coolify_s3_storage in production without lifecycle.prevent_destroy",
        "    fix: set lifecycle.prevent_destroy to true (the constructs do this when the environment has production: true)",
        "A deliberate exception needs a reviewed entry in the environment's guardrailExceptions: { rule, path, reason, approvedBy }.",
      ].join("\n"),
    );
  });

  it("fails for a production private network without Hetzner delete protection, and passes with it", () => {
    const network = (deleteProtection?: boolean) => (stack: TerraformStack) =>
      new Network(stack, "network", { name: "n", ipRange: "10.42.0.0/16", labels: LABELS, deleteProtection });
    expect(synthError(stackWith(network()))).toContain("prod/network [production-protection]: hcloud_network in production without delete_protection");
    expect(synthError(stackWith(network(true)))).toBeUndefined();
  });

  it("sees overrides: prevent_destroy switched off with addOverride fails", () => {
    const message = synthError(
      stackWith((stack) => {
        new Volume(stack, "volume", { name: "v", size: 10, labels: LABELS, ...PROTECTED }).addOverride("lifecycle.prevent_destroy", false);
      }),
    );
    expect(message).toContain("prod/volume [production-protection]: hcloud_volume in production without lifecycle.prevent_destroy");
  });

  it("passes when protected, and outside production", () => {
    expect(
      synthError(
        stackWith((stack) => new Server(stack, "server", { name: "s", serverType: "cx22", labels: LABELS, deleteProtection: true, rebuildProtection: true })),
      ),
    ).toBeUndefined();
    expect(
      synthError(stackWith((stack) => new Server(stack, "server", { name: "s", serverType: "cx22", labels: LABELS }), { production: false })),
    ).toBeUndefined();
  });
});

describe("admin-ports-not-public", () => {
  const firewall =
    (port: string, sourceIps: string[], protocol = "tcp") =>
    (stack: TerraformStack) =>
      new Firewall(stack, "fw", { name: "fw", labels: LABELS, rule: [{ direction: "in", protocol, port, sourceIps }] });

  it.each([
    ["22", ["0.0.0.0/0"], "tcp", "rule[0] opens tcp 22 to 0.0.0.0/0: 4294967296 IPv4 addresses (more than a /8)"],
    [
      "8000",
      ["203.0.113.0/24", "0::/0"],
      "tcp",
      "rule[0] opens tcp 8000 to 203.0.113.0/24, 0::/0: 340282366920938463463374607431768211456 IPv6 addresses (more than a /16)",
    ],
    [
      "6000-6010",
      ["0.0.0.0/0", "::/0"],
      "tcp",
      "rule[0] opens tcp 6001, 6002 to 0.0.0.0/0, ::/0: 4294967296 IPv4 addresses (more than a /8) and 340282366920938463463374607431768211456 IPv6 addresses (more than a /16)",
    ],
    ["any", ["0.0.0.0/0"], "udp", "rule[0] opens udp 22, 8000, 6001, 6002 to 0.0.0.0/0: 4294967296 IPv4 addresses (more than a /8)"],
    ["22", ["0.0.0.0/1", "128.0.0.0/1"], "tcp", "rule[0] opens tcp 22 to 0.0.0.0/1, 128.0.0.0/1: 4294967296 IPv4 addresses (more than a /8)"],
    ["22", ["10.0.0.0/8", "11.0.0.0/8"], "tcp", "rule[0] opens tcp 22 to 10.0.0.0/8, 11.0.0.0/8: 33554432 IPv4 addresses (more than a /8)"],
  ])("fails for port %s from %j (%s)", (port, sources, protocol, problem) => {
    expect(synthError(stackWith(firewall(port, sources, protocol)))).toContain(
      `prod/fw [admin-ports-not-public]: ${problem}\n    fix: allow these ports only from the environment's adminCidrs`,
    );
  });

  it("passes for admin ports from admin CIDRs, web ports from everywhere, and outside production", () => {
    expect(synthError(stackWith(firewall("22", ["203.0.113.0/24"])))).toBeUndefined();
    expect(synthError(stackWith(firewall("22", ["10.0.0.0/8", "2001::/16"])))).toBeUndefined();
    expect(synthError(stackWith(firewall("443", ["0.0.0.0/0", "::/0"])))).toBeUndefined();
    expect(synthError(stackWith(firewall("22", ["0.0.0.0/0"]), { production: false }))).toBeUndefined();
  });
});

describe("admin-ports-not-public: the allow lists in front of the dashboard", () => {
  const bypass = (include: string[]) => (stack: TerraformStack) => {
    new CloudflareProvider(stack, "cloudflare", { apiToken: secretVariable(stack, "cloudflare-token") });
    new ZeroTrustAccessApplication(stack, "access", {
      zoneId: "z",
      name: "Coolify dashboard (prod)",
      domain: "coolify.example.com",
      type: "self_hosted",
      policies: [{ name: "prod admins", decision: "bypass", include: include.map((ip) => ({ ip: { ip } })) }],
    });
  };

  it("fails for a Cloudflare Access bypass that lets through more than a /8 or a /16, however it is split", () => {
    expect(synthError(stackWith(bypass(["203.0.113.0/24", "0.0.0.0/1", "128.0.0.0/1", "::/0"])))).toContain(
      "  - prod/access [admin-ports-not-public]: policies[0] (bypass) of the Access application for coolify.example.com lets through 203.0.113.0/24, 0.0.0.0/1, 128.0.0.0/1, ::/0: " +
        "4294967552 IPv4 addresses (more than a /8) and 340282366920938463463374607431768211456 IPv6 addresses (more than a /16)\n" +
        "    fix: admit only the environment's adminCidrs and coolify.deployRunnerCidrs, each a network of their own",
    );
  });

  it("passes for admins' networks, and outside production", () => {
    expect(synthError(stackWith(bypass(["203.0.113.0/24", "2001:db8::/32"])))).toBeUndefined();
    expect(synthError(stackWith(bypass(["0.0.0.0/0"]), { production: false }))).toBeUndefined();
  });
});

describe("database-backup", () => {
  it("fails for a production database without a backup and passes once one points at it", () => {
    expect(synthError(stackWith((stack) => database(stack, "orders")))).toContain(
      "prod/orders [database-backup]: coolify_database_postgresql in production without a coolify_database_backup",
    );
    expect(
      synthError(
        stackWith((stack) => {
          const db = database(stack, "orders");
          database(stack, "unrelated");
          new DatabaseBackup(stack, "backup", { databaseUuid: db.uuid, frequency: "daily" });
        }),
      ),
    ).toBe(
      [
        "Guardrails failed for stack prod (1 violation):",
        "  - prod/unrelated [database-backup]: coolify_database_postgresql in production without a coolify_database_backup",
        "    fix: configure backup (schedule, storage, retention) for this database in the environment's apps configuration",
        "A deliberate exception needs a reviewed entry in the environment's guardrailExceptions: { rule, path, reason, approvedBy }.",
      ].join("\n"),
    );
  });

  it("does not apply outside production", () => {
    expect(synthError(stackWith((stack) => database(stack, "orders"), { production: false }))).toBeUndefined();
  });
});

describe("standard-labels", () => {
  it("fails for Hetzner resources missing standard labels, in every environment", () => {
    const message = synthError(
      stackWith(
        (stack) => {
          new SshKey(stack, "key", { name: "k", publicKey: "ssh-ed25519 AAAA", labels: { environment: "dev", role: "ssh-key" } });
          new SshKey(stack, "bare", { name: "b", publicKey: "ssh-ed25519 AAAA" });
        },
        { production: false },
      ),
    );
    expect(message).toContain(
      "  - prod/key [standard-labels]: hcloud_ssh_key without the label managed-by\n    fix: set labels from standardLabels(env, role) in config/naming.ts",
    );
    expect(message).toContain("  - prod/bare [standard-labels]: hcloud_ssh_key without the labels environment, role, managed-by");
  });
});

describe("sensitive-literal", () => {
  it("fails for literal provider credentials and resource secrets, in every environment", () => {
    const message = synthError(
      stackWith(
        (stack) => {
          new HcloudProvider(stack, "hcloud", { token: "literal-token" });
          new CoolifyProvider(stack, "coolify", { token: secretVariable(stack, "coolify-token") });
          new DatabasePostgresql(stack, "db", { projectUuid: "p", serverUuid: "s", postgresPassword: "hunter2hunter2" });
        },
        { production: false, providers: () => undefined },
      ),
    );
    expect(message).toContain("  - prod/hcloud [sensitive-literal]: provider.hcloud.token is marked sensitive by the provider and set from a literal");
    expect(message).toContain(
      "  - prod/db [sensitive-literal]: coolify_database_postgresql.postgres_password is marked sensitive by the provider and set from a literal",
    );
  });

  it("passes for values from sensitive variables, also inside a larger string", () => {
    const built = stackWith(
      (stack) => {
        new HcloudProvider(stack, "hcloud", { token: secretVariable(stack, "token") });
        new CoolifyProvider(stack, "coolify", { token: secretVariable(stack, "coolify-token") });
        new DatabasePostgresql(stack, "db", { projectUuid: "p", serverUuid: "s", postgresPassword: `pw-${secretVariable(stack, "pw")}` });
      },
      { production: false, providers: () => undefined },
    );
    expect(synthError(built)).toBeUndefined();
  });
});

describe("sensitive-literal for plain settings (environment variables, compose files)", () => {
  const settings = (value: string, compose: string) => (stack: TerraformStack) => {
    new EnvironmentVariable(stack, "env", { key: "NODE_ENV", value, applicationUuid: "a" });
    new Service(stack, "service", { projectUuid: "p", serverUuid: "s", environmentName: "production", dockerComposeRaw: compose });
  };

  it("passes for literals that do not look like secrets", () => {
    expect(synthError(stackWith(settings("production", "services:\n  web:\n    image: nginx:1.27\n"), { production: false }))).toBeUndefined();
  });

  it("fails for literals that look like secrets", () => {
    const message = synthError(
      stackWith(settings("postgres://app:hunter2@db:5432/app", "services:\n  db:\n    environment:\n      - POSTGRES_PASSWORD=hunter2\n"), {
        production: false,
      }),
    );
    expect(message).toContain(
      "  - prod/env [sensitive-literal]: coolify_environment_variable.value is marked sensitive by the provider and its literal looks like a secret: its value looks like a URL with a password (key NODE_ENV)",
    );
    expect(message).toContain(
      "  - prod/service [sensitive-literal]: coolify_service.docker_compose_raw is marked sensitive by the provider and its literal looks like a secret: its setting POSTGRES_PASSWORD: its name marks it as a secret",
    );
  });
});

describe("sensitive-output", () => {
  it("fails for outputs of sensitive variables or attributes without sensitive: true", () => {
    const message = synthError(
      stackWith(
        (stack) => {
          new TerraformOutput(stack, "token", { value: secretVariable(stack, "token") });
          new TerraformOutput(stack, "url", { value: new DatabasePostgresql(stack, "db", { projectUuid: "p", serverUuid: "s" }).internalDbUrl });
        },
        { production: false },
      ),
    );
    expect(message).toContain(
      "  - prod/token [sensitive-output]: output carries sensitive var.token-variable but is not marked sensitive\n    fix: pass sensitive: true to the TerraformOutput",
    );
    expect(message).toContain(
      "  - prod/url [sensitive-output]: output carries sensitive coolify_database_postgresql.db.internal_db_url but is not marked sensitive",
    );
  });

  it("passes when marked sensitive or when the value is not sensitive", () => {
    const built = stackWith(
      (stack) => {
        new TerraformOutput(stack, "token", { value: secretVariable(stack, "token"), sensitive: true });
        new TerraformOutput(stack, "uuid", { value: new DatabasePostgresql(stack, "db", { projectUuid: "p", serverUuid: "s" }).uuid });
      },
      { production: false },
    );
    expect(synthError(built)).toBeUndefined();
  });
});

describe("exceptions", () => {
  const exception: GuardrailException = {
    rule: "admin-ports-not-public",
    path: "prod/fw",
    reason: "temporary public SSH for the migration, see ticket OPS-12",
    approvedBy: "alice",
  };
  const openSsh = (stack: TerraformStack) =>
    new Firewall(stack, "fw", { name: "fw", labels: LABELS, rule: [{ direction: "in", protocol: "tcp", port: "22", sourceIps: ["0.0.0.0/0"] }] });

  it("lets a named, reviewed exception through and reports it", () => {
    const built = stackWith(openSsh, { exceptions: [exception] });
    expect(synthError(built)).toBeUndefined();
    expect(built.guardrails.result().excepted).toEqual([{ exception, finding: expect.objectContaining({ rule: "admin-ports-not-public", path: "prod/fw" }) }]);
  });

  it("an exception for another rule or path does not apply, and an unused one fails", () => {
    const message = synthError(stackWith(openSsh, { exceptions: [{ ...exception, rule: "standard-labels" }] }));
    expect(message).toContain("  - prod/fw [admin-ports-not-public]: rule[0] opens tcp 22 to 0.0.0.0/0: 4294967296 IPv4 addresses (more than a /8)");
    expect(message).toContain(
      "  - prod/fw [standard-labels]: guardrail exception matches no violation\n    fix: remove the exception from guardrailExceptions, or correct its rule or path",
    );
  });
});
