# S3 object calls for the operations scripts, signed by curl (--aws-sigv4, curl >= 7.75), path-style
# (`<endpoint>/<bucket>/<key>`, which Hetzner Object Storage and Cloudflare R2 both serve).
# Prepended to the script that uses it. The access keys reach curl through a config read from a file
# descriptor (`-K`), never through its arguments. Reads BACKUP_S3_ENDPOINT, BACKUP_S3_REGION,
# BACKUP_S3_BUCKET, BACKUP_S3_ACCESS_KEY, BACKUP_S3_SECRET_KEY.

s3_request() { # <method> <key or ?query> [curl options...]
  local method=$1 target=$2
  shift 2
  curl --silent --show-error --fail --retry 3 --aws-sigv4 "aws:amz:${BACKUP_S3_REGION}:s3" \
    -K <(printf 'user = "%s:%s"\n' "$BACKUP_S3_ACCESS_KEY" "$BACKUP_S3_SECRET_KEY") \
    -X "$method" "$@" "${BACKUP_S3_ENDPOINT%/}/${BACKUP_S3_BUCKET}/${target}"
}

# curl signs an uploaded file's body as empty; the file's SHA-256 in x-amz-content-sha256, which
# S3 checks against the body, is what the signature then covers.
s3_put() { # <file> <key>
  local hash
  hash=$(sha256sum "$1" | cut -d ' ' -f 1)
  s3_request PUT "$2" -T "$1" -H "x-amz-content-sha256: $hash" -o /dev/null
}
s3_get() { s3_request GET "$1" -o "$2"; }                 # <key> <file>
s3_delete() { s3_request DELETE "$1" -o /dev/null; }      # <key>

# Keys under a prefix, one a line, in the order S3 lists them (ascending). One page (up to 1000
# keys) is enough: retention keeps about 45 backups per environment.
s3_list() { # <prefix>
  s3_request GET "?list-type=2&prefix=${1//\//%2F}" | grep -o '<Key>[^<]*</Key>' | sed -e 's/^<Key>//' -e 's/<\/Key>$//' || true
}
