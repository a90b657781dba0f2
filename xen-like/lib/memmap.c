/*
 * memmap.c - keep the boot memory map sorted, merged and free of overlaps.
 *
 * Firmware memory maps (E820, passed on by both multiboot protocols) are
 * not promised to be sorted, and real ones do contain overlapping entries.
 * Whatever later hands out RAM must be able to trust the map, so it is
 * normalised once, here, with one simple rule: where entries overlap, the
 * more restrictive type wins.  Treating a reserved byte as RAM can corrupt
 * firmware or device memory; treating a RAM byte as reserved only wastes
 * it.  That asymmetry is why "conservative" means "anything beats RAM".
 *
 * The method is the one Linux's sanitize_e820_map popularised, kept naive
 * because the map is small: cut the address space at every entry boundary,
 * give each piece the strongest type of the entries covering it, and merge
 * neighbouring pieces of equal type.  It runs once, at boot.
 */
#include "lib.h"
#include "bootinfo.h"

/*
 * How restrictive a type is.  Unknown types (persistent memory and other
 * newer E820 kinds) rank as reserved: we must not use what we do not know.
 */
static unsigned int type_rank(uint32_t type)
{
    switch ( type )
    {
    case E820_RAM:      return 1;
    case E820_ACPI:     return 2;           /* reclaimable after ACPI init */
    case E820_NVS:      return 3;
    case E820_UNUSABLE: return 5;           /* known-bad memory */
    default:            return 4;           /* E820_RESERVED and unknown */
    }
}

void boot_memmap_add(struct boot_info *bi, uint64_t addr, uint64_t len,
                     uint32_t type)
{
    if ( len == 0 )
        return;
    if ( bi->nr_memmap == BOOT_MAX_MEMMAP )
    {
        /* Counted, so the caller can report it once rather than per entry. */
        bi->memmap_dropped++;
        return;
    }
    /* An entry running past the top of the address space is cut there. */
    if ( addr + len < addr )
        len = UINT64_MAX - addr;
    bi->memmap[bi->nr_memmap].addr = addr;
    bi->memmap[bi->nr_memmap].len = len;
    bi->memmap[bi->nr_memmap].type = type;
    bi->nr_memmap++;
}

/* Scratch space: boundaries of all entries and the rebuilt map. */
static uint64_t bounds[2 * BOOT_MAX_MEMMAP];
static struct boot_memmap_entry out[BOOT_MAX_MEMMAP];

void boot_memmap_sanitize(struct boot_info *bi, boot_warn_fn warn)
{
    unsigned int nb = 0, nout = 0, i, j;
    bool conflict = false, truncated = false;

    for ( i = 0; i < bi->nr_memmap; i++ )
    {
        bounds[nb++] = bi->memmap[i].addr;
        bounds[nb++] = bi->memmap[i].addr + bi->memmap[i].len;
    }

    /* Insertion sort (at most 256 values), then drop duplicates. */
    for ( i = 1; i < nb; i++ )
    {
        uint64_t v = bounds[i];

        for ( j = i; j > 0 && bounds[j - 1] > v; j-- )
            bounds[j] = bounds[j - 1];
        bounds[j] = v;
    }
    for ( i = 0, j = 0; i < nb; i++ )
        if ( j == 0 || bounds[i] != bounds[j - 1] )
            bounds[j++] = bounds[i];
    nb = j;

    /* Give each piece [bounds[i], bounds[i+1]) its strongest type. */
    for ( i = 0; i + 1 < nb && !truncated; i++ )
    {
        uint64_t lo = bounds[i], hi = bounds[i + 1];
        bool covered = false;
        uint32_t type = 0;

        for ( j = 0; j < bi->nr_memmap; j++ )
        {
            const struct boot_memmap_entry *e = &bi->memmap[j];

            if ( lo < e->addr || lo - e->addr >= e->len )
                continue;
            if ( covered && e->type != type )
                conflict = true;
            if ( !covered || type_rank(e->type) > type_rank(type) )
                type = e->type;
            covered = true;
        }
        if ( !covered )
            continue;                       /* a hole between entries */

        if ( nout && out[nout - 1].type == type &&
             out[nout - 1].addr + out[nout - 1].len == lo )
            out[nout - 1].len += hi - lo;
        else if ( nout == BOOT_MAX_MEMMAP )
            truncated = true;
        else
        {
            out[nout].addr = lo;
            out[nout].len = hi - lo;
            out[nout].type = type;
            nout++;
        }
    }

    memcpy(bi->memmap, out, nout * sizeof(out[0]));
    bi->nr_memmap = nout;

    if ( conflict && warn )
        warn("memory map entries of different types overlap; the more restrictive type was kept");
    if ( truncated && warn )
        warn("memory map too fragmented after merging; the highest entries are ignored");
}
