/*
 * mmu_multicall.c - multicall(list, nr) around the MMU hypercalls.
 *
 * Rules (reference §2.13, §6.23):
 *   - entries run in order, each result lands in its `result`, and the
 *     batch goes on after a failed entry: the multicall returns 0;
 *   - a multicall inside a multicall is -EINVAL in that entry's result;
 *   - an unreadable list is -EFAULT (entries before the fault have run);
 *   - unknown hypercall numbers are -ENOSYS in the entry;
 *   - an iret entry ends the batch (XSA-213): later entries do not run,
 *     and the iret's frame (at the guest rsp of the multicall) is used.
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
    conf_rc("multicall.batch.failed_entry_still_returns_0",
            "a multicall whose list is readable returns 0 even if an entry failed",
            HYPERVISOR_multicall(mc, 3), 0);
    conf_rc("multicall.batch.first_entry_result_0",
            "each entry's return value lands in its own result (mmu_update: 0)",
            (long)mc[0].result, 0);
    conf_rc("multicall.batch.failed_entry_result_enosys",
            "a failed entry's error lands in its result (mmuext_op cmd 14: -ENOSYS)",
            (long)mc[1].result, -XEN_ENOSYS);
    conf_rc("multicall.batch.entry_after_failure_runs_0",
            "a failed entry does not stop the batch: the next entry runs (result 0)",
            (long)mc[2].result, 0);
    conf_dec("multicall.batch.mmu_update_pdone_is_1",
             "a sub-call's pdone pointer is written as in a direct call",
             done, 1);
    conf_hex("multicall.batch.mmu_update_entry_stored",
             "a sub-call's effect is the direct call's: the mmu_update store is done",
             mt_get(mt_d1, 50), 0x50);
    conf_hex("multicall.batch.uvm_entry_maps_frame",
             "an update_va_mapping entry after a failed one maps its frame",
             mt_peek(WIN_VA, &v) ? 0 : v, D2_MARK);
    conf_hex("multicall.batch.release_xen_keeps_args",
             "release Xen leaves a finished entry's op and args as they were",
             mc[1].op == __HYPERVISOR_mmuext_op &&
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
    conf_rc("multicall.nested.outer_returns_0",
            "a nested multicall fails only in its entry: the outer multicall returns 0",
            HYPERVISOR_multicall(mc, 2), 0);
    conf_rc("multicall.nested.inner_entry_is_einval",
            "a multicall inside a multicall is -EINVAL in that entry's result",
            (long)mc[0].result, -XEN_EINVAL);
    conf_hex("multicall.nested.inner_list_not_run",
             "the nested list is never run: its entry's result is untouched",
             inner[0].result, 0x77);
    conf_rc("multicall.nested.entry_after_nested_runs_0",
            "the entry after a nested multicall runs (result 0)",
            (long)mc[1].result, 0);
}

static void unknown_ops(void)
{
    set(&mc[0], 11, 0, 0, 0, 0);
    set(&mc[1], 200, 0, 0, 0, 0);
    conf_rc("multicall.unknown_op.batch_returns_0",
            "unknown hypercall numbers in a batch do not fail the multicall: 0",
            HYPERVISOR_multicall(mc, 2), 0);
    conf_rc("multicall.unknown_op.op11_result_enosys",
            "hypercall 11 (unused in 64-bit PV) in a batch is -ENOSYS in its result",
            (long)mc[0].result, -XEN_ENOSYS);
    conf_rc("multicall.unknown_op.op200_result_enosys",
            "a hypercall number beyond the table (200) is -ENOSYS in its result",
            (long)mc[1].result, -XEN_ENOSYS);
}

static void faults(void)
{
    struct multicall_entry *last =
        (struct multicall_entry *)((char *)mt_va(mt_end_pfn - 1) + PAGE_SIZE) - 1;

    conf_rc("multicall.list.unmapped_is_efault",
            "an unreadable call list is -EFAULT",
            HYPERVISOR_multicall((void *)0x1000, 1), -XEN_EFAULT);
    conf_rc("multicall.list.xen_area_is_efault",
            "a call list in Xen's virtual range is -EFAULT",
            HYPERVISOR_multicall((void *)HYPERVISOR_VIRT_START, 1), -XEN_EFAULT);
    conf_rc("multicall.list.count0_is_0",
            "a multicall of zero entries does nothing and returns 0",
            HYPERVISOR_multicall(mc, 0), 0);
    ext_entry(last, &flush_op);
    conf_rc("multicall.list.straddling_unmapped_page_is_efault",
            "a list whose second entry is unreadable is -EFAULT",
            HYPERVISOR_multicall(last, 2), -XEN_EFAULT);
    conf_rc("multicall.list.entries_before_fault_have_run",
            "the entries before the unreadable one have run and hold their results",
            (long)last->result, 0);
}

/* iret_context (xen-x86_64.h) of a multicall that holds an iret entry. */
static struct iret_context ictx;
#define ICTX_RAX 0x1234abcdUL

/*
 * multicall(list, n) with `syscall` while rsp points at ictx, a frame
 * that returns just after the syscall on our own stack.  Returns rax and
 * (in *sp) the rsp the guest resumed with.
 */
static long mc_with_frame(struct multicall_entry *list, unsigned long n,
                          unsigned long *sp)
{
    register unsigned long rdi __asm__("rdi") = (unsigned long)list;
    register unsigned long rsi __asm__("rsi") = n;
    unsigned long rsp_after;
    long rax;

    /*
     * RPL 0 in cs/ss says "back to kernel mode" (RPL 3 would switch to
     * user mode); IF clear keeps the upcall mask at 1 (the kernel runs
     * masked).
     */
    ictx = (struct iret_context){ .rax = ICTX_RAX, .cs = FLAT_KERNEL_CS & ~3, .rflags = 0x2,
                           .ss = FLAT_KERNEL_SS & ~3 };
    __asm__ volatile ("movq %%rsp, %%r12\n\t"
                      "movq %%rsp, 56(%[c])\n\t"
                      "leaq 1f(%%rip), %%rax\n\t"
                      "movq %%rax, 32(%[c])\n\t"
                      "movq %[c], %%rsp\n\t"
                      "movl %[nr], %%eax\n\t"
                      "syscall\n"
                      "1:\tmovq %%rsp, %%rdx\n\t"
                      "movq %%r12, %%rsp"
                      : "=a" (rax), "=d" (rsp_after), "+D" (rdi), "+S" (rsi)
                      : [c] "b" (&ictx), [nr] "i" (__HYPERVISOR_multicall)
                      : "rcx", "r11", "r12", "r10", "r8", "r9", "memory");
    *sp = rsp_after;
    return rax;
}

/* [flush, iret, flush]: the iret ends the batch and returns through ictx. */
static void iret_entry(void)
{
    unsigned long sp = 0;
    long rc;

    ext_entry(&mc[0], &flush_op);
    set(&mc[1], __HYPERVISOR_iret, 0, 0, 0, 0);
    ext_entry(&mc[2], &flush_op);
    rc = mc_with_frame(mc, 3, &sp);
    conf_hex("multicall.iret.resumes_at_frame_rsp",
             "an iret entry returns through the iret frame at the multicall's guest rsp",
             sp == ictx.rsp, 1);
    conf_hex("multicall.iret.rax_is_frame_rax",
             "after an iret entry the guest's rax is the frame's rax, as after a plain iret",
             (unsigned long)rc, ICTX_RAX);
    conf_rc("multicall.iret.entry_before_runs_0",
            "the entry before an iret entry runs (result 0)",
            (long)mc[0].result, 0);
    conf_hex("multicall.iret.entry_result_is_frame_rax",
             "an iret entry's result is the frame's rax (what do_iret returns)",
             mc[1].result, ICTX_RAX);
    conf_hex("multicall.iret.entry_after_not_run",
             "an iret entry ends the batch (XSA-213): the next entry's result is untouched",
             mc[2].result, 0x77);
}

const struct mmu_case mmu_multicall_cases[] = {
    { "multicall_ok_fail_ok",                ok_fail_ok },
    { "multicall_nested_einval",             nested },
    { "multicall_unknown_ops_enosys",        unknown_ops },
    { "multicall_list_faults",               faults },
    { "multicall_iret_ends_batch",           iret_entry },
    { NULL, NULL }
};
