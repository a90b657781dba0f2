/*
 * mmu_args.c - MMU_MACHPHYS_UPDATE read back through the read-only M2P, and
 * mmu_update's argument corners: count 0, count and foreigndom wider than
 * 32 bits, bad request and done pointers.
 *
 * Rules (reference §2.1, §2.9, §2.10):
 *   - MACHPHYS_UPDATE writes any value into the M2P slot of a frame that
 *     FD owns (DOMID_IO owns the first MiB), which the guest reads back
 *     (but cannot write) at MACH2PHYS_VIRT_START.  Its -EPERM (page-table
 *     owner other than the caller) needs a second domain: not tested here;
 *   - count 0 still checks the array address and foreigndom; count and
 *     foreigndom are 32 bits wide; pdone is never a reason to fail.
 */
#include "kernel.h"
#include "mm.h"
#include "traps.h"
#include "mmu_test.h"
#include "guest-hypercall.h"

#define SELF DOMID_SELF
#define PREEMPTED 0x80000000UL
#define RSVD_ADDR_ (1UL << 51)          /* above any MAXPHYADDR */

/* Write 8 bytes at va without dying; 1 if the write trapped. */
static int poke(unsigned long va, uint64_t v)
{
    int faulted;

    __asm__ volatile ("movl $1, %[f]\n"
                      "1: movq %[v], (%[a])\n\t"
                      "xorl %[f], %[f]\n"
                      "2:\n\t"
                      EXTABLE(1b, 2b)
                      : [f] "=&r" (faulted)
                      : [a] "r" (va), [v] "r" (v)
                      : "memory");
    return faulted;
}

/* §2.10: the M2P slot of our own frame, written and read back. */
static void machphys_read_back(void)
{
    unsigned long f = mt_alloc();
    uint64_t mfn = mt_mfn(f), v = 0, *slot = (uint64_t *)MACH2PHYS_VIRT_START + mfn;
    uint64_t big = 0x0123456789abcdefUL;

    conf_hex("mmu_update.machphys.m2p_holds_pfn",
             "the read-only M2P at MACH2PHYS_VIRT_START maps our frame to its pfn",
             mt_peek((unsigned long)slot, &v) ? ~0UL : v, f);
    conf_rc("mmu_update.machphys.any_value_ok",
            "the new M2P value is not range checked",
            mt_mmu1((mfn << 12) | 0x7f8 | MMU_MACHPHYS_UPDATE, big, SELF), 0);
    conf_hex("mmu_update.machphys.any_value_read_back",
             "the M2P slot reads back the full 64-bit value written",
             mt_peek((unsigned long)slot, &v) ? 0 : v, big);
    conf_dec("mmu_update.machphys.m2p_not_writable",
             "the guest's view of the M2P is read-only: a store faults",
             poke((unsigned long)slot, big), 1);
    conf_rc("mmu_update.machphys.restore_ok", "the M2P slot set back to the frame's pfn",
            mt_mmu1((mfn << 12) | MMU_MACHPHYS_UPDATE, f, SELF), 0);
    conf_hex("mmu_update.machphys.restore_read_back", "the M2P slot holds the pfn again",
             mt_peek((unsigned long)slot, &v) ? 0 : v, f);
    conf_rc("mmu_update.machphys.live_l4_ok",
            "the M2P slot of a live page table (our L4) may be written: only ownership counts",
            mt_mmu1((mt_l4_mfn << 12) | MMU_MACHPHYS_UPDATE, 0x4444, SELF), 0);
    m2p_read(mt_l4_mfn, &v);
    conf_hex("mmu_update.machphys.live_l4_read_back", "the L4's M2P slot holds the new value",
             v, 0x4444);
    mt_step("m2p_l4_restore", mt_mmu1((mt_l4_mfn << 12) | MMU_MACHPHYS_UPDATE, mt_l4_pfn,
                                    SELF), 0);
}

/* §2.9: the frame must be a page FD owns. */
static void machphys_bad_frames(void)
{
    uint64_t si = start_info->shared_info >> 12, old = 0, v = 0;
    uint64_t mfn = mt_mfn(mt_d1);

    conf_rc("mmu_update.machphys.reserved_addr_bit_einval",
            "a frame number above the physical address width is -EINVAL",
            mt_mmu1(RSVD_ADDR_ | MMU_MACHPHYS_UPDATE, 1, SELF), -XEN_EINVAL);
    conf_rc("mmu_update.machphys.beyond_ram_einval",
            "a frame number beyond RAM is -EINVAL",
            mt_mmu1(0x7ffff000000UL | MMU_MACHPHYS_UPDATE, 1, SELF), -XEN_EINVAL);
    conf_rc("mmu_update.machphys.all_ones_einval",
            "the all-ones frame number is -EINVAL",
            mt_mmu1(~7UL | MMU_MACHPHYS_UPDATE, 1, SELF), -XEN_EINVAL);
    conf_rc("mmu_update.machphys.io_frame_self_einval",
            "a frame of the first MiB belongs to DOMID_IO, not to us: -EINVAL",
            mt_mmu1(0xb8000 | MMU_MACHPHYS_UPDATE, 1, SELF), -XEN_EINVAL);
    conf_rc("mmu_update.machphys.fd_xen_own_frame_einval",
            "with FD = DOMID_XEN our own frame is not FD's: -EINVAL",
            mt_mmu1((mfn << 12) | MMU_MACHPHYS_UPDATE, mt_d1, DOMID_XEN), -XEN_EINVAL);
    conf_hex("mmu_update.machphys.refused_m2p_kept",
             "a refused MACHPHYS_UPDATE leaves the M2P as it was",
             m2p_read(mfn, &v) ? 0 : v, mt_d1);

    /* shared_info is a Xen-heap page shared with (owned by) us. */
    conf_hex("mmu_update.machphys.shared_info_m2p_invalid",
             "shared_info's M2P slot starts as INVALID_M2P_ENTRY (all ones)",
             m2p_read(si, &old) ? 0 : old, ~0UL);
    conf_rc("mmu_update.machphys.shared_info_ok",
            "shared_info's frame is owned by the domain: its M2P slot may be written",
            mt_mmu1((si << 12) | MMU_MACHPHYS_UPDATE, 0x5151, SELF), 0);
    conf_hex("mmu_update.machphys.shared_info_read_back",
             "shared_info's M2P slot reads back the value written",
             m2p_read(si, &v) ? 0 : v, 0x5151);
    mt_step("m2p_shared_info_restore", mt_mmu1((si << 12) | MMU_MACHPHYS_UPDATE, old, SELF), 0);

    /* The first MiB is DOMID_IO's (§2.3): with FD = DOMID_IO it is FD's. */
    conf_hex("mmu_update.machphys.io_frame_m2p_invalid",
             "the M2P slot of an I/O frame of the first MiB starts as all ones",
             m2p_read(0xb8, &old) ? 0 : old, ~0UL);
    conf_rc("mmu_update.machphys.io_frame_fd_io_ok",
            "with FD = DOMID_IO a frame of the first MiB is FD's: its M2P slot may be written",
            mt_mmu1(0xb8000 | MMU_MACHPHYS_UPDATE, 0xb8b8, DOMID_IO), 0);
    conf_hex("mmu_update.machphys.io_frame_fd_io_read_back",
             "the I/O frame's M2P slot reads back the value written",
             m2p_read(0xb8, &v) ? 0 : v, 0xb8b8);
    mt_step("m2p_io_frame_restore", mt_mmu1(0xb8000 | MMU_MACHPHYS_UPDATE, old, DOMID_IO), 0);
}

/* §2.1, §2.9: count 0 still checks the array pointer and foreigndom. */
static void count_zero(void)
{
    struct mmu_update r = { mt_ma(mt_d1) + 50 * 8, 0x5000 };
    unsigned int done = 7;

    conf_rc("mmu_update.args.count0_null_reqs_ok",
            "count 0 with a NULL array does nothing and returns 0",
            mt_mmu(NULL, 0, NULL, SELF), 0);
    conf_rc("mmu_update.args.count0_reqs_xen_area_efault",
            "count 0 with an array in Xen's area is still -EFAULT",
            mt_mmu((void *)HYPERVISOR_VIRT_START, 0, NULL, SELF), -XEN_EFAULT);
    conf_rc("mmu_update.args.count0_reqs_noncanonical_efault",
            "count 0 with a non-canonical array address is -EFAULT",
            mt_mmu((void *)0x0000800000000000UL, 0, NULL, SELF), -XEN_EFAULT);
    conf_rc("mmu_update.args.count0_fd_unknown_esrch",
            "count 0 still looks foreigndom up: an unknown FD is -ESRCH",
            mt_mmu(&r, 0, NULL, 0x3ff), -XEN_ESRCH);
    conf_rc("mmu_update.args.count0_pfd_unknown_esrch",
            "count 0 still looks the page-table owner up: unknown is -ESRCH",
            mt_mmu(&r, 0, NULL, (0x101UL << 16) | SELF), -XEN_ESRCH);
    conf_rc("mmu_update.args.count0_pdone_unmapped_ok",
            "count 0 with an unwritable pdone returns 0",
            mt_mmu(&r, 0, (void *)0x1000, SELF), 0);
    conf_rc("mmu_update.args.count0_preempted_ok",
            "count PREEMPTED|0 with an array is a finished continuation: 0",
            mt_mmu(&r, PREEMPTED, &done, SELF), 0);
    conf_dec("mmu_update.args.count0_preempted_pdone_kept",
             "a continuation with nothing left writes pdone back unchanged",
             done, 7);
    conf_hex("mmu_update.args.count0_nothing_stored",
             "no count-0 call stored anything",
             mt_get(mt_d1, 50), D1_MARK | 50);
}

/* The hypercall's count and foreigndom are 32-bit: upper bits are lost. */
static void wide_args(void)
{
    struct mmu_update r = { mt_ma(mt_d1) + 51 * 8, 0x5100 };
    unsigned int done = 0xdead;

    conf_rc("mmu_update.args.count_bit32_only_ok",
            "count is 32 bits wide: 1 << 32 is count 0",
            mt_mmu(&r, 1UL << 32, &done, SELF), 0);
    conf_dec("mmu_update.args.count_bit32_only_pdone", "count 1 << 32 does nothing",
             done, 0);
    conf_hex("mmu_update.args.count_bit32_only_nothing_stored",
             "count 1 << 32 stores nothing",
             mt_get(mt_d1, 51), D1_MARK | 51);
    conf_rc("mmu_update.args.count_bit32_plus1_ok",
            "count (1 << 32) | 1 is count 1",
            mt_mmu(&r, (1UL << 32) | 1, &done, SELF), 0);
    conf_dec("mmu_update.args.count_bit32_plus1_pdone", "count (1 << 32) | 1 does one",
             done, 1);
    conf_hex("mmu_update.args.count_bit32_plus1_stored", "the one request is done",
             mt_get(mt_d1, 51), 0x5100);
    r.val = 0x5101;
    conf_rc("mmu_update.args.fd_bit32_ignored_ok",
            "foreigndom is 32 bits wide: bit 32 set on DOMID_SELF is still self",
            mt_mmu(&r, 1, NULL, (1UL << 32) | SELF), 0);
    conf_hex("mmu_update.args.fd_bit32_ignored_stored", "the request is done",
             mt_get(mt_d1, 51), 0x5101);
}

/* §2.9: where -EFAULT comes from, and where a bad pointer is ignored. */
static void bad_pointers(void)
{
    unsigned long rop = mt_alloc();
    struct mmu_update *r = mt_va(mt_alloc());
    unsigned int done = 0xdead;
    char *odd = (char *)r + PAGE_SIZE / 2 + 4;
    struct mmu_update q = { mt_ma(mt_d1) + 53 * 8, 0x5300 };

    mt_step("ptr_ro_page", mt_ro(rop), 0);
    r[0] = (struct mmu_update){ mt_ma(mt_d1) + 52 * 8, 0x5200 };
    conf_rc("mmu_update.args.reqs_noncanonical_efault",
            "an array at a non-canonical address is -EFAULT",
            mt_mmu((void *)0x0000800000000000UL, 1, &done, SELF), -XEN_EFAULT);
    conf_hex("mmu_update.args.reqs_noncanonical_pdone_untouched",
             "the range check fails before pdone is written",
             done, 0xdead);
    conf_rc("mmu_update.args.pdone_xen_area_ok",
            "pdone in Xen's area is not checked: the batch succeeds",
            mt_mmu(r, 1, (void *)HYPERVISOR_VIRT_START, SELF), 0);
    conf_hex("mmu_update.args.pdone_xen_area_stored", "the request is done",
             mt_get(mt_d1, 52), 0x5200);
    r[0].val = 0x5201;
    conf_rc("mmu_update.args.pdone_ro_page_ok",
            "a read-only pdone is not checked: the batch succeeds",
            mt_mmu(r, 1, mt_va(rop), SELF), 0);
    conf_hex("mmu_update.args.pdone_ro_page_unchanged", "the read-only page is not written",
             mt_get(rop, 0), 0);
    conf_hex("mmu_update.args.pdone_ro_page_stored", "the request is done",
             mt_get(mt_d1, 52), 0x5201);
    r[0].val = 0x5202;
    conf_rc("mmu_update.args.preempted_pdone_unmapped_ok",
            "a continuation whose pdone cannot be read goes on from 0",
            mt_mmu(r, 1 | PREEMPTED, (void *)0x1000, SELF), 0);
    conf_hex("mmu_update.args.preempted_pdone_unmapped_stored", "the request is done",
             mt_get(mt_d1, 52), 0x5202);
    __builtin_memcpy(odd, &q, sizeof(q));
    done = 0xdead;
    conf_rc("mmu_update.args.reqs_unaligned_ok",
            "the request array need not be aligned",
            mt_mmu((void *)odd, 1, &done, SELF), 0);
    conf_dec("mmu_update.args.reqs_unaligned_pdone", "one request done", done, 1);
    conf_hex("mmu_update.args.reqs_unaligned_stored", "the unaligned request is done",
             mt_get(mt_d1, 53), 0x5300);
    conf_rc("mmu_update.args.null_preempted_negative_fd",
            "reqs NULL, count PREEMPTED: foreigndom comes back as a signed int",
            mt_mmu(NULL, PREEMPTED, NULL, 0xfffffff2UL), -XEN_EFAULT);
}

const struct mmu_case mmu_args_cases[] = {
    { "mmu_update_machphys_read_back",        machphys_read_back },
    { "mmu_update_machphys_bad_frames",       machphys_bad_frames },
    { "mmu_update_count_zero",                count_zero },
    { "mmu_update_wide_count_and_fd",         wide_args },
    { "mmu_update_bad_pointers",              bad_pointers },
    { NULL, NULL }
};
