/*
 * mmu_multicall.c - multicall(list, nr) around the MMU hypercalls.
 *
 * Rules (reference §2.13, §6.23):
 *   - entries run in order, each result lands in its `result`, and the
 *     batch goes on after a failed entry: the multicall returns 0;
 *   - a multicall inside a multicall is -EINVAL in that entry's result;
 *   - an unreadable list is -EFAULT (entries before the fault have run);
 *   - unknown hypercall numbers are -ENOSYS in the entry.
 * Release Xen leaves the arguments of a finished entry alone (debug Xen
 * would scribble 0xAA over them), so the guest can reuse the list.
 */
#include "kernel.h"
#include "lib.h"
#include "mm.h"
#include "mmu_test.h"
#include "guest-hypercall.h"

#define SELF DOMID_SELF

static struct multicall_entry mc[4];
static struct mmuext_op flush_op = { .cmd = MMUEXT_TLB_FLUSH_LOCAL };
static struct mmuext_op bad_op = { .cmd = 14 };

static void set(struct multicall_entry *e, unsigned long op, unsigned long a0,
                unsigned long a1, unsigned long a2, unsigned long a3)
{
    *e = (struct multicall_entry){ .op = op, .result = 0x77,
                                   .args = { a0, a1, a2, a3, 0, 0 } };
}

static void ext_entry(struct multicall_entry *e, struct mmuext_op *op)
{
    set(e, __HYPERVISOR_mmuext_op, (unsigned long)op, 1, 0, SELF);
}

/* [ok, fail, ok]: 0 overall, each result in its entry. */
static void ok_fail_ok(void)
{
    static struct mmu_update req;
    static unsigned int done;
    uint64_t v = 0;

    req = (struct mmu_update){ mt_ma(mt_d1) + 50 * 8, 0x50 };
    done = 0xdead;
    set(&mc[0], __HYPERVISOR_mmu_update, (unsigned long)&req, 1,
        (unsigned long)&done, SELF);
    ext_entry(&mc[1], &bad_op);
    set(&mc[2], __HYPERVISOR_update_va_mapping, WIN_VA, mt_ma(mt_d2) | P_ | RW_,
        UVMF_INVLPG, 0);
    mt_rc("mc_ok_fail_ok", HYPERVISOR_multicall(mc, 3), 0);
    mt_rc("mc_result0", (long)mc[0].result, 0);
    mt_rc("mc_result1", (long)mc[1].result, -XEN_ENOSYS);
    mt_rc("mc_result2", (long)mc[2].result, 0);
    mt_dec("mc_mmu_pdone", done, 1);
    mt_hex("mc_mmu_stored", mt_get(mt_d1, 50), 0x50);
    mt_hex("mc_uvm_maps_d2", mt_peek(WIN_VA, &v) ? 0 : v, D2_MARK);
    mt_hex("mc_args_kept", mc[1].op == __HYPERVISOR_mmuext_op &&
           mc[1].args[0] == (unsigned long)&bad_op && mc[1].args[1] == 1 &&
           mc[1].args[3] == SELF, 1);
    mt_win_restore();
}

static void nested(void)
{
    static struct multicall_entry inner[1];

    ext_entry(&inner[0], &flush_op);
    set(&mc[0], __HYPERVISOR_multicall, (unsigned long)inner, 1, 0, 0);
    ext_entry(&mc[1], &flush_op);
    mt_rc("mc_nested", HYPERVISOR_multicall(mc, 2), 0);
    mt_rc("mc_nested_result", (long)mc[0].result, -XEN_EINVAL);
    mt_hex("mc_nested_inner_untouched", inner[0].result, 0x77);
    mt_rc("mc_after_nested_result", (long)mc[1].result, 0);
}

static void unknown_ops(void)
{
    set(&mc[0], 11, 0, 0, 0, 0);
    set(&mc[1], 200, 0, 0, 0, 0);
    mt_rc("mc_unknown", HYPERVISOR_multicall(mc, 2), 0);
    mt_rc("mc_op11_result", (long)mc[0].result, -XEN_ENOSYS);
    mt_rc("mc_op200_result", (long)mc[1].result, -XEN_ENOSYS);
}

static void faults(void)
{
    struct multicall_entry *last =
        (struct multicall_entry *)((char *)mt_va(mt_end_pfn - 1) + PAGE_SIZE) - 1;

    mt_rc("mc_list_unmapped", HYPERVISOR_multicall((void *)0x1000, 1), -XEN_EFAULT);
    mt_rc("mc_list_xen_area", HYPERVISOR_multicall((void *)HYPERVISOR_VIRT_START, 1),
          -XEN_EFAULT);
    mt_rc("mc_count0", HYPERVISOR_multicall(mc, 0), 0);
    ext_entry(last, &flush_op);
    mt_rc("mc_list_straddle", HYPERVISOR_multicall(last, 2), -XEN_EFAULT);
    mt_rc("mc_straddle_first_result", (long)last->result, 0);
}

const struct mmu_case mmu_multicall_cases[] = {
    { "multicall_ok_fail_ok",                ok_fail_ok },
    { "multicall_nested_einval",             nested },
    { "multicall_unknown_ops_enosys",        unknown_ops },
    { "multicall_list_faults",               faults },
    { NULL, NULL }
};
