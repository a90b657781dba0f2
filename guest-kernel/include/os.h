/*
 * os.h - the "init" boot mode: a minimal PV kernel with its own page
 * tables, processes, fork with copy-on-write, exec and a scheduler
 * (docs/guest-kernel.md).
 *
 * One concept per file:
 *   xlate.c    f·g: the only code that differs between mmu=xen and
 *              mmu=translate (what a guest writes for a frame)
 *   hcall.c    every MMU hypercall the kernel makes, counted, and the
 *              PTE batch (multicall of mmu_update + a flush, 512 a call)
 *   frames.c   the physical frame allocator, with a reference count
 *   kpt.c      building, pinning and switching to our own page tables
 *   vm.c       address spaces: tables on demand, map, fork (CoW), teardown
 *   fault.c    user page faults: demand-zero, copy-on-write, kill
 *   proc.c     processes, the round-robin scheduler, return to user mode
 *   syscall.c  the system calls
 *   elf.c      loading the ELF programs embedded in the image
 *   initmode.c the boot mode itself: setup, then the summary
 *   uentry.S   the syscall callback and the iret to user mode
 *
 * Section numbers (§) refer to /work/shared/reference/xen-pvmmu-abi.md.
 */
#ifndef GUEST_OS_H
#define GUEST_OS_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel.h"
#include "traps.h"
#include "mm.h"

/* ---- xlate.c: composing f·g ---- */
enum xlate_mode { XLATE_XEN, XLATE_TRANSLATE };
extern enum xlate_mode xlate_mode;
extern bool xlate_feature;          /* XENFEAT_auto_translated_physmap */
const char *xlate_init(void);       /* NULL, or why the mode cannot work */
const char *xlate_name(void);
/* The frame number the hypervisor expects for our pfn (in PTEs, mfn args). */
uint64_t gfn_of(unsigned long pfn);
/* A PTE value naming our pfn. */
static inline uint64_t pte_make(unsigned long pfn, uint64_t flags)
{
    return (gfn_of(pfn) << PAGE_SHIFT) | flags;
}
/* The pfn a PTE read back from a table names (the hypervisor stored an mfn). */
unsigned long pte_pfn(uint64_t pte);
/* The machine frame a PTE names, as read back (for reports only). */
static inline uint64_t pte_mfn(uint64_t pte)
{
    return (pte & PTE_ADDR_MASK) >> PAGE_SHIFT;
}
/* The address mmu_update's `ptr` names: entry `slot` of table `pfn`. */
static inline uint64_t slot_addr(unsigned long pfn, unsigned int slot)
{
    return (gfn_of(pfn) << PAGE_SHIFT) + slot * 8UL;
}

/* ---- The direct map: every pfn at VIRT_BASE + pfn * 4K (after kpt.c) ---- */
static inline void *pfn_va(unsigned long pfn)
{
    return (void *)(VIRT_BASE + pfn * PAGE_SIZE);
}
static inline const volatile uint64_t *table_of(unsigned long pfn)
{
    return (const volatile uint64_t *)pfn_va(pfn);
}

#define PTE_KERNEL_RW (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)
#define PTE_KERNEL_RO (_PAGE_PRESENT | _PAGE_ACCESSED)
#define PTE_TABLE     (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED)
#define PTE_USER_RO   (_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)
#define PTE_USER_RW   (PTE_USER_RO | _PAGE_RW | _PAGE_DIRTY)

/* ---- hcall.c ---- */
struct hc_stats {
    unsigned long mmu_update, mmuext, update_va_mapping, multicall;
    unsigned long iret, other;
    unsigned long pte_batched, batches;     /* requests sent in batches */
    unsigned long busy_retries;             /* -EBUSY from a lazy release */
};
extern struct hc_stats hc;
void pte_queue(uint64_t ptr, uint64_t val);
/* Send the queued PTE writes; flush: 0, FLUSH_ALL, or a VA to INVLPG. */
#define FLUSH_NONE 0UL
#define FLUSH_ALL  1UL
void pte_commit(unsigned long flush);
void pte_link(uint64_t ptr, uint64_t val);      /* one write, now */
long va_remap(unsigned long va, uint64_t pte);  /* update_va_mapping */
void frame_make_ro(unsigned long pfn);          /* before it is a table */
void frame_make_rw(unsigned long pfn);          /* after it stopped being one */
long mmuext1(unsigned int cmd, uint64_t arg);
void pin_l4(unsigned long pfn);
void unpin_table(unsigned long pfn);
void set_kernel_base(unsigned long pfn);
void set_user_base(unsigned long pfn);          /* pfn 0: none */
long hc_count_other(long rc);

/* ---- frames.c ---- */
#define MAX_PFNS 16384
/* The pages the kernel manages: nr_pages, at most MAX_PFNS (the rest of a
 * bigger domain is left alone, unmapped). */
static inline unsigned long os_pages(void)
{
    return start_info->nr_pages < MAX_PFNS ? start_info->nr_pages : MAX_PFNS;
}
void frames_init(unsigned long first_free, unsigned long limit);
void frames_extend(unsigned long limit);
unsigned long frame_alloc(void);        /* zeroed, RW-mapped, refcount 1 */
void frame_get(unsigned long pfn);
bool frame_put(unsigned long pfn);      /* true when it became free */
void frame_give(unsigned long pfn);     /* reclaim a frame we never counted */
unsigned int frame_refs(unsigned long pfn);
unsigned long frames_free(void);
/* Admission: true if n frames can be taken and FRAMES_RESERVE still left. */
#define FRAMES_RESERVE 16
bool frames_available(unsigned long n);

/* ---- kpt.c ---- */
const char *kpt_build_and_switch(void);
extern unsigned long kpt_l4;            /* pfn of our kernel L4 */

/* ---- vm.c ---- */
struct aspace {
    unsigned long l4;                   /* pfn; 0 = none */
};
struct vm_stats {
    unsigned long tables, pages_shared, pf_demand_heap, pf_demand_stack;
    unsigned long pf_cow_copy, pf_cow_reuse, pf_bad;
    unsigned long pf_oom, fork_nomem;   /* refused for want of memory */
};
extern struct vm_stats vm;
void as_create(struct aspace *as);
void as_destroy(struct aspace *as);
void as_map(struct aspace *as, unsigned long va, unsigned long pfn,
            uint64_t flags);
/* The L1 entry for va, or 0 when a table on the way is missing. */
uint64_t as_lookup(struct aspace *as, unsigned long va);
void as_fork(struct aspace *parent, struct aspace *child);
unsigned long as_tables(struct aspace *as);    /* page tables in use */

/* ---- proc.c ---- */
#define NPROC 16
enum pstate { P_FREE, P_RUNNABLE, P_WAITING, P_SLEEPING, P_ZOMBIE };
struct vma {
    unsigned long start, end;
    bool writable, demand;
    const char *kind;                   /* "text", "data", "heap", "stack" */
};
#define NVMA 6
struct proc {
    int pid, ppid;
    enum pstate state;
    char name[16];
    struct cpu_regs regs;               /* user registers while not running */
    struct aspace as;
    struct vma vma[NVMA];
    unsigned int nvma;
    unsigned long brk;
    long exit_status;
    uint64_t wake_ns;                   /* P_SLEEPING until this system time */
};
extern struct proc *current;
extern unsigned long procs_created;
struct proc *proc_alloc(void);
unsigned int procs_live(void);          /* processes not yet reaped */
noreturn void proc_return(void);        /* schedule, then iret to user */
noreturn void proc_resume(struct proc *p);   /* iret to p, no scheduling */
noreturn void proc_preempt(void);       /* the tick took the CPU from current */
int proc_kill_child(struct proc *p, int pid);  /* 0, or -1: no such live child */
void proc_replace_as(struct proc *p, struct aspace *as);
void proc_exit(struct proc *p, long status);
void proc_kill(struct proc *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
struct vma *vma_find(struct proc *p, unsigned long va);
int proc_wait(struct proc *p);          /* 1 if reaped a child */
noreturn void user_trap(struct cpu_regs *regs);
#define USTACK_TOP   0x00007ffffff00000UL
#define USTACK_PAGES 64

/* ---- preempt.c ---- */
#define SLICE_NS 10000000ULL            /* one time slice (and sleep tick): 10 ms */
struct clock_stats {
    unsigned long ticks, kernel_ticks, preemptions, idle;
};
extern struct clock_stats clk;
const char *clock_init(void);
void clock_idle(void);                  /* block until the next event */

/* ---- fault.c ---- */
/* 1: fixed, retry; 0: a bad access; -1: no frame for it (out of memory). */
int vm_fault(struct proc *p, unsigned long va, unsigned long err);

/* ---- elf.c ---- */
int elf_exec(struct proc *p, const char *name);     /* 0 or -errno */

/* ---- syscall.c / uentry.S ---- */
void do_user_syscall(struct cpu_regs *regs);
void syscall_entry(void);
noreturn void resume_user(const struct cpu_regs *regs);
int copy_from_user(struct proc *p, void *dst, unsigned long va,
                   unsigned long len);

/* ---- initmode.c ---- */
noreturn void init_finish(void);
const char *os_register_entries(void);  /* syscall callback, stack, trap hook */
extern void (*os_finish_hook)(void);    /* set: called (never returns) instead
                                           of init's summary */
void init_checkpoint(void);             /* abi.init.* facts count up to here */
void os_report(const char *name, const char *reason);

#endif
