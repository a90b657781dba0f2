#!/usr/bin/env bash
# fetch.sh OUTDIR - fetch the "oracle": real Xen 4.17 and a QEMU >= 8.
#
# The test suite runs every guest twice, once on xen-like and once on the
# real Xen hypervisor from Debian, and compares what the guest saw.  This
# script puts both tools under OUTDIR without installing anything into the
# system:
#
#   OUTDIR/xen-4.17.gz    Debian's xen-hypervisor-4.17-amd64 image, for GRUB
#                         (multiboot2 /boot/xen.img ...)
#   OUTDIR/xen-4.17.elf   the same, gunzipped: an ELF32 multiboot1 image that
#                         QEMU's -kernel accepts
#   OUTDIR/qemu           wrapper running QEMU 10 from bookworm-backports.
#                         Debian 12's own QEMU 7.2 has a TCG bug with `int n`
#                         in long mode (QEMU issue 1382) that breaks Xen's PV
#                         software-interrupt path, so the tests use this one.
#
# Packages are fetched with `apt-get download` and unpacked with `dpkg -x`.
# Backports are reached through a private apt configuration under
# OUTDIR/apt, so the machine's apt setup is never modified.  A second run is
# a fast no-op (a stamp file records success).  Needs no tty; works as root
# in CI.
set -euo pipefail

usage() { echo "usage: $0 OUTDIR" >&2; exit 2; }
[[ $# -eq 1 ]] || usage
mkdir -p "$1"
out=$(cd "$1" && pwd)
stamp=$out/.fetched-v2   # bump when the wrapper changes

is_done() {
    [[ -f $stamp && -s $out/xen-4.17.elf && -s $out/xen-4.17.gz && -x $out/qemu ]] &&
        [[ -x $out/qemu-10/usr/bin/qemu-system-x86_64 ]]
}
is_done && exit 0

# Two `make` runs at once must not interleave their downloads.
exec 9>"$out/.lock"
flock 9
is_done && exit 0

export DEBIAN_FRONTEND=noninteractive
say() { echo "fetch.sh: $*" >&2; }

debs=$out/debs
mkdir -p "$debs"

# newest FILE...: the last of the files a glob matched (fails if none did).
newest() {
    [[ -e $1 ]] || return 1
    local f
    for f in "$@"; do :; done
    echo "$f"
}

# ---------------------------------------------------------------------------
# 1. Real Xen from the machine's normal suites.
# ---------------------------------------------------------------------------
xen_pkg=xen-hypervisor-4.17-amd64
fetch_xen() {
    (cd "$debs" && apt-get -q -o APT::Sandbox::User=root download "$xen_pkg")
}
if ! newest "$debs"/"$xen_pkg"_*.deb >/dev/null; then
    if ! fetch_xen; then
        say "download of $xen_pkg failed; running apt-get update once"
        apt-get -q update
        fetch_xen
    fi
fi

# ---------------------------------------------------------------------------
# 2. QEMU 10 from <codename>-backports through a private apt configuration.
# ---------------------------------------------------------------------------

# The mirror: first URI of the stanza in debian.sources (deb822 format) that
# serves the main suite, else the first plain `deb` line, else the default.
mirror_uri() {
    local f=/etc/apt/sources.list.d/debian.sources uri=
    if [[ -r $f ]]; then
        uri=$(awk '
            /^[[:space:]]*$/ { if (u != "" && s ~ /(^| )[a-z]+( |$)/) { print u; exit } u = ""; s = ""; next }
            /^URIs:/          { u = $2 }
            /^Suites:/        { $1 = ""; s = $0 }
            END               { if (u != "" && s ~ /(^| )[a-z]+( |$)/) print u }
        ' "$f" | head -n1)
    fi
    if [[ -z $uri && -r /etc/apt/sources.list ]]; then
        uri=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }' \
              /etc/apt/sources.list)
    fi
    echo "${uri:-http://deb.debian.org/debian}"
}

codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
bp=$codename-backports
apt_dir=$out/apt
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
echo "deb [signed-by=$keyring] $(mirror_uri) $bp main" >"$apt_dir/sources.list"

O=(-q
   -o "Dir::Etc::SourceList=$apt_dir/sources.list"
   -o "Dir::Etc::SourceParts=/dev/null"
   -o "Dir::State::Lists=$apt_dir/lists"
   -o "Dir::Cache=$apt_dir/cache"
   -o "APT::Sandbox::User=root")

if ! newest "$debs"/qemu-system-x86_*.deb >/dev/null ||
   ! newest "$debs"/qemu-system-data_*.deb >/dev/null; then
    say "fetching QEMU from $bp"
    apt-get "${O[@]}" update
    (cd "$debs" && apt-get "${O[@]}" download \
        "qemu-system-x86/$bp" "qemu-system-data/$bp")
fi

# ---------------------------------------------------------------------------
# 3. Unpack and produce the three outputs.
# ---------------------------------------------------------------------------
rm -rf "$out/xen-pkg" "$out/qemu-10"
dpkg -x "$(newest "$debs"/"$xen_pkg"_*.deb)" "$out/xen-pkg"
dpkg -x "$(newest "$debs"/qemu-system-x86_*.deb)" "$out/qemu-10"
dpkg -x "$(newest "$debs"/qemu-system-data_*.deb)" "$out/qemu-10"

xen_gz=$(newest "$out"/xen-pkg/boot/xen-4.17*-amd64.gz) ||
    { say "no boot/xen-4.17-amd64.gz in $xen_pkg"; exit 1; }
cp "$xen_gz" "$out/xen-4.17.gz"
gzip -dc "$xen_gz" >"$out/xen-4.17.elf"
# QEMU's -kernel path needs the ELF32 multiboot image.
if [[ $(head -c 5 "$out/xen-4.17.elf" | od -An -tx1 | tr -d ' \n') != 7f454c4601 ]]; then
    say "xen-4.17.elf is not an ELF32 image"; exit 1
fi

# The wrapper finds its QEMU relative to itself, so OUTDIR may move.
cat >"$out/qemu" <<'EOF'
#!/usr/bin/env bash
# QEMU 10 unpacked from bookworm-backports by tests/oracle/fetch.sh.
here=$(dirname "$(readlink -f "$0")")
q=$here/qemu-10
# QEMU 10 would otherwise try Debian 7.2's loadable modules (audio) from
# /usr/lib and abort; the tests need no audio, so none is configured.
audio=(-audio none)
for a in "$@"; do
    case $a in -audio|-audiodev|-nodefaults) audio=() ;; esac
done
exec "$q/usr/bin/qemu-system-x86_64" -L "$q/usr/share/qemu" \
     -L /usr/share/qemu -L /usr/share/seabios "${audio[@]}" "$@"
EOF
chmod +x "$out/qemu"

"$out/qemu" --version | head -n1 >&2
touch "$stamp"
say "done: $out/xen-4.17.elf $out/xen-4.17.gz $out/qemu"
