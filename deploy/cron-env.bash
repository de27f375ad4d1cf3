# Sourced by bash before every line of the alma-rs crontab (BASH_ENV=/etc/alma-rs/cron-env.bash): exports the
# secrets of /etc/alma-rs/alma-rs.env, the file the systemd unit reads, so "env:NAME" values resolve under cron too.
set -a
# shellcheck source=/dev/null
. /etc/alma-rs/alma-rs.env
set +a
