/**
 * The first-boot configuration of every server: SSH by key only and unattended security upgrades.
 * Kept small on purpose; Coolify itself is installed by the bootstrap, which can be re-run.
 */
export const HARDENING_CLOUD_INIT = `#cloud-config
package_update: true
packages:
  - unattended-upgrades
write_files:
  - path: /etc/ssh/sshd_config.d/10-keys-only.conf
    permissions: "0644"
    content: |
      PasswordAuthentication no
      KbdInteractiveAuthentication no
      PermitRootLogin prohibit-password
      MaxAuthTries 3
  - path: /etc/apt/apt.conf.d/20auto-upgrades
    permissions: "0644"
    content: |
      APT::Periodic::Update-Package-Lists "1";
      APT::Periodic::Unattended-Upgrade "1";
      APT::Periodic::AutocleanInterval "7";
runcmd:
  - [systemctl, restart, ssh]
  - [systemctl, enable, --now, unattended-upgrades]
`;
