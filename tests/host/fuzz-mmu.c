/*
 * fuzz-mmu.c - libFuzzer harness over the PV-MMU core on the simulated
 * machine (tests/host/sim): stateful, structure-aware, with mmu_audit()
 * (xen-like/mm/audit.c) as the oracle after every hypercall.
 *
 * The input is a program.  A header byte sets the domains' vm_assist
 * (m2p_strict), whether d2 is a translate-mode domain (it then names its
 * own frames by pfn, mostly) and the initial forced preemption; then each op byte picks
 * one of: mmu_update batch, mmuext_op batch, update_va_mapping[_otherdomain],
 * multicall of those, a plain guest store into a frame the guest maps RW
 * (how a guest writes a table it is building), a "prepare table" macro
 * (fill a fresh pfn with entries, then remap it read-only), a switch of
 * domain/vCPU, a new preemption period, or a grant operation (setup,
 * the granter's entry stores, map RO/RW by VA or PTE address, unmap with
 * recorded or bogus handles, copy, query/version).  Values are biased toward
 * interesting frames (the domains' tables, other domains' frames, tables
 * the input built, free, Xen-heap and shared_info frames, MMIO, all-ones,
 * frames beyond RAM), slots (0, 511, Xen L4 slots 256-271) and flags (RW,
 * PSE, G, PAT/PCD/PWT, NX, bit 52, U, reserved bits).  Continuations are
 * followed as a guest would, piece by piece, with the audit between pieces,
 * or abandoned (the next op is issued instead).
 *
 * Any broken invariant prints the reason and the op trail, then traps.
 *
 *   make fuzz FUZZ_SECONDS=600     (corpus: tests/host/fuzz-corpus/mmu/)
 *   build/host/fuzz-mmu crash-file  (replays one input; FUZZ_MMU_TRACE=1
 *                                     prints each op and its result)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

/* ------------------------------------------------------------------------
 * Input reader.
 */
static const uint8_t *in_p;
static size_t in_n;

static uint8_t u8(void)
{
    if ( !in_n )
        return 0;
    in_n--;
    return *in_p++;
}

static uint16_t u16(void) { return (uint16_t)(u8() | (u8() << 8)); }
static uint64_t u64(void)
{
    uint64_t v = 0;

    for ( unsigned int i = 0; i < 8; i++ )
        v |= (uint64_t)u8() << (8 * i);
    return v;
}

static bool trace;
static unsigned int cur_dom;
static mfn_t built[8];                 /* tables this input prepared */
static unsigned int nr_built;
static mfn_t recent;                   /* the last frame named */

/* ------------------------------------------------------------------------
 * Biased values.
 */
static unsigned long pick_pfn(void)
{
    uint8_t b = u8();

    switch ( b % 4 )
    {
    case 0: return SIM_PT_PFN + (b >> 2) % 4;                  /* bootstrap tables */
    case 1: return SIM_DATA_PFN + (b >> 2) % 8;                /* data */
    case 2: return SIM_FIRST_FREE_PFN + (b >> 2) % 24;         /* fresh pfns */
    default: return (unsigned long)(b >> 2) % SIM_DOM_PAGES;
    }
}

static mfn_t pick_mfn(void)
{
    uint8_t b = u8();
    unsigned int other = (cur_dom + 1 + (b >> 7)) % SIM_NR_DOMS;
    struct sim_dom *sd = sim_sd(cur_dom);
    mfn_t m;

    switch ( b % 16 )
    {
    case 0: case 1: case 2:
    {
        mfn_t t[4] = { sd->l1, sd->l2, sd->l3, sd->l4 };

        m = t[u8() % 4];
        break;
    }
    case 3: case 4: case 5:
        m = sim_mfn(cur_dom, pick_pfn());
        break;
    case 6:
    {
        struct sim_dom *so = sim_sd(other);
        mfn_t t[4] = { so->l1, so->l2, so->l3, so->l4 };

        m = t[u8() % 4];
        break;
    }
    case 7:
        m = sim_mfn(other, pick_pfn());
        break;
    case 8: case 9: case 10:
        m = nr_built ? built[u8() % nr_built] : sd->l2;
        break;
    case 11:
        m = recent;
        break;
    case 12:
        switch ( u8() % 6 )
        {
        case 0: m = sim.xen_frame; break;
        case 1: m = sim.ro_mpt_frame; break;
        case 2: m = sim_d(cur_dom)->shared_info_mfn; break;
        case 3: m = sim_d(other)->shared_info_mfn; break;
        case 4: m = sim_d(cur_dom)->perdomain_l3; break;
        default: m = _mfn(SIM_MMIO_MFN - 1 - u8());        /* free RAM */
        }
        break;
    case 13:
        switch ( u8() % 5 )
        {
        case 0: m = _mfn(SIM_MMIO_MFN + u8() % SIM_MMIO_FRAMES); break;
        case 1: m = _mfn(PADDR_MASK >> PAGE_SHIFT); break;  /* all-ones */
        case 2: m = _mfn(0); break;
        case 3: m = _mfn(SIM_FRAMES + u16()); break;        /* beyond RAM */
        default: m = _mfn(0xfee00); break;                  /* the APIC */
        }
        break;
    case 14:
        m = _mfn(u16() % SIM_FRAMES);
        break;
    default:
        m = sim_mfn(cur_dom, u8() % SIM_DOM_PAGES);
    }
    recent = m;
    return m;
}

/* In translate mode the guest names its own frames by pfn (most of the time). */
static mfn_t gf(mfn_t m)
{
    if ( !sim_d(cur_dom)->translated || !mfn_valid(m) ||
         mfn_to_page(m)->owner != cur_dom || (u8() & 7) == 0 )
        return m;
    return _mfn(get_gpfn_from_mfn(m));
}

static unsigned int pick_slot(void)
{
    uint8_t b = u8();

    switch ( b % 8 )
    {
    case 0: return 0;
    case 1: return 511;
    case 2: return 256 + (b >> 3) % 16;                        /* Xen L4 slots */
    case 3: return 272 + (b >> 3) % 8;                         /* boot L1 free slots */
    case 4: return (b >> 3) % 8;
    case 5: return l1_table_offset(SIM_VIRT_BASE) + (b >> 3) % 32;
    default: return u16() % 512;
    }
}

static uint64_t pick_flags(void)
{
    uint8_t b = u8();
    uint64_t f;

    switch ( b % 8 )
    {
    case 0: f = G_L1; break;
    case 1: f = G_L1RO; break;
    case 2: f = G_LN; break;
    case 3: f = G_LN & ~_PAGE_RW; break;
    case 4: f = 0; break;
    default:
    {
        static const uint64_t bits[] = {
            _PAGE_PRESENT, _PAGE_RW, _PAGE_USER, _PAGE_PWT, _PAGE_PCD, _PAGE_ACCESSED,
            _PAGE_DIRTY, _PAGE_PSE, _PAGE_GLOBAL, _PAGE_PAT, _PAGE_NX, _PAGE_GUEST_KERNEL,
            1UL << 9, 1UL << 62, 1UL << 51, 1UL << 12 /* PAT bit of a large page */,
        };
        uint16_t w = u16();

        f = _PAGE_PRESENT;
        for ( unsigned int i = 0; i < 16; i++ )
            if ( w & (1u << i) )
                f ^= bits[i];
    }
    }
    return f;
}

static uint64_t pick_pte(void)
{
    uint8_t b = u8();

    if ( b == 0xff )
        return u64();                                           /* raw */
    if ( b == 0xfe )
        return ~0UL;
    return pte_from_mfn(gf(pick_mfn()), 0) | pick_flags();
}

static unsigned long pick_fd(void)
{
    uint8_t b = u8();
    unsigned long pt = 0;

    if ( b % 16 == 15 )
        pt = (unsigned long)((u8() % (SIM_NR_DOMS + 1)) + 1) << 16;    /* pt_owner */
    switch ( b % 16 )
    {
    case 12: return pt | ((cur_dom + 1) % SIM_NR_DOMS);
    case 13: return pt | DOMID_IO;
    case 14: return pt | (b & 0x10 ? DOMID_XEN : cur_dom);
    default: return pt | DOMID_SELF;
    }
}

static unsigned long pick_va(void)
{
    uint8_t b = u8();

    switch ( b % 6 )
    {
    case 0: case 1: return SIM_VIRT_BASE + ((unsigned long)pick_slot() << PAGE_SHIFT);
    case 2: return SIM_TREE_VA(pick_slot()) + ((unsigned long)(u8() % 4) << 12);
    case 3: return sim_va(pick_pfn());
    case 4: return (b & 8) ? 0xffff800000000000UL : 0x0000800000000000UL;
    default: return u64() & ~0xfffUL;
    }
}

static unsigned long pick_uvm_flags(void)
{
    static unsigned long mask = 1;
    uint8_t b = u8();
    unsigned long bm;

    switch ( (b >> 2) % 4 )
    {
    case 0: bm = UVMF_LOCAL; break;
    case 1: bm = UVMF_ALL; break;
    case 2: bm = (unsigned long)&mask; break;
    default: bm = SIM_BAD_PTR; break;
    }
    return (b & 3) | bm;
}

/* ------------------------------------------------------------------------
 * The oracle.
 */
static unsigned int op_no;

static void audit(const char *what)
{
    static char why[512];
    const char *inv;

    if ( mmu_audit(why, sizeof(why)) )
    {
        fprintf(stderr, "\nMMU AUDIT FAILED after op %u (%s): %s\n--- log ---\n%s\n",
                op_no, what, why, sim_log());
        __builtin_trap();
    }
    if ( strcmp(what, "piece") && (inv = sim_check_invariants()) )
    {
        fprintf(stderr, "\nsim_check_invariants after op %u (%s): %s\n", op_no, what, inv);
        __builtin_trap();
    }
}

/* Issue one hypercall; follow (or abandon) its continuations. */
static long issue(unsigned int nr, unsigned long a1, unsigned long a2, unsigned long a3,
                  unsigned long a4, const char *what)
{
    uint8_t follow = u8();
    long rc = sim_hc_once(nr, a1, a2, a3, a4, 0);

    audit(what);
    for ( unsigned int n = 0; sim.cont.pending && n < 2048; n++ )
    {
        if ( follow == 0x5a || (follow == 0x5b && n == 0) )
            break;                                 /* the guest abandons it */
        rc = sim_hc_once(sim.cont.nr, sim.cont.args[0], sim.cont.args[1],
                         sim.cont.args[2], sim.cont.args[3], sim.cont.args[4]);
        audit("piece");             /* mmu_audit only: it is the stronger oracle */
    }
    if ( trace )
        fprintf(stderr, "op %u d%u %s -> %ld%s\n", op_no, cur_dom, what, rc,
                sim.cont.pending ? " (continuation left)" : "");
    return rc;
}

/* Argument builders (also used for multicall entries). */
static struct mmu_update reqs[4][4];
static struct mmuext_op ops[4][3];
static unsigned int done_ctr;
static unsigned long vcpumask = 1;

static void build_mmu(unsigned int k, unsigned long a[4])
{
    unsigned int n = u8() % 4 + 1;

    for ( unsigned int i = 0; i < n; i++ )
    {
        uint8_t c = u8();
        unsigned int cmd = c < 200 ? MMU_NORMAL_PT_UPDATE : c < 225 ? MMU_PT_UPDATE_PRESERVE_AD
                           : c < 240 ? MMU_MACHPHYS_UPDATE : c % 8;
        mfn_t t = pick_mfn();

        reqs[k][i].ptr = sim_entry_ma(gf(t), pick_slot()) | cmd;
        reqs[k][i].val = cmd == MMU_MACHPHYS_UPDATE ? u16() : pick_pte();
        if ( trace )
            fprintf(stderr, "  req %u: ptr %#lx val %#lx\n", i,
                    (unsigned long)reqs[k][i].ptr, (unsigned long)reqs[k][i].val);
    }
    a[0] = (unsigned long)reqs[k];
    a[1] = n;
    a[2] = u8() & 1 ? (unsigned long)&done_ctr : 0;
    a[3] = pick_fd();
}

static void build_ext(unsigned int k, unsigned long a[4])
{
    static const unsigned int cmds[] = {
        MMUEXT_PIN_L1_TABLE, MMUEXT_PIN_L2_TABLE, MMUEXT_PIN_L3_TABLE, MMUEXT_PIN_L4_TABLE,
        MMUEXT_UNPIN_TABLE, MMUEXT_NEW_BASEPTR, MMUEXT_NEW_USER_BASEPTR,
        MMUEXT_PIN_L4_TABLE, MMUEXT_UNPIN_TABLE, MMUEXT_NEW_BASEPTR,
        MMUEXT_TLB_FLUSH_LOCAL, MMUEXT_INVLPG_LOCAL, MMUEXT_TLB_FLUSH_MULTI,
        MMUEXT_INVLPG_MULTI, MMUEXT_TLB_FLUSH_ALL, MMUEXT_INVLPG_ALL, MMUEXT_FLUSH_CACHE,
        MMUEXT_SET_LDT, MMUEXT_CLEAR_PAGE, MMUEXT_COPY_PAGE, MMUEXT_FLUSH_CACHE_GLOBAL,
        MMUEXT_MARK_SUPER, 14, 99,
    };
    unsigned int n = u8() % 3 + 1;

    for ( unsigned int i = 0; i < n; i++ )
    {
        struct mmuext_op *op = &ops[k][i];
        uint8_t c = u8();

        memset(op, 0, sizeof(*op));
        op->cmd = cmds[c % (sizeof(cmds) / sizeof(cmds[0]))];
        switch ( op->cmd )
        {
        case MMUEXT_INVLPG_LOCAL: case MMUEXT_INVLPG_ALL: case MMUEXT_SET_LDT:
            op->arg1.linear_addr = pick_va();
            op->arg2.nr_ents = u8() & 1 ? u16() : 0;
            break;
        case MMUEXT_TLB_FLUSH_MULTI: case MMUEXT_INVLPG_MULTI:
            op->arg1.linear_addr = pick_va();
            op->arg2.vcpumask.p = (void *)(u8() & 1 ? (unsigned long)&vcpumask : SIM_BAD_PTR);
            break;
        case MMUEXT_NEW_USER_BASEPTR:
            op->arg1.mfn = u8() % 4 == 0 ? 0 : mfn_x(gf(pick_mfn()));
            break;
        case MMUEXT_COPY_PAGE:
            op->arg1.mfn = mfn_x(gf(pick_mfn()));
            op->arg2.src_mfn = mfn_x(gf(pick_mfn()));
            break;
        default:
            op->arg1.mfn = mfn_x(gf(pick_mfn()));
        }
    }
    if ( trace )
        for ( unsigned int i = 0; i < n; i++ )
            fprintf(stderr, "  ext %u: cmd %u arg1 %#lx arg2 %#lx\n", i, ops[k][i].cmd,
                    (unsigned long)ops[k][i].arg1.mfn, (unsigned long)ops[k][i].arg2.src_mfn);
    a[0] = (unsigned long)ops[k];
    a[1] = n;
    a[2] = u8() & 1 ? (unsigned long)&done_ctr : 0;
    a[3] = u8() % 8 == 0 ? pick_fd() & 0xffff : DOMID_SELF;
}

static void build_uvm(unsigned long a[4], bool other)
{
    a[0] = pick_va();
    a[1] = pick_pte();
    a[2] = pick_uvm_flags();
    a[3] = other ? pick_fd() & 0xffff : 0;
}

/* A plain store by the guest into its own pfn, only through an RW mapping. */
static void guest_store(unsigned long pfn, unsigned int slot, intpte_t val)
{
    mfn_t l1 = sim_sd(cur_dom)->l1;
    intpte_t l1e = sim_table(l1)[l1_table_offset(sim_va(pfn))];

    if ( pfn >= SIM_DOM_PAGES || sim_type(l1) != PGT_l1_page_table || !sim_validated(l1) ||
         !sim_tcount(l1) || !(l1e & _PAGE_PRESENT) || !(l1e & _PAGE_RW) ||
         !mfn_eq(pte_mfn(l1e), sim_mfn(cur_dom, pfn)) )
        return;                                    /* it would fault */
    ((intpte_t *)sim_pfn_ptr(cur_dom, pfn))[slot] = val;
}

static void prepare_table(void)
{
    unsigned long pfn = SIM_FIRST_FREE_PFN + u8() % 24;
    unsigned int n = u8() % 6 + 1;
    uint8_t kind = u8();

    for ( unsigned int i = 0; i < n; i++ )
    {
        unsigned int slot = kind & 1 ? i : pick_slot();
        intpte_t e;

        if ( kind & 2 )
            e = pte_from_mfn(pick_mfn(), (kind & 4) ? G_L1 : G_LN);
        else
            e = pick_pte();
        guest_store(pfn, slot, e);
    }
    if ( u8() % 4 )
        sim_mmu1(sim_entry_ma(gf(sim_sd(cur_dom)->l1), l1_table_offset(sim_va(pfn))),
                 pte_from_mfn(gf(sim_mfn(cur_dom, pfn)), G_L1RO), DOMID_SELF);
    audit("prepare_table");
    if ( nr_built < 8 )
        built[nr_built++] = sim_mfn(cur_dom, pfn);
    else
        built[u8() % 8] = sim_mfn(cur_dom, pfn);
}

#include "fuzz-mmu-grant.h"

static void run_one_op(void)
{
    uint8_t op = u8();
    unsigned long a[4];

    switch ( op % 12 )
    {
    case 0: case 1: case 2:
        build_mmu(0, a);
        issue(__HYPERVISOR_mmu_update, a[0], a[1], a[2], a[3], "mmu_update");
        break;
    case 3: case 4: case 5:
        build_ext(0, a);
        issue(__HYPERVISOR_mmuext_op, a[0], a[1], a[2], a[3], "mmuext_op");
        break;
    case 6:
        build_uvm(a, op & 0x80);
        issue(op & 0x80 ? __HYPERVISOR_update_va_mapping_otherdomain
                        : __HYPERVISOR_update_va_mapping, a[0], a[1], a[2], a[3],
              "update_va_mapping");
        break;
    case 7:
    {
        static struct multicall_entry mc[4];
        unsigned int n = u8() % 4 + 1;

        memset(mc, 0, sizeof(mc));
        for ( unsigned int i = 0; i < n; i++ )
        {
            uint8_t k = u8();

            switch ( k % 5 )
            {
            case 0: mc[i].op = __HYPERVISOR_mmu_update; build_mmu(i, a); break;
            case 1: mc[i].op = __HYPERVISOR_mmuext_op; build_ext(i, a); break;
            case 2: mc[i].op = __HYPERVISOR_update_va_mapping; build_uvm(a, false); break;
            case 3: mc[i].op = k & 0x80 ? __HYPERVISOR_multicall : __HYPERVISOR_iret;
                    a[0] = (unsigned long)mc; a[1] = 1; a[2] = a[3] = 0; break;
            default: mc[i].op = __HYPERVISOR_update_va_mapping_otherdomain;
                     build_uvm(a, true); break;
            }
            for ( unsigned int j = 0; j < 4; j++ )
                mc[i].args[j] = a[j];
        }
        issue(__HYPERVISOR_multicall, (unsigned long)mc, n, 0, 0, "multicall");
        break;
    }
    case 8:
    {
        unsigned long pfn = pick_pfn();

        guest_store(pfn, pick_slot(), pick_pte());
        audit("guest store");
        break;
    }
    case 9:
        prepare_table();
        break;
    case 10:
        cur_dom = u8() % SIM_NR_DOMS;
        sim_switch_vcpu(cur_dom, op & 0x80 ? 1 : 0);
        break;
    default:
        if ( op & 0x80 )
            grant_op();
        else
            sim_preempt_every(u8() % 6);
        break;
    }
}

/* The machine every input starts from: d2 has a P2M (used when the header
 * makes it a translate-mode domain). */
static void machine_init(void)
{
    struct domain *d2;

    sim_init();
    d2 = sim_d(2);
    d2->translated = true;
    if ( p2m_init(d2, SIM_DOM_PAGES) )
        abort();
    for ( unsigned long pfn = 0; pfn < SIM_DOM_PAGES; pfn++ )
        p2m_set(d2, pfn, sim_mfn(2, pfn));
    d2->translated = false;
    sim_save();
}

/*
 * The end of every input: the domains are destroyed the way the hypervisor
 * does it (domain_relinquish_memory), in an order the input picks.  No
 * BUG may fire, and once all are gone no frame may still be owned by any
 * of them: every reference, partial claim and deferred put was dropped.
 */
static void teardown(void)
{
    static const uint8_t orders[6][SIM_NR_DOMS] = {
        { 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 }, { 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 },
    };
    const uint8_t *o = orders[u8() % 6];

    for ( unsigned int i = 0; i < SIM_NR_DOMS; i++ )
        domain_relinquish_memory(sim_d(o[i]));
    for ( unsigned long m = 0; m < max_page; m++ )
    {
        const struct page_info *pg = &frame_table[m];

        if ( !(pg->count_info & PGC_free) && pg->owner < SIM_NR_DOMS )
        {
            fprintf(stderr, "\nTEARDOWN LEAK: mfn %#lx of d%u: count_info %#lx type_info "
                    "%#lx\n--- log ---\n%s\n", m, pg->owner, pg->count_info,
                    pg->type_info, sim_log());
            __builtin_trap();
        }
    }
    for ( unsigned int i = 0; i < SIM_NR_DOMS; i++ )
        if ( gnttab_frames_held(sim_d(i)) )
        {
            fprintf(stderr, "\nTEARDOWN LEAK: d%u's grant table still holds %lu frames\n",
                    i, gnttab_frames_held(sim_d(i)));
            __builtin_trap();
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool inited;
    uint8_t hdr;

    if ( !inited )
    {
        trace = getenv("FUZZ_MMU_TRACE") != NULL;
        machine_init();
        inited = true;
    }
    else if ( !sim_restore() )
    {
        sim_fini();
        machine_init();
    }
    in_p = data;
    in_n = size;
    cur_dom = 0;
    nr_built = 0;
    recent = sim_sd(0)->l4;
    op_no = 0;
    nr_gmaps = 0;

    hdr = u8();
    for ( unsigned int i = 0; i < SIM_NR_DOMS; i++ )
        if ( hdr & (1u << i) )
            sim_d(i)->vm_assist |= 1UL << VMASST_TYPE_m2p_strict;
    if ( hdr & 8 )
        sim_d(2)->translated = true;
    sim_preempt_every((hdr >> 4) % 5);
    /* One input in 16 runs with the f·g trace on (mm/trace.c). */
    mmu_trace_enabled = (hdr & 0xf0) == 0xf0;
    if ( trace )
        for ( unsigned int i = 0; i < SIM_NR_DOMS; i++ )
            fprintf(stderr, "d%u: L4 %#lx L3 %#lx L2 %#lx L1 %#lx, pfn 0 = mfn %#lx%s\n", i,
                    mfn_x(sim_sd(i)->l4), mfn_x(sim_sd(i)->l3), mfn_x(sim_sd(i)->l2),
                    mfn_x(sim_sd(i)->l1), mfn_x(sim_mfn(i, 0)),
                    sim_d(i)->translated ? " (translated)" : "");
    audit("start");
    while ( in_n && op_no < 64 )
    {
        run_one_op();
        op_no++;
    }
    teardown();
    return 0;
}
