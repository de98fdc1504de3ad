#!/usr/bin/env bash
# Filters what the environment's private network may open on this server. Hetzner's Cloud Firewall
# filters public interfaces only, never traffic inside a private network
# (https://docs.hetzner.com/cloud/firewalls/faq, "Can Firewalls secure traffic to my private Hetzner
# Cloud Networks?"), and Docker publishes ports past the host's own INPUT rules: a published port is
# DNAT-ed and forwarded, and Docker's FORWARD chain runs the chain DOCKER-USER first, a placeholder it
# leaves to the administrator (docker/docs content/manuals/engine/network/firewall-iptables.md,
# "Docker and iptables chains"). So the rules go into a chain of their own, jumped to from the top
# of DOCKER-USER. After DNAT a packet carries the container's address and port; conntrack keeps the
# address and port it was sent to (`--ctorigdst`, `--ctorigdstport`, iptables-extensions(8),
# "conntrack"), which is what the rules match.
#
# Inputs (environment):
#   NETWORK_RANGE  the private network, e.g. 10.42.0.0/16
#   OWN_ADDRESS    this server's address on it
#   ADMIT          space-separated "<source address>:<port>[,<port>...]": who may open which ports
#                  of OWN_ADDRESS (empty: nobody)
# New connections to OWN_ADDRESS not admitted, and every other new connection from the private
# network to a container, are dropped; connections the server's containers open keep working.
# Runs again and again (it is idempotent): the chain is replaced in one iptables-restore transaction.
set -euo pipefail

CHAIN="PLATFORM-PRIVATE"
IPV4='^([0-9]{1,3}\.){3}[0-9]{1,3}$'

fail() {
  printf 'private-filter: %s\n' "$1" >&2
  exit 1
}

[[ "${NETWORK_RANGE:-}" =~ ^([0-9]{1,3}\.){3}[0-9]{1,3}/[0-9]{1,2}$ ]] || fail "NETWORK_RANGE must be an IPv4 network (address/prefix), got '${NETWORK_RANGE:-}'"
[[ "${OWN_ADDRESS:-}" =~ $IPV4 ]] || fail "OWN_ADDRESS must be an IPv4 address, got '${OWN_ADDRESS:-}'"
iptables -w -n -L DOCKER-USER >/dev/null 2>&1 || fail "there is no DOCKER-USER chain (is Docker running with its iptables firewall backend?)"

rules="*filter
:${CHAIN} - [0:0]
-A ${CHAIN} -m conntrack --ctstate ESTABLISHED,RELATED -j RETURN
"
for entry in ${ADMIT:-}; do
  address="${entry%%:*}"
  ports="${entry#*:}"
  [[ "$address" =~ $IPV4 && "$ports" =~ ^[0-9]{1,5}(,[0-9]{1,5})*$ ]] || fail "ADMIT entry '${entry}' is not <address>:<port>[,<port>...]"
  for port in ${ports//,/ }; do
    rules+="-A ${CHAIN} -s ${address}/32 -p tcp -m conntrack --ctstate NEW --ctorigdst ${OWN_ADDRESS} --ctorigdstport ${port} -j RETURN
"
  done
done
rules+="-A ${CHAIN} -m conntrack --ctorigdst ${OWN_ADDRESS} -j DROP
-A ${CHAIN} -s ${NETWORK_RANGE} -j DROP
COMMIT
"
printf '%s' "$rules" | iptables-restore -w --noflush
iptables -w -C DOCKER-USER -j "$CHAIN" 2>/dev/null || iptables -w -I DOCKER-USER 1 -j "$CHAIN"
