/**
 * Docker's resource limits (moby/moby, daemon/daemon_unix.go): `--cpus` in hundredths of a CPU
 * ("Range of CPUs is from 0.01 to ..."), and a memory limit of at least `linuxMinMemory`, 6 MiB.
 */
export const DOCKER_MIN_CPUS = 0.01;
export const DOCKER_MIN_MEMORY_BYTES = 6 * 1024 * 1024;

/**
 * The Docker Engine the bootstrap installs on a server without Docker, from Docker's apt repository:
 * moby/moby release `docker-v29.7.2`, listed as `latest` in docker/actions-toolkit
 * .github/docker-releases.json at 4f315ba (2026-08-13). Coolify's installer requires Docker 24 or
 * newer (coollabsio/coolify v4.3.9, scripts/install.sh line 630 `MIN_DOCKER_VERSION=24`), and
 * without a Docker it installs whatever get.docker.com serves (line 503), a 29.x since Docker 29.0
 * (November 2025), so 29 is what Coolify 4.3.9 meets on new servers. Docker 29.0 raised the oldest
 * API version it serves to 1.44 (https://docs.docker.com/engine/release-notes/29/#2900), which
 * cut off containers that drive the socket with old clients: an image that does is checked against
 * DOCKER_ENGINE_API below (catalog/observability.ts DOCKER_API_CLIENTS). A Docker already present is
 * never upgraded by the bootstrap: that restarts every container, an operator's maintenance decision.
 */
export const DOCKER_ENGINE_VERSION = "29.7.2";

/**
 * The API versions the pinned engine serves, and its default image store (moby/moby tag docker-v29.7.2):
 * - `max`: daemon/config/config.go `MaxAPIVersion = "1.55"`.
 * - `min`: daemon/config/config.go `defaultMinAPIVersion = "1.40"`. Docker 29.0 to 29.2 refused
 *   anything below 1.44 (same line at docker-v29.0.0); commit f96921e5e5 ("api: lower default
 *   minimum API version to v1.40", first in docker-v29.3.0) lowered it again.
 * - `containerdImageStore`: daemon/command/daemon_linux.go line 30, "containerd-snapshotter is
 *   enabled by default" since 29.0: image layers live under containerd's snapshotter, not Docker's
 *   overlay2 directory, for tools that read them from disk.
 */
export const DOCKER_ENGINE_API = { min: "1.40", max: "1.55", containerdImageStore: true } as const;

/** install.sh v4.3.9 line 630 `MIN_DOCKER_VERSION=24`: the oldest Docker major version Coolify's installer accepts. */
export const COOLIFY_MIN_DOCKER_MAJOR = 24;

/**
 * The fingerprint of the key that signs Docker's apt repository (https://download.docker.com/linux/<distribution>/gpg):
 * `9DC8 5822 9FC7 DD38 854A E2D8 8D81 803C 0EBF CD88`, "Docker Release (CE deb)" (docker/docs,
 * engine/install/debian.md and ubuntu.md, "Verify that you now have the key with the fingerprint",
 * as in docker/docs pull request 11990).
 */
export const DOCKER_APT_KEY_FINGERPRINT = "9DC858229FC7DD38854AE2D88D81803C0EBFCD88";
