#!/usr/bin/env bash
# mkiso.sh OUT.iso HYPERVISOR "HV CMDLINE" GUEST "GUEST CMDLINE" [GUEST "CMDLINE"]...
#
# Builds a BIOS-bootable GRUB rescue ISO (grub-pc-bin + xorriso) that boots
# HYPERVISOR with multiboot2 and hands it each GUEST as a multiboot2 module:
#
#   /boot/xen.img      HYPERVISOR (xen-like's build/xen-like, or real Xen's
#                      xen-4.17.gz: GRUB unpacks gzip by itself)
#   /boot/guest        first GUEST  (dom0 for real Xen)
#   /boot/guest2 ...   further GUESTs, in order
#
# GRUB talks on the first serial port only, and boots at once.  Under
# multiboot2 the command lines carry no file-name word (multiboot1 loaders,
# such as QEMU's -kernel, put the file name first; Xen drops it there).
# Each word of a command line becomes one single-quoted GRUB word: GRUB
# joins the words with single spaces (it would wrap a word containing a space
# in double quotes, which Xen does not understand, so a command line is never
# passed as one word).
set -euo pipefail

usage() {
    echo "usage: $0 OUT.iso HYPERVISOR \"HV CMDLINE\" GUEST \"GUEST CMDLINE\" [GUEST \"CMDLINE\"]..." >&2
    exit 2
}
[[ $# -ge 5 && $((($# - 3) % 2)) -eq 0 ]] || usage
out=$1 hv=$2 hv_cmdline=$3
shift 3
for f in "$hv" $(for ((i = 1; i <= $#; i += 2)); do echo "${!i}"; done); do
    [[ -f $f ]] || { echo "mkiso.sh: no such file: $f" >&2; exit 1; }
done

# grub_words "a b c": the words of a command line, each as a literal
# single-quoted GRUB word ('it'\''s' for it's), separated by spaces.
grub_words() {
    local w quoted=() words
    read -r -a words <<<"$1" || true
    for w in "${words[@]}"; do
        quoted+=("'${w//\'/\'\\\'\'}'")
    done
    echo "${quoted[*]}"
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mkiso.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
stage=$tmp/iso                 # the files that go on the image
mkdir -p "$stage/boot/grub"
cp "$hv" "$stage/boot/xen.img"

{
    echo "serial --unit=0 --speed=115200"
    echo "terminal_input serial"
    echo "terminal_output serial"
    echo "set timeout=0"
    echo "# The hypervisor may be gzip-compressed (real Xen's xen.gz)."
    echo "insmod gzio"
    echo
    echo "menuentry 'xen-like test' {"
    echo "    multiboot2 /boot/xen.img $(grub_words "$hv_cmdline")"
    n=1
    while [[ $# -gt 0 ]]; do
        name=/boot/guest
        [[ $n -gt 1 ]] && name=/boot/guest$n
        cp "$1" "$stage$name"
        echo "    module2 $name $(grub_words "$2")"
        shift 2
        n=$((n + 1))
    done
    echo "    boot"
    echo "}"
} >"$stage/boot/grub/grub.cfg"

# Only the modules the config needs go on the image (smaller and faster to
# build); grub-mkrescue adds the CD-ROM boot pieces itself.
mkdir -p "$(dirname "$out")"
if ! grub-mkrescue --output="$out" --compress=no \
        --install-modules="multiboot2 normal serial terminal echo test gzio iso9660 biosdisk" \
        --locales= --fonts= --themes= \
        "$stage" >"$tmp/mkrescue.log" 2>&1; then
    cat "$tmp/mkrescue.log" >&2
    exit 1
fi
