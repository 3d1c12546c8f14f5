#!/usr/bin/env bash
# Runs its arguments with a private, unlocked gnome-keyring behind a private D-Bus session, so tests
# reach a real Secret Service without touching the developer's own keyring.
#
#   bash test/support/with-keyring.sh vitest run --project integration
#   bash test/support/with-keyring.sh playwright test -c test/e2e/playwright.config.ts
#
# Commands resolve through node_modules/.bin first, so `vitest` works as well as `npx vitest`.
# Why each setting (see shared/design/ENVIRONMENT.md, "OS keychain"):
#   - DISPLAY is unset: with a display, a locked keyring waits on an invisible prompt for ever.
#   - XDG_RUNTIME_DIR is set to a fresh 0700 folder: without it Secret Service calls stall 25 s.
#   - XDG_DATA_HOME is fresh: the keyring files live there, so each run starts empty and no run
#     reads or writes the keyring under $HOME.
#   - The unlock password is non-empty (and random): with an empty one the keyring is not unlocked.
#     It is kept in a 0600 file beside the keyring (KOTOZUTE_KEYRING_PASSWORD_FILE) so a drill or a
#     test that locks the keyring can unlock it again as the desktop does (test/support/keyring-lock.ts).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export PATH="$root/node_modules/.bin:$PATH"

if [[ $# -eq 0 ]]; then
  echo "usage: bash test/support/with-keyring.sh COMMAND [ARG...]" >&2
  exit 2
fi

# Already inside such a session (a test that launches a child, or a nested wrapper): just run.
if [[ "${KOTOZUTE_KEYRING_READY:-}" == "1" ]]; then
  exec "$@"
fi

# Second stage, inside the private bus that the first stage (below) started.
if [[ "${KOTOZUTE_KEYRING_STAGE:-}" == "inside" ]]; then
  unset KOTOZUTE_KEYRING_STAGE
  # The daemon prints GNOME_KEYRING_CONTROL=… (and SSH_AUTH_SOCK=… on older versions) to export.
  password="kotozute-test-$$-$RANDOM"
  if [[ -n "${KOTOZUTE_KEYRING_SCRATCH:-}" ]]; then
    (umask 077 && printf '%s' "$password" >"$KOTOZUTE_KEYRING_SCRATCH/keyring-password")
    export KOTOZUTE_KEYRING_PASSWORD_FILE="$KOTOZUTE_KEYRING_SCRATCH/keyring-password"
  fi
  unset KOTOZUTE_KEYRING_SCRATCH
  if ! daemon_env="$(printf '%s' "$password" | gnome-keyring-daemon --unlock --components=secrets)"; then
    echo "with-keyring: gnome-keyring-daemon could not start or unlock" >&2
    exit 1
  fi
  while IFS= read -r line; do
    [[ "$line" == *=* ]] && export "${line?}"
  done <<<"$daemon_env"
  # The daemon forks and claims org.freedesktop.secrets a moment later: wait for it (up to 5 s), so
  # nothing that looks the service up on the bus without activating it (gdbus in the keychain tests)
  # races the daemon's start-up.
  if command -v gdbus >/dev/null 2>&1; then
    for _ in $(seq 1 100); do
      gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
        --method org.freedesktop.DBus.NameHasOwner org.freedesktop.secrets 2>/dev/null | grep -q true && break
      sleep 0.05
    done
  fi
  export KOTOZUTE_KEYRING_READY=1
  # The daemon is a child of this session: when the command ends, dbus-run-session stops the bus
  # and the daemon, which watches the bus, exits with it.
  exec "$@"
fi

for tool in dbus-run-session gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "with-keyring: '$tool' is missing; install the system packages: apt-get install -y dbus gnome-keyring libsecret-1-0" >&2
    exit 1
  fi
done

scratch="$(mktemp -d -t kotozute-keyring.XXXXXX)"
cleanup() { rm -rf "$scratch"; }
trap cleanup EXIT

mkdir -p "$scratch/runtime" "$scratch/data"
chmod 700 "$scratch" "$scratch/runtime"
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL
export XDG_RUNTIME_DIR="$scratch/runtime"
export XDG_DATA_HOME="$scratch/data"

set +e
KOTOZUTE_KEYRING_STAGE=inside KOTOZUTE_KEYRING_SCRATCH="$scratch" dbus-run-session -- bash "$here/with-keyring.sh" "$@"
status=$?
set -e
exit "$status"
