/*
 * abi_uvm.c - update_va_mapping(va, pte, flags): change one L1 entry of
 * the current page tables.
 *
 * Rules (reference §2.8, §2.9, §2.11, §6 items 5, 8, 13):
 *   - va must be canonical and its L2 present with a validated L1 below,
 *     else -EINVAL (XSA-279: a non-canonical va with INVLPG|ALL just fails);
 *   - a page-table frame may be mapped read-only, never writable (-EBUSY);
 *   - Xen adds bits to the entry: U and _PAGE_GUEST_KERNEL (bit 52) for a
 *     kernel mapping, U and G for a user one; the guest sees them when it
 *     reads the entry back (here through the read-only mapping of the
 *     bootstrap L1, mm.c l1e_of);
 *   - flags & 3 is the flush (3 = none), the rest 0 (local), 4 (all) or a
 *     pointer to a vCPU bitmap: an unreadable one is -EFAULT, returned
 *     after the entry has been changed.
 * Every case maps scratch_page back to its own frame, read-write, after.
 */
#include "kernel.h"
#include "ktap.h"
#include "traps.h"
#include "mm.h"
#include "abi.h"
#include "guest-hypercall.h"

#define RO (_PAGE_PRESENT | _PAGE_ACCESSED)
#define RW (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED)
#define MARKER 0x5ca7c4a9e0000001UL

static uint64_t scratch_page[512] __attribute__((aligned(4096)));
#define SCRATCH ((unsigned long)scratch_page)

static long map_scratch(uint64_t pte, unsigned long flags)
{
    return HYPERVISOR_update_va_mapping(SCRATCH, pte, flags);
}

static uint64_t own_frame(void)
{
    return virt_to_machine(scratch_page);
}

static void restore_scratch(void)
{
    long rc = map_scratch(own_frame() | RW, UVMF_INVLPG);

    if (rc)
        panic("cannot map scratch_page back: %ld", rc);
}

/* The flag bits of scratch_page's L1 entry, without A and D (the CPU's). */
static uint64_t scratch_flags(void)
{
    const volatile uint64_t *l1e = l1e_of(SCRATCH);

    return l1e ? *l1e & ~PTE_ADDR_MASK & ~(_PAGE_ACCESSED | _PAGE_DIRTY) : ~0UL;
}

static const char *noncanonical_va(void)
{
    return conf_rc("update_va_mapping.va.bit63_with_invlpg_all_is_einval",
                   "a non-canonical va just fails with -EINVAL, before any flush (XSA-279)",
                   HYPERVISOR_update_va_mapping(1UL << 63, own_frame() | RW,
                                                UVMF_INVLPG | UVMF_ALL),
                   -XEN_EINVAL);
}

/* 1 GiB: L4 slot 0 is empty, so there is no L2 (nor L1) for it. */
static const char *no_l2(void)
{
    return conf_rc("update_va_mapping.va.no_l2_is_einval",
                   "a va with no L2 (its L4 entry is empty) has no L1 entry to change: -EINVAL",
                   HYPERVISOR_update_va_mapping(0x40000000UL, own_frame() | RW,
                                                UVMF_INVLPG),
                   -XEN_EINVAL);
}

static const char *kernel_bits(void)
{
    const char *r;

    scratch_page[0] = MARKER;
    r = conf_rc("update_va_mapping.bits.kernel_rw_map_ok",
                "a kernel mapping of our own frame, read-write, succeeds",
                map_scratch(own_frame() | RW, UVMF_INVLPG), 0);
    return conf_hex("update_va_mapping.bits.kernel_entry_gets_u_and_bit52",
                    "Xen adds U and _PAGE_GUEST_KERNEL (bit 52) to an entry without U",
                    scratch_flags(),
                    _PAGE_GUEST_KERNEL | _PAGE_USER | _PAGE_RW | _PAGE_PRESENT) ?: r;
}

static const char *user_bits(void)
{
    long rc = map_scratch(own_frame() | RW | _PAGE_USER, UVMF_INVLPG);
    uint64_t flags = scratch_flags();
    const char *r;

    restore_scratch();
    /* G is added only without XPTI (qemu64 needs none): Xen 4.17 gives 0x107. */
    r = conf_hex("update_va_mapping.bits.user_entry_gets_g",
                 "Xen adds G to a user entry (U set) when it runs without XPTI",
                 flags, _PAGE_GLOBAL | _PAGE_USER | _PAGE_RW | _PAGE_PRESENT);
    return conf_rc("update_va_mapping.bits.user_rw_map_ok",
                   "a user mapping (U set) of our own frame succeeds",
                   rc, 0) ?: r;
}

static const char *pt_frame_rw(void)
{
    uint64_t l4 = virt_to_machine((void *)start_info->pt_base);
    long rc = map_scratch(l4 | RW, UVMF_INVLPG);
    const volatile uint64_t *l1e = l1e_of(SCRATCH);
    const char *r = conf_rc("update_va_mapping.pt_frame.l4_rw_is_ebusy",
                            "a page-table frame (the live L4) may not be mapped writable: -EBUSY",
                            rc, -XEN_EBUSY);

    if (rc == 0)
        restore_scratch();
    return conf_hex("update_va_mapping.pt_frame.l4_rw_refused_keeps_entry",
                    "a refused update leaves the entry as it was",
                    l1e && (*l1e & PTE_ADDR_MASK) == own_frame(), 1) ?: r;
}

static const char *pt_frame_ro(void)
{
    const volatile uint64_t *l4 = (const volatile uint64_t *)start_info->pt_base;
    uint64_t l4_ma = virt_to_machine((void *)l4);
    long rc = map_scratch(l4_ma | RO, UVMF_INVLPG);
    int same = rc == 0 && scratch_page[511] == l4[511];
    const char *r;

    restore_scratch();
    r = conf_rc("update_va_mapping.pt_frame.l4_ro_ok",
                "a page-table frame (the live L4) may be mapped read-only",
                rc, 0);
    r = conf_hex("update_va_mapping.pt_frame.l4_ro_map_reads_the_l4",
                 "the read-only mapping of the L4 reads the L4's entries",
                 same, 1) ?: r;
    return conf_hex("update_va_mapping.pt_frame.mapping_back_keeps_contents",
                    "mapping a va elsewhere and back leaves its own frame's contents alone",
                    scratch_page[0] == MARKER, 1) ?: r;
}

static const char *no_flush(void)
{
    return conf_rc("update_va_mapping.uvmf.flush_value_3_is_no_flush_ok",
                   "flags & 3 == 3 names no flush type and is accepted as no flush",
                   map_scratch(own_frame() | RW, 3), 0);
}

static const char *tlb_flush_all(void)
{
    return conf_rc("update_va_mapping.uvmf.tlb_flush_all_ok",
                   "UVMF_TLB_FLUSH | UVMF_ALL flushes every CPU the domain is on: 0",
                   map_scratch(own_frame() | RW, UVMF_TLB_FLUSH | UVMF_ALL), 0);
}

/* flags = INVLPG | pointer to an unmapped vCPU bitmap. */
static const char *bad_bitmap(void)
{
    long rc = map_scratch(own_frame() | RO, UVMF_INVLPG | 0x1000UL);
    uint64_t flags = scratch_flags();
    const char *r;

    restore_scratch();
    r = conf_dec("update_va_mapping.uvmf.bad_vcpumask_entry_already_changed",
                 "the entry is changed before the vCPU bitmap is read",
                 !(flags & _PAGE_RW), 1);
    return conf_rc("update_va_mapping.uvmf.invlpg_bad_vcpumask_is_efault",
                   "an unreadable vCPU bitmap pointer (UVMF_MULTI) with INVLPG is -EFAULT",
                   rc, -XEN_EFAULT) ?: r;
}

static const char *unmap(void)
{
    long rc = map_scratch(0, UVMF_INVLPG);
    uint64_t v;
    int faulted = probe_read_u64(SCRATCH, &v);
    const char *r;

    restore_scratch();
    r = conf_rc("update_va_mapping.unmap.zero_entry_ok",
                "writing 0 (not present) unmaps the va: 0",
                rc, 0);
    r = conf_dec("update_va_mapping.unmap.va_faults_after",
                 "after the unmap (with INVLPG) a read of the va faults",
                 faulted != 0, 1) ?: r;
    return conf_hex("update_va_mapping.unmap.frame_keeps_contents",
                    "unmapping a va leaves the frame's contents alone",
                    scratch_page[0] == MARKER, 1) ?: r;
}

const struct abi_case abi_uvm_cases[] = {
    { "update_va_mapping_va_bit63_einval",   noncanonical_va },
    { "update_va_mapping_no_l2_einval",      no_l2 },
    { "update_va_mapping_kernel_bits_added", kernel_bits },
    { "update_va_mapping_user_mapping",      user_bits },
    { "update_va_mapping_pt_frame_rw_ebusy", pt_frame_rw },
    { "update_va_mapping_pt_frame_ro",       pt_frame_ro },
    { "update_va_mapping_flags3_no_flush",   no_flush },
    { "update_va_mapping_tlb_flush_all",     tlb_flush_all },
    { "update_va_mapping_bad_bitmap_efault", bad_bitmap },
    { "update_va_mapping_unmap",             unmap },
    { NULL, NULL }
};
