/** Values both example environments share. Replace them with your team's own. */
import type { SshPublicKey } from "../schema";

/** People's own keys (purpose `admin`); each environment adds its deploy key, generated for it alone. */
export const TEAM_SSH_KEYS: readonly SshPublicKey[] = [
  { name: "ops", purpose: "admin", publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGdSUARqp2gI+xvKjEqymP+rnHHXiL6y1Uj0uRKp0usl ops@example.com" },
];

/** Office network and VPN egress (documentation ranges, RFC 5737 / RFC 3849). */
export const ADMIN_CIDRS: readonly string[] = ["203.0.113.0/24", "198.51.100.17/32", "2001:db8:1234::/48"];
