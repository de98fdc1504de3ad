# The sealed format of Coolify's backup, shared by coolify-backup.sh and coolify-restore.sh and
# prepended to them. `openssl enc` has no authenticated mode, so a backup is encrypt-then-MAC:
#
#   <header line>\n <AES-256-CTR ciphertext of the archive> <HMAC-SHA256 tag, 32 bytes>
#
# The header names the format, the environment, the creation time, the KDF and the two salts; the
# tag covers header and ciphertext, so none of them can be changed or swapped. Both keys come from
# the passphrase by PBKDF2-HMAC-SHA256 with a pinned iteration count, each with its own salt
# (`openssl enc -pbkdf2 -md sha256 -P`). The passphrase reaches openssl through the environment
# (`-pass env:`) and the MAC key stays in this shell (HMAC built from SHA-256 over stdin, RFC 2104):
# no secret is ever an argument of a process. Reads BACKUP_PASSPHRASE.

BACKUP_FORMAT=coolify-backup/2
# OWASP's figure for PBKDF2-HMAC-SHA256 (Password Storage Cheat Sheet, 600,000 iterations).
BACKUP_KDF=pbkdf2-sha256:600000
BACKUP_CIPHER=aes-256-ctr
BACKUP_PHRASE_MIN_LENGTH=20
# shellcheck disable=SC2034 # used by coolify-restore.sh, which this is prepended to
BACKUP_STAMP_RE='^[0-9]{8}T[0-9]{6}Z$'
BACKUP_HEADER_RE="^${BACKUP_FORMAT} environment=([a-z0-9-]+) created=([0-9]{8}T[0-9]{6}Z) kdf=${BACKUP_KDF} cipher=${BACKUP_CIPHER} enc-salt=([0-9a-f]{16}) mac-salt=([0-9a-f]{16})$"

backup_check_passphrase() { # <who>: stop unless the passphrase is long enough
  if ((${#BACKUP_PASSPHRASE} < BACKUP_PHRASE_MIN_LENGTH)); then
    echo "$1: BACKUP_PASSPHRASE must have at least $BACKUP_PHRASE_MIN_LENGTH characters, it has ${#BACKUP_PASSPHRASE}" >&2
    exit 2
  fi
}

backup_enc() { # <salt> [openssl enc options...]: AES-256-CTR keyed from the passphrase and the salt
  local salt=$1
  shift
  openssl enc -"$BACKUP_CIPHER" -pbkdf2 -iter "${BACKUP_KDF#*:}" -md sha256 -S "$salt" -pass env:BACKUP_PASSPHRASE "$@"
}

hex_bytes() { printf '%s' "$1" | sed 's/../\\x&/g'; } # <hex>: printf escapes of those bytes

backup_mac() { # <salt> <file> <length>: HMAC-SHA256, keyed from the passphrase and the salt, of the file's first <length> bytes, hex
  local key ipad='' opad='' i byte inner
  key=$(backup_enc "$1" -P | sed -n 's/^key=//p' | tr 'A-F' 'a-f')
  for ((i = 0; i < 64; i++)); do
    byte=0
    if ((i < 32)); then byte=$((16#${key:i*2:2})); fi
    printf -v ipad '%s\\x%02x' "$ipad" $((byte ^ 0x36))
    printf -v opad '%s\\x%02x' "$opad" $((byte ^ 0x5c))
  done
  # shellcheck disable=SC2059 # the formats are the key pads' own byte escapes
  inner=$({ printf "$ipad"; head -c "$3" "$2"; } | openssl dgst -sha256 -r | cut -d ' ' -f 1)
  # shellcheck disable=SC2059
  { printf "$opad"; printf "$(hex_bytes "$inner")"; } | openssl dgst -sha256 -r | cut -d ' ' -f 1
}

backup_seal() { # <archive> <out> <environment> <created>
  local enc_salt mac_salt size
  enc_salt=$(openssl rand -hex 8)
  mac_salt=$(openssl rand -hex 8)
  printf '%s environment=%s created=%s kdf=%s cipher=%s enc-salt=%s mac-salt=%s\n' \
    "$BACKUP_FORMAT" "$3" "$4" "$BACKUP_KDF" "$BACKUP_CIPHER" "$enc_salt" "$mac_salt" >"$2"
  backup_enc "$enc_salt" -in "$1" >>"$2"
  size=$(stat -c %s "$2")
  # shellcheck disable=SC2059
  printf "$(hex_bytes "$(backup_mac "$mac_salt" "$2" "$size")")" >>"$2"
}

# Checks a sealed backup and decrypts it. Prints `<environment> <created>` once the tag matches;
# until then nothing in the file is trusted. On failure says why on stderr and returns 1.
backup_open() { # <file> <archive out>
  local header size tag expected length
  header=$(head -c 512 "$1" | head -n 1)
  if [[ ! $header =~ $BACKUP_HEADER_RE ]]; then
    echo "is not a $BACKUP_FORMAT backup with $BACKUP_KDF and $BACKUP_CIPHER (its header: ${header:0:80})" >&2
    return 1
  fi
  local environment=${BASH_REMATCH[1]} created=${BASH_REMATCH[2]} enc_salt=${BASH_REMATCH[3]} mac_salt=${BASH_REMATCH[4]}
  size=$(stat -c %s "$1")
  length=$((${#header} + 1))
  if ((size < length + 32)); then
    echo "is truncated" >&2
    return 1
  fi
  expected=$(tail -c 32 "$1" | od -An -v -tx1 | tr -d ' \n')
  tag=$(backup_mac "$mac_salt" "$1" $((size - 32)))
  if [[ $tag != "$expected" ]]; then
    echo "cannot be authenticated (wrong BACKUP_PASSPHRASE, or the file was altered)" >&2
    return 1
  fi
  tail -c +$((length + 1)) "$1" | head -c $((size - length - 32)) | backup_enc "$enc_salt" -d -out "$2"
  echo "$environment $created"
}
