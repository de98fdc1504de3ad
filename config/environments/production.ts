import { COOLIFY_VERSION } from "../../catalog/coolify";
import type { EnvironmentConfig } from "../schema";
import { productionApps } from "./production-apps";
import { ADMIN_CIDRS, TEAM_SSH_KEYS } from "./shared";

export const production: EnvironmentConfig = {
  name: "production",
  domain: "example.com",
  dns: { zone: "example.com" },
  // ccx13 (2 dedicated vCPU, 8 GB) for the host, cpx22 for the worker: orderable in fsn1 when the catalog
  // was checked, unlike every CX and CAX type (docs/cost.md "Choosing a server type").
  hetzner: { location: "fsn1", serverType: "ccx13", image: "ubuntu-24.04" },
  sshPublicKeys: [
    {
      name: "ci-deploy",
      purpose: "deploy",
      publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGP6aWzxEcv8HxGGpy6GHivEdGnlAtdolOLv1wnu/c9D ci-deploy@production",
    },
    {
      name: "coolify-workers",
      purpose: "coolify-workers",
      publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAofYSn39baGD6VC2Q18SsU2LiAIo3Ah+px7LX6XPXJp coolify-workers@production",
    },
    ...TEAM_SSH_KEYS,
  ],
  sshHostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICXqSdjn7Y0hwhAG5OQtYDfx+rVke8BFKL8birmyajOU host@production",
  adminCidrs: ADMIN_CIDRS,
  coolify: { version: COOLIFY_VERSION },
  servers: [
    { name: "coolify", role: "coolify-host", volumeSizeGb: 50 },
    { name: "worker-1", role: "worker", serverType: "cpx22" },
  ],
  labels: { team: "platform", "cost-center": "prod-paas" },
  production: true,
  apps: productionApps,
  coolifyBackup: { storage: "backups" },
};
