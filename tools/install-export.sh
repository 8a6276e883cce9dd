#!/usr/bin/env bash
# Installs what `python -m generator export` needs outside the virtualenv: pango (WeasyPrint draws text with it)
# and the Noto Serif / Sans CJK fonts that the PDFs embed. As root it uses apt; otherwise it says what to
# install and fails. LibreOffice (for importing an old .doc) is optional: apt-get install libreoffice-writer-nogui
set -euo pipefail
source "$(dirname "$0")/apt-install.sh"
need=()
libs=$(ldconfig -p 2>/dev/null || true)
grep -q "libpango-1.0.so.0" <<<"$libs" || need+=(libpango-1.0-0)
grep -q "libpangoft2-1.0.so.0" <<<"$libs" || need+=(libpangoft2-1.0-0)
# Read the font list first: `fc-list | grep -q` under pipefail fails when grep exits early (SIGPIPE).
fonts=$(fc-list 2>/dev/null || true)
{ grep -qi "Noto Serif CJK SC" <<<"$fonts" && grep -qi "Noto Sans CJK SC" <<<"$fonts"; } || need+=(fonts-noto-cjk)
command -v fc-list >/dev/null 2>&1 || need+=(fontconfig)
apt_install "The export" ${need[@]+"${need[@]}"}
