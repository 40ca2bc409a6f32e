# Fuzz targets (tests/fuzz/fuzz_*.c) for the code that reads what another
# domain wrote: libFuzzer from Debian's clang-14 (packages clang-14 and
# libclang-rt-14-dev; scripts/deps.sh fuzz), with AddressSanitizer and UBSan.
# Included by the top-level Makefile.
#
#   make fuzz [FUZZ_SECONDS=60]    build, then run each target that long
#
# `make check` runs each for a few seconds (tests/fuzz.sh).  New corpus
# entries go to build/fuzz/corpus/<target>/ (the seeds in tests/fuzz/corpus/
# are never written), crash inputs to build/fuzz/artifacts/<target>/.

FUZZ_OUT := $(BUILD)/fuzz
FUZZ_CC  := clang-14
FUZZ_CFLAGS := -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
    -fno-sanitize-recover=undefined -fno-omit-frame-pointer -Wall -Wextra -Werror -Iinclude \
    -Iconsole -Idrivers/xenstore -Idrivers/netfront -Idrivers/blkfront
FUZZ_SECONDS ?= 60

# target name -> kernel sources it exercises
FUZZ_SRCS_ring    := lib/ring.c
FUZZ_SRCS_xs_wire := drivers/xenstore/xs_wire.c drivers/xenstore/xs_text.c lib/ring.c
FUZZ_SRCS_console := console/cons_out.c console/ldisc.c lib/ring.c lib/format.c
FUZZ_SRCS_cmdline := lib/cmdline.c
FUZZ_SRCS_netfront := drivers/netfront/netfront_ring.c drivers/xenbus/xenbus_parse.c
FUZZ_SRCS_blkfront := drivers/blkfront/blkfront_ring.c

FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS    := $(addprefix $(FUZZ_OUT)/fuzz_,$(FUZZ_TARGETS))

.PHONY: fuzz fuzz-build deps-fuzz
deps-fuzz:
	@scripts/deps.sh fuzz

fuzz-build: $(FUZZ_BINS)

# The user's value travels as data (tests/fuzz.sh checks it).
fuzz: export MINIOS_FUZZ_SECONDS = $(value FUZZ_SECONDS)
fuzz: fuzz-build
	@FUZZ_SECONDS="$$MINIOS_FUZZ_SECONDS" tests/fuzz.sh

$(FUZZ_OUT)/fuzz_%: tests/fuzz/fuzz_%.c $$(FUZZ_SRCS_$$*) include/kernel/ring.h \
        drivers/xenstore/xs_wire.h include/kernel/xs_text.h console/ldisc.h console/cons_out.h \
        include/kernel/cmdline.h drivers/netfront/netfront_ring.h drivers/blkfront/blkfront_ring.h include/kernel/xenbus_parse.h \
        tests/fuzz/fuzz_input.h tests/fuzz/fuzz.mk | deps-fuzz
	@mkdir -p $(@D)
	$(call quiet,FUZZCC,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $< $(FUZZ_SRCS_$*) -o $@
