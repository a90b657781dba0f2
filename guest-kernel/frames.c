/*
 * frames.c - the physical frame allocator: one reference count per pfn
 * (0 = free).  A frame shared copy-on-write by n address spaces has count
 * n.  Free frames are always mapped read-write in the direct map, so they
 * can be zeroed; a frame that becomes a page table is remapped read-only
 * by its user (hcall.c frame_make_ro) and back before it is freed.
 *
 * Before kpt.c has built the direct map only the builder's region is
 * mapped, so `limit` starts at the region's end (§1.2: the pages after the
 * boot stack are free RAM) and grows to nr_pages after the switch.
 */
#include "kernel.h"
#include "lib.h"
#include "os.h"

static uint16_t refs[MAX_PFNS];
static unsigned long limit, hint, nfree;

static void set_free(unsigned long from, unsigned long to)
{
    for (unsigned long pfn = from; pfn < to; pfn++) {
        refs[pfn] = 0;
        nfree++;
    }
}

void frames_init(unsigned long first_free, unsigned long lim)
{
    for (unsigned long pfn = 0; pfn < MAX_PFNS; pfn++)
        refs[pfn] = 1;                  /* in use until said otherwise */
    nfree = 0;
    set_free(first_free, lim);
    limit = lim;
    hint = first_free;
}

void frames_extend(unsigned long lim)
{
    set_free(limit, lim);
    limit = lim;
}

unsigned long frame_alloc(void)
{
    for (unsigned long i = 0; i < limit; i++) {
        unsigned long pfn = (hint + i) % limit;

        if (refs[pfn] == 0) {
            refs[pfn] = 1;
            nfree--;
            hint = pfn + 1;
            memset(pfn_va(pfn), 0, PAGE_SIZE);
            return pfn;
        }
    }
    panic("frames: out of memory");
}

void frame_get(unsigned long pfn)
{
    if (!refs[pfn])
        panic("frames: get of free pfn %#lx", pfn);
    refs[pfn]++;
}

bool frame_put(unsigned long pfn)
{
    if (!refs[pfn])
        panic("frames: put of free pfn %#lx", pfn);
    if (--refs[pfn])
        return false;
    nfree++;
    return true;
}

void frame_give(unsigned long pfn)
{
    if (refs[pfn] != 1)
        panic("frames: pfn %#lx given back with %u references", pfn, refs[pfn]);
    refs[pfn] = 0;
    nfree++;
}

unsigned int frame_refs(unsigned long pfn)
{
    return refs[pfn];
}

unsigned long frames_free(void)
{
    return nfree;
}

/*
 * Out of memory is decided before anything is taken: a fork, a fault or an
 * exec first asks for its worst case, so a refusal never has to undo half
 * an address space (and never leaks).  The reserve keeps the kernel's own
 * needs (a table to tear something down with, say) always satisfiable.
 */
bool frames_available(unsigned long n)
{
    return nfree >= n + FRAMES_RESERVE;
}
