#!/usr/bin/env bash
# Installs the system programs the tests need when they are missing: Debian's chromium (the browser
# tests drive it; never a downloaded browser) with a font to lay pages out, Java for the Nu Html
# Checker, npm for axe-core and vnu-jar, and make. `make test` and .ci/run both call this, so a
# newcomer's first `make test` needs no other step. On Debian or Ubuntu it uses apt-get (through sudo
# when not root); elsewhere it names what to install and stops.
set -euo pipefail

packages=()
command -v make >/dev/null 2>&1 || packages+=(make)
[ -x /usr/bin/chromium ] || packages+=(chromium fonts-dejavu-core)
command -v java >/dev/null 2>&1 || packages+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
[ ${#packages[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "The tests need: ${packages[*]} (Debian's package names; chromium at /usr/bin/chromium)." >&2
    echo "This machine has no apt-get: install them with its own package manager, then run make test again." >&2
    exit 1
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "Installing ${packages[*]} needs root: run as root or install sudo." >&2; exit 1; }
    sudo=(sudo)
fi
# Ubuntu's chromium package is a snap wrapper; its chromium-browser is not at /usr/bin/chromium.
if grep -qi ubuntu /etc/os-release 2>/dev/null && [[ " ${packages[*]} " == *" chromium "* ]]; then
    echo "Note: on Ubuntu, chromium comes as a snap; the tests expect Debian's /usr/bin/chromium." >&2
fi
echo "Installing what the tests need: ${packages[*]}" >&2
"${sudo[@]}" apt-get update
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y --no-install-recommends "${packages[@]}"
