/*
 * elfnotes.c - the ELF notes that make this file a Xen PV kernel.
 *
 * A domain builder (Xen's dom0 builder, or xen-like's) does not guess how
 * to start a PV kernel: it reads notes named "Xen" from the ELF file's
 * PT_NOTE segment.  Each note is a standard ELF note:
 *
 *     uint32 namesz (4), uint32 descsz, uint32 type (XEN_ELFNOTE_*),
 *     "Xen\0", desc padded to 4 bytes
 *
 * String notes carry text, number notes a 64-bit value.  The two notes a
 * builder insists on are XEN_VERSION ("xen-3.0") and LOADER ("generic");
 * the others say where things are.  The addresses are filled in by the
 * linker, and VIRT_BASE / PADDR_OFFSET come from guest.ld, so the notes
 * always describe the image they are in.
 *
 * Everything is 4-byte aligned and packed so the notes sit back to back
 * in .note.Xen without padding (a gap would break the note chain).
 */
#include "kernel.h"
#include "guest-hypercall.h"

#define NOTE_SECTION __attribute__((section(".note.Xen"), used, aligned(4)))

struct note_header {
    uint32_t namesz, descsz, type;
    char name[4];
};

/* A note whose description is a NUL-terminated string. */
#define STRING_NOTE(id, note_type, text)                                   \
    static const struct {                                                  \
        struct note_header h;                                              \
        char desc[(sizeof(text) + 3) & ~3ul];                              \
    } id NOTE_SECTION = { { 4, sizeof(text), (note_type), "Xen" }, text }

/* A note whose description is one 64-bit number (here: an address). */
#define NUMBER_NOTE(id, note_type, value)                                  \
    static const struct __attribute__((packed, aligned(4))) {              \
        struct note_header h;                                              \
        const void *desc;                                                  \
    } id NOTE_SECTION = { { 4, 8, (note_type), "Xen" }, (value) }

extern char _start[];
extern char __paddr_offset[];

STRING_NOTE(note_xen_version, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
STRING_NOTE(note_guest_os,    XEN_ELFNOTE_GUEST_OS,    "xen-like-guest");
STRING_NOTE(note_guest_ver,   XEN_ELFNOTE_GUEST_VERSION, "0.1");
STRING_NOTE(note_loader,      XEN_ELFNOTE_LOADER,      "generic");
/*
 * "!name" lists features we require.  writable_page_tables is what Linux,
 * Mini-OS and XTF ask for; a builder only checks the list is well formed.
 */
STRING_NOTE(note_features,    XEN_ELFNOTE_FEATURES,    "!writable_page_tables");

/* Placement: kernel VA = p_paddr + (VIRT_BASE - PADDR_OFFSET). */
NUMBER_NOTE(note_virt_base,   XEN_ELFNOTE_VIRT_BASE,      __virt_base);
NUMBER_NOTE(note_paddr_off,   XEN_ELFNOTE_PADDR_OFFSET,   __paddr_offset);
NUMBER_NOTE(note_entry,       XEN_ELFNOTE_ENTRY,          _start);
NUMBER_NOTE(note_hcall_page,  XEN_ELFNOTE_HYPERCALL_PAGE, hypercall_page);
