/*
 * syscall.c - the system calls.
 *
 * Entered from uentry.S on the kernel stack with the user registers; the
 * registers are saved in the current process, the call runs, and
 * proc_return() goes back to user mode (maybe to another process).
 * The kernel reads user memory by walking the process's tables in
 * software (copy_from_user); it never writes user memory except through
 * registers, so it never meets a copy-on-write page itself.
 */
#include "kernel.h"
#include "console.h"
#include "lib.h"
#include "os.h"
#include "bench.h"
#include "../user/sys.h"

int copy_from_user(struct proc *p, void *dst, unsigned long va,
                   unsigned long len)
{
    char *d = dst;

    while (len) {
        unsigned long off = va & (PAGE_SIZE - 1);
        unsigned long n = PAGE_SIZE - off < len ? PAGE_SIZE - off : len;
        uint64_t e = va < USTACK_TOP ? as_lookup(&p->as, va) : 0;

        if (!(e & _PAGE_PRESENT) || !(e & _PAGE_USER))
            return -1;
        memcpy(d, (char *)pfn_va(pte_pfn(e)) + off, n);
        d += n; va += n; len -= n;
    }
    return 0;
}

static int string_from_user(struct proc *p, char *dst, unsigned long va,
                            unsigned long size)
{
    for (unsigned long i = 0; i < size; i++) {
        if (copy_from_user(p, &dst[i], va + i, 1))
            return -1;
        if (!dst[i])
            return 0;
    }
    return -1;
}

static long sys_write(struct proc *p, unsigned long buf, unsigned long len)
{
    char tmp[128];
    unsigned long done = 0;

    while (done < len) {
        unsigned long n = len - done < sizeof(tmp) ? len - done : sizeof(tmp);

        if (copy_from_user(p, tmp, buf + done, n))
            return -1;
        console_write(tmp, n);
        done += n;
    }
    return (long)len;
}

/* Frames a fork must leave for the CoW copies both sides make at once. */
#define FORK_HEADROOM 32

static long sys_fork(struct proc *p)
{
    struct proc *c;
    unsigned long before;

    /* Worst case: the child gets as many tables as the parent has. */
    if (!frames_available(as_tables(&p->as) + FORK_HEADROOM)) {
        vm.fork_nomem++;
        return -ENOMEM;
    }
    if (!(c = proc_alloc()))
        return -EAGAIN;
    c->ppid = p->pid;
    memcpy(c->name, p->name, sizeof(c->name));
    memcpy(c->vma, p->vma, sizeof(c->vma));
    c->nvma = p->nvma;
    c->brk = p->brk;
    c->regs = p->regs;
    c->regs.rax = 0;                    /* the child sees 0 */
    before = vm.pages_shared;
    as_fork(&p->as, &c->as);
    printk("# [kernel] fork: pid %d -> pid %d, %lu pages shared read-only "
           "(copy-on-write)\n", p->pid, c->pid, vm.pages_shared - before);
    return c->pid;
}

static long sys_sbrk(struct proc *p, long inc)
{
    struct vma *heap = NULL;
    unsigned long old = p->brk;

    for (unsigned int i = 0; i < p->nvma; i++)
        if (p->vma[i].kind[0] == 'h')
            heap = &p->vma[i];
    if (!heap || inc < 0 || inc > 0x1000000)
        return -1;
    /* The heap area grows; its pages appear on first touch (fault.c). */
    p->brk += (unsigned long)inc;
    heap->end = (p->brk + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    return (long)old;
}

static long sys_stat(unsigned long which)
{
    switch (which) {
    case STAT_COW_COPY:     return (long)vm.pf_cow_copy;
    case STAT_COW_REUSE:    return (long)vm.pf_cow_reuse;
    case STAT_DEMAND_HEAP:  return (long)vm.pf_demand_heap;
    case STAT_DEMAND_STACK: return (long)vm.pf_demand_stack;
    case STAT_FREE_FRAMES:  return (long)frames_free();
    case STAT_PF_BAD:       return (long)vm.pf_bad;
    case STAT_PREEMPTIONS:  return (long)clk.preemptions;
    case STAT_PF_OOM:       return (long)vm.pf_oom;
    case STAT_BENCH_QUICK:  return bench_quick;
    }
    return -1;
}

static long sys_report(struct proc *p, unsigned long name, unsigned long reason)
{
    char n[64], r[120];

    if (string_from_user(p, n, name, sizeof(n)) ||
        (reason && string_from_user(p, r, reason, sizeof(r))))
        return -1;
    os_report(n, reason ? r : NULL);
    return 0;
}

void do_user_syscall(struct cpu_regs *regs)
{
    struct proc *p = current;
    unsigned long a1 = regs->rdi, a2 = regs->rsi;
    char name[32];
    long rc = 0;
    uint64_t e;

    p->regs = *regs;
    switch (regs->rax) {
    case SYS_write:  rc = sys_write(p, a1, a2); break;
    case SYS_exit:   proc_exit(p, (long)a1); proc_return();
    case SYS_fork:   rc = sys_fork(p); break;
    case SYS_exec:
        if (string_from_user(p, name, a1, sizeof(name)))
            rc = -1;
        else if ((rc = elf_exec(p, name)) == 0) {
            printk("# [kernel] exec: pid %d now runs %s\n", p->pid, name);
            proc_resume(p);             /* new registers, new image */
        }
        break;
    case SYS_wait:
        proc_wait(p);                   /* sets rax/rdx, or waits */
        proc_return();
    case SYS_getpid: rc = p->pid; break;
    case SYS_yield:  p->regs.rax = 0; proc_return();
    case SYS_sbrk:   rc = sys_sbrk(p, (long)a1); break;
    case SYS_sleep:
        p->regs.rax = 0;
        if (a1) {
            p->wake_ns = now_ns() + (a1 < (1UL << 32) ? a1 : (1UL << 32)) * SLICE_NS;
            p->state = P_SLEEPING;
        }
        proc_return();
    case SYS_frame:
        e = a1 < USTACK_TOP ? as_lookup(&p->as, a1) : 0;
        rc = (e & _PAGE_PRESENT) ? (long)pte_mfn(e) : -1;
        break;
    case SYS_stat:   rc = sys_stat(a1); break;
    case SYS_report: rc = sys_report(p, a1, a2); break;
    case SYS_kill:   rc = proc_kill_child(p, (int)a1); break;
    case SYS_checkpoint: init_checkpoint(); break;
    default:
        proc_kill(p, "unknown system call %lu", regs->rax);
        proc_return();
    }
    p->regs.rax = (uint64_t)rc;
    /* A system call keeps the CPU, except the ones above (and a timer
     * tick pending meanwhile preempts at the iret, preempt.c). */
    proc_resume(p);
}
