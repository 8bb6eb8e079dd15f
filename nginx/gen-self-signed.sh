#!/usr/bin/env sh
# A self-signed certificate for a local cluster (browsers will warn; curl needs -k or --cacert).
# Usage: nginx/gen-self-signed.sh [hostname]   → nginx/certs/fullchain.pem, nginx/certs/privkey.pem
set -eu
host="${1:-localhost}"
dir="$(dirname "$0")/certs"
mkdir -p "$dir"
openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=$host" \
  -addext "subjectAltName=DNS:$host,IP:127.0.0.1" \
  -keyout "$dir/privkey.pem" -out "$dir/fullchain.pem"
chmod 600 "$dir/privkey.pem"
echo "wrote $dir/fullchain.pem and $dir/privkey.pem for $host"
