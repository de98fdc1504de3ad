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

/**
 * Ports that must never be open to the internet: SSH and the ports Coolify publishes on the host
 * (coollabsio/coolify v4.3.9 docker-compose.prod.yml: `${APP_PORT:-8000}:8080` for coolify,
 * `${SOKETI_PORT:-6001}:6001` and `6002:6002` for coolify-realtime).
 */
export const ADMIN_PORTS: readonly number[] = [PORTS.ssh, PORTS.coolifyDashboard, PORTS.coolifyRealtime, PORTS.coolifyTerminal];

/**
 * What the firewall opens to the admin CIDRs: SSH only. The bootstrap reaches Coolify on
 * 127.0.0.1:8000 over SSH and sets the instance domain, from then on the dashboard, realtime and
 * terminal are served by the proxy on 443 (behind the admins-only allow list), so 8000/6001/6002,
 * plain HTTP, stay closed.
 */
export const ADMIN_OPEN_PORTS: readonly number[] = [PORTS.ssh];

/** Ports open to everyone (Traefik). */
export const PUBLIC_PORTS: readonly number[] = [PORTS.http, PORTS.https];
