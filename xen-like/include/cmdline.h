/*
 * cmdline.h - the hypervisor's command line: a table of options, the
 * parser that fills them in, and small value parsers other code may reuse.
 *
 * The syntax is Xen's (docs/misc/xen-command-line in Xen):
 *   - options are separated by spaces; there is no quoting;
 *   - "name=value" sets an option, a bare "name" sets a boolean to true;
 *   - "no-name" sets a boolean to false (and "no-name=no" to true).  Only
 *     the dashed form is generic: "noreboot" is simply an option whose name
 *     happens to start with "no", exactly as in Xen;
 *   - booleans accept yes/no, on/off, true/false, enable/disable, 1/0;
 *   - numbers accept decimal, 0x-hex and 0-octal (simple_strtoul base 0);
 *   - sizes take a B/K/M/G/T suffix (either case); a bare number means KiB,
 *     which is Xen's parse_size_and_unit rule, so "dom0_mem=32768" is
 *     32 MiB and "dom0_mem=32M" is the same.
 * Unknown options and malformed values never stop the boot: each one is
 * reported through the caller's warning callback and the option keeps its
 * default.  That matches Xen's behaviour of printing and carrying on, and it
 * means one typo on a serial-only test box cannot make it unbootable.
 */
#ifndef XEN_LIKE_CMDLINE_H
#define XEN_LIKE_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How an option's value is parsed and stored. */
enum opt_type {
    OPT_BOOL,    /* var: bool *; "name", "no-name", "name=<bool>" */
    OPT_UINT,    /* var: unsigned integer of size len (1, 2, 4 or 8) */
    OPT_SIZE,    /* var: uint64_t * in bytes; suffixes as described above */
    OPT_STR,     /* var: char[len]; a value that does not fit is rejected */
    OPT_CUSTOM,  /* parse() does everything; var is unused */
};

/*
 * A custom parser gets the text after '=' (or "" / "no", see cmdline.c),
 * returns 0 or a negative XEN_Exxx, and on failure may point *why at a
 * short explanation that ends up in the warning.
 */
typedef int (*opt_parse_fn)(const char *value, const char **why);

struct option {
    const char *name;
    enum opt_type type;
    void *var;
    size_t len;
    opt_parse_fn parse;
};

/* Receives one complete, human-readable message per problem found. */
typedef void (*cmdline_warn_fn)(const char *msg);

/*
 * Parse cmdline against opts[0..nr).  Returns 0 if every token was known
 * and well formed, otherwise the negative XEN_Exxx of the last problem
 * (each one has already been passed to warn, which may be NULL).
 */
int cmdline_parse_table(const char *cmdline, const struct option *opts,
                        size_t nr, cmdline_warn_fn warn);

/* Parse cmdline against the hypervisor's own option table (below). */
int cmdline_parse(const char *cmdline, cmdline_warn_fn warn);

/* Restore every option variable below to its built-in default. */
void cmdline_reset_defaults(void);

/*
 * Value parsers, usable by custom option handlers anywhere.
 *
 * parse_bool: s (up to e, or to NUL when e is NULL) as a boolean word;
 *   returns 1, 0, or -1 when it is not one (Xen's contract).
 * parse_size_and_unit: Xen's helper; parses a number and an optional
 *   B/K/M/G/T suffix (default KiB) and sets *ps past what it consumed.
 *   It does not detect overflow; parse_size does.
 * parse_size: the whole string must be one size; 0 on success,
 *   -XEN_EINVAL for garbage, -XEN_ERANGE when it does not fit 64 bits.
 * parse_uint: the whole string must be one number (base 0); 0, -XEN_EINVAL
 *   or -XEN_ERANGE as above.
 */
int parse_bool(const char *s, const char *e);
uint64_t parse_size_and_unit(const char *s, const char **ps);
int parse_size(const char *s, uint64_t *bytes);
int parse_uint(const char *s, uint64_t *val);

/*
 * Boot-loader command-line cooking.
 *
 * Some loaders put the image's own file name in front of a command line
 * ("/boot/guest-kernel hello").  Xen strips that first word unless it
 * knows the loader does not add it: GRUB 2 (its boot-loader name starts
 * "GRUB " followed by something other than '0') and anything booting us
 * through multiboot2.  In practice: QEMU's multiboot1 -kernel/-initrd path
 * adds the name, GRUB 2's multiboot2 path does not.
 *
 * cmdline_skip_first_word: skip leading spaces, one word and the spaces
 *   after it.  Always returns a pointer into s ("" stays "").
 * loader_is_grub2: Xen's test on the multiboot boot-loader name.
 * cmdline_cook: skip leading spaces, then the first word too unless
 *   protocol is 2 or the loader is GRUB 2.  Used for our own command line
 *   and for every module string.  NULL is treated as "".
 */
const char *cmdline_skip_first_word(const char *s);
bool loader_is_grub2(const char *loader_name);
const char *cmdline_cook(const char *s, const char *loader_name,
                         unsigned int protocol);

/*
 * The hypervisor's options.  Strings are stored verbatim for the console
 * and log code to interpret; only their length is checked here.
 */
#define OPT_STR_LEN 64

extern char opt_console[OPT_STR_LEN];            /* "com1" */
extern char opt_com1[OPT_STR_LEN];               /* "115200,8n1" */
extern char opt_loglvl[OPT_STR_LEN];             /* "warning" */
extern char opt_guest_loglvl[OPT_STR_LEN];       /* "warning" */
extern char opt_console_timestamps[OPT_STR_LEN]; /* "none" */
extern bool opt_noreboot;                        /* false */
extern unsigned int opt_dom0_max_vcpus;          /* 0: builder default */

/*
 * dom0_mem=[min:<size>,][max:<size>,][<size>] as on x86 Xen, without
 * Xen's negative and percentage amounts.  Each is in bytes; 0 means
 * "not given", leaving the domain builder's default in force.
 */
extern uint64_t opt_dom0_mem;
extern uint64_t opt_dom0_mem_min;
extern uint64_t opt_dom0_mem_max;

/* Reserved for the PV-MMU work to come; parsed now so they can be tried. */
extern unsigned int opt_mmu_preempt;             /* 0: hypervisor default */
extern bool opt_mmu_audit;                       /* false */
extern bool opt_mmu_trace;                       /* false */
/* pv_translate=0,2: domains run in translate mode (xen-like only). */
extern char opt_pv_translate[OPT_STR_LEN];

#endif /* XEN_LIKE_CMDLINE_H */
