# minios: build the kernel with an application, boot it under Xen in QEMU,
# and test it.  `make help` lists the targets.  Everything built goes under
# build/; downloaded Debian packages are cached in build/deps/.

.DEFAULT_GOAL := all
SHELL := /bin/bash
.SECONDEXPANSION:

# V=1 shows whole compiler command lines (and, for `make run`, Xen's console).
ifeq ($(V),1)
Q :=
else
Q := @
endif
quiet = $(if $(Q),@printf '  %-7s %s\n' '$(1)' '$(2)';)

BUILD   := build
APP     ?= apps/hello
APP_DIR := $(abspath $(APP))
APP_NAME := $(notdir $(APP_DIR))
APP_OUT := $(BUILD)/$(APP_NAME)
IMAGE   := $(APP_OUT)/minios.elf

CC      := gcc
LD      := ld
OBJCOPY := objcopy
GCC_INC := $(shell $(CC) -print-file-name=include)

KOUT    := $(BUILD)/libminios
SYSROOT := $(BUILD)/sysroot

# newlib, the applications' C library: built once from Debian's
# newlib-source by scripts/build-newlib.sh (about a minute) into
# build/newlib/, and rebuilt only when the script or the tarball changes;
# build/newlib/.inputs, written with the rest, is the stamp.
NEWLIB_TARBALL := /usr/src/newlib/newlib-3.3.0.tar.xz
NEWLIB_DIR     := $(BUILD)/newlib
NEWLIB_STAMP   := $(NEWLIB_DIR)/.inputs
NEWLIB_LIBS    := $(NEWLIB_DIR)/lib/libc.a $(NEWLIB_DIR)/lib/libm.a

# What every object in the image must be compiled with, the application's
# included (minios.mk and minios.pc hand the same to other build systems):
# no red zone (Xen writes bounce frames below %rsp), no PIE, no stack
# protector (there is no TLS canary), frame pointers, in leaf functions too
# (for backtraces; gcc still builds no frame in a leaf that needs no stack,
# which is why the fault report also looks at the top of the stack).
ABI_CFLAGS := -m64 -mno-red-zone -fno-pie -fno-stack-protector -fno-asynchronous-unwind-tables \
    -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -fcf-protection=none -ffunction-sections \
    -fdata-sections

# Flags every object of ours shares.  -nostdinc keeps the host C library's
# headers out; each kind of object then names its own include directories.
# -MD, not -MMD: applications see <minios/...> as system headers, and a
# change to one must rebuild them too.
COMMON_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -nostdinc $(ABI_CFLAGS) -fno-strict-aliasing \
    -Wall -Wextra -Werror -MD -MP

# The kernel never touches FPU/SSE state (an event upcall can interrupt a
# thread mid-calculation), must not have its own loops turned into calls to
# memset/memcpy (lib/string.c implements those), and exports only what the
# public headers declare (they say so with #pragma GCC visibility).
KERNEL_ONLY := -mgeneral-regs-only -fno-tree-loop-distribute-patterns -fvisibility=hidden
KERNEL_CFLAGS := $(COMMON_CFLAGS) $(KERNEL_ONLY) -isystem $(GCC_INC) \
    -Iinclude -Iarch/x86_64/include -isystem $(SYSROOT)/include

# Applications see, in this order: our POSIX headers (<pthread.h>), the
# minios API and Xen's interface (the sysroot), newlib's C library headers,
# the compiler's own.  The defines switch on the POSIX parts newlib only
# declares for systems that say they have them, and make errno & co go
# through __getreent(), as in the library itself.
LIBC_DEFINES := -D__DYNAMIC_REENT__ -D_POSIX_TIMERS=1 -D_POSIX_MONOTONIC_CLOCK=200112L \
    -D_POSIX_PRIORITY_SCHEDULING=1
# An application including <xen/...> directly sees the interface version
# the kernel is written against (<minios/xen_interface.h>), not Xen's 0.
XEN_INTERFACE := $(shell sed -n 's/^\#define MINIOS_XEN_INTERFACE_VERSION //p' include/minios/xen_interface.h)
APP_DEFINES := $(LIBC_DEFINES) -D__XEN_INTERFACE_VERSION__=$(XEN_INTERFACE)
APP_INCLUDES := -isystem $(SYSROOT)/include -isystem $(NEWLIB_DIR)/include -isystem $(GCC_INC)
APP_CFLAGS := $(COMMON_CFLAGS) $(APP_INCLUDES) $(APP_DEFINES)
NEWLIB_APP_CFLAGS := $(APP_CFLAGS)

# The C library glue and the pthread layer: kernel code (no FPU) compiled
# against newlib's headers, whose functions newlib and applications call:
# default visibility (their internal helpers say hidden themselves).
GLUE_CFLAGS := $(COMMON_CFLAGS) $(filter-out -fvisibility=hidden,$(KERNEL_ONLY)) -Iinclude \
    $(APP_INCLUDES) $(LIBC_DEFINES)

LDFLAGS := -nostdlib -static -n -z max-page-size=4096 -z noexecstack --gc-sections -T minios.lds

KERNEL_SRCS := $(wildcard arch/x86_64/*.S arch/x86_64/*.c kernel/*.c lib/*.c \
                          mm/*.c events/*.c smp/*.c)
KERNEL_OBJS := $(patsubst %,$(KOUT)/%.o,$(basename $(KERNEL_SRCS)))
GLUE_SRCS   := $(wildcard lib/libc/*.c lib/pthread/*.c)
GLUE_OBJS   := $(patsubst %.c,$(KOUT)/%.o,$(GLUE_SRCS))

APP_EXTRA_CFLAGS :=
APP_EXTRA_SRCS :=
APP_LDLIBS :=
-include $(APP_DIR)/app.mk
APP_SRCS := $(wildcard $(APP_DIR)/*.c) $(addprefix $(APP_DIR)/,$(APP_EXTRA_SRCS))
APP_OBJS := $(patsubst $(APP_DIR)/%.c,$(APP_OUT)/obj/%.o,$(APP_SRCS))

RESERVED_NAMES := deps libminios sysroot sdk unit tests newlib bench fuzz
ifneq ($(filter $(APP_NAME),$(RESERVED_NAMES)),)
$(error APP directory name '$(APP_NAME)' is reserved under build/; rename it)
endif

.PHONY: all run run-domu check bench soak clean distclean help deps-build deps-run deps-newlib sysroot \
    newlib newlib-check sdk install

all: $(IMAGE)

help:
	@echo "make [APP=dir]           build build/<dir>/minios.elf (default APP=apps/hello)"
	@echo "make run [APP=dir] [VCPUS=n] [MEM=mib] [ARGS=\"...\"] [XEN=path] [V=1]"
	@echo "                         boot it as dom0 under Xen in QEMU"
	@echo "make run-domu [APP=dir] [VCPUS=n] [MEM=mib] [ARGS=\"...\"] [TIMEOUT=s] [V=1]"
	@echo "                         boot it as a domU with xl, under a Linux dom0 in QEMU"
	@echo "make check [VCPUS=n]     run every test (the in-guest suite at 1, 2 and 4 vCPUs,"
	@echo "                         or at n); ends with 'N passed, N failed'"
	@echo "make fuzz [FUZZ_SECONDS=n] run each fuzz target n seconds (default 60; docs/hostile-input.md)"
	@echo "make bench               performance and memory figures (build/bench/results.tsv)"
	@echo "make soak [SOAK_SECONDS=300] [VCPUS=4]  everything at once, for minutes"
	@echo "make install [PREFIX=/usr/local]  minios-link, libminios.a, headers, minios.mk, minios.pc"
	@echo "make newlib              build newlib (libc.a, libm.a, headers) into build/newlib once"
	@echo "make newlib-check        link a probe against newlib: what the kernel must provide"
	@echo "make clean               remove build products (keeps build/deps and build/newlib)"
	@echo "make distclean           remove all of build/"

deps-build:
	@scripts/deps.sh build

deps-run:
	@scripts/deps.sh run

deps-newlib:
	@scripts/deps.sh build newlib

# Headers an application may include: the public API, Xen's interface and
# our POSIX headers (the C library's come from build/newlib).
sysroot: $(SYSROOT)/include/minios $(SYSROOT)/include/xen $(SYSROOT)/include/pthread.h \
    $(SYSROOT)/include/sys/_pthreadtypes.h
$(SYSROOT)/include/minios: | deps-build
	@mkdir -p $(@D) && ln -sfn $(CURDIR)/include/minios $@
$(SYSROOT)/include/xen: | deps-build
	@mkdir -p $(@D) && ln -sfn /usr/include/xen $@
$(SYSROOT)/include/pthread.h $(SYSROOT)/include/sys/_pthreadtypes.h:
	@mkdir -p $(@D) && ln -sfn $(CURDIR)/include/posix/$(patsubst $(SYSROOT)/include/%,%,$@) $@

# Rebuild everything when the flags change, not only when sources do.
$(KOUT)/cflags.txt: FORCE
	@mkdir -p $(@D)
	@echo '$(KERNEL_CFLAGS)' | cmp -s - $@ || echo '$(KERNEL_CFLAGS)' > $@
$(APP_OUT)/cflags.txt: FORCE
	@mkdir -p $(@D)
	@echo '$(APP_CFLAGS) $(APP_EXTRA_CFLAGS)' | cmp -s - $@ || echo '$(APP_CFLAGS) $(APP_EXTRA_CFLAGS)' > $@
$(KOUT)/glue-cflags.txt: FORCE
	@mkdir -p $(@D)
	@echo '$(GLUE_CFLAGS)' | cmp -s - $@ || echo '$(GLUE_CFLAGS)' > $@
.PHONY: FORCE

$(KOUT)/%.o: %.c $(KOUT)/cflags.txt | sysroot
	@mkdir -p $(@D)
	$(call quiet,CC,$<)
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(KOUT)/lib/libc/%.o: lib/libc/%.c $(KOUT)/glue-cflags.txt $(NEWLIB_STAMP) | sysroot
	@mkdir -p $(@D)
	$(call quiet,CC,$<)
	$(Q)$(CC) $(GLUE_CFLAGS) -c $< -o $@

$(KOUT)/lib/pthread/%.o: lib/pthread/%.c $(KOUT)/glue-cflags.txt $(NEWLIB_STAMP) | sysroot
	@mkdir -p $(@D)
	$(call quiet,CC,$<)
	$(Q)$(CC) $(GLUE_CFLAGS) -c $< -o $@

$(KOUT)/%.o: %.S $(KOUT)/cflags.txt | sysroot
	@mkdir -p $(@D)
	$(call quiet,AS,$<)
	$(Q)$(CC) $(KERNEL_CFLAGS) -D__ASSEMBLER__ -D__ASSEMBLY__ -Wa,--noexecstack -c $< -o $@

# The whole kernel as one relocatable object.  Kernel code is compiled with
# hidden visibility except for what the public headers declare (they push
# default visibility); once `ld -r` has resolved the kernel's references to
# its own internals, objcopy turns the hidden symbols into local ones, out
# of reach of any other object: an application cannot link against kernel
# internals.  (Hidden alone would not do: in a static link hidden symbols
# still bind across objects.)
$(KOUT)/minios.o: $(KERNEL_OBJS) $(GLUE_OBJS)
	$(call quiet,LD,$@)
	$(Q)$(LD) -r -o $@.tmp $^ && $(OBJCOPY) --localize-hidden $@.tmp $@ && rm -f $@.tmp

$(APP_OUT)/obj/%.o: $(APP_DIR)/%.c $(APP_OUT)/cflags.txt $(NEWLIB_STAMP) | sysroot
	@mkdir -p $(@D)
	$(call quiet,CC,$(APP)/$(patsubst $(APP_DIR)/%,%,$<))
	$(Q)$(CC) $(APP_CFLAGS) $(APP_EXTRA_CFLAGS) -c $< -o $@

# The kit an application links against, laid out as `make install` installs
# it (PREFIX/bin, PREFIX/lib/minios): the tree's own builds link through it
# exactly as outside builds do.
SDK     := $(BUILD)/sdk
SDK_LIB := $(SDK)/lib/minios
SDK_LINKS := $(SDK)/bin/minios-link $(SDK_LIB)/minios.lds $(SDK_LIB)/gen-symbols.sh \
    $(SDK_LIB)/minios.xl.cfg.in $(SDK_LIB)/libc.a $(SDK_LIB)/libm.a
SDK_FILES := $(SDK_LIB)/libminios.a $(SDK_LINKS)

$(SDK_LIB)/libminios.a: $(KOUT)/minios.o
	@mkdir -p $(@D)
	$(call quiet,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $<

sdk_link = @mkdir -p $(@D) && ln -sfn $(abspath $(1)) $@
$(SDK)/bin/minios-link: scripts/minios-link
	$(call sdk_link,$<)
$(SDK_LIB)/minios.lds: minios.lds
	$(call sdk_link,$<)
$(SDK_LIB)/gen-symbols.sh: scripts/gen-symbols.sh
	$(call sdk_link,$<)
$(SDK_LIB)/minios.xl.cfg.in: scripts/minios.xl.cfg.in
	$(call sdk_link,$<)
# Copies, not links: a link would look as old as newlib's stamp forever.
$(SDK_LIB)/libc.a $(SDK_LIB)/libm.a: $(NEWLIB_STAMP)
	@mkdir -p $(@D) && cp -f $(NEWLIB_DIR)/lib/$(@F) $@

sdk: $(SDK_FILES)

# The same kit, with headers and minios.mk/minios.pc, for other build
# systems (scripts/install-sdk.sh; docs/applications.md).
PREFIX ?= /usr/local
VERSION := $(shell sed -n 's/^\#define MINIOS_VERSION "\(.*\)"/\1/p' include/minios/version.h)
install: $(SDK_FILES) sysroot
	@scripts/install-sdk.sh $(abspath $(PREFIX)) $(SDK) $(SYSROOT)/include $(NEWLIB_DIR)/include \
	    '$(ABI_CFLAGS) $(APP_DEFINES)' $(VERSION)

# The application: its .c files (and an optional app.mk, which may add to
# APP_EXTRA_CFLAGS, APP_EXTRA_SRCS and APP_LDLIBS: docs/applications.md).
$(IMAGE): $(SDK_FILES) $(APP_OBJS)
	@test -n "$(APP_OBJS)" || { echo "APP=$(APP): no .c files in $(APP_DIR)" >&2; exit 1; }
	$(call quiet,LD,$@)
	$(Q)MINIOS_LIBDIR=$(SDK_LIB) $(SDK)/bin/minios-link -o $@ --name $(APP_NAME) \
	    $(APP_OBJS) $(APP_LDLIBS)

# make itself can only exit 0 or 2; the guest's own status is printed, and
# scripts/run-xen.sh (which this calls) exits with it exactly.
run: $(IMAGE) | deps-run
	@scripts/run-xen.sh $(if $(VCPUS),--vcpus $(VCPUS)) $(if $(MEM),--mem $(MEM)) \
	    $(if $(XEN),--xen $(XEN)) $(if $(filter 1,$(V)),--verbose) \
	    $(if $(TIMEOUT),--timeout $(TIMEOUT)) -- $(IMAGE) $(ARGS) || { \
	    st=$$?; echo "make run: scripts/run-xen.sh exited with status $$st (docs/exit-status.md)" >&2; \
	    exit $$st; }

# The same as a domU: Xen and a Debian Linux dom0 in QEMU, the guest started
# by the real `xl create` (scripts/run-domu.sh; docs/domu.md).
run-domu: $(IMAGE) | deps-run
	@scripts/run-domu.sh $(if $(VCPUS),--vcpus $(VCPUS)) $(if $(MEM),--mem $(MEM)) \
	    $(if $(filter 1,$(V)),--verbose) $(if $(TIMEOUT),--timeout $(TIMEOUT)) \
	    -- $(IMAGE) $(ARGS) || { \
	    st=$$?; echo "make run-domu: scripts/run-domu.sh exited with status $$st (docs/exit-status.md)" >&2; \
	    exit $$st; }

check:
	@VCPUS="$(VCPUS)" tests/check.sh

# Everything at once for minutes (tests/soak/); not part of check.
SOAK_SECONDS ?= 300
soak:
	@$(MAKE) -s APP=tests/soak
	@scripts/run-xen.sh --vcpus $(or $(VCPUS),4) --timeout $$(( $(SOAK_SECONDS) + 180 )) \
	    -- build/soak/minios.elf $(SOAK_SECONDS)

# Figures, side by side (bench/run.sh); not part of check.
bench:
	@bench/run.sh

newlib: $(NEWLIB_STAMP)

# $(wildcard): a missing tarball is deps-newlib's to report, not make's.
$(NEWLIB_STAMP): scripts/build-newlib.sh $(wildcard scripts/newlib-patches/*.patch) \
    $(wildcard $(NEWLIB_TARBALL)) | deps-newlib
	@scripts/build-newlib.sh $(NEWLIB_DIR)

newlib-check: $(NEWLIB_STAMP)
	@CFLAGS='$(NEWLIB_APP_CFLAGS)' tests/newlib/probe.sh $(NEWLIB_DIR) $(BUILD)/tests/newlib

# clean keeps what is slow to get again and does not depend on our sources:
# build/deps (downloaded Debian packages) and build/newlib (a minute of
# build, from Debian's tarball).  distclean removes them too.
clean:
	find $(BUILD) -mindepth 1 -maxdepth 1 ! -name deps ! -name newlib -exec rm -rf {} +

distclean:
	rm -rf $(BUILD)

include tests/unit/unit.mk
include tests/fuzz/fuzz.mk

-include $(KERNEL_OBJS:.o=.d) $(GLUE_OBJS:.o=.d) $(APP_OBJS:.o=.d) $(wildcard $(BUILD)/unit/*.d)
