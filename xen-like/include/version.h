/*
 * version.h - what xen-like tells guests about itself.
 *
 * xen-like implements Xen 4.17's guest ABI, so XENVER_version reports 4.17
 * (guests key features off it) and the extra version string says who we
 * really are.  The same numbers appear in CPUID leaf 0x40000001.
 */
#ifndef XL_VERSION_H
#define XL_VERSION_H
#define XEN_LIKE_ABI_MAJOR 4
#define XEN_LIKE_ABI_MINOR 17
#define XEN_LIKE_EXTRAVERSION "-xen-like"
#define XEN_LIKE_CAPABILITIES "xen-3.0-x86_64"
#define XEN_LIKE_CHANGESET "xen-like"
#endif
