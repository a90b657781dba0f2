#ifndef XL_DOM0_BUILD_H
#define XL_DOM0_BUILD_H
#include <stdint.h>
struct boot_info;
/* Build dom0 from the first module (its kernel) and the second (initrd). */
int construct_dom0(const struct boot_info *bi);
#endif
