/**
 * Vendor facts of the monitoring, log and scanning tools the observability stack runs, and of the
 * proxy and database of Coolify it integrates with. Images are pinned to exact release tags (the
 * tag's release page is the source); the listen ports are each image's documented default.
 */

/** An image pinned to one release, with where that release is published. */
export interface PinnedImage {
  readonly image: string;
  readonly source: string;
}

export const OBSERVABILITY_IMAGES = {
  // https://github.com/prometheus/prometheus/releases/tag/v3.5.0 (long-term support release)
  prometheus: { image: "quay.io/prometheus/prometheus:v3.5.0", source: "github.com/prometheus/prometheus/releases/tag/v3.5.0" },
  alertmanager: { image: "quay.io/prometheus/alertmanager:v0.28.1", source: "github.com/prometheus/alertmanager/releases/tag/v0.28.1" },
  nodeExporter: { image: "quay.io/prometheus/node-exporter:v1.9.1", source: "github.com/prometheus/node_exporter/releases/tag/v1.9.1" },
  blackboxExporter: {
    image: "quay.io/prometheus/blackbox-exporter:v0.26.0",
    source: "github.com/prometheus/blackbox_exporter/releases/tag/v0.26.0",
  },
  cadvisor: { image: "gcr.io/cadvisor/cadvisor:v0.49.1", source: "github.com/google/cadvisor/releases/tag/v0.49.1" },
  grafana: { image: "grafana/grafana:11.6.0", source: "github.com/grafana/grafana/releases/tag/v11.6.0" },
  loki: { image: "grafana/loki:3.4.2", source: "github.com/grafana/loki/releases/tag/v3.4.2" },
  // Grafana Alloy replaces Promtail, which reached end of life on 2026-03-02 (grafana.com/docs/loki/latest/send-data/promtail/).
  alloy: { image: "grafana/alloy:v1.5.1", source: "github.com/grafana/alloy/releases/tag/v1.5.1" },
  trivy: { image: "aquasec/trivy:0.58.1", source: "github.com/aquasecurity/trivy/releases/tag/v0.58.1" },
  /** The operations agent only needs a shell and `chroot`; the work runs with the host's tools. */
  busybox: { image: "busybox:1.37.0", source: "hub.docker.com/_/busybox (tag 1.37.0, BusyBox 1.37.0 of 2024-09-26)" },
} as const satisfies Record<string, PinnedImage>;

/** Default listen ports of the tools (each project's README / `--web.listen-address` default). */
export const OBSERVABILITY_PORTS = {
  prometheus: 9090,
  alertmanager: 9093,
  nodeExporter: 9100,
  blackboxExporter: 9115,
  cadvisor: 8080,
  grafana: 3000,
  loki: 3100,
  alloy: 12345,
} as const;

/**
 * Coolify's Traefik: entry points `http`/`https`, the `letsencrypt` certificate resolver, containers
 * exposed only with `traefik.enable=true`, Traefik v3 (whose IP allow list middleware is `ipallowlist`).
 * Source: coollabsio/coolify v4.3.9, bootstrap/helpers/proxy.php (generateDefaultProxyConfiguration).
 */
export const COOLIFY_TRAEFIK = { httpsEntryPoint: "https", certResolver: "letsencrypt" } as const;

/** The Docker network Coolify's proxy and resources share (coollabsio/coolify v4.3.9, docker-compose.yml: networks.coolify.name). */
export const COOLIFY_DOCKER_NETWORK = "coolify";

/** Coolify's unauthenticated health route (coollabsio/coolify v4.3.9, routes/api.php: `Route::get('/health', ...)`). */
export const COOLIFY_HEALTH_PATH = "/api/health";
