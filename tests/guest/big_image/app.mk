# The image's size is chosen per build: BIG_IMAGE_MB (default 1) MiB of
# initialised read-only data, made by the compiler, not kept as a file.
BIG_IMAGE_MB ?= 1
ifneq ($(shell echo '$(BIG_IMAGE_MB)' | grep -xE '[0-9]{1,3}'),$(BIG_IMAGE_MB))
$(error BIG_IMAGE_MB wants a number of MiB, not '$(BIG_IMAGE_MB)')
endif
APP_EXTRA_CFLAGS += -DBIG_IMAGE_MB=$(BIG_IMAGE_MB)
