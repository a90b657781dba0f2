/*
 * sim.c - the simulated machine behind the PV-MMU core in host tests.
 *
 * See sim.h.  This file deliberately does not include lib.h: it uses libc
 * (the core, which does include lib.h, gets the xl_-renamed routines).
 *
 * Symbols the core may need from the rest of the hypervisor but which live
 * in files that cannot be built for the host (mm/setup.c, common/domain.c,
 * common/console.c, arch/x86/guest_access.c) are provided here.  Those
 * that are not part of mm_env.h's contract are weak, so that a core that
 * brings its own copy wins.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "guest_access.h"
#include "panic.h"

#define WEAK __attribute__((weak))

/* ------------------------------------------------------------------------
 * The machine: memory, frame table, M2P.
 * ------------------------------------------------------------------------ */
uint8_t *host_machine_base;
struct page_info *host_frame_table;
unsigned long *host_m2p;
struct vcpu *current;

WEAK unsigned long max_page;
WEAK unsigned long total_ram_pages;
WEAK intpte_t idle_pg_table[512];
WEAK unsigned long m2p_chunks;

struct sim_state sim;

static struct domain sim_domains[SIM_NR_DOMS];
static struct vcpu sim_vcpus[SIM_NR_DOMS][2];

#define LOG_SIZE (256 * 1024)
static char *log_buf;
static size_t log_len;

static void log_append(const char *s)
{
    size_t n = strlen(s);

    if ( !log_buf )
        return;
    if ( log_len + n >= LOG_SIZE )
        n = LOG_SIZE - 1 - log_len;
    memcpy(log_buf + log_len, s, n);
    log_len += n;
    log_buf[log_len] = '\0';
    if ( getenv("SIM_VERBOSE") )
        fputs(s, stderr);
}

void sim_log_clear(void)
{
    log_len = 0;
    if ( log_buf )
        log_buf[0] = '\0';
}

const char *sim_log(void)
{
    return log_buf ? log_buf : "";
}

bool sim_log_has(const char *words)
{
    return log_buf && strstr(log_buf, words) != NULL;
}

/* ------------------------------------------------------------------------
 * console.h / panic.h / domain.h pieces.
 * ------------------------------------------------------------------------ */
void vprintk(const char *fmt, va_list ap)
{
    char buf[512];

    vsnprintf(buf, sizeof(buf), fmt, ap);
    log_append(buf);
}

void printk(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
}

void gprintk(const struct domain *d, const char *fmt, ...)
{
    char buf[512];
    va_list ap;

    if ( d )
    {
        snprintf(buf, sizeof(buf), "d%u: ", d->domain_id);
        log_append(buf);
    }
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    log_append(buf);
}

WEAK void panic(const char *fmt, ...)
{
    char buf[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    fprintf(stderr, "PANIC: %s\n", buf);
    abort();
}

WEAK struct domain *get_domain_by_id(domid_t domid)
{
    for ( unsigned int i = 0; i < SIM_NR_DOMS; i++ )
        if ( sim_domains[i].domain_id == domid && sim_domains[i].max_vcpus )
            return &sim_domains[i];
    return NULL;
}

WEAK struct domain *domain_list(unsigned int idx)
{
    return idx < SIM_NR_DOMS ? &sim_domains[idx] : NULL;
}

WEAK void domain_crash(struct domain *d, const char *fmt, ...)
{
    char buf[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if ( d->state == DOMAIN_RUNNING )
    {
        d->state = DOMAIN_CRASHED;
        memcpy(d->crash_reason, buf, sizeof(d->crash_reason) - 1);
        d->crash_reason[sizeof(d->crash_reason) - 1] = '\0';
    }
    printk("domain_crash d%u: %s\n", d->domain_id, buf);
}

WEAK void domain_shutdown(struct domain *d, unsigned int reason)
{
    if ( d->state == DOMAIN_RUNNING )
    {
        d->state = reason == SHUTDOWN_crash ? DOMAIN_CRASHED : DOMAIN_SHUTDOWN;
        d->shutdown_code = reason;
    }
}

/* Xen's init_xen_l4_slots (mm/setup.c), over simulated Xen frames. */
WEAK void init_xen_l4_slots(intpte_t *l4, const struct domain *d, bool ro_mpt)
{
    for ( unsigned int s = XEN_FIRST_SLOT; s <= XEN_LAST_SLOT; s++ )
        l4[s] = pte_from_mfn(sim.xen_frame, _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED);
    l4[256] = ro_mpt ? pte_from_mfn(sim.ro_mpt_frame,
                                    _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED) : 0;
    l4[257] = l4[258] = l4[259] = 0;
    if ( d )
        l4[260] = pte_from_mfn(d->perdomain_l3, _PAGE_PRESENT | _PAGE_RW);
}

WEAK mfn_t m2p_chunk_mfn(unsigned long i)
{
    (void)i;
    return INVALID_MFN;
}

/* ------------------------------------------------------------------------
 * guest_access.h: guest pointers are host pointers.
 * ------------------------------------------------------------------------ */
static unsigned long fault_start, fault_len;

void sim_guest_fault(const void *p, size_t len)
{
    fault_start = (unsigned long)p;
    fault_len = len;
}

static bool sim_ptr_bad(unsigned long p, size_t len)
{
    if ( len == 0 )
        return false;
    if ( fault_len && p < fault_start + fault_len && p + len > fault_start )
        return true;
    if ( p == 0 || p + len < p )
        return true;
    if ( p < 4096 )
        return true;                           /* the NULL page */
    if ( p + len > SIM_BAD_PTR && p < SIM_BAD_PTR + (16UL << 20) )
        return true;
    return false;
}

size_t copy_from_guest(void *dst, unsigned long guest_src, size_t len)
{
    if ( !guest_range_ok(guest_src, len) || sim_ptr_bad(guest_src, len) )
        return len;
    memcpy(dst, (const void *)guest_src, len);
    return 0;
}

size_t copy_to_guest(unsigned long guest_dst, const void *src, size_t len)
{
    if ( !guest_range_ok(guest_dst, len) || sim_ptr_bad(guest_dst, len) )
        return len;
    memcpy((void *)guest_dst, src, len);
    return 0;
}

/* ------------------------------------------------------------------------
 * mm_env.h: TLB, preemption, continuations.
 * ------------------------------------------------------------------------ */
void arch_flush_tlb_local(void)
{
    sim.tlb.local++;
}

void arch_flush_tlb_domain(const struct domain *d)
{
    (void)d;
    sim.tlb.domain++;
}

void arch_invlpg(unsigned long va)
{
    sim.tlb.invlpg++;
    sim.tlb.last_invlpg_va = va;
}

void arch_flush_cache(void)
{
    sim.tlb.cache++;
}

void arch_clear_page(void *va)
{
    memset(va, 0, PAGE_SIZE);
}

void arch_load_cr3(mfn_t l4)
{
    sim.tlb.cr3++;
    sim.tlb.last_cr3 = l4;
}

void sim_tlb_clear(void)
{
    memset(&sim.tlb, 0, sizeof(sim.tlb));
}

unsigned long sim_tlb_total(void)
{
    return sim.tlb.local + sim.tlb.domain + sim.tlb.invlpg + sim.tlb.cr3;
}

bool hypercall_preempt_check(void)
{
    sim.preempt_calls++;
    if ( sim.preempt_every && sim.preempt_calls % sim.preempt_every == 0 )
    {
        sim.preempt_hits++;
        return true;
    }
    return false;
}

void sim_preempt_every(unsigned long n)
{
    sim.preempt_every = n;
    sim.preempt_calls = 0;
}

long hypercall_create_continuation(unsigned int nr, unsigned int nargs,
                                   unsigned long a1, unsigned long a2,
                                   unsigned long a3, unsigned long a4,
                                   unsigned long a5)
{
    unsigned long a[5] = { a1, a2, a3, a4, a5 };

    sim.continuations++;
    if ( current && current->in_multicall && current->mc_entry )
    {
        /* Xen: inside a multicall the new arguments go back into the entry. */
        for ( unsigned int i = 0; i < nargs && i < 5; i++ )
            current->mc_entry->args[i] = a[i];
        current->mc_preempted = true;
        return nr;
    }
    sim.cont.pending = true;
    sim.cont.nr = nr;
    sim.cont.nargs = nargs;
    memcpy(sim.cont.args, a, sizeof(a));
    return nr;
}

/* ------------------------------------------------------------------------
 * Hypercall dispatch as the guest sees it.
 * ------------------------------------------------------------------------ */
static long dispatch_one(unsigned int nr, const unsigned long *a);

/* SIM_AUDIT=1: mmu_audit() after every hypercall a guest issues (as the
 * hypervisor's mmu_audit=1 does); a broken invariant aborts. */
static long dispatch(unsigned int nr, const unsigned long *a)
{
    static int audit = -1;
    long rc = dispatch_one(nr, a);
    char why[256];

    if ( audit < 0 )
        audit = getenv("SIM_AUDIT") != NULL;
    if ( audit && !(current && current->in_multicall) && mmu_audit(why, sizeof(why)) )
    {
        fprintf(stderr, "SIM_AUDIT after hypercall %u: %s\n", nr, why);
        abort();
    }
    return rc;
}

static long dispatch_one(unsigned int nr, const unsigned long *a)
{
    switch ( nr )
    {
    case __HYPERVISOR_mmu_update:
        return do_mmu_update(a[0], a[1], a[2], a[3]);
    case __HYPERVISOR_mmuext_op:
        return do_mmuext_op(a[0], a[1], a[2], a[3]);
    case __HYPERVISOR_update_va_mapping:
        return do_update_va_mapping(a[0], a[1], a[2]);
    case __HYPERVISOR_update_va_mapping_otherdomain:
        return do_update_va_mapping_otherdomain(a[0], a[1], a[2], a[3]);
    case __HYPERVISOR_multicall:
        return do_multicall(a[0], a[1]);
    case __HYPERVISOR_grant_table_op:
        return do_grant_table_op(a[0], a[1], a[2]);
    case __HYPERVISOR_iret:
        /* Returns to the guest (in the sim: nowhere); multicall must stop. */
        sim.irets++;
        return 0;
    default:
        return -XEN_ENOSYS;
    }
}

/* The hypervisor's dispatcher, as multicall reaches it (hypercall.h). */
long hypercall_dispatch(unsigned long nr, unsigned long a1, unsigned long a2,
                        unsigned long a3, unsigned long a4, unsigned long a5)
{
    unsigned long a[5] = { a1, a2, a3, a4, a5 };

    if ( nr > 0xffffffffUL )
        return -XEN_ENOSYS;
    return dispatch_one((unsigned int)nr, a);
}

long sim_hc_once(unsigned int nr, unsigned long a1, unsigned long a2, unsigned long a3,
                 unsigned long a4, unsigned long a5)
{
    unsigned long a[5] = { a1, a2, a3, a4, a5 };

    sim.cont.pending = false;
    return dispatch(nr, a);
}

long sim_hc(unsigned int nr, unsigned long a1, unsigned long a2, unsigned long a3,
            unsigned long a4, unsigned long a5)
{
    unsigned long a[5] = { a1, a2, a3, a4, a5 };

    for ( unsigned long n = 0; n < 1000000; n++ )
    {
        long rc;

        sim.cont.pending = false;
        rc = dispatch(nr, a);
        if ( !sim.cont.pending )
            return rc;
        /* The guest re-executes SYSCALL with the rewritten registers. */
        nr = sim.cont.nr;
        memcpy(a, sim.cont.args, sizeof(a));
    }
    fprintf(stderr, "sim_hc: endless continuations\n");
    abort();
}

long sim_mmu(struct mmu_update *reqs, unsigned int count, unsigned int *done,
             unsigned int fd)
{
    return sim_hc(__HYPERVISOR_mmu_update, (unsigned long)reqs, count,
                  (unsigned long)done, fd, 0);
}

long sim_mmu1(uint64_t ptr, uint64_t val, unsigned int fd)
{
    struct mmu_update r = { .ptr = ptr, .val = val };

    return sim_mmu(&r, 1, NULL, fd);
}

long sim_ext(struct mmuext_op *ops, unsigned int count, unsigned int *done,
             unsigned int fd)
{
    return sim_hc(__HYPERVISOR_mmuext_op, (unsigned long)ops, count,
                  (unsigned long)done, fd, 0);
}

long sim_ext1_fd(unsigned int cmd, unsigned long arg1, unsigned long arg2,
                 unsigned int fd)
{
    struct mmuext_op op;

    memset(&op, 0, sizeof(op));
    op.cmd = cmd;
    op.arg1.mfn = arg1;
    op.arg2.src_mfn = arg2;          /* the whole 8-byte union */
    return sim_ext(&op, 1, NULL, fd);
}

long sim_ext1(unsigned int cmd, unsigned long arg1, unsigned long arg2)
{
    return sim_ext1_fd(cmd, arg1, arg2, DOMID_SELF);
}

long sim_uvm(unsigned long va, uint64_t val, unsigned long flags)
{
    return sim_hc(__HYPERVISOR_update_va_mapping, va, val, flags, 0, 0);
}

long sim_uvm_other(unsigned long va, uint64_t val, unsigned long flags, unsigned int dom)
{
    return sim_hc(__HYPERVISOR_update_va_mapping_otherdomain, va, val, flags, dom, 0);
}

long sim_multicall(struct multicall_entry *calls, unsigned int nr)
{
    return sim_hc(__HYPERVISOR_multicall, (unsigned long)calls, nr, 0, 0, 0);
}

/* ------------------------------------------------------------------------
 * Domains and their bootstrap state.
 * ------------------------------------------------------------------------ */
struct domain *sim_d(unsigned int i) { return sim.dom[i].d; }
struct sim_dom *sim_sd(unsigned int i) { return &sim.dom[i]; }

void sim_switch_vcpu(unsigned int i, unsigned int vcpu)
{
    current = sim.dom[i].d->vcpu[vcpu];
}

void sim_switch(unsigned int i)
{
    sim_switch_vcpu(i, 0);
}

mfn_t sim_mfn(unsigned int dom, unsigned long pfn)
{
    return _mfn(sim.dom[dom].p2m[pfn]);
}

unsigned long sim_va(unsigned long pfn)
{
    return SIM_VIRT_BASE + (pfn << PAGE_SHIFT);
}

void *sim_pfn_ptr(unsigned int dom, unsigned long pfn)
{
    return mfn_to_virt(sim_mfn(dom, pfn));
}

intpte_t *sim_table(mfn_t m)
{
    return mfn_to_virt(m);
}

uint64_t sim_entry_ma(mfn_t table, unsigned int idx)
{
    return mfn_to_maddr(table) + idx * sizeof(intpte_t);
}

uint64_t sim_boot_l1e_ma(unsigned int dom, unsigned long pfn)
{
    return sim_entry_ma(sim.dom[dom].l1, l1_table_offset(sim_va(pfn)));
}

unsigned long sim_alloc_pfn(unsigned int dom)
{
    struct sim_dom *sd = &sim.dom[dom];
    unsigned long pfn = sd->next_free_pfn++;

    if ( pfn >= SIM_DOM_PAGES )
    {
        fprintf(stderr, "sim_alloc_pfn: d%u out of pages\n", dom);
        abort();
    }
    memset(sim_pfn_ptr(dom, pfn), 0, PAGE_SIZE);
    return pfn;
}

unsigned long sim_count(mfn_t m) { return mfn_to_page(m)->count_info & PGC_count_mask; }
unsigned long sim_tcount(mfn_t m) { return mfn_to_page(m)->type_info & PGT_count_mask; }
unsigned long sim_type(mfn_t m) { return mfn_to_page(m)->type_info & PGT_type_mask; }
bool sim_validated(mfn_t m) { return mfn_to_page(m)->type_info & PGT_validated; }
bool sim_pinned(mfn_t m) { return mfn_to_page(m)->type_info & PGT_pinned; }

static void build_domain(unsigned int i)
{
    struct sim_dom *sd = &sim.dom[i];
    struct domain *d = &sim_domains[i];
    intpte_t *l4, *l3, *l2, *l1;
    unsigned long va0 = SIM_VIRT_BASE;

    memset(d, 0, sizeof(*d));
    d->domain_id = (domid_t)i;
    d->is_privileged = i == 0;
    d->io_rights = i == 0;              /* dom0 has I/O rights (abi §7.4) */
    d->state = DOMAIN_RUNNING;
    d->max_vcpus = 2;
    d->max_pages = SIM_DOM_PAGES;
    d->shared_info_mfn = alloc_xenheap_mfn();
    mfn_to_page(d->shared_info_mfn)->owner = d->domain_id;   /* as domain_create */
    d->shared_info = mfn_to_virt(d->shared_info_mfn);
    d->perdomain_l3 = alloc_xenheap_mfn();
    d->perdomain_l2 = alloc_xenheap_mfn();
    d->perdomain_l1 = alloc_xenheap_mfn();
    for ( unsigned int v = 0; v < 2; v++ )
    {
        struct vcpu *vc = &sim_vcpus[i][v];

        memset(vc, 0, sizeof(*vc));
        vc->vcpu_id = v;
        vc->domain = d;
        vc->kernel_mode = true;
        vc->guest_table = vc->guest_table_user = INVALID_MFN;
        vc->old_guest_table = INVALID_MFN;
        for ( unsigned int f = 0; f < GUEST_GDT_FRAMES; f++ )
            vc->gdt_frames[f] = INVALID_MFN;
        vc->vcpu_info = &d->shared_info->vcpu_info[v];
        d->vcpu[v] = vc;
    }
    sd->d = d;

    for ( unsigned long pfn = 0; pfn < SIM_DOM_PAGES; pfn++ )
    {
        mfn_t m = alloc_domheap_mfn(d);

        if ( mfn_eq(m, INVALID_MFN) )
        {
            fprintf(stderr, "sim: out of frames\n");
            abort();
        }
        sd->p2m[pfn] = mfn_x(m);
        set_gpfn_from_mfn(m, pfn);
    }

    /* Bootstrap tables, dom0 order: L4, L1, L2, L3 (abi §1.2). */
    sd->l4 = sim_mfn(i, SIM_PT_PFN + 0);
    sd->l1 = sim_mfn(i, SIM_PT_PFN + 1);
    sd->l2 = sim_mfn(i, SIM_PT_PFN + 2);
    sd->l3 = sim_mfn(i, SIM_PT_PFN + 3);
    l4 = mfn_to_virt(sd->l4);
    l3 = mfn_to_virt(sd->l3);
    l2 = mfn_to_virt(sd->l2);
    l1 = mfn_to_virt(sd->l1);
    mfn_to_page(sd->l4)->type_info = PGT_l4_page_table;
    mfn_to_page(sd->l3)->type_info = PGT_l3_page_table;
    mfn_to_page(sd->l2)->type_info = PGT_l2_page_table;
    mfn_to_page(sd->l1)->type_info = PGT_l1_page_table;
    init_xen_l4_slots(l4, d, true);
    l4[l4_table_offset(va0)] = pte_from_mfn(sd->l3, SIM_LN_PROT);
    l3[l3_table_offset(va0)] = pte_from_mfn(sd->l2, SIM_LN_PROT);
    l2[l2_table_offset(va0)] = pte_from_mfn(sd->l1, SIM_LN_PROT);
    for ( unsigned long pfn = 0; pfn < SIM_DOM_PAGES; pfn++ )
    {
        mfn_t m = sim_mfn(i, pfn);
        struct page_info *pg = mfn_to_page(m);

        l1[l1_table_offset(sim_va(pfn))] = pte_from_mfn(m, SIM_L1_PROT);
        if ( (pg->type_info & PGT_type_mask) == PGT_none )
        {
            pg->count_info++;
            pg->type_info = PGT_writable_page | PGT_validated | 1;
        }
    }
    for ( unsigned long pfn = SIM_PT_PFN; pfn < SIM_PT_PFN + 4; pfn++ )
    {
        struct page_info *pg = mfn_to_page(sim_mfn(i, pfn));

        l1[l1_table_offset(sim_va(pfn))] &= ~_PAGE_RW;
        pg->count_info = PGC_allocated | 3;
        pg->type_info |= PGT_validated | 1;
        if ( (pg->type_info & PGT_type_mask) == PGT_l4_page_table )
        {
            pg->count_info += 1;
            pg->type_info += 1 | PGT_pinned;
        }
    }
    d->vcpu[0]->guest_table = sd->l4;
    d->nr_l4_pages = 1;
    sd->next_free_pfn = SIM_FIRST_FREE_PFN;
}

static void *spare_machine;

void sim_init(void)
{
    memset(&sim, 0, sizeof(sim));
    fault_len = 0;
    /* A machine sim_fini kept is reused: mapping 16 MiB afresh for every
     * fuzz input cost more than the input itself. */
    host_machine_base = spare_machine ? spare_machine
                                      : aligned_alloc(PAGE_SIZE, (size_t)SIM_FRAMES * PAGE_SIZE);
    spare_machine = NULL;
    host_frame_table = calloc(SIM_FRAMES, sizeof(struct page_info));
    host_m2p = calloc(SIM_FRAMES, sizeof(unsigned long));
    log_buf = calloc(1, LOG_SIZE);
    log_len = 0;
    if ( !host_machine_base || !host_frame_table || !host_m2p || !log_buf )
        abort();
    memset(host_machine_base, 0, (size_t)SIM_FRAMES * PAGE_SIZE);
    max_page = SIM_FRAMES;
    total_ram_pages = SIM_FRAMES - SIM_MMIO_FRAMES - 1;
    for ( unsigned long m = 0; m < SIM_FRAMES; m++ )
    {
        host_frame_table[m].owner = DOMID_INVALID;
        host_m2p[m] = INVALID_M2P_ENTRY;
    }
    /* mfn 0 and the MMIO range are holes; everything else is free RAM. */
    for ( unsigned long m = SIM_MMIO_MFN - 1; m >= 1; m-- )
        free_domheap_mfn(_mfn(m));
    sim.xen_frame = alloc_xenheap_mfn();
    sim.ro_mpt_frame = alloc_xenheap_mfn();
    for ( unsigned int i = 0; i < SIM_NR_DOMS; i++ )
        build_domain(i);
    sim_switch(0);
    sim_log_clear();
    sim_tlb_clear();
}

/* ------------------------------------------------------------------------
 * Guest-style helpers.
 * ------------------------------------------------------------------------ */
long sim_set_rw(unsigned int dom, unsigned long pfn, bool rw)
{
    struct vcpu *saved = current;
    long rc;

    sim_switch(dom);
    rc = sim_mmu1(sim_boot_l1e_ma(dom, pfn),
                  pte_from_mfn(sim_mfn(dom, pfn), rw ? G_L1 : G_L1RO), DOMID_SELF);
    current = saved;
    return rc;
}

long sim_pin(unsigned int level, mfn_t m)
{
    return sim_ext1(MMUEXT_PIN_L1_TABLE + level - 1, mfn_x(m), 0);
}

long sim_unpin(mfn_t m)
{
    return sim_ext1(MMUEXT_UNPIN_TABLE, mfn_x(m), 0);
}

void sim_build_tree(unsigned int dom, struct sim_tree *t, unsigned int l4i,
                    const unsigned long *data_pfns, unsigned int n)
{
    intpte_t *l4, *l3, *l2, *l1;

    t->l4_pfn = sim_alloc_pfn(dom);
    t->l3_pfn = sim_alloc_pfn(dom);
    t->l2_pfn = sim_alloc_pfn(dom);
    t->l1_pfn = sim_alloc_pfn(dom);
    t->l4 = sim_mfn(dom, t->l4_pfn);
    t->l3 = sim_mfn(dom, t->l3_pfn);
    t->l2 = sim_mfn(dom, t->l2_pfn);
    t->l1 = sim_mfn(dom, t->l1_pfn);
    /* Written by the guest through its own RW mappings: plain stores. */
    l4 = sim_pfn_ptr(dom, t->l4_pfn);
    l3 = sim_pfn_ptr(dom, t->l3_pfn);
    l2 = sim_pfn_ptr(dom, t->l2_pfn);
    l1 = sim_pfn_ptr(dom, t->l1_pfn);
    l4[l4i] = pte_from_mfn(t->l3, G_LN);
    l3[0] = pte_from_mfn(t->l2, G_LN);
    l2[0] = pte_from_mfn(t->l1, G_LN);
    for ( unsigned int k = 0; k < n; k++ )
        l1[k] = pte_from_mfn(sim_mfn(dom, data_pfns[k]), G_L1);
    /* Then it makes every table frame read-only before using it. */
    if ( sim_set_rw(dom, t->l4_pfn, false) || sim_set_rw(dom, t->l3_pfn, false) ||
         sim_set_rw(dom, t->l2_pfn, false) || sim_set_rw(dom, t->l1_pfn, false) )
    {
        fprintf(stderr, "sim_build_tree: remapping a table RO failed\n%s", sim_log());
        abort();
    }
}

void sim_build_wide_tree(unsigned int dom, struct sim_tree *t, unsigned int l4i,
                         unsigned int nl1)
{
    unsigned long data[4] = { SIM_DATA_PFN, SIM_DATA_PFN + 1, SIM_DATA_PFN + 2,
                              SIM_DATA_PFN + 3 };
    intpte_t *l2;

    sim_build_tree(dom, t, l4i, data, 4);
    if ( sim_set_rw(dom, t->l2_pfn, true) )
        abort();
    l2 = sim_pfn_ptr(dom, t->l2_pfn);
    for ( unsigned int i = 1; i < nl1; i++ )
    {
        unsigned long p = sim_alloc_pfn(dom);
        intpte_t *l1 = sim_pfn_ptr(dom, p);

        for ( unsigned int k = 0; k < 4; k++ )
            l1[k] = pte_from_mfn(sim_mfn(dom, data[k]), G_L1);
        if ( sim_set_rw(dom, p, false) )
            abort();
        l2[i] = pte_from_mfn(sim_mfn(dom, p), G_LN);
    }
    if ( sim_set_rw(dom, t->l2_pfn, false) )
    {
        fprintf(stderr, "sim_build_wide_tree: remap failed\n%s", sim_log());
        abort();
    }
}

/* ------------------------------------------------------------------------
 * Snapshots and the invariant oracle.
 * ------------------------------------------------------------------------ */
struct sim_snapshot {
    uint8_t *mem;
    struct page_info *ft;
    unsigned long *m2p;
    mfn_t gt[SIM_NR_DOMS], gtu[SIM_NR_DOMS];
};

struct sim_snapshot *sim_snapshot_take(void)
{
    struct sim_snapshot *s = test_alloc(sizeof(*s));

    s->mem = test_alloc((size_t)SIM_FRAMES * PAGE_SIZE);
    s->ft = test_alloc(SIM_FRAMES * sizeof(struct page_info));
    s->m2p = test_alloc(SIM_FRAMES * sizeof(unsigned long));
    memcpy(s->mem, host_machine_base, (size_t)SIM_FRAMES * PAGE_SIZE);
    memcpy(s->ft, host_frame_table, SIM_FRAMES * sizeof(struct page_info));
    memcpy(s->m2p, host_m2p, SIM_FRAMES * sizeof(unsigned long));
    for ( unsigned int i = 0; i < SIM_NR_DOMS; i++ )
    {
        s->gt[i] = sim.dom[i].d->vcpu[0]->guest_table;
        s->gtu[i] = sim.dom[i].d->vcpu[0]->guest_table_user;
    }
    return s;
}

bool sim_snapshot_equal(const struct sim_snapshot *a, const struct sim_snapshot *b,
                        char *why, size_t len)
{
    for ( unsigned long m = 0; m < SIM_FRAMES; m++ )
    {
        const struct page_info *x = &a->ft[m], *y = &b->ft[m];

        if ( x->count_info != y->count_info || x->type_info != y->type_info ||
             x->owner != y->owner || x->linear_pt_count != y->linear_pt_count )
        {
            snprintf(why, len, "mfn %#lx: count %#lx/%#lx type %#lx/%#lx owner %u/%u",
                     m, x->count_info, y->count_info, x->type_info, y->type_info,
                     x->owner, y->owner);
            return false;
        }
        if ( memcmp(a->mem + m * PAGE_SIZE, b->mem + m * PAGE_SIZE, PAGE_SIZE) )
        {
            snprintf(why, len, "mfn %#lx: contents differ", m);
            return false;
        }
        if ( a->m2p[m] != b->m2p[m] )
        {
            snprintf(why, len, "m2p[%#lx] %#lx/%#lx", m, a->m2p[m], b->m2p[m]);
            return false;
        }
    }
    for ( unsigned int i = 0; i < SIM_NR_DOMS; i++ )
        if ( !mfn_eq(a->gt[i], b->gt[i]) || !mfn_eq(a->gtu[i], b->gtu[i]) )
        {
            snprintf(why, len, "d%u CR3 differs", i);
            return false;
        }
    return true;
}

bool sim_snapshot_counts_equal(const struct sim_snapshot *a, const struct sim_snapshot *b,
                               char *why, size_t len)
{
    for ( unsigned long m = 0; m < SIM_FRAMES; m++ )
    {
        const struct page_info *x = &a->ft[m], *y = &b->ft[m];

        if ( x->count_info != y->count_info ||
             (x->type_info & PGT_count_mask) != (y->type_info & PGT_count_mask) ||
             (x->type_info & PGT_pinned) != (y->type_info & PGT_pinned) )
        {
            snprintf(why, len, "mfn %#lx: count %#lx -> %#lx, type %#lx -> %#lx",
                     m, x->count_info, y->count_info, x->type_info, y->type_info);
            return false;
        }
    }
    return true;
}

static char inv_why[256];

const char *sim_check_invariants(void)
{
    for ( unsigned long m = 1; m < SIM_MMIO_MFN; m++ )
    {
        const struct page_info *pg = &host_frame_table[m];
        unsigned long t = pg->type_info & PGT_type_mask;
        unsigned long tc = pg->type_info & PGT_count_mask;
        const intpte_t *tab = mfn_to_virt(_mfn(m));

        if ( pg->count_info & PGC_free )
            continue;
        if ( tc > (pg->count_info & PGC_count_mask) )
        {
            snprintf(inv_why, sizeof(inv_why), "mfn %#lx: type count %lu > general %lu",
                     m, tc, pg->count_info & PGC_count_mask);
            return inv_why;
        }
        if ( (pg->count_info & PGC_allocated) && !(pg->count_info & PGC_count_mask) )
        {
            snprintf(inv_why, sizeof(inv_why), "mfn %#lx: allocated with count 0", m);
            return inv_why;
        }
        if ( tc == 0 || !(pg->type_info & PGT_validated) )
            continue;
        if ( t == PGT_l1_page_table )
        {
            for ( unsigned int k = 0; k < 512; k++ )
            {
                intpte_t e = tab[k];
                mfn_t f = pte_mfn(e);
                const struct page_info *fp;

                /* mfn 0 is a hole like the MMIO range: I/O space for d0. */
                if ( !(e & _PAGE_PRESENT) || !(e & _PAGE_RW) || mfn_x(f) >= SIM_MMIO_MFN ||
                     mfn_x(f) == 0 )
                    continue;
                fp = &host_frame_table[mfn_x(f)];
                if ( (fp->type_info & PGT_type_mask) != PGT_writable_page ||
                     !(fp->type_info & PGT_count_mask) )
                {
                    snprintf(inv_why, sizeof(inv_why),
                             "L1 mfn %#lx[%u] maps mfn %#lx RW but its type is %lu "
                             "(count %lu)", m, k, mfn_x(f),
                             (fp->type_info & PGT_type_mask) >> PGT_type_shift,
                             fp->type_info & PGT_count_mask);
                    return inv_why;
                }
            }
        }
        else if ( t >= PGT_l2_page_table && t <= PGT_l4_page_table )
        {
            for ( unsigned int k = 0; k < 512; k++ )
            {
                intpte_t e = tab[k];
                mfn_t f = pte_mfn(e);

                if ( t == PGT_l4_page_table && k >= XEN_FIRST_SLOT && k <= XEN_LAST_SLOT )
                    continue;
                if ( !(e & _PAGE_PRESENT) || mfn_x(f) >= SIM_MMIO_MFN )
                    continue;
                if ( e & _PAGE_PSE )
                {
                    snprintf(inv_why, sizeof(inv_why), "L%lu mfn %#lx[%u] has PSE",
                             t >> PGT_type_shift, m, k);
                    return inv_why;
                }
                if ( (e & _PAGE_RW) &&
                     (host_frame_table[mfn_x(f)].type_info & PGT_type_mask) == t )
                {
                    snprintf(inv_why, sizeof(inv_why),
                             "L%lu mfn %#lx[%u] is an RW linear entry to mfn %#lx",
                             t >> PGT_type_shift, m, k, mfn_x(f));
                    return inv_why;
                }
            }
        }
    }
    return NULL;
}

/* ------------------------------------------------------------------------
 * Fast reset for fuzzers: save the machine once, restore it per input.
 * Only frames below the first free one at save time are copied (the
 * hypercalls never allocate); if free_pages moved, restore rebuilds.
 * ------------------------------------------------------------------------ */
static struct {
    bool saved;
    unsigned long hi, free_pages;
    uint8_t *mem;
    struct page_info *ft;
    unsigned long *m2p;
    struct domain doms[SIM_NR_DOMS];
    struct vcpu vcpus[SIM_NR_DOMS][2];
    struct sim_state st;
    unsigned int cur_dom, cur_vcpu;
} saved_machine;

void sim_save(void)
{
    unsigned long hi = 0;

    for ( unsigned long m = 0; m < SIM_FRAMES; m++ )
        if ( !(host_frame_table[m].count_info & PGC_free) &&
             host_frame_table[m].owner != DOMID_INVALID )
            hi = m + 1;
    free(saved_machine.mem);
    free(saved_machine.ft);
    free(saved_machine.m2p);
    saved_machine.hi = hi;
    saved_machine.free_pages = free_pages;
    saved_machine.mem = malloc(hi * PAGE_SIZE);
    saved_machine.ft = malloc(SIM_FRAMES * sizeof(struct page_info));
    saved_machine.m2p = malloc(SIM_FRAMES * sizeof(unsigned long));
    if ( !saved_machine.mem || !saved_machine.ft || !saved_machine.m2p )
        abort();
    memcpy(saved_machine.mem, host_machine_base, hi * PAGE_SIZE);
    memcpy(saved_machine.ft, host_frame_table, SIM_FRAMES * sizeof(struct page_info));
    memcpy(saved_machine.m2p, host_m2p, SIM_FRAMES * sizeof(unsigned long));
    memcpy(saved_machine.doms, sim_domains, sizeof(sim_domains));
    memcpy(saved_machine.vcpus, sim_vcpus, sizeof(sim_vcpus));
    saved_machine.st = sim;
    saved_machine.cur_dom = current->domain->domain_id;
    saved_machine.cur_vcpu = current->vcpu_id;
    saved_machine.saved = true;
}

bool sim_restore(void)
{
    if ( !saved_machine.saved || free_pages != saved_machine.free_pages )
        return false;
    memcpy(host_machine_base, saved_machine.mem, saved_machine.hi * PAGE_SIZE);
    memcpy(host_frame_table, saved_machine.ft, SIM_FRAMES * sizeof(struct page_info));
    memcpy(host_m2p, saved_machine.m2p, SIM_FRAMES * sizeof(unsigned long));
    memcpy(sim_domains, saved_machine.doms, sizeof(sim_domains));
    memcpy(sim_vcpus, saved_machine.vcpus, sizeof(sim_vcpus));
    sim = saved_machine.st;
    fault_len = 0;
    sim_switch_vcpu(saved_machine.cur_dom, saved_machine.cur_vcpu);
    sim_log_clear();
    return true;
}

/* Give back what sim_init allocated (before a fresh sim_init). */
void sim_fini(void)
{
    free(spare_machine);
    spare_machine = host_machine_base;     /* for the next sim_init */
    free(host_frame_table);
    free(host_m2p);
    free(log_buf);
    host_machine_base = NULL;
    host_frame_table = NULL;
    host_m2p = NULL;
    log_buf = NULL;
    saved_machine.saved = false;
}
