/**
 * Docker's resource limits (moby/moby, daemon/daemon_unix.go): `--cpus` in hundredths of a CPU
 * ("Range of CPUs is from 0.01 to ..."), and a memory limit of at least `linuxMinMemory`, 6 MiB.
 */
export const DOCKER_MIN_CPUS = 0.01;
export const DOCKER_MIN_MEMORY_BYTES = 6 * 1024 * 1024;
