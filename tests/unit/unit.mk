# Host-side unit tests of pure logic (lib/, mm/, console/, drivers/xenstore/,
# drivers/xenbus/, drivers/netfront/, drivers/blkfront/, runtime/fs/,
# runtime/net/frame_csum.c),
# built with the host compiler under AddressSanitizer and UBSan.
# Included by the top-level Makefile; `make unit` builds and runs them all.

UNIT_OUT := $(BUILD)/unit
UNIT_CFLAGS := -std=gnu11 -O1 -g -MMD -MP -fsanitize=address,undefined -fno-sanitize-recover=undefined \
    -fno-omit-frame-pointer -Wall -Wextra -Werror -Wno-format-zero-length -Iinclude \
    -Iconsole -Idrivers/xenstore -Idrivers/netfront -Idrivers/blkfront -Iruntime/fs -Iruntime/net

# test name -> kernel sources it exercises
UNIT_SRCS_format  := lib/format.c
UNIT_SRCS_cmdline := lib/cmdline.c
UNIT_SRCS_bootmem := mm/bootmem.c
UNIT_SRCS_buddy   := mm/buddy.c
UNIT_SRCS_heap    := mm/heap.c mm/buddy.c tests/unit/heap_shims.c
UNIT_SRCS_ring    := lib/ring.c
UNIT_SRCS_xs_wire := drivers/xenstore/xs_wire.c lib/ring.c
UNIT_SRCS_xs_payload := drivers/xenstore/xs_wire.c lib/ring.c
UNIT_SRCS_xs_text := drivers/xenstore/xs_text.c
UNIT_SRCS_ldisc   := console/ldisc.c lib/ring.c
UNIT_SRCS_cons_out := console/cons_out.c lib/ring.c lib/format.c
UNIT_SRCS_xenbus_parse := drivers/xenbus/xenbus_parse.c
UNIT_SRCS_xenbus_fresh := drivers/xenbus/xenbus_fresh.c
UNIT_SRCS_netfront_ring := drivers/netfront/netfront_ring.c
UNIT_SRCS_blkfront_ring := drivers/blkfront/blkfront_ring.c
UNIT_SRCS_ramfs   := runtime/fs/ramfs.c runtime/fs/ramfs_path.c runtime/fs/ramfs_data.c
UNIT_SRCS_ustar   := runtime/fs/ustar.c
UNIT_SRCS_frame_csum := runtime/net/frame_csum.c

UNIT_TESTS := $(patsubst tests/unit/test_%.c,%,$(wildcard tests/unit/test_*.c))
UNIT_BINS  := $(addprefix $(UNIT_OUT)/test_,$(UNIT_TESTS)) $(UNIT_OUT)/test_fma_hw

.PHONY: unit unit-build
unit-build: $(UNIT_BINS)
unit: unit-build
	@fail=0; for t in $(UNIT_BINS); do $$t || fail=1; done; exit $$fail

# lib/string.c defines memcpy & co: rename them so the host libc keeps its own.
$(UNIT_OUT)/string_under_test.o: lib/string.c tests/unit/rename_string.h | deps-build
	@mkdir -p $(@D)
	$(Q)$(CC) $(UNIT_CFLAGS) -Wno-format -fno-builtin -include tests/unit/rename_string.h -c $< -o $@

$(UNIT_OUT)/test_string: tests/unit/test_string.c $(UNIT_OUT)/string_under_test.o tests/unit/unit.h
	$(Q)$(CC) $(UNIT_CFLAGS) $< $(UNIT_OUT)/string_under_test.o -o $@

$(UNIT_OUT)/test_%: tests/unit/test_%.c tests/unit/unit.h $$(UNIT_SRCS_$$*) | deps-build
	@mkdir -p $(@D)
	$(Q)$(CC) $(UNIT_CFLAGS) -Wno-format $< $(UNIT_SRCS_$*) -o $@

# newlib's fma/fmaf as we build them (scripts/newlib-files/), renamed so the
# host's own stay the reference: test_fma on the software path alone,
# test_fma_hw with the FMA instruction where the host has it.
FMA_DIR := scripts/newlib-files/newlib/libm/common
FMA_SRCS := $(FMA_DIR)/s_fma.c $(FMA_DIR)/sf_fma.c
FMA_DEPS := tests/unit/test_fma.c tests/unit/unit.h $(FMA_SRCS) $(FMA_DIR)/fma_exact.h $(FMA_DIR)/fma_hw.h
FMA_RENAME := -Dfma=minios_fma -Dfmaf=minios_fmaf
$(UNIT_OUT)/test_fma: $(FMA_DEPS) | deps-build
	@mkdir -p $(@D)
	$(Q)$(CC) $(UNIT_CFLAGS) -fno-builtin -DMINIOS_FMA_SOFTWARE_ONLY -c $(FMA_DIR)/s_fma.c $(FMA_RENAME) -o $@-s.o
	$(Q)$(CC) $(UNIT_CFLAGS) -fno-builtin -DMINIOS_FMA_SOFTWARE_ONLY -c $(FMA_DIR)/sf_fma.c $(FMA_RENAME) -o $@-sf.o
	$(Q)$(CC) $(UNIT_CFLAGS) $< $@-s.o $@-sf.o -lm -o $@
$(UNIT_OUT)/test_fma_hw: $(FMA_DEPS) | deps-build
	@mkdir -p $(@D)
	$(Q)$(CC) $(UNIT_CFLAGS) -fno-builtin -c $(FMA_DIR)/s_fma.c $(FMA_RENAME) -o $@-s.o
	$(Q)$(CC) $(UNIT_CFLAGS) -fno-builtin -c $(FMA_DIR)/sf_fma.c $(FMA_RENAME) -o $@-sf.o
	$(Q)$(CC) $(UNIT_CFLAGS) $< $@-s.o $@-sf.o -lm -o $@
