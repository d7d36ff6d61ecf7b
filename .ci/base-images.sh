#!/usr/bin/env bash
# Builds the local base images the project's images start from, since no registry can be pulled from here:
#   logical-clocks-jre:17  Debian bookworm + openjdk-17-jre-headless (Jib base, Dockerfile runtime stage)
#   logical-clocks-jdk:17  Debian bookworm + openjdk-17-jdk-headless (Dockerfile build stage)
# Skips an image that already exists. The Debian mirror is read from this machine's apt sources.
set -euo pipefail

mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
if [ -z "$mirror" ]; then
  mirror=$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
fi
[ -n "$mirror" ] || { echo "no Debian mirror found in apt sources" >&2; exit 1; }

build() {
  local name=$1 package=$2
  if docker image inspect "$name" >/dev/null 2>&1; then
    echo "base image $name present"
    return
  fi
  echo "building base image $name from $package"
  local dir
  dir=$(mktemp -d)
  debootstrap --variant=minbase --include="$package,ca-certificates" bookworm "$dir" "$mirror" >/tmp/debootstrap-"${name//[:\/]/_}".log 2>&1
  rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
  # Trust the same extra CAs as this machine (an egress proxy may re-sign TLS), so a build inside a container
  # can reach Maven Central like the host does.
  local crt
  for crt in /usr/local/share/ca-certificates/*.crt; do
    [ -f "$crt" ] || continue
    cp "$crt" "$dir/usr/local/share/ca-certificates/"
    cat "$crt" >> "$dir/etc/ssl/certs/ca-certificates.crt"
    keytool -importcert -noprompt -storepass changeit -keystore "$dir/etc/ssl/certs/java/cacerts" \
      -alias "local-$(basename "$crt" .crt)" -file "$crt" >/dev/null 2>&1
  done
  tar -C "$dir" -c . | docker import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'ENV LANG=C.UTF-8' - "$name" >/dev/null
  rm -rf "$dir"
}

build logical-clocks-jre:17 openjdk-17-jre-headless
build logical-clocks-jdk:17 openjdk-17-jdk-headless
