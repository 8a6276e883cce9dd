#!/usr/bin/env bash
# Installs what the browser tests need: Debian's Chromium and a CJK font (Playwright cannot download
# browsers here). As root it uses apt; otherwise it says what to install and fails.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# Read the font list first: `fc-list | grep -q` under pipefail fails when grep exits early (SIGPIPE).
fonts=$(fc-list 2>/dev/null || true)
grep -qiE "noto (sans|serif) cjk|wqy" <<<"$fonts" || need+=(fonts-noto-cjk)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${need[*]} with apt-get"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  exit 0
fi
echo "The browser tests need: ${need[*]}. Install them, e.g.: sudo apt-get install ${need[*]}" >&2
exit 1
