# xen-like.gdb - loaded by `make debug` (tools/debug.sh) after gdb has the
# hypervisor's symbols (build/xen-like.elf64, linked at XEN_VIRT_START, so
# its addresses need no offset) and the guest kernel's (add-symbol-file at
# its own link address, 0xffffffff80000000).
#
# QEMU stops at the reset vector with paging off, so breakpoints on these
# virtual addresses must be hardware ones: use `hbreak`, not `break`.
#
# Helpers:
#   page_info MFN   print frame MFN's struct page_info (frame table entry)
#   type_info MFN   decode its type_info and count_info the way mm.h
#                   defines them: type, flags, type count, general count

set pagination off
set confirm off
set print pretty on

define page_info
  print/x ((struct page_info *)0xffff82e000000000)[$arg0]
end
document page_info
Print the frame table entry (struct page_info) of machine frame MFN.
end

define type_info
  set $pg = &((struct page_info *)0xffff82e000000000)[$arg0]
  set $t = $pg->type_info
  set $c = $pg->count_info
  set $ty = ($t >> 61) & 7
  printf "mfn %#lx: type_info %#018lx = ", (unsigned long)$arg0, $t
  if $ty == 0
    printf "none"
  end
  if $ty >= 1 && $ty <= 4
    printf "L%d page table", $ty
  end
  if $ty == 5
    printf "seg_desc"
  end
  if $ty == 6
    printf "shared"
  end
  if $ty == 7
    printf "writable"
  end
  if $t & (1UL << 59)
    printf " | pinned"
  end
  if $t & (1UL << 58)
    printf " | validated"
  end
  if $t & (1UL << 56)
    printf " | partial"
  end
  printf " | type count %lu\n", $t & ((1UL << 55) - 1)
  printf "mfn %#lx: count_info %#018lx = general count %lu", (unsigned long)$arg0, $c, $c & ((1UL << 56) - 1)
  if $c & (1UL << 63)
    printf " | allocated"
  end
  if $c & (1UL << 62)
    printf " | xen_heap"
  end
  if $c & (1UL << 61)
    printf " | free"
  end
  printf "; owner d%u\n", $pg->owner
end
document type_info
Decode frame MFN's type_info (type, pinned/validated/partial, type count)
and count_info (general count, allocated/xen_heap/free) as in mm.h.
end
