#!/bin/sh
# What tests/wordpress needs, installed only when missing (quick and silent when everything is there):
#   - PHP's CLI with mysqli and MariaDB's server binaries: Debian packages, installed with apt as root;
#   - Debian's WordPress and its two default themes, unpacked into DEST (not installed: that pulls Apache).
# Never fails the build: whatever is still missing afterwards, the WordPress tests name in one line.
# Usage: install_deps.sh DEST    (DEST is where the .deb files are unpacked, e.g. .venv/wordpress)
set -u

DEST=${1:?usage: install_deps.sh DEST}
SYSTEM_PACKAGES=""
WORDPRESS_PACKAGES="wordpress wordpress-theme-twentytwentyone wordpress-theme-twentytwentythree"
TREE="$DEST/usr/share/wordpress"

has_php_mysqli() {
    command -v php >/dev/null 2>&1 && php -r 'exit(extension_loaded("mysqli") ? 0 : 1);' 2>/dev/null
}
has_mariadb() {
    PATH="$PATH:/usr/sbin" command -v mariadbd >/dev/null 2>&1
}
has_wordpress() {
    test -f "$TREE/wp-settings.php" \
        && test -d "$TREE/wp-content/themes/twentytwentyone" \
        && test -d "$TREE/wp-content/themes/twentytwentythree"
}

has_php_mysqli || SYSTEM_PACKAGES="php-cli php-mysql"
has_mariadb || SYSTEM_PACKAGES="$SYSTEM_PACKAGES mariadb-server-core"
if [ -z "$SYSTEM_PACKAGES" ] && has_wordpress; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    if [ -n "$SYSTEM_PACKAGES" ]; then
        echo "wordpress-deps: not root, so not installing:$SYSTEM_PACKAGES (the WordPress tests need them)"
    fi
    APT_DOWNLOAD="apt-get download -q"
else
    echo "wordpress-deps: installing what the WordPress tests need"
    apt-get update -qq || echo "wordpress-deps: apt-get update failed"
    if [ -n "$SYSTEM_PACKAGES" ]; then
        # shellcheck disable=SC2086  # a list of package names
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $SYSTEM_PACKAGES \
            >/dev/null || echo "wordpress-deps: apt-get install$SYSTEM_PACKAGES failed"
    fi
    # as root apt would hand the download to its sandbox user, who cannot write to a private temp dir
    APT_DOWNLOAD="apt-get download -q -o APT::Sandbox::User=root"
fi

if ! has_wordpress; then
    work=$(mktemp -d) || exit 0
    # shellcheck disable=SC2086
    if (cd "$work" && $APT_DOWNLOAD $WORDPRESS_PACKAGES >/dev/null); then
        mkdir -p "$work/tree"
        for deb in "$work"/*.deb; do
            dpkg-deb -x "$deb" "$work/tree"
        done
        rm -rf "$DEST" && mkdir -p "$(dirname "$DEST")" && mv "$work/tree" "$DEST"
    else
        echo "wordpress-deps: could not download $WORDPRESS_PACKAGES from Debian's archive"
    fi
    rm -rf "$work"
fi
exit 0
