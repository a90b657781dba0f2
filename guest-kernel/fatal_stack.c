/*
 * fatal_stack.c - two more ways for a guest kernel to lose its own stack;
 * the hypervisor must crash that domain and nothing else.
 *
 *   faultloop      the #PF handler itself faults, forever: every fault
 *                  pushes another exception frame on the guest kernel
 *                  stack, until the frames reach the read-only page tables
 *                  below the boot stack and the next one cannot be written;
 *   stackoverflow  plain recursion runs the kernel stack down into the same
 *                  read-only pages: the write faults, and the #PF frame for
 *                  it cannot be written either.
 *
 * Both end the same way on xen-like and on real Xen 4.17: "fault while
 * writing an exception frame" crashes the domain.  As in fatal.c, a run
 * that gets past that point prints a failing result.
 */
#include "kernel.h"
#include "console.h"
#include "ktap.h"
#include "traps.h"
#include "guest-hypercall.h"

#define UNMAPPED_VA 0x1000UL

/* The #PF entry of `faultloop`: read the unmapped page again. */
void faultloop_entry(void);
__asm__(".pushsection .text\n"
        ".globl faultloop_entry\n"
        "faultloop_entry:\n\t"
        "movq " "0x1000" ", %rax\n\t"
        "jmp faultloop_entry\n"
        ".popsection");

int faultloop_main(void)
{
    static const struct trap_info pf_only[] = {
        { X86_EXC_PF, 0, FLAT_KERNEL_CS, (unsigned long)faultloop_entry },
        { 0, 0, 0, 0 }
    };
    long rc;

    ktap_begin(1);
    rc = HYPERVISOR_set_trap_table(pf_only);
    printk("# guest-kernel faultloop: set_trap_table returned %ld; the #PF "
           "handler faults again on %#lx, forever\n", rc, UNMAPPED_VA);
    console_flush();
    (void)*(volatile unsigned long *)UNMAPPED_VA;
    ktap_case("domain_crashed", "the fault loop returned");
    return (int)ktap_end();
}

/* Deeper than any kernel stack (the bound is never reached); the frame is
 * used after the call, so it is not turned into a loop. */
static volatile unsigned long depth_limit = ~0UL;

static __attribute__((noinline)) unsigned long recurse(unsigned long depth)
{
    volatile unsigned long pad[64];

    pad[0] = depth;
    pad[63] = depth < depth_limit ? recurse(depth + 1) : 0;
    return pad[0] + pad[63];
}

int stackoverflow_main(void)
{
    unsigned long rsp;

    __asm__ volatile ("movq %%rsp, %0" : "=r" (rsp));
    ktap_begin(1);
    printk("# guest-kernel stackoverflow: recursing from rsp %#lx until the "
           "kernel stack runs out\n", rsp);
    console_flush();
    ktap_case("domain_crashed", recurse(0) ? "the recursion returned" :
              "the recursion returned 0");
    return (int)ktap_end();
}
