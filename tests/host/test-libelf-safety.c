/*
 * test-libelf-safety.c - xen-like/lib/elf64.c and the bounds checks of
 * xen-like/common/libelf.c: malformed headers, out-of-range offsets and
 * sizes, elf_load, and truncation and mutation sweeps that must never make
 * the parser touch memory outside the image (ASan watches every byte).
 */
#include "lib.h"
#include "runner.h"
#include "elf-build.h"

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
    { t_header_checks, "ELF header: magic class data version type machine sizes" },
    { t_phdr_table_bounds, "phnum limits and header tables in bounds" },
    { t_tiny_and_truncated, "NULL, tiny and truncated images" },
    { t_load_segment_bounds, "PT_LOAD offsets, sizes and overflow" },
    { t_note_bounds, "note sizes and PT_NOTE bounds" },
    { t_no_load_segment, "image without PT_LOAD rejected" },
    { t_load, "elf_load copies and zeroes each PT_LOAD" },
    { t_load_errors, "elf_load propagates errors, rechecks ranges" },
    { t_every_truncation, "every truncation of a good image is safe" },
    { t_mutations, "20000 random header/note mutations are safe" },
};
DEFINE_SUITE(libelf_safety_suite, "libelf-safety", tests);
