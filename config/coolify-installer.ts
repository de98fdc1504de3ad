/** Where Coolify's official installer comes from; the bootstrap can be pointed at a mirror instead. */
export const COOLIFY_INSTALLER_URL = "https://cdn.coollabs.io/coolify/install.sh";
