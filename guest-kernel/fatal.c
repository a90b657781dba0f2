/*
 * fatal.c - the boot modes a hypervisor must answer by crashing the
 * domain (never itself): the guest breaks a rule it cannot recover from.
 *
 *   nohandler  clear the trap table (set_trap_table(NULL)), then touch an
 *              unmapped address: a #PF with no handler to deliver it to;
 *   badstack   point rsp at an unmapped address and execute int3 while the
 *              #BP handler is registered: the exception frame cannot be
 *              written on the guest kernel stack;
 *   rostack    the same with rsp at the top of a page of ours mapped
 *              read-only;
 *   badiret    HYPERVISOR_iret to a frame whose rip is non-canonical
 *              (cs/ss the flat kernel ones, as entry.S returns).  Real
 *              Xen delivers the resulting #GP to the guest, which then
 *              bails out: the domain crashes from the guest side.
 * (Reference §1.5, §1.7; docs/hypercalls.md "Exceptions".)
 *
 * Each prints a KTAP header and a comment saying what it is about to do,
 * then does it.  A run that gets past that point prints a failing result:
 * the harness expects CRASH (no result) and a crashed domain (QEMU exit
 * 37 on xen-like; "Hardware Dom0 crashed" on real Xen).
 */
#include "kernel.h"
#include "console.h"
#include "ktap.h"
#include "mm.h"
#include "traps.h"
#include "guest-hypercall.h"

#define UNMAPPED_VA     0x1000UL
#define UNMAPPED_STACK  0x100000UL          /* 1 MiB: nothing maps it */
#define NONCANONICAL_IP 0x8000000000000000UL

static int survived(const char *what)
{
    ktap_case("domain_crashed", what);
    return (int)ktap_end();
}

int nohandler_main(void)
{
    long rc;

    ktap_begin(1);
    rc = HYPERVISOR_set_trap_table(NULL);
    printk("# guest-kernel nohandler: set_trap_table(NULL) returned %ld; "
           "reading %#lx with no #PF handler\n", rc, UNMAPPED_VA);
    console_flush();
    (void)*(volatile unsigned long *)UNMAPPED_VA;
    return survived("the read returned");
}

/* Switch to `stack`, execute int3, switch back. */
static void int3_on_stack(unsigned long stack)
{
    __asm__ volatile ("movq %%rsp, %%rbx\n\t"
                      "movq %0, %%rsp\n\t"
                      "int3\n\t"
                      "movq %%rbx, %%rsp"
                      : : "r" (stack) : "rbx", "memory");
}

int badstack_main(void)
{
    ktap_begin(1);
    printk("# guest-kernel badstack: int3 with rsp = %#lx (unmapped)\n",
           UNMAPPED_STACK);
    console_flush();
    int3_on_stack(UNMAPPED_STACK);
    return survived("int3 returned with an unmapped stack");
}

static uint64_t ro_stack_page[512] __attribute__((aligned(4096)));

int rostack_main(void)
{
    unsigned long va = (unsigned long)ro_stack_page;
    long rc = HYPERVISOR_update_va_mapping(va, virt_to_machine(ro_stack_page) |
                                           _PAGE_PRESENT | _PAGE_ACCESSED,
                                           UVMF_INVLPG);

    ktap_begin(1);
    if (rc) {
        ktap_case("domain_crashed", ktap_reason("mapping the page read-only "
                                                "returned %ld", rc));
        return (int)ktap_end();
    }
    printk("# guest-kernel rostack: int3 with rsp = %#lx (read-only page)\n",
           va + PAGE_SIZE);
    console_flush();
    int3_on_stack(va + PAGE_SIZE);
    return survived("int3 returned with a read-only stack");
}

/*
 * Real Xen 4.17 accepts the frame, and the return itself faults: the #GP
 * is delivered to our handler with the frame's rip and error code 0.  Say
 * so as a fact, then let do_trap() bail out (no fixup), which crashes the
 * domain from the guest side.
 */
static bool report_iret_fault(struct cpu_regs *regs)
{
    ktap_fact("abi.badiret_trap", "%s ec=%#lx rip=%lx cs=%#lx", trap_name(
              (unsigned int)regs->vector), regs->error_code, regs->rip,
              regs->cs & 0xffff);
    return false;
}

int badiret_main(void)
{
    extern const unsigned long hypercall_iret_entry;   /* traps.c */

    trap_hook = report_iret_fault;
    ktap_begin(1);
    printk("# guest-kernel badiret: HYPERVISOR_iret to rip %#lx, cs %#x, "
           "ss %#x\n", NONCANONICAL_IP, FLAT_KERNEL_CS & ~3, FLAT_KERNEL_SS);
    console_flush();
    /* struct iret_context, from the top: ss, rsp, rflags, cs, rip, flags;
     * the stub pushes rcx, r11 and rax itself.  rflags has IF clear so
     * events stay masked. */
    __asm__ volatile ("movq %%rsp, %%rax\n\t"
                      "pushq %[ss]\n\t"
                      "pushq %%rax\n\t"
                      "pushq $2\n\t"
                      "pushq %[cs]\n\t"
                      "pushq %[rip]\n\t"
                      "pushq $0\n\t"
                      "jmp *%[iret]"
                      :
                      : [ss] "i" (FLAT_KERNEL_SS), [cs] "i" (FLAT_KERNEL_CS & ~3),
                        [rip] "r" (NONCANONICAL_IP),
                        [iret] "r" (hypercall_iret_entry)
                      : "rax", "memory");
    return survived("HYPERVISOR_iret returned");
}
