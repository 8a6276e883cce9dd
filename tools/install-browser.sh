#!/usr/bin/env bash
# Installs what the browser tests need: Debian's Chromium and a CJK font (Playwright cannot download
# browsers here). As root it uses apt; otherwise it says what to install and fails.
set -euo pipefail
source "$(dirname "$0")/apt-install.sh"
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# Read the font list first: `fc-list | grep -q` under pipefail fails when grep exits early (SIGPIPE).
fonts=$(fc-list 2>/dev/null || true)
grep -qiE "noto (sans|serif) cjk|wqy" <<<"$fonts" || need+=(fonts-noto-cjk)
apt_install "The browser tests" ${need[@]+"${need[@]}"}
