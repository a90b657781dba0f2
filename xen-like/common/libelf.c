/*
 * libelf.c - check a 64-bit PV kernel image and read its Xen ELF notes.
 *
 * A PV kernel tells the domain builder how it wants to be started through
 * ELF notes named "Xen" (public/elfnote.h): where its virtual address space
 * begins (VIRT_BASE), where to enter it (ENTRY), where its hypercall page
 * goes (HYPERCALL_PAGE), which features it needs (FEATURES), and so on.
 * This file follows Xen's libelf-dominfo.c rules:
 *
 *   1. Notes are looked for in PT_NOTE segments first (a segment at file
 *      offset 0 is skipped, as Xen does, since it cannot be a real note
 *      segment); only if those hold no Xen note are SHT_NOTE sections read.
 *      An image with no Xen note at all is "Not a Xen-ELF image".
 *   2. The image must be meant for us: LOADER starts with "generic" or
 *      GUEST_OS starts with "linux", and XEN_VERSION starts with "xen-3.0".
 *   3. Placement uses p_paddr, not p_vaddr.  With virt_offset = VIRT_BASE -
 *      PADDR_OFFSET (both default to 0), the kernel occupies
 *      [min p_paddr, max p_paddr + p_memsz) + virt_offset over PT_LOAD.
 *   4. The entry point (ENTRY, else e_entry) and the hypercall page lie in
 *      that range, VIRT_BASE is not above it, and INIT_P2M is not in it.
 *
 * The image is hostile.  Every offset and size read from it is checked
 * against the image length before use, in a form that cannot overflow
 * (elf_in_image), and structures are copied out with memcpy because
 * nothing guarantees they are aligned.  The checks of the ELF file header
 * itself, which are not Xen-specific, live in xen-like/lib/elf64.c.
 */
#include "lib.h"
#include "libelf.h"

#define HYPERCALL_PAGE_BYTES (HYPERCALL_PAGE_SLOT_SIZE * HYPERCALL_PAGE_SLOTS)

static int fail(const char **why, const char *msg)
{
    if ( why )
        *why = msg;
    return -XEN_EINVAL;
}

static const char *const feature_names[32 * XENFEAT_NR_SUBMAPS] = {
    [XENFEAT_writable_page_tables]       = "writable_page_tables",
    [XENFEAT_writable_descriptor_tables] = "writable_descriptor_tables",
    [XENFEAT_auto_translated_physmap]    = "auto_translated_physmap",
    [XENFEAT_supervisor_mode_kernel]     = "supervisor_mode_kernel",
    [XENFEAT_pae_pgdir_above_4gb]        = "pae_pgdir_above_4gb",
    [XENFEAT_hvm_callback_vector]        = "hvm_callback_vector",
    [XENFEAT_dom0]                       = "dom0",
};

const char *elf_xen_feature_name(unsigned int nr)
{
    return nr < sizeof(feature_names) / sizeof(feature_names[0])
           ? feature_names[nr] : NULL;
}

/*
 * FEATURES is "name|name|!name".  A plain name the guest can use sets its
 * supported bit; "!name" says the guest cannot run without it and sets the
 * required bit too.  A required feature we have never heard of cannot be
 * provided, so the image is refused; an unknown optional one is ignored.
 */
static int parse_features(struct elf_dom_parms *p, const char *s, size_t len,
                          const char **why)
{
    size_t i = 0;

    while ( i < len )
    {
        size_t start = i, n;
        bool required = s[i] == '!';
        unsigned int bit;

        while ( i < len && s[i] != '|' )
            i++;
        start += required;
        n = i - start;
        i++;                                /* skip the '|' */
        if ( n == 0 )
            continue;

        for ( bit = 0; bit < 32 * XENFEAT_NR_SUBMAPS; bit++ )
            if ( feature_names[bit] && strlen(feature_names[bit]) == n &&
                 !strncmp(feature_names[bit], s + start, n) )
                break;
        if ( bit == 32 * XENFEAT_NR_SUBMAPS )
        {
            if ( required )
                return fail(why, "FEATURES requires ('!') a feature this hypervisor does not know");
            continue;
        }
        p->f_supported[bit / 32] |= 1u << (bit % 32);
        if ( required )
            p->f_required[bit / 32] |= 1u << (bit % 32);
    }
    return 0;
}

/* Copy a string note, which need not be NUL-terminated within descsz. */
static void copy_str(char *dst, const uint8_t *desc, size_t descsz)
{
    size_t n = strnlen((const char *)desc, descsz);

    if ( n > ELF_NOTE_STR_LEN - 1 )
        n = ELF_NOTE_STR_LEN - 1;
    memcpy(dst, desc, n);
    dst[n] = '\0';
}

/*
 * What each Xen note means here: a number or a string, and which field of
 * struct elf_dom_parms (and which has_* flag) receives it.  Notes marked
 * NOTE_OTHER need code of their own; types not listed (INFO, HV_START_LOW,
 * which is 32-bit only, the PVH notes, future notes) are ignored, as Xen
 * ignores notes it has no use for.
 */
enum note_kind { NOTE_IGNORED, NOTE_NUMBER, NOTE_STRING, NOTE_OTHER };

#define NUM(f, h) { NOTE_NUMBER, offsetof(struct elf_dom_parms, f), \
                    offsetof(struct elf_dom_parms, h) }
#define STR(f)    { NOTE_STRING, offsetof(struct elf_dom_parms, f), 0 }

static const struct {
    enum note_kind kind;
    size_t field, present;
} note_table[XEN_ELFNOTE_MAX + 1] = {
    [XEN_ELFNOTE_ENTRY]              = NUM(virt_entry, has_entry),
    [XEN_ELFNOTE_HYPERCALL_PAGE]     = NUM(virt_hypercall, has_hypercall),
    [XEN_ELFNOTE_VIRT_BASE]          = NUM(virt_base, has_virt_base),
    [XEN_ELFNOTE_PADDR_OFFSET]       = NUM(elf_paddr_offset, has_paddr_offset),
    [XEN_ELFNOTE_SUSPEND_CANCEL]     = NUM(suspend_cancel, has_suspend_cancel),
    [XEN_ELFNOTE_INIT_P2M]           = NUM(p2m_base, has_p2m_base),
    [XEN_ELFNOTE_MOD_START_PFN]      = NUM(mod_start_pfn, has_mod_start_pfn),
    [XEN_ELFNOTE_XEN_VERSION]        = STR(xen_version),
    [XEN_ELFNOTE_GUEST_OS]           = STR(guest_os),
    [XEN_ELFNOTE_GUEST_VERSION]      = STR(guest_version),
    [XEN_ELFNOTE_LOADER]             = STR(loader),
    [XEN_ELFNOTE_PAE_MODE]           = STR(pae_mode),
    [XEN_ELFNOTE_SUPPORTED_FEATURES] = { NOTE_OTHER, 0, 0 },
    [XEN_ELFNOTE_FEATURES]           = { NOTE_OTHER, 0, 0 },
    [XEN_ELFNOTE_BSD_SYMTAB]         = { NOTE_OTHER, 0, 0 },
    [XEN_ELFNOTE_L1_MFN_VALID]       = { NOTE_OTHER, 0, 0 },
};

/* Numbers are little endian, 1, 2, 4 or 8 bytes long, as Xen accepts. */
static int note_number(const uint8_t *desc, size_t descsz, uint64_t *val,
                       const char **why)
{
    if ( descsz != 1 && descsz != 2 && descsz != 4 && descsz != 8 )
        return fail(why, "a numeric Xen note is not 1, 2, 4 or 8 bytes long");
    *val = 0;
    for ( size_t i = descsz; i-- > 0; )
        *val = (*val << 8) | desc[i];
    return 0;
}

/* Handle one note named "Xen". */
static int parse_xen_note(struct elf_dom_parms *p, uint32_t type,
                          const uint8_t *desc, size_t descsz, const char **why)
{
    enum note_kind kind = type <= XEN_ELFNOTE_MAX ? note_table[type].kind
                                                  : NOTE_IGNORED;
    uint64_t val;
    int rc;

    switch ( kind )
    {
    case NOTE_NUMBER:
        rc = note_number(desc, descsz, &val, why);
        if ( rc )
            return rc;
        *(uint64_t *)((char *)p + note_table[type].field) = val;
        *(bool *)((char *)p + note_table[type].present) = true;
        return 0;
    case NOTE_STRING:
        copy_str((char *)p + note_table[type].field, desc, descsz);
        return 0;
    case NOTE_IGNORED:
        return 0;
    case NOTE_OTHER:
        break;
    }

    switch ( type )
    {
    case XEN_ELFNOTE_SUPPORTED_FEATURES:
        /* A bitmap ORed into the supported set; it never requires anything. */
        rc = note_number(desc, descsz, &val, why);
        if ( rc )
            return rc;
        p->f_supported[0] |= (uint32_t)val;
        p->has_supported_features = true;
        return 0;
    case XEN_ELFNOTE_FEATURES:
        p->has_features = true;
        return parse_features(p, (const char *)desc,
                              strnlen((const char *)desc, descsz), why);
    case XEN_ELFNOTE_BSD_SYMTAB:
        p->has_bsd_symtab = descsz >= 3 && !memcmp(desc, "yes", 3);
        return 0;
    case XEN_ELFNOTE_L1_MFN_VALID:
        /* Mask/value pairs Linux sends; nothing here depends on them. */
        p->has_l1_mfn_valid = true;
        return 0;
    }
    return 0;
}

/* Walk the notes in [off, off + len) of the image, which has been checked. */
static int parse_note_region(const uint8_t *img, uint64_t off, uint64_t len,
                             struct elf_dom_parms *p, const char **why)
{
    while ( len >= sizeof(struct elf64_nhdr) )
    {
        struct elf64_nhdr nh;
        uint64_t namesz, descsz, rest = len - sizeof(nh);
        const uint8_t *name, *desc;
        int rc;

        memcpy(&nh, img + off, sizeof(nh));
        namesz = ((uint64_t)nh.n_namesz + 3) & ~3ULL;
        descsz = ((uint64_t)nh.n_descsz + 3) & ~3ULL;
        if ( namesz > rest || descsz > rest - namesz )
            return fail(why, "an ELF note runs past the end of its segment or section");

        name = img + off + sizeof(nh);
        desc = name + namesz;
        if ( nh.n_namesz == 4 && !memcmp(name, "Xen", 4) )
        {
            rc = parse_xen_note(p, nh.n_type, desc, nh.n_descsz, why);
            if ( rc )
                return rc;
            p->nr_notes++;
        }
        off += sizeof(nh) + namesz + descsz;
        len = rest - namesz - descsz;
    }
    return 0;
}

/* Rule 1: PT_NOTE segments, then SHT_NOTE sections if they held nothing. */
static int find_notes(const uint8_t *img, size_t size,
                      const struct elf64_ehdr *eh, struct elf_dom_parms *p,
                      const char **why)
{
    int rc;

    for ( unsigned int i = 0; i < eh->e_phnum; i++ )
    {
        struct elf64_phdr ph;

        elf_read_phdr(img, eh, i, &ph);
        if ( ph.p_type != PT_NOTE || ph.p_offset == 0 )
            continue;
        if ( !elf_in_image(size, ph.p_offset, ph.p_filesz) )
            return fail(why, "a PT_NOTE segment lies outside the image");
        rc = parse_note_region(img, ph.p_offset, ph.p_filesz, p, why);
        if ( rc )
            return rc;
    }
    if ( p->nr_notes )
        return 0;

    for ( unsigned int i = 0; i < eh->e_shnum; i++ )
    {
        struct elf64_shdr sh;

        elf_read_shdr(img, eh, i, &sh);
        if ( sh.sh_type != SHT_NOTE )
            continue;
        if ( !elf_in_image(size, sh.sh_offset, sh.sh_size) )
            return fail(why, "an SHT_NOTE section lies outside the image");
        rc = parse_note_region(img, sh.sh_offset, sh.sh_size, p, why);
        if ( rc )
            return rc;
    }
    p->notes_from_sections = p->nr_notes != 0;
    return 0;
}

/* Check one PT_LOAD segment against the image; shared with elf_load. */
static int check_load_segment(const struct elf64_phdr *ph, size_t size,
                              const char **why)
{
    if ( ph->p_filesz > ph->p_memsz )
        return fail(why, "a PT_LOAD segment has p_filesz larger than p_memsz");
    if ( !elf_in_image(size, ph->p_offset, ph->p_filesz) )
        return fail(why, "a PT_LOAD segment's file bytes lie outside the image");
    if ( ph->p_paddr > UINT64_MAX - ph->p_memsz )
        return fail(why, "a PT_LOAD segment wraps around the address space");
    return 0;
}

int elf_xen_parse(const void *image, size_t size, struct elf_dom_parms *p,
                  const char **why)
{
    const uint8_t *img = image;
    struct elf64_ehdr eh;
    bool any_load = false;
    int rc;

    memset(p, 0, sizeof(*p));
    rc = elf_check_header(image, size, why);
    if ( rc )
        return rc;
    memcpy(&eh, img, sizeof(eh));

    rc = find_notes(img, size, &eh, p, why);
    if ( rc )
        return rc;
    if ( p->nr_notes == 0 )
        return fail(why, "Not a Xen-ELF image: no Xen ELF notes found");

    /* Rule 2: who the image was built for. */
    if ( strncmp(p->loader, "generic", 7) && strncmp(p->guest_os, "linux", 5) )
        return fail(why, "image is for neither the generic loader (LOADER \"generic\") nor Linux (GUEST_OS \"linux\")");
    if ( strncmp(p->xen_version, "xen-3.0", 7) )
        return fail(why, "XEN_VERSION note missing or not beginning with \"xen-3.0\"");

    /* Rule 3: placement from p_paddr. */
    if ( p->has_paddr_offset && !p->has_virt_base )
        return fail(why, "PADDR_OFFSET is set but VIRT_BASE is not");
    for ( unsigned int i = 0; i < eh.e_phnum; i++ )
    {
        struct elf64_phdr ph;

        elf_read_phdr(img, &eh, i, &ph);
        if ( ph.p_type != PT_LOAD )
            continue;
        rc = check_load_segment(&ph, size, why);
        if ( rc )
            return rc;
        if ( !any_load || ph.p_paddr < p->pstart )
            p->pstart = ph.p_paddr;
        if ( !any_load || ph.p_paddr + ph.p_memsz > p->pend )
            p->pend = ph.p_paddr + ph.p_memsz;
        any_load = true;
    }
    if ( !any_load )
        return fail(why, "image has no PT_LOAD segment");

    /* Unsigned wrap-around is intended here: VIRT_BASE is usually high. */
    p->virt_offset = p->virt_base - p->elf_paddr_offset;
    p->virt_kstart = p->pstart + p->virt_offset;
    if ( p->virt_kstart > UINT64_MAX - (p->pend - p->pstart) )
        return fail(why, "the kernel's virtual range wraps around the address space");
    p->virt_kend = p->virt_kstart + (p->pend - p->pstart);
    if ( !p->has_entry )
        p->virt_entry = eh.e_entry;

    /* Rule 4: everything the notes point at must agree with the range. */
    if ( p->virt_entry < p->virt_kstart || p->virt_entry >= p->virt_kend )
        return fail(why, "entry point lies outside the kernel image");
    if ( p->virt_base > p->virt_kstart )
        return fail(why, "VIRT_BASE lies above the start of the kernel image");
    if ( p->has_p2m_base && p->p2m_base >= p->virt_kstart &&
         p->p2m_base < p->virt_kend )
        return fail(why, "INIT_P2M lies inside the kernel image");
    if ( p->has_hypercall &&
         (p->virt_hypercall < p->virt_kstart || p->virt_hypercall >= p->virt_kend ||
          p->virt_kend - p->virt_hypercall < HYPERCALL_PAGE_BYTES) )
        return fail(why, "HYPERCALL_PAGE does not lie wholly inside the kernel image");

    return 0;
}

int elf_load(const void *image, size_t size, const struct elf_dom_parms *parms,
             elf_load_fn load, void *ctx, const char **why)
{
    const uint8_t *img = image;
    struct elf64_ehdr eh;
    int rc = elf_check_header(image, size, why);

    if ( rc )
        return rc;
    memcpy(&eh, img, sizeof(eh));

    for ( unsigned int i = 0; i < eh.e_phnum; i++ )
    {
        struct elf64_phdr ph;
        uint64_t va;

        elf_read_phdr(img, &eh, i, &ph);
        if ( ph.p_type != PT_LOAD || ph.p_memsz == 0 )
            continue;
        /* Re-check, so a parms from a different image cannot misdirect us. */
        rc = check_load_segment(&ph, size, why);
        if ( rc )
            return rc;
        va = ph.p_paddr + parms->virt_offset;
        if ( va < parms->virt_kstart || va > parms->virt_kend ||
             ph.p_memsz > parms->virt_kend - va )
            return fail(why, "a PT_LOAD segment lies outside the parsed kernel range");

        rc = load(ctx, va, img + ph.p_offset, ph.p_filesz, ph.p_memsz);
        if ( rc )
        {
            if ( why )
                *why = "the domain builder could not place a PT_LOAD segment";
            return rc;
        }
    }
    return 0;
}
