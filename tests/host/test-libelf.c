/*
 * test-libelf.c - the Xen rules of xen-like/common/libelf.c, each with an
 * image crafted for it by elf-build.c.  Header checks, bounds, loading and
 * the robustness sweeps are in test-libelf-safety.c.
 */
#include "lib.h"
#include "runner.h"
#include "elf-build.h"

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

static const char *t_feature_names(void)
{
    CHECK_STR(elf_xen_feature_name(XENFEAT_writable_page_tables), "writable_page_tables");
    CHECK_STR(elf_xen_feature_name(XENFEAT_dom0), "dom0");
    CHECK(elf_xen_feature_name(XENFEAT_mmu_pt_update_preserve_ad) == NULL);
    CHECK(elf_xen_feature_name(1000) == NULL);
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
    { t_feature_names, "elf_xen_feature_name" },
};
DEFINE_SUITE(libelf_suite, "libelf", tests);
