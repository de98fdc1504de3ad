import { Fn } from "cdktf";

/**
 * The first-boot configuration of every server: SSH by key only, the environment's pinned host key
 * as the only one sshd offers, and unattended security upgrades. Kept small on purpose; Coolify
 * itself is installed by the bootstrap, which can be re-run.
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
      HostKey /etc/ssh/ssh_host_ed25519_key
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

/**
 * HARDENING_CLOUD_INIT with the environment's SSH host key. cloud-init's `ssh` module, which runs
 * before sshd starts (canonical/cloud-init 24.4, systemd/cloud-init-network.service.tmpl
 * `Before=sshd.service`), deletes the image's host keys (`ssh_deletekeys`, on by default) and writes
 * `ssh_keys.ed25519_private`/`ed25519_public` to /etc/ssh/ssh_host_ed25519_key{,.pub}; given
 * `ssh_keys`, it generates no other type (cloudinit/config/cc_ssh.py `handle`). sshd then offers
 * this one key (HostKey above), so a client that pins it cannot negotiate another. The private key
 * is a Terraform expression (`jsonencode` of the sensitive variable), never text in the synthesized
 * file; a JSON string is a YAML double-quoted scalar.
 */
export const cloudInitWithHostKey = (privateKey: string, publicKey: string): string =>
  `${HARDENING_CLOUD_INIT}ssh_deletekeys: true
ssh_keys:
  ed25519_private: ${Fn.jsonencode(privateKey)}
  ed25519_public: ${JSON.stringify(publicKey)}
`;
