/*
 * vm.c - user address spaces.
 *
 * Each process has its own L4 holding only the user half (slots 0-255):
 * in 64-bit PV the user tables must not map the kernel (§1.7, §6 item 18),
 * so this L4 is only ever a user base (NEW_USER_BASEPTR).  The kernel
 * reaches user memory through its direct map, after walking these tables
 * in software (pte_pfn: entry -> M2P -> pfn).
 *
 * The recipe for a new table (§2.4, §3.5, Mini-OS's new_pt_frame §4.1):
 * allocate and zero it, remap it read-only, then link it into the pinned
 * tree with one mmu_update, which validates it.  The L4 itself is pinned
 * empty; leaf entries go through the batch (hcall.c).
 */
#include "kernel.h"
#include "console.h"
#include "lib.h"
#include "os.h"

struct vm_stats vm;

static unsigned int slot(unsigned long va, int level)
{
    return (va >> (12 + 9 * (level - 1))) & 511;
}

static unsigned long table_new(void)
{
    unsigned long pfn = frame_alloc();

    frame_make_ro(pfn);                 /* §2.4 */
    vm.tables++;
    return pfn;
}

void as_create(struct aspace *as)
{
    as->l4 = table_new();
    pin_l4(as->l4);                     /* §2.12: an empty L4 is valid */
}

/* The pfn of the level-`level` table on va's walk, creating it if asked. */
static unsigned long walk(struct aspace *as, unsigned long va, int level,
                          bool create)
{
    unsigned long t = as->l4;

    for (int l = 4; l > level; l--) {
        uint64_t e = table_of(t)[slot(va, l)];

        if (!(e & _PAGE_PRESENT)) {
            unsigned long n;

            if (!create)
                return 0;
            n = table_new();
            pte_link(slot_addr(t, slot(va, l)), pte_make(n, PTE_TABLE));
            t = n;
        } else {
            t = pte_pfn(e);
        }
    }
    return t;
}

void as_map(struct aspace *as, unsigned long va, unsigned long pfn,
            uint64_t flags)
{
    unsigned long l1 = walk(as, va, 1, true);

    pte_queue(slot_addr(l1, slot(va, 1)), flags ? pte_make(pfn, flags) : 0);
}

uint64_t as_lookup(struct aspace *as, unsigned long va)
{
    unsigned long l1 = walk(as, va, 1, false);

    return l1 ? table_of(l1)[slot(va, 1)] : 0;
}

/* Call fn for every present entry of table t (level l) and below. */
static void each_leaf(unsigned long t, int level, unsigned long base,
                      void (*fn)(unsigned long l1, unsigned int i,
                                 unsigned long va, uint64_t e, void *arg),
                      void *arg)
{
    unsigned int n = level == 4 ? 256 : 512;    /* user half only */

    for (unsigned int i = 0; i < n; i++) {
        uint64_t e = table_of(t)[i];
        unsigned long va = base + ((unsigned long)i << (12 + 9 * (level - 1)));

        if (!(e & _PAGE_PRESENT))
            continue;
        if (level == 1)
            fn(t, i, va, e, arg);
        else
            each_leaf(pte_pfn(e), level - 1, va, fn, arg);
    }
}

/*
 * fork: both sides end up mapping every page read-only; the frame's count
 * says how many share it (fault.c copies on the first write).
 */
static void share(unsigned long l1, unsigned int i, unsigned long va,
                  uint64_t e, void *arg)
{
    unsigned long pfn = pte_pfn(e);
    uint64_t flags = (e & (_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)) |
                     (e & _PAGE_DIRTY);

    if (e & _PAGE_RW)
        pte_queue(slot_addr(l1, i), pte_make(pfn, flags));
    as_map(arg, va, pfn, flags);
    frame_get(pfn);
    vm.pages_shared++;
}

void as_fork(struct aspace *parent, struct aspace *child)
{
    as_create(child);
    each_leaf(parent->l4, 4, 0, share, child);
    /* The parent's RW entries may be cached: flush with the batch. */
    pte_commit(FLUSH_ALL);
}

static unsigned long count_tables(unsigned long t, int level)
{
    unsigned long n = 1;

    for (unsigned int i = 0; level > 1 && i < (level == 4 ? 256u : 512u); i++)
        if (table_of(t)[i] & _PAGE_PRESENT)
            n += count_tables(pte_pfn(table_of(t)[i]), level - 1);
    return n;
}

unsigned long as_tables(struct aspace *as)
{
    return as->l4 ? count_tables(as->l4, 4) : 0;
}

/* Teardown, after UNPIN: drop the pages, then free the tables. */
static void drop(unsigned long t, int level)
{
    unsigned int n = level == 4 ? 256 : 512;

    for (unsigned int i = 0; i < n; i++) {
        uint64_t e = table_of(t)[i];

        if (!(e & _PAGE_PRESENT))
            continue;
        if (level == 1)
            frame_put(pte_pfn(e));
        else
            drop(pte_pfn(e), level - 1);
    }
    frame_make_rw(t);                   /* §2.4: no longer a table */
    if (!frame_put(t))
        panic("vm: table pfn %#lx still referenced", t);
    vm.tables--;
}

/* The caller has made sure this L4 is no one's base any more. */
void as_destroy(struct aspace *as)
{
    if (!as->l4)
        return;
    pte_commit(FLUSH_NONE);
    unpin_table(as->l4);                /* §3.4: demotes the whole tree */
    drop(as->l4, 4);
    as->l4 = 0;
}
