#!/bin/sh
# Installs the .deb into a throwaway copy of this machine's root: an overlay over / (writes land in
# WORK/upper) inside a private mount namespace (run under `unshare --mount --fork`), with no systemd
# running, as in a chroot or an image being built. Prints KEY=VALUE lines for DebInstallTest.
# usage: throwaway-root.sh DEB WORK PORT
set -eu
deb=$1 work=$2 port=$3
m=$work/merged
mkdir -p "$work/upper" "$work/work" "$m"
mount --make-rprivate /
mount -t overlay overlay -o "lowerdir=/,upperdir=$work/upper,workdir=$work/work" "$m"
mount -t proc proc "$m/proc"
mount --rbind /dev "$m/dev"
mount -t tmpfs tmpfs "$m/run"
mount -t tmpfs tmpfs "$m/tmp"
cp "$deb" "$m/tmp/fiscald.deb"
in_root() { chroot "$m" "$@"; }
state() { if in_root test -e "$1"; then echo present; else echo absent; fi; }

# a throwaway root that already knows fiscald (a rerun) would prove nothing
in_root sh -c '! getent passwd fiscald && ! test -e /var/lib/fiscald'

in_root dpkg -i /tmp/fiscald.deb
echo "groups=$(in_root id -nG fiscald)"
echo "home=$(in_root getent passwd fiscald | cut -d: -f6)"
echo "datadir=$(in_root stat -c '%U:%G %a' /var/lib/fiscald)"
echo "conf=$(in_root stat -c '%U:%G %a' /etc/fiscald/fiscald.conf)"
echo "enabled=$(in_root readlink /etc/systemd/system/multi-user.target.wants/fiscald.service || true)"
if in_root sh -c 'command -v systemd-analyze' >/dev/null; then
  echo "verify=[$(in_root systemd-analyze verify --man=no /lib/systemd/system/fiscald.service 2>&1 | tr '\n' ' ')]"
fi

# as root, fiscalctl works as the fiscald user
in_root fiscalctl init >/dev/null
echo "db=$(in_root stat -c '%U %a' /var/lib/fiscald/fiscald.db)"
echo "key=$(in_root stat -c '%U %a' /var/lib/fiscald/master.key)"

# the service's command as the service's user, on the launcher's defaults (the unit sets the same values)
# (chroot itself in the background, not a shell function, so that $! ends up as the JVM: everything execs)
chroot "$m" setpriv --reuid=fiscald --regid=fiscald --init-groups \
  env -u FISCALD_CONFIG -u FISCALD_DATA_DIR /usr/bin/fiscald --listen "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
pid=$!
trap 'kill -KILL $pid 2>/dev/null || true' EXIT
health=down
i=0
while [ $i -lt 120 ] && kill -0 $pid 2>/dev/null; do
  if health=$(curl -fsS "http://127.0.0.1:$port/healthz" 2>/dev/null); then break; fi
  health=down
  i=$((i + 1))
  sleep 1
done
echo "healthz=$health"
echo "serve_uid=$(awk '/^Uid:/ {print $2}' /proc/$pid/status)"
echo "serve_cmd=$(tr '\0' ' ' < /proc/$pid/cmdline)"
echo "fiscald_uid=$(in_root id -u fiscald)"
echo "serve_env=$(tr '\0' '\n' < /proc/$pid/environ | grep '^FISCALD_' | sort | tr '\n' ' ')"
kill -TERM $pid
status=0
wait $pid || status=$?
echo "serve_exit=$status"

in_root dpkg -r fiscald
echo "removed_db=$(state /var/lib/fiscald/fiscald.db)"
echo "removed_key=$(state /var/lib/fiscald/master.key)"
echo "removed_conf=$(state /etc/fiscald/fiscald.conf)"
echo "removed_user=$(in_root getent passwd fiscald >/dev/null && echo present || echo absent)"

in_root dpkg -i /tmp/fiscald.deb
echo "reinstalled_db=$(state /var/lib/fiscald/fiscald.db)"
echo "reinstalled_enabled=$(in_root readlink /etc/systemd/system/multi-user.target.wants/fiscald.service || true)"

in_root dpkg --purge fiscald 2>"$work/purge.err"
echo "purged_data=$(state /var/lib/fiscald)"
echo "purged_conf=$(state /etc/fiscald/fiscald.conf)"
echo "purged_user=$(in_root getent passwd fiscald >/dev/null && echo present || echo absent)"
echo "purge_warning=$(tr '\n' ' ' < "$work/purge.err")"
echo "done=yes"
