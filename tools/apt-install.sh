# Sourced by the install scripts: `apt_install WHAT PACKAGE...` installs the missing Debian packages as root,
# otherwise says what WHAT needs and fails. Nothing to install is success.
apt_install() {
  local what=$1
  shift
  [ $# -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing $* with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    return 0
  fi
  echo "$what needs: $*. Install them, e.g.: sudo apt-get install $*" >&2
  return 1
}
