# xen-like: a teaching-and-testing hypervisor for Xen-style PV-MMU.
#
#   make run     boot xen-like + guest-kernel from a GRUB ISO in QEMU (TCG)
#   make test    host unit tests + boot tests on xen-like and on real Xen 4.17
#   make iso     build build/xen-like.iso only
#   make deps    install the missing Debian packages (run by run/test)
#   make conformance-diff   the hypercall conformance suite on both hypervisors
#   make bench   instruction counts per op, xen-like vs Xen 4.17 (docs/bench.md)
#   make tour    the reading order through the code (from docs/README.md)
#   make debug   QEMU stopped at reset with its gdbstub, and gdb with the
#                symbols of xen-like and the guest (GDB_BATCH=file: batch)
#   make pt-graph  a page-table dump from the 'p' debug key as DOT and SVG
#
# One Makefile, no recursion.  Everything is built under build/.

SHELL   := /bin/bash
BUILD   := build
CC      := gcc
LD      := ld
OBJCOPY := objcopy
HOSTCC  := gcc

# ---------------------------------------------------------------------------
# Debian packages.  `make deps` installs only the ones that are missing.
# ---------------------------------------------------------------------------
DEB_PKGS := gcc make binutils libxen-dev grub-pc-bin grub-common xorriso \
            mtools qemu-system-x86 seabios gawk ca-certificates graphviz gdb

.PHONY: deps
deps:
	@bash tests/harness/install-deps.sh $(DEB_PKGS)

# Xen's public headers are reached only as <xen/...> through this directory,
# so no other system header leaks into freestanding code.
$(BUILD)/include/xen:
	@mkdir -p $(BUILD)/include
	@ln -sfn /usr/include/xen $@

GCC_INC := $(shell $(CC) -print-file-name=include)

# Flags every freestanding object shares (hypervisor and guests).
FREESTANDING := -std=c11 -ffreestanding -nostdinc -isystem $(GCC_INC) \
                -isystem $(BUILD)/include -Ihypercalls/include -Ihypercalls \
                -O2 -g -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
                -Wmissing-prototypes -fno-stack-protector -fno-common \
                -fno-omit-frame-pointer -mno-red-zone -mgeneral-regs-only \
                -fcf-protection=none -fno-asynchronous-unwind-tables \
                -fno-strict-aliasing -fno-delete-null-pointer-checks

# ---------------------------------------------------------------------------
# The hypervisor.  Linked at XEN_VIRT_START (L4 slot 261, as Xen does) from
# position-independent code, then rewrapped as an ELF32 multiboot image.
# ---------------------------------------------------------------------------
XEN_CFLAGS := $(FREESTANDING) -Ixen-like/include -fpie -include xen-like/include/compiler.h \
              -D__XEN_LIKE__
XEN_SRCS   := $(wildcard xen-like/arch/x86/boot/*.S xen-like/arch/x86/*.S \
                         xen-like/arch/x86/*.c xen-like/common/*.c \
                         xen-like/lib/*.c xen-like/mm/*.c \
                         xen-like/drivers/*.c)
XEN_OBJS   := $(patsubst %,$(BUILD)/obj/%.o,$(XEN_SRCS))

$(BUILD)/obj/xen-like/%.c.o: xen-like/%.c | $(BUILD)/include/xen
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(XEN_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/xen-like/%.S.o: xen-like/%.S | $(BUILD)/include/xen
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(XEN_CFLAGS) -D__ASSEMBLY__ -MMD -MP -c $< -o $@

$(BUILD)/xen-like.elf64: $(XEN_OBJS) xen-like/arch/x86/xen-like.ld
	$(LD) -m elf_x86_64 -nostdlib -static -no-pie -z max-page-size=0x1000 \
	    -z noexecstack -T xen-like/arch/x86/xen-like.ld $(XEN_OBJS) -o $@

# QEMU's -kernel path only takes ELF32 multiboot images (as Xen's own is), so
# the flat image is wrapped into an ELF32 with one PT_LOAD at its physical
# load address.  The bss is part of p_memsz, so loaders put modules after it.
$(BUILD)/xen-like: $(BUILD)/xen-like.elf64 xen-like/arch/x86/elf32-wrap.ld
	$(OBJCOPY) -O binary $< $@.bin
	cd $(BUILD) && $(OBJCOPY) -I binary -O elf32-i386 -B i386 \
	    --rename-section .data=.image,alloc,load,contents xen-like.bin xen-like.bin.o
	$(LD) -m elf_i386 -nostdlib -z max-page-size=0x1000 --no-warn-rwx-segments \
	    --defsym=IMAGE_MEMSZ=$$(( $$(nm $< | awk '/ __image_end$$/{print "0x"$$1}') - \
	                              $$(nm $< | awk '/ __image_start$$/{print "0x"$$1}') )) \
	    -T xen-like/arch/x86/elf32-wrap.ld $@.bin.o -o $@

# ---------------------------------------------------------------------------
# guest-kernel: the PV guest (hello for now).  Built as a normal Xen PV ELF64.
# ---------------------------------------------------------------------------
GUEST_CFLAGS := $(FREESTANDING) -Iguest-kernel/include -Itests/conformance -fno-pie -mcmodel=kernel
# The conformance suite (tests/conformance/) is linked into the guest: its
# groups are boot modes (abi, mmu, ...) of the same binary.
GUEST_SRCS   := $(wildcard guest-kernel/*.c guest-kernel/*.S guest-kernel/lib/*.c \
                           tests/conformance/*.c)
# The freestanding C library is shared with the hypervisor (and host-tested).
GUEST_SHARED := xen-like/lib/string.c xen-like/lib/vsnprintf.c
GUEST_OBJS   := $(patsubst %,$(BUILD)/obj/%.o,$(GUEST_SRCS)) \
                $(patsubst xen-like/lib/%,$(BUILD)/obj/guest-kernel/shared/%.o,$(GUEST_SHARED))

$(BUILD)/obj/guest-kernel/shared/%.c.o: xen-like/lib/%.c | $(BUILD)/include/xen
	@mkdir -p $(dir $@)
	@echo "  CC      $< (guest)"
	@$(CC) $(FREESTANDING) -Ixen-like/include -fno-pie -mcmodel=kernel -MMD -MP -c $< -o $@

$(BUILD)/obj/guest-kernel/%.c.o: guest-kernel/%.c | $(BUILD)/include/xen
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/tests/conformance/%.c.o: tests/conformance/%.c | $(BUILD)/include/xen
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/guest-kernel/%.S.o: guest-kernel/%.S | $(BUILD)/include/xen
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(GUEST_CFLAGS) -D__ASSEMBLY__ -MMD -MP -c $< -o $@

# User programs for the `init` mode: guest-kernel/user/*.c (one program
# each, plus the shared crt0.S and ulib.c), linked at 0x400000, then copied
# into the kernel image as binary blobs (_binary_<name>_elf_start/_end).
USER_CFLAGS := $(FREESTANDING) -Iguest-kernel/user -fno-pie -mcmodel=small
USER_LIB    := $(BUILD)/obj/user/crt0.S.o $(BUILD)/obj/user/ulib.c.o
USER_PROGS  := $(filter-out ulib,$(basename $(notdir $(wildcard guest-kernel/user/*.c))))
USER_BLOBS  := $(patsubst %,$(BUILD)/obj/user/%.blob.o,$(USER_PROGS))
GUEST_OBJS  += $(USER_BLOBS)
.SECONDARY: $(USER_LIB) $(patsubst %,$(BUILD)/obj/user/%.elf,$(USER_PROGS)) \
            $(patsubst %,$(BUILD)/obj/user/%.c.o,$(USER_PROGS))

$(BUILD)/obj/user/%.c.o: guest-kernel/user/%.c | $(BUILD)/include/xen
	@mkdir -p $(dir $@)
	@echo "  CC      $< (user)"
	@$(CC) $(USER_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/user/%.S.o: guest-kernel/user/%.S | $(BUILD)/include/xen
	@mkdir -p $(dir $@)
	@echo "  AS      $< (user)"
	@$(CC) $(USER_CFLAGS) -D__ASSEMBLY__ -MMD -MP -c $< -o $@

$(BUILD)/obj/user/%.elf: $(BUILD)/obj/user/%.c.o $(USER_LIB) guest-kernel/user/user.ld
	$(LD) -m elf_x86_64 -nostdlib -static -no-pie -z max-page-size=0x1000 \
	    -z noexecstack -T guest-kernel/user/user.ld $(USER_LIB) $< -o $@

$(BUILD)/obj/user/%.blob.o: $(BUILD)/obj/user/%.elf
	cd $(dir $<) && $(OBJCOPY) -I binary -O elf64-x86-64 -B i386:x86-64 \
	    --rename-section .data=.rodata.user,alloc,load,readonly,data,contents \
	    $(notdir $<) $(notdir $@)

$(BUILD)/guest-kernel/guest-kernel: $(GUEST_OBJS) guest-kernel/guest.ld
	@mkdir -p $(dir $@)
	$(LD) -m elf_x86_64 -nostdlib -static -no-pie -z max-page-size=0x1000 \
	    -z noexecstack -T guest-kernel/guest.ld $(GUEST_OBJS) -o $@

# ---------------------------------------------------------------------------
# Images and running.
# ---------------------------------------------------------------------------
XEN_CMDLINE   ?= console=com1 com1=115200,8n1 loglvl=all guest_loglvl=all noreboot dom0_mem=32M
GUEST_CMDLINE ?= hello
# make run also boots a second domain running the guest kernel's demo.
DOMU_CMDLINE  ?= domU mem=32M -- init

.PHONY: all iso run
all: $(BUILD)/xen-like $(BUILD)/guest-kernel/guest-kernel

iso: $(BUILD)/xen-like.iso

# Rebuilt every time (0.2 s): the command lines above may come from make's
# own command line.
.PHONY: FORCE
$(BUILD)/xen-like.iso: $(BUILD)/xen-like $(BUILD)/guest-kernel/guest-kernel tests/harness/mkiso.sh FORCE
	bash tests/harness/mkiso.sh $@ $(BUILD)/xen-like "$(XEN_CMDLINE)" \
	    $(BUILD)/guest-kernel/guest-kernel "$(GUEST_CMDLINE)" \
	    $(BUILD)/guest-kernel/guest-kernel "$(DOMU_CMDLINE)"

# `make run` boots the real path: GRUB multiboot2 from the ISO.
run: deps oracle
	@$(MAKE) --no-print-directory iso
	bash tests/harness/run-iso.sh $(BUILD)/xen-like.iso

# ---------------------------------------------------------------------------
# Teaching tools (docs/debugging.md).
#   make tour                     the reading order, one line per stop
#   make pt-graph [PT_LOG=LOG] [PT_DOM=N]
#                                 without PT_LOG: boot GUEST `init`, press the
#                                 debug keys (tools/pt-capture.sh), then draw
#                                 the 'p' dump: $(PT_OUT).dot and .svg
#   make debug [GDB_BATCH=FILE] [DEBUG_GUEST=mode] [DEBUG_PORT=1234]
# ---------------------------------------------------------------------------
PT_LOG      ?= $(BUILD)/pt-graph/boot.log
PT_GUEST    ?= init
PT_OUT      ?= $(BUILD)/pt-graph/tree
DEBUG_GUEST ?= init
DEBUG_PORT  ?= 1234

.PHONY: tour pt-graph debug
tour:
	@gawk -v root=./ -f tools/tour.awk docs/README.md

pt-graph: all
ifeq ($(origin PT_LOG),file)
	bash tools/pt-capture.sh $(PT_LOG) "$(PT_GUEST)"
endif
	@mkdir -p $(dir $(PT_OUT))
	gawk -f tools/pt-graph.awk $(if $(PT_DOM),-v dom=$(PT_DOM)) $(PT_LOG) >$(PT_OUT).dot
	dot -Tsvg $(PT_OUT).dot -o $(PT_OUT).svg
	@echo "pt-graph: $(PT_OUT).dot, $(PT_OUT).svg"

debug: all
	DEBUG_PORT=$(DEBUG_PORT) XEN_CMDLINE="$(XEN_CMDLINE)" GUEST_CMDLINE="$(DEBUG_GUEST)" \
	    bash tools/debug.sh $(GDB_BATCH)

# ---------------------------------------------------------------------------
# Real Xen 4.17 and QEMU >= 8 from Debian, unpacked under build/oracle.
# ---------------------------------------------------------------------------
.PHONY: oracle
oracle:
	@bash tests/oracle/fetch.sh $(BUILD)/oracle

# ---------------------------------------------------------------------------
# Host unit tests: the hypervisor's pure-C files built for the host with
# ASan and UBSan.  (See tests/host/.)
# ---------------------------------------------------------------------------
HOST_CFLAGS := -std=c11 -O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined \
               -fno-omit-frame-pointer -fno-sanitize-recover=all \
               -isystem $(BUILD)/include -Ihypercalls/include -Ihypercalls -Ixen-like/include \
               -Itests/host -DHOST_TEST

# The hypervisor files under test, compiled as they are (lib.h renames the
# libc-named ones to xl_* under HOST_TEST), plus the runner and the tests.
HOST_UNIT_SRCS := xen-like/lib/string.c xen-like/lib/vsnprintf.c \
                  xen-like/lib/memmap.c xen-like/lib/elf64.c xen-like/common/libelf.c \
                  xen-like/common/cmdline.c xen-like/common/multiboot.c
HOST_TEST_SRCS := $(filter-out tests/host/fuzz-%.c tests/host/test-mmu-%.c,$(wildcard tests/host/*.c))

# The PV-MMU core (xen-like/mm/ minus the boot-time setup.c, plus
# common/multicall.c and common/grant_*.c) on the simulated machine of tests/host/sim: a second
# binary, built and run after the unit tests (tests/host/test-mmu-*.c).
MMU_CORE_SRCS := $(filter-out xen-like/mm/setup.c,$(wildcard xen-like/mm/*.c)) \
                 $(wildcard xen-like/common/multicall.c) \
                 $(wildcard xen-like/common/grant_*.c) \
                 xen-like/lib/string.c xen-like/lib/vsnprintf.c
MMU_TEST_SRCS := $(wildcard tests/host/sim/*.c tests/host/test-mmu-*.c) tests/host/runner.c

.PHONY: host-test
host-test: $(BUILD)/host/unit-tests
	@$(BUILD)/host/unit-tests; rc=$$?; \
	$(MAKE) --no-print-directory $(BUILD)/host/mmu-tests && $(BUILD)/host/mmu-tests || rc=1; \
	exit $$rc

$(BUILD)/host/unit-tests: $(HOST_UNIT_SRCS) $(HOST_TEST_SRCS) $(wildcard tests/host/*.h) \
                          $(wildcard xen-like/include/*.h) | $(BUILD)/include/xen
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) $(HOST_UNIT_SRCS) $(HOST_TEST_SRCS) -o $@

# White-box tests: they may read the core's private pt.h (partial flags).
$(BUILD)/host/mmu-tests: $(MMU_CORE_SRCS) $(MMU_TEST_SRCS) $(wildcard tests/host/sim/*.h) \
                         tests/host/runner.h $(wildcard xen-like/include/*.h) \
                         $(wildcard xen-like/mm/*.h) \
                         hypercalls/hypercalls.def | $(BUILD)/include/xen
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -Itests/host/sim -Ixen-like/mm $(MMU_CORE_SRCS) $(MMU_TEST_SRCS) -o $@

# libFuzzer over libelf (needs clang's fuzzer runtime): `make fuzz-libelf`
# runs it for FUZZ_SECONDS, seeded with nothing but its own mutations.
FUZZ_SECONDS ?= 60
.PHONY: fuzz-libelf
fuzz-libelf: $(BUILD)/host/fuzz-libelf
	@mkdir -p $(BUILD)/host/fuzz-libelf-corpus
	$< -max_total_time=$(FUZZ_SECONDS) $(BUILD)/host/fuzz-libelf-corpus

$(BUILD)/host/fuzz-libelf: tests/host/fuzz-libelf.c xen-like/common/libelf.c \
                           xen-like/lib/elf64.c xen-like/lib/string.c \
                           $(wildcard xen-like/include/*.h) \
                           | $(BUILD)/include/xen
	@mkdir -p $(dir $@)
	clang -std=c11 -O1 -g -fsanitize=fuzzer,address,undefined \
	    -isystem $(BUILD)/include -Ihypercalls/include -Ixen-like/include -DHOST_TEST \
	    $(filter %.c,$^) -o $@

# libFuzzer over the boot-input parsers (multiboot1/2 info, command line,
# module strings): `make fuzz-boot [FUZZ_SECONDS=N]`.
.PHONY: fuzz-boot
fuzz-boot: $(BUILD)/host/fuzz-boot
	@mkdir -p $(BUILD)/host/fuzz-boot-corpus
	$< -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -artifact_prefix=$(BUILD)/host/ $(BUILD)/host/fuzz-boot-corpus

$(BUILD)/host/fuzz-boot: tests/host/fuzz-boot.c tests/host/boot-blob.c tests/host/runner.c \
                         xen-like/common/multiboot.c xen-like/common/cmdline.c \
                         xen-like/lib/memmap.c xen-like/lib/string.c xen-like/lib/vsnprintf.c \
                         $(wildcard xen-like/include/*.h) tests/host/boot-blob.h \
                         | $(BUILD)/include/xen
	@mkdir -p $(dir $@)
	clang -std=c11 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	    -isystem $(BUILD)/include -Ihypercalls/include -Ihypercalls -Ixen-like/include \
	    -Itests/host -DHOST_TEST $(filter %.c,$^) -o $@

# libFuzzer over the PV-MMU core on the simulated machine, mmu_audit() as
# the oracle after every hypercall: `make fuzz [FUZZ_SECONDS=N]`.  New inputs
# go to build/host/fuzz-mmu-corpus; seeds are in tests/host/fuzz-corpus/mmu.
.PHONY: fuzz
fuzz: $(BUILD)/host/fuzz-mmu
	@mkdir -p $(BUILD)/host/fuzz-mmu-corpus
	$< -max_total_time=$(FUZZ_SECONDS) -max_len=1024 -print_final_stats=1 \
	    -artifact_prefix=$(BUILD)/host/ $(BUILD)/host/fuzz-mmu-corpus tests/host/fuzz-corpus/mmu

# The oracle and the simulator are built optimised and without coverage or
# sanitizer instrumentation (they would dominate the run time and are not
# what is being explored); the core and the harness keep ASan+UBSan.
FUZZ_MMU_CFLAGS := -std=c11 -O1 -g -fno-sanitize-recover=all \
                   -isystem $(BUILD)/include -Ihypercalls/include -Ihypercalls \
                   -Ixen-like/include -Itests/host -Itests/host/sim -DHOST_TEST
FUZZ_MMU_PLAIN := xen-like/mm/audit.c xen-like/mm/audit_grant.c tests/host/sim/sim.c tests/host/runner.c \
                  xen-like/lib/string.c xen-like/lib/vsnprintf.c
$(BUILD)/host/fuzz-mmu: tests/host/fuzz-mmu.c $(FUZZ_MMU_PLAIN) $(MMU_CORE_SRCS) \
                        $(wildcard tests/host/sim/*.h) tests/host/runner.h tests/host/fuzz-mmu-grant.h \
                        $(wildcard xen-like/include/*.h) | $(BUILD)/include/xen
	@mkdir -p $(BUILD)/host/fuzz-mmu-obj
	@for f in $(FUZZ_MMU_PLAIN); do \
	    clang $(FUZZ_MMU_CFLAGS) -O2 -c $$f \
	        -o $(BUILD)/host/fuzz-mmu-obj/$$(basename $$f .c).o || exit 1; done
	clang $(FUZZ_MMU_CFLAGS) -fsanitize=fuzzer,address,undefined tests/host/fuzz-mmu.c \
	    $(filter-out $(FUZZ_MMU_PLAIN),$(filter %.c,$(MMU_CORE_SRCS))) \
	    $(patsubst %.c,$(BUILD)/host/fuzz-mmu-obj/%.o,$(notdir $(FUZZ_MMU_PLAIN))) -o $@

# Line and branch coverage of the PV-MMU core by the fuzzer's corpus
# (llvm-cov, from Debian's clang): `make fuzz-cov` replays the seeds and
# build/host/fuzz-mmu-corpus through an instrumented build and reports per
# file.  (audit.c, pt_dump.c and frame_census.c are the checkers, not the
# core; setup.c is boot only.)
COV_CORE := $(filter-out xen-like/mm/audit.c xen-like/mm/audit_grant.c xen-like/mm/pt_dump.c xen-like/mm/frame_census.c \
              xen-like/lib/%,$(MMU_CORE_SRCS))
.PHONY: fuzz-cov
fuzz-cov: | $(BUILD)/include/xen
	@mkdir -p $(BUILD)/cov $(BUILD)/host/fuzz-mmu-corpus
	clang -std=c11 -O1 -g -fsanitize=fuzzer -fprofile-instr-generate -fcoverage-mapping \
	    -isystem $(BUILD)/include -Ihypercalls/include -Ihypercalls -Ixen-like/include \
	    -Itests/host -Itests/host/sim -Ixen-like/mm -DHOST_TEST tests/host/fuzz-mmu.c \
	    tests/host/sim/sim.c tests/host/runner.c $(MMU_CORE_SRCS) -o $(BUILD)/cov/fuzz-mmu-cov
	rm -f $(BUILD)/cov/fuzz.profraw
	LLVM_PROFILE_FILE=$(BUILD)/cov/fuzz.profraw $(BUILD)/cov/fuzz-mmu-cov -runs=0 -max_len=1024 \
	    $(BUILD)/host/fuzz-mmu-corpus tests/host/fuzz-corpus/mmu >$(BUILD)/cov/replay.log 2>&1
	llvm-profdata merge -sparse $(BUILD)/cov/fuzz.profraw -o $(BUILD)/cov/fuzz.profdata
	llvm-cov report $(BUILD)/cov/fuzz-mmu-cov -instr-profile=$(BUILD)/cov/fuzz.profdata $(COV_CORE)

# ---------------------------------------------------------------------------
# Test fixtures: PV kernels shaped like third-party ones (XTF, Mini-OS) that
# share no code, headers or layout with guest-kernel/.  See tests/fixtures/.
#   make fixtures        build/fixtures/minipv.elf
#   make fixtures-check  boot it on xen-like and real Xen, both paths
# ---------------------------------------------------------------------------
.PHONY: fixtures fixtures-check fixtures-clean
fixtures: $(BUILD)/fixtures/minipv.elf

$(BUILD)/fixtures/minipv.o: tests/fixtures/minipv/minipv.S
	@mkdir -p $(dir $@)
	$(CC) -c -nostdinc -Wa,--fatal-warnings $< -o $@

$(BUILD)/fixtures/minipv.elf: $(BUILD)/fixtures/minipv.o tests/fixtures/minipv/minipv.ld
	$(LD) -m elf_x86_64 -nostdlib -static -no-pie -z max-page-size=0x1000 \
	    -z noexecstack -T tests/fixtures/minipv/minipv.ld $< -o $@

fixtures-check: $(BUILD)/fixtures/minipv.elf $(BUILD)/xen-like oracle
	bash tests/fixtures/check.sh $(BUILD)/fixtures/minipv.elf

fixtures-clean:
	rm -rf $(BUILD)/fixtures
clean: fixtures-clean

# --- bench ---
# `make bench`: the guest's `bench` mode on xen-like and on real Xen 4.17
# under QEMU -icount shift=0; table, CSV and charts under build/bench/.
# gnuplot-nox is installed for these targets only.
BENCH_PKGS := gnuplot-nox bc

.PHONY: bench bench-deps
bench-deps:
	@bash tests/harness/install-deps.sh $(BENCH_PKGS)

bench: deps bench-deps oracle
	@$(MAKE) --no-print-directory all
	@bash tests/bench/run.sh
# --- end bench ---

# ---------------------------------------------------------------------------
# The hypercall conformance suite (tests/conformance/): the same guest
# binary, one boot per group, judged case by case.
#   make conformance            on xen-like, against Xen 4.17's recorded answers
#   make conformance-xen        on real Xen 4.17
#   make conformance-diff       both; one row per disagreement, "N agree, N differ"
#   make conformance-reference  regenerate docs/hypercall-reference.md
# ---------------------------------------------------------------------------
.PHONY: conformance conformance-xen conformance-diff conformance-reference
conformance: deps
	@$(MAKE) --no-print-directory all
	@bash tests/conformance/run.sh xl

conformance-xen: deps oracle
	@$(MAKE) --no-print-directory all
	@bash tests/conformance/run.sh xen

conformance-diff: deps oracle
	@$(MAKE) --no-print-directory all
	@bash tests/conformance/run.sh diff

conformance-reference:
	@bash tests/conformance/reference.sh

# ---------------------------------------------------------------------------
# Tests.  The last line `make test` prints is `N passed, N failed`.
# ---------------------------------------------------------------------------
.PHONY: test
test: deps oracle
	@$(MAKE) --no-print-directory all iso fixtures
	@bash tests/run-all.sh

.PHONY: clean
clean:
	rm -rf $(BUILD)/obj $(BUILD)/xen-like* $(BUILD)/guest-kernel $(BUILD)/host $(BUILD)/test

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
