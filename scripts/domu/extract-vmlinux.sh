#!/usr/bin/env bash
# Turn a Linux bzImage into the ELF vmlinux inside it, so that Xen loads dom0
# without decompressing it (XZ under QEMU's TCG costs Xen 2.5-4.7 s a boot).
#
#   scripts/domu/extract-vmlinux.sh BZIMAGE OUT
#
# The x86 boot protocol header says where the compressed kernel is:
#   0x1f1  setup_sects     (u8)   512-byte sectors of real-mode setup after the
#                                 boot sector; 0 means 4
#   0x202  header          (u32)  "HdrS"
#   0x248  payload_offset  (u32)  from the start of the protected-mode code
#   0x24c  payload_length  (u32)
# Only an XZ payload is handled: it is what Debian's kernels use.
set -euo pipefail

die() { echo "extract-vmlinux: $*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: extract-vmlinux.sh BZIMAGE OUT"
in=$1 out=$2
[ -f "$in" ] || die "'$in' not found"

# read_le FILE OFFSET SIZE: an unsigned little-endian integer.
read_le() {
    od -An -t "u$3" -j "$2" -N "$3" --endian=little "$1" | tr -d ' '
}

[ "$(dd if="$in" bs=1 skip=$((0x202)) count=4 status=none)" = HdrS ] ||
    die "'$in' is not a bzImage (no HdrS boot header)"
setup_sects=$(read_le "$in" $((0x1f1)) 1)
[ "$setup_sects" -eq 0 ] && setup_sects=4
payload_offset=$(read_le "$in" $((0x248)) 4)
payload_length=$(read_le "$in" $((0x24c)) 4)
start=$(( (setup_sects + 1) * 512 + payload_offset ))
size=$(stat -c %s "$in")
[ "$payload_length" -gt 0 ] && [ $((start + payload_length)) -le "$size" ] ||
    die "'$in': payload at $start+$payload_length lies outside the file ($size bytes)"

magic=$(od -An -t x1 -j "$start" -N 6 "$in" | tr -d ' ')
[ "$magic" = fd377a585a00 ] ||
    die "'$in': the payload is not XZ (starts with $magic); only XZ is handled"

# The payload ends with the decompressed size (4 bytes, for the in-kernel
# decompressor): --single-stream stops at the end of the XZ stream.
tmp="$out.tmp"
dd if="$in" iflag=skip_bytes,count_bytes skip="$start" count="$payload_length" bs=1M status=none |
    xz -dc --single-stream > "$tmp" ||
    { rm -f "$tmp"; die "'$in': xz could not decompress the payload"; }
[ "$(head -c 4 "$tmp" | od -An -t x1 | tr -d ' ')" = 7f454c46 ] ||
    { rm -f "$tmp"; die "'$in': the decompressed payload is not an ELF file"; }
mv "$tmp" "$out"
