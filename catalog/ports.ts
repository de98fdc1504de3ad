/** Ports the Coolify platform listens on. */
export const PORTS = {
  ssh: 22,
  http: 80,
  https: 443,
  /** Coolify dashboard served directly, before the instance domain and Traefik take over. */
  coolifyDashboard: 8000,
  /** Soketi realtime (websocket) server the dashboard uses. */
  coolifyRealtime: 6001,
  /** Coolify's web terminal. */
  coolifyTerminal: 6002,
} as const;

/** Ports only admin CIDRs may reach. */
export const ADMIN_PORTS: readonly number[] = [PORTS.ssh, PORTS.coolifyDashboard, PORTS.coolifyRealtime, PORTS.coolifyTerminal];

/** Ports open to everyone (Traefik). */
export const PUBLIC_PORTS: readonly number[] = [PORTS.http, PORTS.https];
