/**
 * Generates large platform configurations for the benchmark: by default 5 environments, each with
 * 200 applications and 40 databases (with backups, variables and domains) at 1x, multiplied by the
 * scale factor. Written as JSON to be fed through `PLATFORM_CONFIG`; never committed.
 *
 *   node -r @swc-node/register tools/generate-config.ts <file.json> [scale]
 */
import { generateKeyPairSync } from "node:crypto";
import { writeFileSync } from "node:fs";
import { BACKUP_CAPABLE_KINDS, COOLIFY_VERSION, type DatabaseKind } from "../catalog/coolify";
import { ADMIN_CIDRS, TEAM_SSH_KEYS } from "../config/environments/shared";
import type { ApplicationConfig, AppsConfig, DatabaseConfig, EnvironmentConfig, PlatformConfig, ProjectConfig, SshPublicKey } from "../config/schema";

export const SCALE_FACTORS = [1, 2, 3, 4] as const;

/** The size of the large configuration at 1x. */
export const LARGE_CONFIG_SHAPE = { environments: 5, projectsPerEnvironment: 10, applicationsPerProject: 20, databasesPerProject: 4 } as const;

const ZONE = "example.com";
const BACKUP_STORAGE = "backups";
const IMAGE_KINDS: readonly ApplicationConfig["kind"][] = ["docker-image", "public-git", "dockerfile", "docker-compose", "private-git"];
/** PostgreSQL most often, then MySQL, and one cache that Coolify cannot back up. */
const DATABASE_KINDS: readonly DatabaseKind[] = ["postgresql", "postgresql", "mysql", "redis"];

const application = (env: string, project: string, index: number): ApplicationConfig => {
  const name = `${project}-app-${index}`;
  const common = {
    name,
    env: {
      NODE_ENV: "production",
      LOG_LEVEL: index % 2 === 0 ? "info" : "debug",
      PUBLIC_URL: `https://${name}.${env}.${ZONE}`,
      WORKERS: String(1 + (index % 4)),
      API_KEY: { secret: `${project}_app_${index}_api_key`.replace(/-/g, "_") },
    },
  };
  const container = { ...common, domains: [`${name}.${env}.${ZONE}`], ports: [3000], healthCheck: { path: "/healthz" } };
  switch (IMAGE_KINDS[index % IMAGE_KINDS.length]) {
    case "docker-image":
      return { ...container, kind: "docker-image", image: `ghcr.io/acme/${name}:1.${index}.0` };
    case "public-git":
      return { ...container, kind: "public-git", repository: `https://github.com/acme/${name}.git`, branch: "main", buildPack: "nixpacks" };
    case "dockerfile":
      return { ...container, kind: "dockerfile", dockerfile: `FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nCMD ["node", "server.js"]\n` };
    case "private-git":
      return {
        ...container,
        kind: "private-git",
        repository: `git@github.com:acme/${name}.git`,
        deployKey: { secret: `${project}_deploy_key`.replace(/-/g, "_") },
      };
    case "docker-compose":
      return {
        ...common,
        kind: "docker-compose",
        compose: `services:\n  web:\n    image: ghcr.io/acme/${name}:1.${index}.0\n    expose: ["3000"]\n`,
        domains: [{ service: "web", domain: `${name}.${env}.${ZONE}` }],
      };
  }
};

const database = (project: string, index: number): DatabaseConfig => {
  const kind = DATABASE_KINDS[index % DATABASE_KINDS.length];
  const name = `${project}-db-${index}`;
  return BACKUP_CAPABLE_KINDS.includes(kind)
    ? { name, kind, limits: { memory: "1g" }, backup: { schedule: "0 3 * * *", storage: BACKUP_STORAGE, retention: { count: 14, days: 30 } } }
    : { name, kind, ephemeral: true };
};

const project = (env: string, index: number): ProjectConfig => {
  const name = `team-${index}`;
  const { applicationsPerProject, databasesPerProject } = LARGE_CONFIG_SHAPE;
  return {
    name,
    description: `Generated project ${index}`,
    applications: Array.from({ length: applicationsPerProject }, (_, i) => application(env, name, i + 1)),
    databases: Array.from({ length: databasesPerProject }, (_, i) => database(name, i + 1)),
  };
};

/** An SSH `string`: a uint32 length, then the bytes (RFC 4251 §5). */
const wireField = (bytes: Buffer): Buffer => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
};

/**
 * A deploy key of the environment's own: a fresh ed25519 key's public half (the private half is
 * dropped), its data the strings "ssh-ed25519" and the 32-byte public key (RFC 8709 §4).
 */
const ed25519PublicKey = (comment: string): string => {
  const { x } = generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" });
  if (!x) throw new Error("an ed25519 public key exported without its point");
  const blob = Buffer.concat([wireField(Buffer.from("ssh-ed25519")), wireField(Buffer.from(x, "base64url"))]);
  return `ssh-ed25519 ${blob.toString("base64")} ${comment}`;
};
const deployKey = (env: string): SshPublicKey => ({ name: "ci-deploy", purpose: "deploy", publicKey: ed25519PublicKey(`ci-deploy@${env}`) });

const environment = (index: number, scale: number): EnvironmentConfig => {
  const name = `load-${index}`;
  const apps: AppsConfig = {
    projects: Array.from({ length: LARGE_CONFIG_SHAPE.projectsPerEnvironment * scale }, (_, i) => project(name, i + 1)),
    s3Storages: [{ name: BACKUP_STORAGE, provider: "hetzner", bucket: `${name}-db-backups`, location: "fsn1" }],
    notifications: { discord: { events: ["deployment-failure", "backup-failure", "server-unreachable"] } },
  };
  return {
    name,
    domain: `${name}.${ZONE}`,
    dns: { zone: ZONE },
    hetzner: { location: "fsn1", serverType: "cx43", image: "ubuntu-24.04" },
    sshPublicKeys: [deployKey(name), ...TEAM_SSH_KEYS],
    sshHostKey: ed25519PublicKey(`host@${name}`),
    adminCidrs: ADMIN_CIDRS,
    coolify: { version: COOLIFY_VERSION },
    servers: [
      { name: "coolify", role: "coolify-host", volumeSizeGb: 100 },
      { name: "worker-1", role: "worker" },
      { name: "worker-2", role: "worker" },
    ],
    labels: { team: "load-test" },
    production: index <= 2,
    apps,
  };
};

/** 5 environments (the first two production) whose application and database counts grow with `scale`. */
export const largeConfig = (scale: number): PlatformConfig => ({
  environments: Array.from({ length: LARGE_CONFIG_SHAPE.environments }, (_, i) => environment(i + 1, scale)),
});

export const writeLargeConfig = (file: string, scale: number): void => {
  writeFileSync(file, JSON.stringify(largeConfig(scale)));
};

if (require.main === module) {
  const [file, scale = "1"] = process.argv.slice(2);
  if (!file || !/^[1-9]\d*$/.test(scale)) {
    process.stderr.write("usage: node -r @swc-node/register tools/generate-config.ts <file.json> [scale, a whole number]\n");
    process.exitCode = 2;
  } else {
    writeLargeConfig(file, Number(scale));
  }
}
