/*
 * xsa_batch.c - advisories about multicall batches.
 *
 * XSA-213: HYPERVISOR_iret inside a multicall changed the vCPU's state
 *   (on the way to user mode: its page tables) while the batch went on
 *   running kernel-only calls.  A 64-bit PV iret ends the batch.  We run
 *   multicall[iret (back to kernel mode, here), mmu_update of a live L1
 *   entry] and check that the entry after the iret did not run (its
 *   result and the L1 entry are untouched) and that we resume where the
 *   iret frame says, with its rax as the multicall's answer.
 * XSA-286: Xen wrote guest L1 entries through its own linear mapping and
 *   did not flush it after the guest changed an L2/L3 entry inside the same
 *   batch, so a later update in the batch went to the old table.  We run
 *   multicall[update_va_mapping(va), mmu_update(swap the L3 entry above
 *   va), update_va_mapping(va)] (and the same with an L2 entry) and check
 *   each update landed in the table that was live when it ran.
 */
#include "kernel.h"
#include "mm.h"
#include "lib.h"
#include "xsa.h"
#include "guest-hypercall.h"

#define SELF DOMID_SELF
#define IRET_RAX 0x2130UL

static struct multicall_entry mc[4];
unsigned long xsa213_rsp;       /* the stack pointer around the multicall */

static void entry(struct multicall_entry *e, unsigned long op, unsigned long a0,
                  unsigned long a1, unsigned long a2, unsigned long a3)
{
    *e = (struct multicall_entry){ .op = op, .result = 0x77,
                                   .args = { a0, a1, a2, a3, 0, 0 } };
}

/*
 * multicall(mc, 2) with an iret_context on the stack, as HYPERVISOR_iret
 * expects it at the guest's rsp (rax, r11, rcx, flags, rip, cs, rflags,
 * rsp, ss from the bottom): back to kernel mode (cs RPL 0), just after
 * the syscall, the stack as it was, events still masked (IF clear).
 * The syscall is made here, not through the hypercall page, whose stub
 * would push its own words under the frame.
 */
static long multicall_with_iret(void)
{
    unsigned long list = (unsigned long)mc, nr = 2;
    long ret;

    __asm__ volatile ("movq %%rsp, %[save]\n\t"
                      "movq %%rsp, %%rax\n\t"
                      "pushq %[ss]\n\t"
                      "pushq %%rax\n\t"
                      "pushq $2\n\t"
                      "pushq %[cs]\n\t"
                      "leaq 1f(%%rip), %%rax\n\t"
                      "pushq %%rax\n\t"
                      "pushq $0\n\t"
                      "pushq $0\n\t"
                      "pushq $0\n\t"
                      "pushq %[rax]\n\t"
                      "movl %[nr], %%eax\n\t"
                      "syscall\n"
                      "1:\tmovq %[save], %%rsp\n\t"
                      : "=a" (ret), [save] "=m" (xsa213_rsp), "+D" (list), "+S" (nr)
                      : [ss] "i" (FLAT_KERNEL_SS), [cs] "i" (FLAT_KERNEL_CS & ~3),
                        [rax] "i" (IRET_RAX), [nr] "i" (__HYPERVISOR_multicall)
                      : "rcx", "r11", "rdx", "r10", "r8", "r9", "memory");
    return ret;
}

static void xsa213(void)
{
    static struct mmu_update req;
    uint64_t before = mt_win_pte();

    req = (struct mmu_update){ mt_win_l1e, mt_ma(mt_d2) | P_ | RW_ };
    entry(&mc[0], __HYPERVISOR_iret, 0, 0, 0, 0);
    entry(&mc[1], __HYPERVISOR_mmu_update, (unsigned long)&req, 1, 0, SELF);
    conf_hex("multicall.xsa213.iret_entry_ends_batch_with_iret_rax",
             "a multicall whose entry is HYPERVISOR_iret resumes at the iret frame and returns its rax (XSA-213)",
             (uint64_t)multicall_with_iret(), IRET_RAX);
    conf_hex("multicall.xsa213.iret_entry_result_is_iret_rax",
             "the iret entry's result is the rax of its frame",
             mc[0].result, IRET_RAX);
    conf_hex("multicall.xsa213.entry_after_iret_result_untouched",
             "the entry after the iret does not run: its result is left as the guest wrote it (XSA-213)",
             mc[1].result, 0x77);
    conf_hex("multicall.xsa213.l1e_update_after_iret_not_done",
             "the kernel-only L1 update after the iret did not happen (XSA-213)",
             mt_win_pte() == before, 1);
    conf_rc("mmu_update.xsa213.same_update_outside_batch_is_accepted",
            "the same mmu_update made on its own afterwards is accepted: the vCPU is still in kernel mode",
            mt_mmu(&req, 1, NULL, SELF), 0);
    mt_win_restore();
}

/* ---- XSA-286 ---- */
static unsigned long pre_table(void)
{
    unsigned long f = mt_alloc();

    return f;
}

static void hook(unsigned long f)
{
    if (mt_ro(f))
        panic("xsa: cannot remap %#lx read-only", f);
}

static void xsa286_l3(void)
{
    unsigned long l3 = mt_table_pfn(VIRT_BASE, 3);
    unsigned int s = (VIRT_BASE >> 30 & 511) - 1;
    unsigned long va = (VIRT_BASE & ~((1UL << 39) - 1)) | (unsigned long)s << 30;
    unsigned long l2a = pre_table(), l2b = pre_table(), l1a = pre_table(), l1b = pre_table();
    unsigned long f[4] = { l2a, l2b, l1a, l1b };
    static struct mmu_update swap;
    uint64_t v = 0;

    if (mt_get(l3, s))
        panic("xsa: L3 slot %u above VIRT_BASE is in use", s);
    ((uint64_t *)mt_va(l2a))[0] = mt_ma(l1a) | P_ | RW_ | A_;
    ((uint64_t *)mt_va(l2b))[0] = mt_ma(l1b) | P_ | RW_ | A_;
    for (int i = 0; i < 4; i++)
        hook(f[i]);
    xsa_setup("hook L2a into the live L3", mt_mmu1(mt_slot(l3, s), mt_ma(l2a) | P_ | RW_ | A_, SELF));
    swap = (struct mmu_update){ mt_slot(l3, s), mt_ma(l2b) | P_ | RW_ | A_ };
    entry(&mc[0], __HYPERVISOR_update_va_mapping, va, mt_ma(mt_d1) | P_ | RW_, UVMF_INVLPG, 0);
    entry(&mc[1], __HYPERVISOR_mmu_update, (unsigned long)&swap, 1, 0, SELF);
    entry(&mc[2], __HYPERVISOR_update_va_mapping, va, mt_ma(mt_d2) | P_ | RW_, UVMF_INVLPG, 0);
    conf_rc("multicall.xsa286.uvm_l3_swap_uvm_batch_is_accepted",
            "multicall[update_va_mapping, mmu_update of the L3 entry above it, update_va_mapping] returns 0",
            HYPERVISOR_multicall(mc, 3), 0);
    conf_hex("multicall.xsa286.l3_batch_results_all_zero",
             "each of the three entries succeeded",
             mc[0].result | mc[1].result | mc[2].result, 0);
    conf_hex("multicall.xsa286.first_uvm_in_old_l1",
             "the first update_va_mapping wrote the L1 under the old L3 entry",
             (mt_get(l1a, 0) & PTE_ADDR_MASK) == mt_ma(mt_d1), 1);
    conf_hex("multicall.xsa286.second_uvm_in_new_l1",
             "the update after the L3 swap wrote the L1 under the new L3 entry, not the old one (XSA-286)",
             (mt_get(l1b, 0) & PTE_ADDR_MASK) == mt_ma(mt_d2), 1);
    conf_hex("multicall.xsa286.va_reads_second_frame",
             "the VA reads the frame the second update mapped",
             mt_peek(va, &v) ? 0 : v, D2_MARK);
    conf_rc("mmu_update.xsa286.unhook_l3e_is_accepted",
            "clearing the L3 entry is accepted",
            mt_mmu1(mt_slot(l3, s), 0, SELF), 0);
    conf_dec("update_va_mapping.xsa286.l3_batch_tables_writable_after",
             "afterwards none of the four tables keeps a type: all map writable",
             xsa_rw_count(f, 4), 4);
}

static void xsa286_l2(void)
{
    unsigned long l2 = mt_table_pfn(VIRT_BASE, 2);
    unsigned int s = 300;
    unsigned long va = VIRT_BASE + (unsigned long)s * 0x200000UL;
    unsigned long l1a = pre_table(), l1b = pre_table();
    unsigned long f[2] = { l1a, l1b };
    static struct mmu_update swap;
    uint64_t v = 0;

    if (mt_get(l2, s))
        panic("xsa: L2 slot %u of VIRT_BASE is in use", s);
    for (int i = 0; i < 2; i++)
        hook(f[i]);
    xsa_setup("hook L1a into the live L2", mt_mmu1(mt_slot(l2, s), mt_ma(l1a) | P_ | RW_ | A_, SELF));
    swap = (struct mmu_update){ mt_slot(l2, s), mt_ma(l1b) | P_ | RW_ | A_ };
    entry(&mc[0], __HYPERVISOR_update_va_mapping, va, mt_ma(mt_d1) | P_ | RW_, UVMF_INVLPG, 0);
    entry(&mc[1], __HYPERVISOR_mmu_update, (unsigned long)&swap, 1, 0, SELF);
    entry(&mc[2], __HYPERVISOR_update_va_mapping, va, mt_ma(mt_d2) | P_ | RW_, UVMF_INVLPG, 0);
    conf_rc("multicall.xsa286.uvm_l2_swap_uvm_batch_is_accepted",
            "multicall[update_va_mapping, mmu_update of the L2 entry above it, update_va_mapping] returns 0",
            HYPERVISOR_multicall(mc, 3), 0);
    conf_hex("multicall.xsa286.l2_batch_results_all_zero",
             "each of the three entries succeeded",
             mc[0].result | mc[1].result | mc[2].result, 0);
    conf_hex("multicall.xsa286.l2_swap_second_uvm_in_new_l1",
             "the update after the L2 swap wrote the new L1, the first one the old L1 (XSA-286)",
             (mt_get(l1b, 0) & PTE_ADDR_MASK) == mt_ma(mt_d2) &&
             (mt_get(l1a, 0) & PTE_ADDR_MASK) == mt_ma(mt_d1), 1);
    conf_hex("multicall.xsa286.l2_swap_va_reads_second_frame",
             "the VA reads the frame the second update mapped",
             mt_peek(va, &v) ? 0 : v, D2_MARK);
    conf_rc("mmu_update.xsa286.unhook_l2e_is_accepted",
            "clearing the L2 entry is accepted",
            mt_mmu1(mt_slot(l2, s), 0, SELF), 0);
    conf_dec("update_va_mapping.xsa286.l2_batch_tables_writable_after",
             "afterwards neither L1 keeps a type: both map writable",
             xsa_rw_count(f, 2), 2);
}

const struct mmu_case xsa_batch_cases[] = {
    { "xsa213_multicall_iret_then_pt_op",    xsa213 },
    { "xsa286_multicall_l3_swap",            xsa286_l3 },
    { "xsa286_multicall_l2_swap",            xsa286_l2 },
    { NULL, NULL }
};
