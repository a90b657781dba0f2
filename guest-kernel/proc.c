/*
 * proc.c - processes and the scheduler.
 *
 * The kernel keeps no per-process kernel stack: every entry from user mode
 * (syscall callback, exception) starts at the top of one kernel stack
 * (stack_switch, initmode.c), copies the user registers into the current
 * process and, when done, proc_return() picks who runs next and leaves
 * through HYPERVISOR_iret (uentry.S).  So a process that must wait simply
 * is not picked; nothing in the kernel ever blocks.
 *
 * Scheduling is round-robin: the scheduler runs at every system call that
 * gives up the CPU (yield, sleep, wait, exit) and at every timer tick that
 * interrupts user mode (preempt.c calls proc_preempt), so a process that
 * never makes a system call still loses the CPU after one slice.  Sleep
 * is in system time: a sleeper becomes runnable when its deadline passes.
 */
#include <stdarg.h>
#include "kernel.h"
#include "console.h"
#include "lib.h"
#include "os.h"

static struct proc procs[NPROC];
struct proc *current;
unsigned long procs_created;
static int next_pid = 1;
static unsigned long user_base;         /* pfn of the L4 Xen uses for user mode */

struct proc *proc_alloc(void)
{
    for (int i = 0; i < NPROC; i++) {
        struct proc *p = &procs[i];

        if (p->state == P_FREE) {
            memset(p, 0, sizeof(*p));
            p->pid = next_pid++;
            p->state = P_RUNNABLE;
            procs_created++;
            return p;
        }
    }
    return NULL;
}

struct vma *vma_find(struct proc *p, unsigned long va)
{
    for (unsigned int i = 0; i < p->nvma; i++)
        if (va >= p->vma[i].start && va < p->vma[i].end)
            return &p->vma[i];
    return NULL;
}

/* Sleepers whose deadline has passed become runnable. */
static void sched_wake(void)
{
    uint64_t now = now_ns();

    for (int i = 0; i < NPROC; i++)
        if (procs[i].state == P_SLEEPING && now >= procs[i].wake_ns)
            procs[i].state = P_RUNNABLE;
}

/* Round-robin: the next runnable process after current. */
static struct proc *pick(void)
{
    int start = current ? (int)(current - procs) + 1 : 0;
    bool any;

    do {
        any = false;
        sched_wake();
        for (int k = 0; k < NPROC; k++) {
            struct proc *p = &procs[(start + k) % NPROC];

            if (p->state == P_RUNNABLE)
                return p;
            any |= p->state == P_SLEEPING;
        }
        if (any)
            clock_idle();               /* everyone asleep: wait for a tick */
    } while (any);
    return NULL;
}

noreturn void proc_return(void)
{
    struct proc *p = pick();

    if (!p)
        init_finish();                  /* no process left */
    proc_resume(p);
}

/* The timer interrupted current in user mode; its registers are saved. */
noreturn void proc_preempt(void)
{
    proc_return();                      /* current stays runnable */
}

noreturn void proc_resume(struct proc *p)
{
    current = p;
    if (user_base != p->as.l4) {        /* §1.7: the L4 Xen loads for user mode */
        set_user_base(p->as.l4);
        user_base = p->as.l4;
    }
    hc.iret++;
    resume_user(&p->regs);
}

unsigned int procs_live(void)
{
    unsigned int n = 0;

    for (int i = 0; i < NPROC; i++)
        n += procs[i].state != P_FREE;
    return n;
}

static struct proc *find(int pid)
{
    for (int i = 0; i < NPROC; i++)
        if (procs[i].state != P_FREE && procs[i].pid == pid)
            return &procs[i];
    return NULL;
}

/* A zombie child of p, reaped: its pid in rax and its status in rdx. */
int proc_wait(struct proc *p)
{
    bool children = false;

    for (int i = 0; i < NPROC; i++) {
        struct proc *c = &procs[i];

        if (c->state == P_FREE || c->ppid != p->pid)
            continue;
        children = true;
        if (c->state == P_ZOMBIE) {
            p->regs.rax = (uint64_t)c->pid;
            p->regs.rdx = (uint64_t)c->exit_status;
            c->state = P_FREE;
            p->state = P_RUNNABLE;
            return 1;
        }
    }
    if (!children) {
        p->regs.rax = (uint64_t)-1;
        p->state = P_RUNNABLE;
        return 1;
    }
    p->state = P_WAITING;
    return 0;
}

/* exec: the process gets a new address space; the old one goes away. */
void proc_replace_as(struct proc *p, struct aspace *as)
{
    struct aspace old = p->as;

    p->as = *as;
    if (user_base == old.l4) {
        set_user_base(p->as.l4);
        user_base = p->as.l4;
    }
    as_destroy(&old);
}

void proc_exit(struct proc *p, long status)
{
    struct proc *parent = find(p->ppid);

    if (user_base == p->as.l4) {        /* never tear down the live base */
        set_user_base(0);
        user_base = 0;
    }
    as_destroy(&p->as);
    p->exit_status = status;
    p->state = P_ZOMBIE;
    for (int i = 0; i < NPROC; i++)     /* orphans go to init (pid 1) */
        if (procs[i].state != P_FREE && procs[i].ppid == p->pid)
            procs[i].ppid = 1;
    if (!parent)
        p->state = P_FREE;
    else if (parent->state == P_WAITING)
        proc_wait(parent);
}

void proc_kill(struct proc *p, const char *fmt, ...)
{
    va_list ap;

    printk("# [pid %d %s] killed: ", p->pid, p->name);
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
    printk("\n");
    proc_exit(p, -1);
}

/* kill(pid): only a live child of p; it dies as if by a bad access. */
int proc_kill_child(struct proc *p, int pid)
{
    struct proc *c = find(pid);

    if (!c || c == p || c->ppid != p->pid || c->state == P_ZOMBIE)
        return -1;
    proc_kill(c, "by pid %d (kill)", p->pid);
    return 0;
}

/* An exception from user mode (do_trap's hook, initmode.c). */
noreturn void user_trap(struct cpu_regs *regs)
{
    struct proc *p = current;
    unsigned long cr2 = last_trap.cr2;
    int r = 0;

    p->regs = *regs;
    if (regs->vector == X86_EXC_PF)
        r = vm_fault(p, cr2, regs->error_code);
    if (r > 0)
        proc_resume(p);                 /* fixed: retry the access */
    if (r < 0) {
        vm.pf_oom++;
        proc_kill(p, "out of memory: no frame for a fault at %#lx "
                  "(%lu frames free)", cr2, frames_free());
        proc_return();
    }
    if (regs->vector == X86_EXC_PF)
        vm.pf_bad++;
    proc_kill(p, "%s at rip %#lx, error code %#lx, address %#lx",
              trap_name((unsigned int)regs->vector), regs->rip,
              regs->error_code, regs->vector == X86_EXC_PF ? cr2 : 0);
    proc_return();
}
