# Files shipped in the image, unpacked into the RAM file system before main()
# (tests/guest/libc/files.c: test_initial_files).
APP_FILES := tests/guest/libc/initial
