#!/usr/bin/env bash
# pt-capture.sh LOG [GUEST-CMDLINE [WHEN]] - boot xen-like with one guest and press
# the debug keys h q m p a t on its serial console once the guest is busy,
# so that LOG holds a 'p' page-table dump of a running system.
#
# The guest defaults to `init` (the guest kernel's own tables and user
# processes); the keys are typed (Ctrl-A three times first, switching the
# input to the hypervisor) once a log line matches the extended regex WHEN
# (for init: its first fork; otherwise: the guest's first line), through
# boot.sh --input-after.  Used by `make pt-graph` and by make test.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
log=${1:?usage: pt-capture.sh LOG [GUEST-CMDLINE]}
guest_cmdline=${2:-init}
when=${3:-}
if [[ -z $when ]]; then
    when='^KTAP version'
    [[ $guest_cmdline == init* ]] && when='^# \[kernel\] fork: pid 1 -> pid 2'
fi
mkdir -p "$(dirname "$log")"
printf '\001\001\001hqmpat' >"$log.keys"
bash "$root/tests/harness/boot.sh" --timeout 90 --input "$log.keys" \
    --input-after "$when" "$log" \
    "$root/build/xen-like" \
    "console=com1 com1=115200,8n1 loglvl=all guest_loglvl=all noreboot dom0_mem=32M" \
    "$root/build/guest-kernel/guest-kernel" "$guest_cmdline"
