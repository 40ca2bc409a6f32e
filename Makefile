# minios: build the kernel with an application, boot it under Xen in QEMU,
# and test it.  `make help` lists the targets.  Everything built goes under
# build/; downloaded Debian packages are cached in build/deps/.

.DEFAULT_GOAL := all
SHELL := /bin/bash
.SECONDEXPANSION:

# Command-line variables are exported to every recipe, expanded: first
# they are made simple, holding their raw text, so that neither using nor
# exporting them evaluates anything a user typed.
USER_VARS := APP APP_FILES ARGS MODE VCPUS MEM TIMEOUT XEN XEN_ARGS DOMU FILTER V BREAK CORE NET NET_IP DISK SOAK_SECONDS FUZZ_SECONDS PREFIX
$(foreach v,$(USER_VARS),$(if $(filter-out undefined,$(origin $(v))),\
    $(eval override $(v) := $$(value $(v)))))

# V=1 shows whole compiler command lines (and, for `make run`, Xen's console).
ifeq ($(V),1)
Q :=
else
Q := @
endif
quiet = $(if $(Q),@printf '  %-7s %s\n' '$(1)' '$(2)';)

BUILD   := build
APP     ?= apps/hello

# Variables a user sets reach scripts as data, never as shell text: APP is
# part of paths in recipes, so it may only hold characters no shell (and
# no make function) treats specially; the others travel in the
# environment, unexpanded ($(value)), and the scripts check them.
SAFE_PATH_CHARS := a b c d e f g h i j k l m n o p q r s t u v w x y z \
    A B C D E F G H I J K L M N O P Q R S T U V W X Y Z 0 1 2 3 4 5 6 7 8 9 . _ - / +
strip_chars = $(if $(2),$(call strip_chars,$(subst $(firstword $(2)),,$(1)),$(wordlist 2,999,$(2))),$(1))
safe_path = $(if $(filter-out 1,$(words $(2))$(call strip_chars,$(2),$(SAFE_PATH_CHARS))),\
    $(error $(1)='$(2)': a path here may hold only letters, digits and . _ - / +))
$(call safe_path,APP,$(APP))
export MINIOS_MAKE_ARGS = $(value ARGS)
export MINIOS_MAKE_VCPUS = $(value VCPUS)
export MINIOS_MAKE_MODE = $(value MODE)
export MINIOS_MAKE_MEM = $(value MEM)
export MINIOS_MAKE_TIMEOUT = $(value TIMEOUT)
export MINIOS_MAKE_XEN = $(value XEN)
export MINIOS_MAKE_V = $(value V)
export MINIOS_MAKE_NET = $(value NET)
export MINIOS_MAKE_NET_IP = $(value NET_IP)
export MINIOS_MAKE_DISK = $(value DISK)
export MINIOS_MAKE_SOAK_SECONDS = $(value SOAK_SECONDS)
export MINIOS_MAKE_BREAK = $(value BREAK)
export MINIOS_MAKE_CORE = $(value CORE)
export MINIOS_MAKE_XEN_ARGS = $(value XEN_ARGS)
export MINIOS_MAKE_DOMU = $(value DOMU)
export MINIOS_MAKE_FILTER = $(value FILTER)
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
# The version is Debian 13's newlib-source (scripts/fetch-deb.sh fetches it
# without touching the system's apt setup), pinned by the tarball's sha256.
NEWLIB_VERSION := 4.5.0.20241231
NEWLIB_SHA256  := 8505a1c0ce94d9bdcdc62cc6ae6b91ce1554a840a1185f048a1a1dc65f90e49f
NEWLIB_TARBALL := $(BUILD)/deps/trixie/newlib-source/usr/src/newlib/newlib-$(NEWLIB_VERSION).tar.xz
NEWLIB_DIR     := $(BUILD)/newlib
NEWLIB_STAMP   := $(NEWLIB_DIR)/.inputs

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
# Functions, jump targets and loops are not padded to 16 bytes (-O2's
# default): 5% of the text, at no cost make bench can see (performance.md).
COMMON_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -nostdinc $(ABI_CFLAGS) -fno-strict-aliasing \
    -falign-functions=1 -falign-jumps=1 -falign-loops=1 -Wall -Wextra -Werror -MD -MP

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

# The application's runtime (runtime/: newlib's system calls, POSIX
# threads): kernel code (no FPU) compiled against newlib's headers, whose
# functions newlib and applications call: default visibility (their
# internal helpers say hidden themselves).
RUNTIME_CFLAGS := $(COMMON_CFLAGS) $(filter-out -fvisibility=hidden,$(KERNEL_ONLY)) -Iinclude \
    $(APP_INCLUDES) $(LIBC_DEFINES)

# lwIP, the TCP/IP stack (docs/networking.md): Debian's source, built once by
# scripts/build-lwip.sh into one object (about 40 files), with our
# configuration and OS layer from runtime/net/.  Hidden visibility: only
# what <minios/net.h> and the socket headers declare reaches applications.
# lwIP is not ours to keep free of warnings: no -Werror for it.
LWIP_DIR   := $(BUILD)/lwip
LWIP_OBJ   := $(LWIP_DIR)/lwip.o
LWIP_PORT  := -Iruntime/net/lwip -isystem $(LWIP_DIR)/include
LWIP_CFLAGS := $(filter-out -Werror -MD -MP,$(RUNTIME_CFLAGS)) -fvisibility=hidden -Iruntime/net/lwip
NET_CFLAGS := $(RUNTIME_CFLAGS) -fvisibility=hidden $(LWIP_PORT)

# One folder per subsystem (docs/layout.md); the link flags are
# scripts/minios-link's alone.
KERNEL_DIRS := arch/x86_64 arch/x86_64/pvh kernel mm events smp console drivers drivers/xenstore drivers/xenbus \
    drivers/netfront drivers/blkfront lib
KERNEL_SRCS := $(wildcard $(addsuffix /*.S,$(KERNEL_DIRS)) $(addsuffix /*.c,$(KERNEL_DIRS)))
KERNEL_OBJS := $(patsubst %,$(KOUT)/%.o,$(basename $(KERNEL_SRCS)))
RUNTIME_SRCS := $(wildcard runtime/*/*.c)
RUNTIME_OBJS := $(patsubst %.c,$(KOUT)/%.o,$(RUNTIME_SRCS))

APP_EXTRA_CFLAGS :=
APP_EXTRA_SRCS :=
APP_LDLIBS :=
-include $(APP_DIR)/app.mk
# A source outside the app's directory (APP_EXTRA_SRCS += ../common/x.c)
# gets its object under obj/_outside/ by its absolute path: built from the
# name as written, ../ would climb out of build/.
APP_SRCS := $(wildcard $(APP_DIR)/*.c) $(abspath $(addprefix $(APP_DIR)/,$(APP_EXTRA_SRCS)))
APP_OBJS := $(foreach s,$(APP_SRCS),$(if $(filter $(APP_DIR)/%,$(s)),\
    $(patsubst $(APP_DIR)/%.c,$(APP_OUT)/obj/%.o,$(s)),$(APP_OUT)/obj/_outside$(s:.c=.o)))

# The initial files (APP_FILES=dir, on the command line or in app.mk): a
# directory of the tree, packed into the image and unpacked into the RAM
# file system before main() (docs/applications.md).  The name is a path
# in recipes: only safe characters, no .. anywhere, and inside the tree.
ifneq ($(APP_FILES),)
$(call safe_path,APP_FILES,$(APP_FILES))
$(if $(filter ..,$(subst /, ,$(APP_FILES))),$(error APP_FILES='$(APP_FILES)': no .. in it, please))
APP_FILES_DIR := $(abspath $(APP_FILES))
$(if $(filter $(CURDIR)/%,$(APP_FILES_DIR)),,\
    $(error APP_FILES='$(APP_FILES)': a directory inside the tree, please))
endif

RESERVED_NAMES := deps libminios sysroot sdk unit tests newlib bench fuzz
ifneq ($(filter $(APP_NAME),$(RESERVED_NAMES)),)
$(error APP directory name '$(APP_NAME)' is reserved under build/; rename it)
endif

.PHONY: all run run-domu debug check regress regress-compare bench floor soak clean distclean help deps-build deps-run deps-newlib sysroot \
    newlib newlib-check header-check sdk install

all: $(IMAGE)

help:
	@echo "make [APP=dir]           build build/<dir>/minios.elf (default APP=apps/hello)"
	@echo "make run [APP=dir] [MODE=pv|pvh] [VCPUS=n] [MEM=mib] [ARGS=\"...\"] [XEN=path] [V=1]"
	@echo "                         boot it as dom0 under Xen in QEMU"
	@echo "make run-domu [APP=dir] [MODE=pv|pvh] [VCPUS=n] [MEM=mib] [ARGS=\"...\"] [TIMEOUT=s] [NET=n [NET_IP=a.b.c.d/n]] [DISK=\"file[:ro] ...\"] [V=1] [CORE=1|path]"
	@echo "                         boot it as a domU with xl, under a Linux dom0 in QEMU"
	@echo "make debug [APP=dir] [VCPUS=n] [ARGS=\"...\"] [BREAK=main]"
	@echo "                         the same under gdb, stopped at BREAK (docs/debugging.md)"
	@echo "make check [VCPUS=n]     run every test (the in-guest suite at 1, 2 and 4 vCPUs,"
	@echo "                         or at n); ends with 'N passed, N failed'"
	@echo "make regress [XEN=4.17|4.20|path] [XEN_ARGS=\"...\"] [VCPUS=n] [DOMU=1] [MODE=pv|pvh] [FILTER=\"pat...\"]"
	@echo "                         the Xen regression catalogue; build/regress/results.json, junit.xml"
	@echo "make regress-compare [VCPUS=n] [XEN=\"path...\"]  the catalogue under 4.17 and 4.20: what differs"
	@echo "make fuzz [FUZZ_SECONDS=n] run each fuzz target n seconds (default 60; docs/hostile-input.md)"
	@echo "make bench               performance and memory figures, each beside its floor"
	@echo "                         (build/bench/results.tsv, results.json; docs/performance.md)"
	@echo "make soak [SOAK_SECONDS=300] [VCPUS=4]  everything at once, for minutes"
	@echo "make install [PREFIX=/usr/local]  minios-link, libminios.a, headers, minios.mk, minios.pc"
	@echo "make newlib              build newlib (libc.a, libm.a, headers) into build/newlib once"
	@echo "make newlib-check        link a probe against newlib: what the kernel must provide"
	@echo "make header-check        the C library's headers define no kernel names (any -std)"
	@echo "make clean               remove build products (keeps build/deps and build/newlib)"
	@echo "make distclean           remove all of build/"

deps-build:
	@scripts/deps.sh build

deps-run:
	@scripts/deps.sh run

deps-newlib:
	@scripts/deps.sh build newlib
	@[ -f $(NEWLIB_TARBALL) ] || scripts/fetch-deb.sh trixie newlib-source $(BUILD)/deps > /dev/null
	@[ -f $(NEWLIB_TARBALL) ] || { echo "deps-newlib: no $(NEWLIB_TARBALL) in the package" >&2; exit 1; }

# Headers an application may include: the public API, Xen's interface,
# our POSIX headers (include/posix/) and the compiler's <stdatomic.h> (the
# C library's come from build/newlib).
POSIX_HEADERS := $(patsubst include/posix/%,%,$(shell find include/posix -name '*.h'))
sysroot: $(SYSROOT)/include/minios $(SYSROOT)/include/xen \
    $(addprefix $(SYSROOT)/include/,$(POSIX_HEADERS)) $(SYSROOT)/include/stdatomic.h
$(SYSROOT)/include/minios: | deps-build
	@mkdir -p $(@D) && ln -sfn $(CURDIR)/include/minios $@
$(SYSROOT)/include/xen: | deps-build
	@mkdir -p $(@D) && ln -sfn /usr/include/xen $@
$(addprefix $(SYSROOT)/include/,$(POSIX_HEADERS)):
	@mkdir -p $(@D) && ln -sfn $(CURDIR)/include/posix/$(patsubst $(SYSROOT)/include/%,%,$@) $@
# newlib's <stdatomic.h> is FreeBSD's and needs <stdint.h> first; the
# compiler's own is the one that matches its atomics: it wins.
$(SYSROOT)/include/stdatomic.h:
	@mkdir -p $(@D) && ln -sfn $(GCC_INC)/stdatomic.h $@

# Rebuild everything when the flags change, not only when sources do.
$(KOUT)/cflags.txt: FORCE
	@mkdir -p $(@D)
	@echo '$(KERNEL_CFLAGS)' | cmp -s - $@ || echo '$(KERNEL_CFLAGS)' > $@
# build/NAME is shared by every APP folder named NAME: its source folder is
# part of what the objects depend on, so another one's objects are rebuilt.
$(APP_OUT)/cflags.txt: FORCE
	@mkdir -p $(@D)
	@echo '$(APP_DIR): $(APP_CFLAGS) $(APP_EXTRA_CFLAGS)' | cmp -s - $@ || \
	    echo '$(APP_DIR): $(APP_CFLAGS) $(APP_EXTRA_CFLAGS)' > $@
$(KOUT)/runtime-cflags.txt: FORCE
	@mkdir -p $(@D)
	@echo '$(RUNTIME_CFLAGS)' | cmp -s - $@ || echo '$(RUNTIME_CFLAGS)' > $@
.PHONY: FORCE

$(KOUT)/%.o: %.c $(KOUT)/cflags.txt | sysroot
	@mkdir -p $(@D)
	$(call quiet,CC,$<)
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(KOUT)/runtime/%.o: runtime/%.c $(KOUT)/runtime-cflags.txt $(NEWLIB_STAMP) | sysroot
	@mkdir -p $(@D)
	$(call quiet,CC,$<)
	$(Q)$(CC) $(RUNTIME_CFLAGS) -c $< -o $@

# Our lwIP port and the socket calls: runtime code on lwIP's headers.
$(KOUT)/runtime/net/%.o: runtime/net/%.c $(KOUT)/runtime-cflags.txt $(NEWLIB_STAMP) $(LWIP_OBJ) | sysroot
	@mkdir -p $(@D)
	$(call quiet,CC,$<)
	$(Q)$(CC) $(NET_CFLAGS) -c $< -o $@

$(LWIP_OBJ): scripts/build-lwip.sh scripts/fetch-source.sh $(wildcard runtime/net/lwip/*.h runtime/net/lwip/arch/*.h) \
    $(NEWLIB_STAMP) | sysroot
	$(call quiet,LWIP,$@)
	$(Q)CC='$(CC)' LWIP_CFLAGS='$(LWIP_CFLAGS)' scripts/build-lwip.sh $(LWIP_DIR)

# The socket ABI seen by lwIP and by applications must be one
# (tests/net/socket_abi.c): `make socket-abi` compares the two tables.
SOCKET_ABI := $(BUILD)/tests/socket-abi
.PHONY: socket-abi
socket-abi: $(SOCKET_ABI)-lwip.bin $(SOCKET_ABI)-posix.bin
	@cmp $^ && echo "socket-abi: $$(($$(stat -c %s $<) / 8)) layouts and constants the same for lwIP and applications"

$(SOCKET_ABI)-lwip.bin: tests/net/socket_abi.c $(LWIP_OBJ) \
    $(wildcard runtime/net/lwip/*.h runtime/net/lwip/arch/*.h) | sysroot
	@mkdir -p $(@D)
	$(Q)$(CC) $(NET_CFLAGS) -DLWIP_SIDE -c $< -o $(@:.bin=.o) && $(OBJCOPY) -O binary -j .rodata.socket_abi -j .rodata $(@:.bin=.o) $@

$(SOCKET_ABI)-posix.bin: tests/net/socket_abi.c $(wildcard include/posix/*.h include/posix/*/*.h) \
    $(NEWLIB_STAMP) | sysroot
	@mkdir -p $(@D)
	$(Q)$(CC) $(APP_CFLAGS) -c $< -o $(@:.bin=.o) && $(OBJCOPY) -O binary -j .rodata.socket_abi -j .rodata $(@:.bin=.o) $@

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
$(KOUT)/minios.o: $(KERNEL_OBJS) $(RUNTIME_OBJS) $(LWIP_OBJ)
	$(call quiet,LD,$@)
	$(Q)$(LD) -r --unique -o $@.tmp $^ && $(OBJCOPY) --localize-hidden $@.tmp $@ && rm -f $@.tmp

$(APP_OUT)/obj/%.o: $(APP_DIR)/%.c $(APP_OUT)/cflags.txt $(NEWLIB_STAMP) | sysroot
	@mkdir -p $(@D)
	$(call quiet,CC,$(APP)/$(patsubst $(APP_DIR)/%,%,$<))
	$(Q)$(CC) $(APP_CFLAGS) $(APP_EXTRA_CFLAGS) -c $< -o $@

$(APP_OUT)/obj/_outside/%.o: /%.c $(APP_OUT)/cflags.txt $(NEWLIB_STAMP) | sysroot
	@mkdir -p $(@D)
	$(call quiet,CC,/$*.c)
	$(Q)$(CC) $(APP_CFLAGS) $(APP_EXTRA_CFLAGS) -c $< -o $@

# The kit an application links against, laid out as `make install` installs
# it (PREFIX/bin, PREFIX/lib/minios): the tree's own builds link through it
# exactly as outside builds do.
SDK     := $(BUILD)/sdk
SDK_LIB := $(SDK)/lib/minios
SDK_LINKS := $(SDK)/bin/minios-link $(SDK)/bin/minios-cc $(SDK_LIB)/minios.lds $(SDK_LIB)/gen-symbols.sh \
    $(SDK_LIB)/minios.xl.cfg.in $(SDK_LIB)/libc.a $(SDK_LIB)/libm.a
SDK_FILES := $(SDK_LIB)/libminios.a $(SDK_LINKS)

$(SDK_LIB)/libminios.a: $(KOUT)/minios.o
	@mkdir -p $(@D)
	$(call quiet,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $<

sdk_link = @mkdir -p $(@D) && ln -sfn $(abspath $(1)) $@
$(SDK)/bin/minios-link: scripts/minios-link
	$(call sdk_link,$<)
$(SDK)/bin/minios-cc: scripts/minios-cc
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
$(call safe_path,PREFIX,$(PREFIX))
VERSION := $(shell sed -n 's/^\#define MINIOS_VERSION "\(.*\)"/\1/p' include/minios/version.h)
install: $(SDK_FILES) sysroot
	@scripts/install-sdk.sh $(abspath $(PREFIX)) $(SDK) $(SYSROOT)/include $(NEWLIB_DIR)/include \
	    '$(ABI_CFLAGS) $(APP_DEFINES)' $(VERSION)

# The application: its .c files (and an optional app.mk, which may add to
# APP_EXTRA_CFLAGS, APP_EXTRA_SRCS and APP_LDLIBS: docs/applications.md).
$(IMAGE): $(SDK_FILES) $(APP_OBJS) $(if $(APP_FILES),$(APP_OUT)/files.list)
	@test -n "$(APP_OBJS)" || { echo "APP=$(APP): no .c files in $(APP_DIR)" >&2; exit 1; }
	$(call quiet,LD,$@)
	$(Q)MINIOS_LIBDIR=$(SDK_LIB) $(SDK)/bin/minios-link -o $@ --name $(APP_NAME) \
	    $(if $(APP_FILES),--files $(APP_FILES_DIR)) $(APP_OBJS) $(APP_LDLIBS)

# What APP_FILES holds (names, sizes, times, modes): the image is linked
# again when it changes.  Any name is data here, read by find, never by make.
$(APP_OUT)/files.list: FORCE
	@mkdir -p $(@D)
	@test -d $(APP_FILES_DIR) || { echo "APP_FILES=$(APP_FILES): not a directory" >&2; exit 1; }
	@find $(APP_FILES_DIR) -printf '%P %s %T@ %m %y\n' | sort | cmp -s - $@ || \
	    find $(APP_FILES_DIR) -printf '%P %s %T@ %m %y\n' | sort > $@

# scripts/make-run.sh hands VCPUS, MEM, XEN, TIMEOUT, V and ARGS (from the
# environment, above) to scripts/run-xen.sh or run-domu.sh as separate
# options; ARGS is split by the guest's rules, never by a shell.  make
# itself can only exit 0 or 2; the guest's own status is printed, and the
# harness exits with it exactly.
run: $(IMAGE) | deps-run
	@scripts/make-run.sh run-xen $(IMAGE)

# The same as a domU: Xen and a Debian Linux dom0 in QEMU, the guest started
# by the real `xl create` (scripts/run-domu.sh; docs/domu.md).
run-domu: $(IMAGE) | deps-run
	@scripts/make-run.sh run-domu $(IMAGE)

# The same under gdb: QEMU's gdb stub, stopped at BREAK (main), the minios
# gdb commands loaded (scripts/debug.sh; docs/debugging.md).
debug: $(IMAGE) | deps-run
	@scripts/make-run.sh debug $(IMAGE)

check:
	@VCPUS="$$MINIOS_MAKE_VCPUS" tests/check.sh

# The hypervisor regression catalogue (regress/; docs/regress.md) under one
# Xen, as XTF's runner reports: scripts/regress.sh exits 0/3/4/5/6 and
# prints it; make can only pass on 0 (SUCCESS, SKIP) or 2 (the rest).
REGRESS_IMAGE := $(BUILD)/regress/minios.elf
REGRESS_OPTIONS = --xen "$$MINIOS_MAKE_XEN" --xen-args "$$MINIOS_MAKE_XEN_ARGS" \
	    --vcpus "$${MINIOS_MAKE_VCPUS:-1}" --filter "$$MINIOS_MAKE_FILTER" \
	    $$(case "$$MINIOS_MAKE_DOMU" in 1) echo --domu ;; ""|0) ;; *) echo --bad-DOMU ;; esac) \
	    $$(case "$$MINIOS_MAKE_MODE" in pvh) echo --pvh ;; ""|pv) ;; *) echo --bad-MODE ;; esac)
regress:
	@scripts/regress.sh $(REGRESS_OPTIONS) --check-only $(REGRESS_IMAGE) || \
	    { echo "regress: exit code 2 (0 SUCCESS, 3 SKIP, 4 ERROR, 5 FAILURE, 6 CRASH)"; exit 1; }
	@$(MAKE) -s APP=regress
	@scripts/regress.sh $(REGRESS_OPTIONS) $(REGRESS_IMAGE); st=$$?; echo "regress: exit code $$st (0 SUCCESS, 3 SKIP, 4 ERROR, 5 FAILURE, 6 CRASH)"; \
	    [ $$st -eq 0 ] || [ $$st -eq 3 ]

# The catalogue under Xen 4.17 and 4.20 (and XEN="image..." too): the table
# of the tests whose verdict differs (scripts/regress-compare.sh).
regress-compare:
	@$(MAKE) -s APP=regress
	@read -r -a extra <<< "$$MINIOS_MAKE_XEN"; \
	    scripts/regress-compare.sh --vcpus "$${MINIOS_MAKE_VCPUS:-1}" --xen-args "$$MINIOS_MAKE_XEN_ARGS" \
	    $(REGRESS_IMAGE) "$${extra[@]}"

# Everything at once for minutes (tests/soak/); not part of check.
soak:
	@$(MAKE) -s APP=tests/soak
	@s=$${MINIOS_MAKE_SOAK_SECONDS:-300}; \
	    [[ $$s =~ ^[0-9]{1,6}$$ ]] || { echo "make soak: SOAK_SECONDS wants seconds, not '$$s'" >&2; exit 2; }; \
	    scripts/run-xen.sh --vcpus "$${MINIOS_MAKE_VCPUS:-4}" --timeout $$(( 10#$$s + 180 )) \
	    -- build/soak/minios.elf "$$s"

# Figures, side by side (bench/run.sh); not part of check.
bench:
	@bench/run.sh

# The floor every boot figure is set beside (bench/floor/): the kernel's
# ELF notes, an entry, one console line and the shutdown; no kernel, no C
# library.
FLOOR := $(BUILD)/bench/floor/minios.elf
FLOOR_OBJS := $(KOUT)/bench/floor/entry.o $(KOUT)/bench/floor/floor.o $(KOUT)/arch/x86_64/xen_notes.o
floor: $(FLOOR)
$(FLOOR): $(FLOOR_OBJS) minios.lds
	@mkdir -p $(@D)
	$(call quiet,LD,$@)
	$(Q)$(LD) -n --gc-sections -T minios.lds -o $@ $(FLOOR_OBJS)

newlib: $(NEWLIB_STAMP)

# $(wildcard): a missing tarball is deps-newlib's to report, not make's.
$(NEWLIB_STAMP): scripts/build-newlib.sh $(wildcard scripts/newlib-patches/*.patch) \
    $(shell find scripts/newlib-files -type f) $(wildcard $(NEWLIB_TARBALL)) | deps-newlib
	@scripts/build-newlib.sh $(NEWLIB_DIR) $(NEWLIB_TARBALL) $(NEWLIB_SHA256) scripts/newlib-patches

newlib-check: $(NEWLIB_STAMP)
	@CFLAGS='$(APP_CFLAGS)' tests/newlib/probe.sh $(NEWLIB_DIR) $(BUILD)/tests/newlib

# The C library's headers leave the application's namespace alone: a program
# defining the kernel's names itself compiles under each C standard.
HEADER_CHECK_STDS := c89 gnu89 c99 gnu99 c11 gnu11
header-check: $(NEWLIB_STAMP) | sysroot
	@mkdir -p $(BUILD)/tests/newlib
	@for std in $(HEADER_CHECK_STDS); do \
	    $(CC) $(APP_CFLAGS) -std=$$std -c tests/newlib/namespace.c \
	        -o $(BUILD)/tests/newlib/namespace-$$std.o || \
	        { echo "header-check: -std=$$std failed"; exit 1; }; \
	done; echo "header-check: $(HEADER_CHECK_STDS)"

# clean keeps what is slow to get again and does not depend on our sources:
# build/deps (downloaded Debian packages) and build/newlib (a minute of
# build, from Debian's tarball).  distclean removes them too.
clean:
	find $(BUILD) -mindepth 1 -maxdepth 1 ! -name deps ! -name newlib -exec rm -rf {} +

distclean:
	rm -rf $(BUILD)

include tests/unit/unit.mk
include tests/fuzz/fuzz.mk

-include $(KERNEL_OBJS:.o=.d) $(RUNTIME_OBJS:.o=.d) $(APP_OBJS:.o=.d) $(wildcard $(BUILD)/unit/*.d)
