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
  // From v0.53.0 cAdvisor publishes on ghcr.io (google/cadvisor v0.57.0, README.md "for versions prior to v0.53.0, use gcr.io/cadvisor/cadvisor"); v-prefixed tags from v0.57.0 (commit d45869d9).
  cadvisor: { image: "ghcr.io/google/cadvisor:v0.57.0", source: "github.com/google/cadvisor/releases/tag/v0.57.0" },
  grafana: { image: "grafana/grafana:11.6.0", source: "github.com/grafana/grafana/releases/tag/v11.6.0" },
  loki: { image: "grafana/loki:3.4.2", source: "github.com/grafana/loki/releases/tag/v3.4.2" },
  // Grafana Alloy replaces Promtail, which reached end of life on 2026-03-02 (grafana.com/docs/loki/latest/send-data/promtail/).
  alloy: { image: "grafana/alloy:v1.18.1", source: "github.com/grafana/alloy/releases/tag/v1.18.1" },
  trivy: { image: "aquasec/trivy:0.58.1", source: "github.com/aquasecurity/trivy/releases/tag/v0.58.1" },
  // Stable line (github.com/nginx/nginx/releases/tag/release-1.28.0), Docker's official image hub.docker.com/_/nginx.
  nginx: { image: "nginx:1.28.0", source: "github.com/nginx/nginx/releases/tag/release-1.28.0" },
  /**
   * The operations agent and the private network filter need only a shell (and `chroot`, iptables
   * from the host); both mount `/` writable, so the image is pinned by digest: the multi-platform index Docker's official-images
   * maintainers recorded for `busybox:1.37.0` in docker-library/repo-info, repos/busybox/remote/1.37.0.md
   * at commit 01a7054230d50b3dccaf8d579f161c522be8c9f0 (`docker pull busybox@sha256:9db7b599…`).
   */
  busybox: {
    image: "busybox:1.37.0@sha256:9db7b59979c38555a39def84a31fb98b5296952f9e3afd4f6f11f05b07adfab0",
    source: "github.com/docker-library/repo-info/blob/01a7054230d50b3dccaf8d579f161c522be8c9f0/repos/busybox/remote/1.37.0.md",
  },
} as const satisfies Record<string, PinnedImage>;

/**
 * The Docker client an image drives the engine's socket with, read from the pinned release's
 * go.mod: the highest API version that client speaks, and whether it negotiates down to the
 * engine's (it then uses the lower of the two). The engine must serve that version: it refuses a
 * client below its minimum ("client version 1.41 is too old", google/cadvisor#3749, grafana/alloy#5610).
 */
export interface DockerApiClient {
  /** The Go module and version in the release's go.mod. */
  readonly module: string;
  /** The highest API version the module speaks (where it is stated: beside each entry). */
  readonly maxApiVersion: string;
  readonly negotiates: boolean;
  /** True when the image reads image layers from the host's disk, and copes with containerd's image store. */
  readonly containerdImageStore?: boolean;
  readonly source: string;
}

/** The Docker client of each pinned image that is given the Docker socket, by exact image reference. */
export const DOCKER_API_CLIENTS: Readonly<Record<string, DockerApiClient>> = {
  [OBSERVABILITY_IMAGES.cadvisor.image]: {
    module: "github.com/moby/moby/client v0.4.0",
    // moby/moby client/v0.4.0, client/client.go: `MaxAPIVersion = "1.54"`; `New` starts there and negotiates unless WithAPIVersion is set.
    maxApiVersion: "1.54",
    negotiates: true,
    // google/cadvisor PR #3709, commit 7eda1904 "fix(3643) add containerd-snapshotter support" (first in v0.54.0):
    // before it cAdvisor looked for a container's layer only in Docker's own storage driver (google/cadvisor#3643).
    containerdImageStore: true,
    source: "google/cadvisor v0.57.0 go.mod; container/docker/client.go `dclient.New(WithHost, WithHTTPClient)`",
  },
  [OBSERVABILITY_IMAGES.alloy.image]: {
    // grafana/alloy PR #6167 "Migrate from Docker to Moby" (backported to v1.16.1 as #6172); v1.18.1 go.mod: moby/moby/client v0.5.0.
    module: "github.com/moby/moby/client v0.5.0",
    // moby/moby client/v0.5.0, client/client.go: `MaxAPIVersion = "1.55"`.
    maxApiVersion: "1.55",
    negotiates: true,
    source:
      "grafana/alloy v1.18.1 go.mod; internal/component/loki/source/docker/docker.go `client.New`, and discovery.docker through prometheus/prometheus v0.312.0 discovery/moby/docker.go `client.New`",
  },
  [OBSERVABILITY_IMAGES.trivy.image]: {
    module: "github.com/docker/docker v27.3.1+incompatible",
    // moby/moby v27.3.1, api/common.go: `DefaultVersion = "1.47"`.
    maxApiVersion: "1.47",
    negotiates: true,
    source: "aquasecurity/trivy v0.58.1 go.mod; pkg/fanal/image/daemon/docker.go `client.WithAPIVersionNegotiation()`",
  },
};

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

/** Coolify's unauthenticated health route (coollabsio/coolify v4.3.9, routes/api.php: `Route::get('/health', ...)`). */
export const COOLIFY_HEALTH_PATH = "/api/health";
