#!/usr/bin/env bash
# Installs what `python -m generator export` needs outside the virtualenv: pango (WeasyPrint draws text with it)
# and the Noto Serif / Sans CJK fonts that the PDFs embed. As root it uses apt; otherwise it says what to
# install and fails. LibreOffice (for importing an old .doc) is optional: apt-get install libreoffice-writer-nogui
set -euo pipefail
need=()
libs=$(ldconfig -p 2>/dev/null || true)
grep -q "libpango-1.0.so.0" <<<"$libs" || need+=(libpango-1.0-0)
grep -q "libpangoft2-1.0.so.0" <<<"$libs" || need+=(libpangoft2-1.0-0)
# Read the font list first: `fc-list | grep -q` under pipefail fails when grep exits early (SIGPIPE).
fonts=$(fc-list 2>/dev/null || true)
{ grep -qi "Noto Serif CJK SC" <<<"$fonts" && grep -qi "Noto Sans CJK SC" <<<"$fonts"; } || need+=(fonts-noto-cjk)
command -v fc-list >/dev/null 2>&1 || need+=(fontconfig)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${need[*]} with apt-get"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  exit 0
fi
echo "The export needs: ${need[*]}. Install them, e.g.: sudo apt-get install ${need[*]}" >&2
exit 1
