/*
 * test-libelf.c - every rule of xen-like/common/libelf.c, each with an
 * image crafted for it by elf-build.c, plus truncation and mutation sweeps
 * that must never make the parser touch memory outside the image.
 */
#include "lib.h"
#include "runner.h"
#include "elf-build.h"

#define KSTART (LINUX_VIRT_BASE + LINUX_PADDR)
#define KEND   (KSTART + 0x5000)

static void get_eh(const uint8_t *img, struct elf64_ehdr *eh) { memcpy(eh, img, sizeof(*eh)); }
static void put_eh(uint8_t *img, const struct elf64_ehdr *eh) { memcpy(img, eh, sizeof(*eh)); }

static void get_ph(const uint8_t *img, unsigned int i, struct elf64_phdr *ph)
{
    memcpy(ph, img + sizeof(struct elf64_ehdr) + i * sizeof(*ph), sizeof(*ph));
}

static void put_ph(uint8_t *img, unsigned int i, const struct elf64_phdr *ph)
{
    memcpy(img + sizeof(struct elf64_ehdr) + i * sizeof(*ph), ph, sizeof(*ph));
}

/* The image must be refused with -XEN_EINVAL and a why naming the rule. */
#define REJECTS_IMG(img, size, words)                                      \
    do {                                                                   \
        struct elf_dom_parms p_;                                           \
        const char *w_ = NULL;                                             \
        CHECK_I(elf_xen_parse((img), (size), &p_, &w_), -XEN_EINVAL);      \
        CHECK_WHY(w_, words);                                              \
    } while ( 0 )

#define REJECTS(spec, words)                                               \
    do {                                                                   \
        struct elf_layout l_;                                              \
        uint8_t *i_ = elf_build((spec), &l_);                              \
        REJECTS_IMG(i_, l_.size, words);                                   \
    } while ( 0 )

#define ACCEPTS(spec, parms)                                               \
    do {                                                                   \
        struct elf_layout l_;                                              \
        const char *w_ = NULL;                                             \
        uint8_t *i_ = elf_build((spec), &l_);                              \
        int rc_ = elf_xen_parse(i_, l_.size, (parms), &w_);                \
        if ( rc_ )                                                         \
            return test_failf("%s:%d: rejected (%d): %s", __FILE__,        \
                              __LINE__, rc_, w_ ? w_ : "?");               \
    } while ( 0 )

static const char *t_linux_like(void)
{
    struct elf_spec s;
    struct elf_dom_parms p;

    spec_linux_like(&s);
    ACCEPTS(&s, &p);
    CHECK_U(p.virt_base, LINUX_VIRT_BASE);
    CHECK_U(p.elf_paddr_offset, 0);
    CHECK_U(p.virt_offset, LINUX_VIRT_BASE);
    CHECK_U(p.virt_kstart, KSTART);
    CHECK_U(p.virt_kend, KEND);
    CHECK_U(p.virt_entry, KSTART + 0x10);
    CHECK(p.has_hypercall);
    CHECK_U(p.virt_hypercall, KSTART + 0x1000);
    CHECK_STR(p.guest_os, "xen-like-test");
    CHECK_STR(p.guest_version, "0.1");
    CHECK_STR(p.loader, "generic");
    CHECK_STR(p.xen_version, "xen-3.0");
    CHECK_U(p.f_supported[0], 1u << XENFEAT_writable_page_tables);
    CHECK_U(p.f_required[0], 1u << XENFEAT_writable_page_tables);
    CHECK(!p.has_p2m_base && !p.notes_from_sections);
    CHECK_U(p.nr_notes, 9);
    return NULL;
}

static const char *t_minios_like_defaults(void)
{
    struct elf_spec s;
    struct elf_dom_parms p;

    spec_linux_like(&s);
    spec_drop_note(&s, XEN_ELFNOTE_VIRT_BASE);
    spec_drop_note(&s, XEN_ELFNOTE_PADDR_OFFSET);
    spec_drop_note(&s, XEN_ELFNOTE_ENTRY);
    spec_set_note(&s, NOTE_U64(XEN_ELFNOTE_HYPERCALL_PAGE, 0x2000));
    s.segs[0].paddr = 0;
    s.entry = 0;
    ACCEPTS(&s, &p);
    CHECK(!p.has_virt_base && !p.has_paddr_offset && !p.has_entry);
    CHECK_U(p.virt_base, 0);
    CHECK_U(p.virt_kstart, 0);
    CHECK_U(p.virt_kend, 0x5000);
    CHECK_U(p.virt_entry, 0);                /* e_entry */
    return NULL;
}

static const char *t_numeric_4_byte(void)
{
    struct elf_spec s;
    struct elf_dom_parms p;

    spec_linux_like(&s);
    spec_drop_note(&s, XEN_ELFNOTE_VIRT_BASE);
    spec_drop_note(&s, XEN_ELFNOTE_PADDR_OFFSET);
    spec_drop_note(&s, XEN_ELFNOTE_HYPERCALL_PAGE);
    spec_set_note(&s, NOTE_U32(XEN_ELFNOTE_ENTRY, 0x200040));
    ACCEPTS(&s, &p);
    CHECK_U(p.virt_entry, 0x200040);
    return NULL;
}

static const char *t_numeric_1_2_byte(void)
{
    struct elf_spec s;
    struct elf_dom_parms p;

    spec_linux_like(&s);
    spec_set_note(&s, ((struct test_note){ "Xen", XEN_ELFNOTE_MOD_START_PFN, "\x01", 1 }));
    spec_set_note(&s, ((struct test_note){ "Xen", XEN_ELFNOTE_SUSPEND_CANCEL, "\x02\x01", 2 }));
    ACCEPTS(&s, &p);
    CHECK(p.has_mod_start_pfn && p.has_suspend_cancel);
    CHECK_U(p.mod_start_pfn, 1);
    CHECK_U(p.suspend_cancel, 0x0102);
    return NULL;
}

static const char *t_numeric_bad_size(void)
{
    struct elf_spec s;

    spec_linux_like(&s);
    spec_set_note(&s, ((struct test_note){ "Xen", XEN_ELFNOTE_ENTRY, "\x10\x00\x20", 3 }));
    REJECTS(&s, "1, 2, 4 or 8");
    spec_set_note(&s, ((struct test_note){ "Xen", XEN_ELFNOTE_VIRT_BASE,
                                           "0123456789abcdef", 16 }));
    spec_drop_note(&s, XEN_ELFNOTE_ENTRY);
    REJECTS(&s, "1, 2, 4 or 8");
    return NULL;
}

static const char *t_no_notes(void)
{
    struct elf_spec s;

    spec_linux_like(&s);
    s.nr_notes = 0;
    REJECTS(&s, "Not a Xen-ELF image");
    return NULL;
}

static const char *t_foreign_notes(void)
{
    struct elf_spec s;
    struct elf_dom_parms p;
    struct test_note gnu = { "GNU", 3, "build-id-bytes", 14 };

    spec_linux_like(&s);
    for ( unsigned int i = 0; i < s.nr_notes; i++ )
        s.notes[i].name = "Xenon";          /* right prefix, wrong name */
    REJECTS(&s, "Not a Xen-ELF image");

    spec_linux_like(&s);
    s.notes[s.nr_notes++] = s.notes[0];
    s.notes[0] = gnu;                       /* a GNU note first */
    ACCEPTS(&s, &p);
    CHECK_U(p.nr_notes, 9);
    return NULL;
}

static const char *t_section_fallback(void)
{
    struct elf_spec s;
    struct elf_dom_parms p;

    spec_linux_like(&s);
    memcpy(s.sec_notes, s.notes, sizeof(s.notes));
    s.nr_sec_notes = s.nr_notes;
    s.nr_notes = 0;
    ACCEPTS(&s, &p);
    CHECK(p.notes_from_sections);
    CHECK_U(p.virt_entry, KSTART + 0x10);
    return NULL;
}

static const char *t_segment_notes_win(void)
{
    struct elf_spec s;
    struct elf_dom_parms p;

    spec_linux_like(&s);
    memcpy(s.sec_notes, s.notes, sizeof(s.notes));
    s.nr_sec_notes = s.nr_notes;
    s.sec_notes[0] = NOTE_STR(XEN_ELFNOTE_GUEST_OS, "from-section");
    ACCEPTS(&s, &p);
    CHECK(!p.notes_from_sections);
    CHECK_STR(p.guest_os, "xen-like-test");
    return NULL;
}

static const char *t_pt_note_at_offset_0_skipped(void)
{
    struct elf_spec s;
    struct elf_layout lay;
    struct elf_dom_parms p;
    struct elf64_phdr ph;
    const char *why = NULL;
    uint8_t *img;

    /* With section notes to fall back on, the image is still accepted. */
    spec_linux_like(&s);
    memcpy(s.sec_notes, s.notes, sizeof(s.notes));
    s.nr_sec_notes = s.nr_notes;
    img = elf_build(&s, &lay);
    get_ph(img, lay.note_phdr, &ph);
    ph.p_offset = 0;
    put_ph(img, lay.note_phdr, &ph);
    CHECK_I(elf_xen_parse(img, lay.size, &p, &why), 0);
    CHECK(p.notes_from_sections);

    /* Without them, it has no notes at all. */
    spec_linux_like(&s);
    img = elf_build(&s, &lay);
    get_ph(img, lay.note_phdr, &ph);
    ph.p_offset = 0;
    put_ph(img, lay.note_phdr, &ph);
    REJECTS_IMG(img, lay.size, "Not a Xen-ELF image");
    return NULL;
}

static const char *t_xen_version(void)
{
    struct elf_spec s;
    struct elf_dom_parms p;

    spec_linux_like(&s);
    spec_set_note(&s, NOTE_STR(XEN_ELFNOTE_XEN_VERSION, "xen-2.0"));
    REJECTS(&s, "xen-3.0");
    spec_drop_note(&s, XEN_ELFNOTE_XEN_VERSION);
    REJECTS(&s, "XEN_VERSION");
    spec_set_note(&s, NOTE_STR(XEN_ELFNOTE_XEN_VERSION, "xen-3.0-x86_64"));
    ACCEPTS(&s, &p);
    return NULL;
}

static const char *t_loader_or_linux(void)
{
    struct elf_spec s;
    struct elf_dom_parms p;

    spec_linux_like(&s);                    /* generic loader, other OS */
    ACCEPTS(&s, &p);
    spec_set_note(&s, NOTE_STR(XEN_ELFNOTE_LOADER, "custom"));
    spec_set_note(&s, NOTE_STR(XEN_ELFNOTE_GUEST_OS, "linux"));
    ACCEPTS(&s, &p);                        /* Linux, any loader */
    spec_set_note(&s, NOTE_STR(XEN_ELFNOTE_GUEST_OS, "Mini-OS"));
    REJECTS(&s, "generic");                 /* neither */
    spec_drop_note(&s, XEN_ELFNOTE_LOADER);
    spec_drop_note(&s, XEN_ELFNOTE_GUEST_OS);
    REJECTS(&s, "Linux");                   /* neither note at all */
    return NULL;
}

static const char *t_features(void)
{
    struct elf_spec s;
    struct elf_dom_parms p;

    spec_linux_like(&s);
    spec_set_note(&s, NOTE_STR(XEN_ELFNOTE_FEATURES,
                  "writable_page_tables|!pae_pgdir_above_4gb||unknown_thing|!dom0|"));
    ACCEPTS(&s, &p);
    CHECK(p.has_features);
    CHECK_U(p.f_supported[0], (1u << XENFEAT_writable_page_tables) |
                              (1u << XENFEAT_pae_pgdir_above_4gb) | (1u << XENFEAT_dom0));
    CHECK_U(p.f_required[0], (1u << XENFEAT_pae_pgdir_above_4gb) | (1u << XENFEAT_dom0));

    /* The desc need not hold a terminator. */
    spec_set_note(&s, ((struct test_note){ "Xen", XEN_ELFNOTE_FEATURES, "!dom0", 5 }));
    ACCEPTS(&s, &p);
    CHECK_U(p.f_required[0], 1u << XENFEAT_dom0);
    return NULL;
}

static const char *t_features_unknown_required(void)
{
    struct elf_spec s;

    spec_linux_like(&s);
    spec_set_note(&s, NOTE_STR(XEN_ELFNOTE_FEATURES, "writable_page_tables|!mystery"));
    REJECTS(&s, "FEATURES requires");
    spec_set_note(&s, NOTE_STR(XEN_ELFNOTE_FEATURES, "!"));  /* empty name: ignored */
    {
        struct elf_dom_parms p;
        ACCEPTS(&s, &p);
    }
    return NULL;
}

static const char *t_supported_features(void)
{
    struct elf_spec s;
    struct elf_dom_parms p;

    spec_linux_like(&s);
    spec_set_note(&s, NOTE_U32(XEN_ELFNOTE_SUPPORTED_FEATURES,
                               (1u << XENFEAT_dom0) | (1u << XENFEAT_hvm_callback_vector)));
    ACCEPTS(&s, &p);
    CHECK(p.has_supported_features);
    CHECK_U(p.f_supported[0], (1u << XENFEAT_dom0) | (1u << XENFEAT_hvm_callback_vector) |
                              (1u << XENFEAT_writable_page_tables));
    CHECK_U(p.f_required[0], 1u << XENFEAT_writable_page_tables);
    return NULL;
}

static const char *t_entry_range(void)
{
    struct elf_spec s;
    struct elf_dom_parms p;

    spec_linux_like(&s);
    spec_set_note(&s, NOTE_U64(XEN_ELFNOTE_ENTRY, KSTART - 1));
    REJECTS(&s, "entry point");
    spec_set_note(&s, NOTE_U64(XEN_ELFNOTE_ENTRY, KEND));
    REJECTS(&s, "entry point");
    spec_set_note(&s, NOTE_U64(XEN_ELFNOTE_ENTRY, KEND - 1));
    ACCEPTS(&s, &p);
    spec_drop_note(&s, XEN_ELFNOTE_ENTRY);   /* e_entry is checked too */
    s.entry = 0x1000;
    REJECTS(&s, "entry point");
    return NULL;
}

static const char *t_virt_base_above_kstart(void)
{
    struct elf_spec s;

    spec_linux_like(&s);
    spec_set_note(&s, NOTE_U64(XEN_ELFNOTE_PADDR_OFFSET, 0x300000));
    spec_set_note(&s, NOTE_U64(XEN_ELFNOTE_ENTRY, LINUX_VIRT_BASE - 0x100000 + 0x10));
    spec_drop_note(&s, XEN_ELFNOTE_HYPERCALL_PAGE);
    REJECTS(&s, "VIRT_BASE lies above");
    return NULL;
}

static const char *t_paddr_offset_rules(void)
{
    struct elf_spec s;
    struct elf_dom_parms p;

    spec_linux_like(&s);
    spec_drop_note(&s, XEN_ELFNOTE_VIRT_BASE);
    REJECTS(&s, "PADDR_OFFSET is set but VIRT_BASE is not");

    /* Old-style images: p_paddr holds the virtual address, offset = base. */
    spec_linux_like(&s);
    spec_set_note(&s, NOTE_U64(XEN_ELFNOTE_PADDR_OFFSET, LINUX_VIRT_BASE));
    s.segs[0].paddr = KSTART;
    ACCEPTS(&s, &p);
    CHECK_U(p.virt_offset, 0);
    CHECK_U(p.virt_kstart, KSTART);
    return NULL;
}

static const char *t_init_p2m(void)
{
    struct elf_spec s;
    struct elf_dom_parms p;

    spec_linux_like(&s);
    spec_set_note(&s, NOTE_U64(XEN_ELFNOTE_INIT_P2M, KSTART + 0x2000));
    REJECTS(&s, "INIT_P2M");
    spec_set_note(&s, NOTE_U64(XEN_ELFNOTE_INIT_P2M, 1ULL << 39));   /* Linux's */
    ACCEPTS(&s, &p);
    CHECK(p.has_p2m_base);
    CHECK_U(p.p2m_base, 1ULL << 39);
    return NULL;
}

static const char *t_hypercall_page(void)
{
    struct elf_spec s;
    struct elf_dom_parms p;

    spec_linux_like(&s);
    spec_set_note(&s, NOTE_U64(XEN_ELFNOTE_HYPERCALL_PAGE, KEND));
    REJECTS(&s, "HYPERCALL_PAGE");
    spec_set_note(&s, NOTE_U64(XEN_ELFNOTE_HYPERCALL_PAGE, KEND - 0x800));
    REJECTS(&s, "HYPERCALL_PAGE");           /* the page would stick out */
    spec_set_note(&s, NOTE_U64(XEN_ELFNOTE_HYPERCALL_PAGE, KSTART - 0x1000));
    REJECTS(&s, "HYPERCALL_PAGE");
    spec_set_note(&s, NOTE_U64(XEN_ELFNOTE_HYPERCALL_PAGE, KEND - 0x1000));
    ACCEPTS(&s, &p);
    return NULL;
}

static const char *t_range_wraps(void)
{
    struct elf_spec s;

    spec_linux_like(&s);
    spec_set_note(&s, NOTE_U64(XEN_ELFNOTE_VIRT_BASE, 0xffffffffffffe000ULL));
    spec_set_note(&s, NOTE_U64(XEN_ELFNOTE_PADDR_OFFSET, LINUX_PADDR));
    REJECTS(&s, "wraps around");
    return NULL;
}

static const char *t_long_string_note(void)
{
    struct elf_spec s;
    struct elf_dom_parms p;
    static const char os[100] = "linux-with-a-very-long-name-"
        "0123456789012345678901234567890123456789012345678901234567890123456789";

    spec_linux_like(&s);
    spec_set_note(&s, ((struct test_note){ "Xen", XEN_ELFNOTE_GUEST_OS, os, sizeof(os) }));
    ACCEPTS(&s, &p);
    CHECK_U(strlen(p.guest_os), ELF_NOTE_STR_LEN - 1);
    CHECK(!strncmp(p.guest_os, os, ELF_NOTE_STR_LEN - 1));
    return NULL;
}

static const char *t_header_checks(void)
{
    static const struct { unsigned int off; uint8_t val; const char *why; } cases[] = {
        { 0, 0x7e, "magic" },
        { EI_CLASS, 1, "ELFCLASS64" },
        { EI_DATA, 2, "little-endian" },
        { EI_VERSION, 0, "version" },
        { 16, ET_EXEC + 1, "ET_EXEC" },               /* e_type */
        { 18, 3, "EM_X86_64" },                        /* e_machine = EM_386 */
        { 54, 32, "e_phentsize" },
        { 58, 40, "e_shentsize" },                     /* with e_shnum set below */
    };
    struct elf_spec s;
    struct elf_layout lay;

    spec_linux_like(&s);
    for ( unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++ )
    {
        uint8_t *img = elf_build(&s, &lay);

        img[cases[i].off] = cases[i].val;
        if ( cases[i].off == 58 )
            img[60] = 1;                                /* e_shnum = 1 */
        REJECTS_IMG(img, lay.size, cases[i].why);
    }
    return NULL;
}

static const char *t_phdr_table_bounds(void)
{
    struct elf_spec s;
    struct elf_layout lay;
    struct elf64_ehdr eh;
    uint8_t *img;

    spec_linux_like(&s);
    img = elf_build(&s, &lay);
    get_eh(img, &eh);
    eh.e_phnum = 0;
    put_eh(img, &eh);
    REJECTS_IMG(img, lay.size, "no program headers");
    eh.e_phnum = ELF_MAX_PHNUM + 1;
    put_eh(img, &eh);
    REJECTS_IMG(img, lay.size, "too many program headers");
    eh.e_phnum = 2;
    eh.e_phoff = lay.size - 60;
    put_eh(img, &eh);
    REJECTS_IMG(img, lay.size, "program header table lies outside");
    eh.e_phoff = UINT64_MAX - 8;                         /* would overflow */
    put_eh(img, &eh);
    REJECTS_IMG(img, lay.size, "program header table lies outside");
    eh.e_phoff = lay.phoff;
    eh.e_shnum = 3;
    eh.e_shoff = UINT64_MAX - 64;
    put_eh(img, &eh);
    REJECTS_IMG(img, lay.size, "section header table lies outside");
    return NULL;
}

static const char *t_tiny_and_truncated(void)
{
    struct elf_spec s;
    struct elf_layout lay;
    uint8_t *img;
    const char *why = NULL;

    CHECK_I(elf_check_header(NULL, 100, &why), -XEN_EINVAL);
    CHECK_WHY(why, "smaller than an ELF header");
    spec_linux_like(&s);
    img = elf_build(&s, &lay);
    CHECK_I(elf_check_header(img, lay.size, NULL), 0);
    REJECTS_IMG(img, 63, "smaller than an ELF header");
    REJECTS_IMG(img, lay.phoff + 20, "program header table lies outside");
    REJECTS_IMG(img, lay.note_off + 30, "PT_NOTE segment lies outside");
    REJECTS_IMG(img, lay.seg_off[0] + 0x100, "file bytes lie outside");
    return NULL;
}

static const char *t_load_segment_bounds(void)
{
    static const struct { uint64_t off, filesz, memsz, paddr; const char *why; } cases[] = {
        { 0x100000, 0x3000, 0x5000, LINUX_PADDR, "file bytes lie outside" },
        { UINT64_MAX - 5, 0x3000, 0x5000, LINUX_PADDR, "file bytes lie outside" },
        { 0, UINT64_MAX, UINT64_MAX, LINUX_PADDR, "file bytes lie outside" },
        { 0, 0x3000, 0x2000, LINUX_PADDR, "p_filesz larger than p_memsz" },
        { 0, 0x3000, 0x5000, UINT64_MAX - 0x1000, "wraps around" },
    };
    struct elf_spec s;
    struct elf_layout lay;

    spec_linux_like(&s);
    for ( unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++ )
    {
        uint8_t *img = elf_build(&s, &lay);
        struct elf64_phdr ph;

        get_ph(img, lay.load_phdr0, &ph);
        ph.p_offset = cases[i].off ? cases[i].off : lay.seg_off[0];
        ph.p_filesz = cases[i].filesz;
        ph.p_memsz = cases[i].memsz;
        ph.p_paddr = cases[i].paddr;
        put_ph(img, lay.load_phdr0, &ph);
        REJECTS_IMG(img, lay.size, cases[i].why);
    }
    return NULL;
}

static const char *t_note_bounds(void)
{
    struct elf_spec s;
    struct elf_layout lay;
    struct elf64_phdr ph;
    uint8_t *img;

    spec_linux_like(&s);
    img = elf_build(&s, &lay);
    memcpy(img + lay.note_off + 4, &(uint32_t){ 0xffffffffu }, 4);   /* descsz */
    REJECTS_IMG(img, lay.size, "runs past the end");
    img = elf_build(&s, &lay);
    memcpy(img + lay.note_off, &(uint32_t){ 0xfffffffdu }, 4);       /* namesz */
    REJECTS_IMG(img, lay.size, "runs past the end");
    img = elf_build(&s, &lay);
    get_ph(img, lay.note_phdr, &ph);
    ph.p_filesz = UINT64_MAX;
    put_ph(img, lay.note_phdr, &ph);
    REJECTS_IMG(img, lay.size, "PT_NOTE segment lies outside");
    return NULL;
}

static const char *t_no_load_segment(void)
{
    struct elf_spec s;

    spec_linux_like(&s);
    s.nr_segs = 0;
    REJECTS(&s, "no PT_LOAD");
    return NULL;
}

struct load_log {
    unsigned int calls;
    uint64_t va[4], filesz[4], memsz[4];
    int bytes_ok;
    int fail_with;
};

static int record_load(void *ctx, uint64_t va, const void *src,
                       uint64_t filesz, uint64_t memsz)
{
    struct load_log *log = ctx;
    const uint8_t *b = src;
    unsigned int i = log->calls++;

    if ( log->fail_with )
        return log->fail_with;
    log->va[i] = va;
    log->filesz[i] = filesz;
    log->memsz[i] = memsz;
    for ( uint64_t j = 0; j < filesz; j++ )
        if ( b[j] != seg_byte(i, j) )
            log->bytes_ok = 0;
    return 0;
}

static const char *t_load(void)
{
    struct elf_spec s;
    struct elf_layout lay;
    struct elf_dom_parms p;
    struct load_log log = { .bytes_ok = 1 };
    const char *why = NULL;
    uint8_t *img;

    spec_linux_like(&s);
    s.nr_segs = 2;
    s.segs[1] = (struct test_seg){ LINUX_PADDR + 0x6000, 0x800, 0x2000 };
    img = elf_build(&s, &lay);
    CHECK_I(elf_xen_parse(img, lay.size, &p, &why), 0);
    CHECK_U(p.virt_kend, KSTART + 0x8000);
    CHECK_I(elf_load(img, lay.size, &p, record_load, &log, &why), 0);
    CHECK_U(log.calls, 2);
    CHECK(log.bytes_ok);
    CHECK_U(log.va[0], KSTART);
    CHECK_U(log.filesz[0], 0x3000);
    CHECK_U(log.memsz[0], 0x5000);
    CHECK_U(log.va[1], KSTART + 0x6000);
    CHECK_U(log.filesz[1], 0x800);
    CHECK_U(log.memsz[1], 0x2000);
    return NULL;
}

static const char *t_load_errors(void)
{
    struct elf_spec s;
    struct elf_layout lay, lay2;
    struct elf_dom_parms p;
    struct load_log log = { .fail_with = -XEN_ENOMEM };
    const char *why = NULL;
    uint8_t *img, *other;

    spec_linux_like(&s);
    img = elf_build(&s, &lay);
    CHECK_I(elf_xen_parse(img, lay.size, &p, &why), 0);
    CHECK_I(elf_load(img, lay.size, &p, record_load, &log, &why), -XEN_ENOMEM);
    CHECK_WHY(why, "domain builder");

    /* parms from one image must not steer the loading of another. */
    s.segs[0].paddr += 0x100000;
    other = elf_build(&s, &lay2);
    log.fail_with = 0;
    CHECK_I(elf_load(other, lay2.size, &p, record_load, &log, &why), -XEN_EINVAL);
    CHECK_WHY(why, "outside the parsed kernel range");
    return NULL;
}

static const char *t_feature_names(void)
{
    CHECK_STR(elf_xen_feature_name(XENFEAT_writable_page_tables), "writable_page_tables");
    CHECK_STR(elf_xen_feature_name(XENFEAT_dom0), "dom0");
    CHECK(elf_xen_feature_name(XENFEAT_mmu_pt_update_preserve_ad) == NULL);
    CHECK(elf_xen_feature_name(1000) == NULL);
    return NULL;
}

static int discard_load(void *ctx, uint64_t va, const void *src,
                        uint64_t filesz, uint64_t memsz)
{
    const volatile uint8_t *b = src;
    uint8_t sum = 0;

    (void)ctx; (void)va; (void)memsz;
    for ( uint64_t j = 0; j < filesz; j++ )   /* touch every byte: ASan checks */
        sum += b[j];
    return sum == 0x5a ? 0 : 0;
}

/* Every prefix of a good image, placed flush against the end of its buffer. */
static const char *t_every_truncation(void)
{
    struct elf_spec s;
    struct elf_layout lay;
    struct elf_dom_parms p;
    uint8_t *img, *buf;

    spec_linux_like(&s);
    memcpy(s.sec_notes, s.notes, sizeof(s.notes));
    s.nr_sec_notes = s.nr_notes;
    img = elf_build(&s, &lay);
    buf = test_alloc(lay.size);
    for ( size_t n = 0; n < lay.size; n++ )
    {
        uint8_t *copy = buf + lay.size - n;

        memcpy(copy, img, n);
        if ( elf_xen_parse(copy, n, &p, NULL) == 0 )
            elf_load(copy, n, &p, discard_load, NULL, NULL);
    }
    return NULL;
}

/* Random byte mutations in the headers and notes: no crash, no overread. */
static const char *t_mutations(void)
{
    struct elf_spec s;
    struct elf_layout lay;
    struct elf_dom_parms p;
    uint64_t seed = 0x5eed;
    uint8_t *img, *orig;
    unsigned int accepted = 0;

    spec_linux_like(&s);
    memcpy(s.sec_notes, s.notes, sizeof(s.notes));
    s.nr_sec_notes = s.nr_notes;
    orig = elf_build(&s, &lay);
    img = test_alloc(lay.size);
    for ( unsigned int iter = 0; iter < 20000; iter++ )
    {
        unsigned int flips = 1 + test_rand(&seed) % 4;

        memcpy(img, orig, lay.size);
        for ( unsigned int f = 0; f < flips; f++ )
        {
            uint64_t r = test_rand(&seed);
            size_t at = r % lay.seg_off[0];      /* headers, notes, shdrs */

            if ( r & (1ULL << 40) )
                at = lay.shoff + (r >> 8) % (lay.size - lay.shoff);
            img[at] = (uint8_t)(r >> 48);
        }
        if ( elf_xen_parse(img, lay.size, &p, NULL) == 0 )
        {
            accepted++;
            elf_load(img, lay.size, &p, discard_load, NULL, NULL);
        }
    }
    CHECK(accepted > 0);                    /* some mutations are harmless */
    return NULL;
}

static const struct test tests[] = {
    { t_linux_like, "Linux-like image accepted, fields parsed" },
    { t_minios_like_defaults, "VIRT_BASE/PADDR_OFFSET default 0, ENTRY defaults to e_entry" },
    { t_numeric_4_byte, "4-byte numeric note" },
    { t_numeric_1_2_byte, "1- and 2-byte numeric notes" },
    { t_numeric_bad_size, "numeric note of 3 or 16 bytes rejected" },
    { t_no_notes, "no notes: Not a Xen-ELF image" },
    { t_foreign_notes, "only notes named exactly Xen count" },
    { t_section_fallback, "SHT_NOTE used when PT_NOTE has none" },
    { t_segment_notes_win, "PT_NOTE notes win over SHT_NOTE" },
    { t_pt_note_at_offset_0_skipped, "PT_NOTE at p_offset 0 skipped" },
    { t_xen_version, "XEN_VERSION must begin with xen-3.0" },
    { t_loader_or_linux, "LOADER generic or GUEST_OS linux" },
    { t_features, "FEATURES sets supported/required bits" },
    { t_features_unknown_required, "FEATURES !unknown rejects the image" },
    { t_supported_features, "SUPPORTED_FEATURES ORed into supported" },
    { t_entry_range, "entry must lie inside the kernel range" },
    { t_virt_base_above_kstart, "VIRT_BASE must not exceed kstart" },
    { t_paddr_offset_rules, "PADDR_OFFSET needs VIRT_BASE; legacy offset" },
    { t_init_p2m, "INIT_P2M must lie outside the kernel range" },
    { t_hypercall_page, "HYPERCALL_PAGE must lie inside the kernel range" },
    { t_range_wraps, "kernel range wrapping the address space" },
    { t_long_string_note, "long unterminated string note truncated" },
    { t_header_checks, "ELF header: magic class data version type machine sizes" },
    { t_phdr_table_bounds, "phnum limits and header tables in bounds" },
    { t_tiny_and_truncated, "NULL, tiny and truncated images" },
    { t_load_segment_bounds, "PT_LOAD offsets, sizes and overflow" },
    { t_note_bounds, "note sizes and PT_NOTE bounds" },
    { t_no_load_segment, "image without PT_LOAD rejected" },
    { t_load, "elf_load copies and zeroes each PT_LOAD" },
    { t_load_errors, "elf_load propagates errors, rechecks ranges" },
    { t_feature_names, "elf_xen_feature_name" },
    { t_every_truncation, "every truncation of a good image is safe" },
    { t_mutations, "20000 random header/note mutations are safe" },
};
DEFINE_SUITE(libelf_suite, "libelf", tests);
