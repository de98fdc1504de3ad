import { COOLIFY_VERSION } from "../../catalog/coolify";
import type { EnvironmentConfig } from "../schema";
import { ADMIN_CIDRS, TEAM_SSH_KEYS } from "./shared";
import { stagingApps } from "./staging-apps";

export const staging: EnvironmentConfig = {
  name: "staging",
  domain: "staging.example.com",
  dns: { zone: "example.com" },
  // cpx22 (2 vCPU, 4 GB): orderable in nbg1 when the catalog was checked, unlike every CX and CAX type;
  // €19.49/month for a new order (catalog/hetzner-prices.json, docs/cost.md "Choosing a server type").
  hetzner: { location: "nbg1", serverType: "cpx22", image: "ubuntu-24.04" },
  sshPublicKeys: [
    { name: "ci-deploy", purpose: "deploy", publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO6bs95XB78dTDUSxomvWEEHut6hqBIK469t6SYQ+PAM ci-deploy@staging" },
    ...TEAM_SSH_KEYS,
  ],
  sshHostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDc1983ngbZZxYRJ3B7UpJL1W8w1Zy9zAk7BHM31J1fM host@staging",
  adminCidrs: ADMIN_CIDRS,
  coolify: { version: COOLIFY_VERSION },
  servers: [{ name: "coolify", role: "coolify-host" }],
  labels: { team: "platform" },
  production: false,
  apps: stagingApps,
};
