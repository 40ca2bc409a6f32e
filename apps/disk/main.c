/*
 * disk: ordinary C on a Xen PV disk, through newlib (docs/storage.md).
 *
 *   make run-domu APP=apps/disk DISK=data.img [ARGS="/dev/xvda"]
 *
 * Prints the disk's size, writes a line into its last sector, flushes, and
 * reads the line back: open, fstat, pwrite, fsync, pread, close, and the
 * error each one gives when the disk refuses (a read-only disk: open says EROFS).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SECTOR 512

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "/dev/xvda";
    char out[SECTOR], in[SECTOR];
    struct stat st;
    int fd = open(path, O_RDWR);

    if (fd < 0) {
        printf("disk: open %s: %s\n", path, strerror(errno));
        return 1;
    }
    if (fstat(fd, &st) < 0 || st.st_size < SECTOR) {
        printf("disk: %s: no size (%s)\n", path, strerror(errno));
        return 1;
    }
    off_t last = st.st_size - SECTOR;

    memset(out, 0, sizeof(out));
    snprintf(out, sizeof(out), "written by minios into the last sector of %s\n", path);
    printf("disk: %s: %lld bytes\n", path, (long long)st.st_size);
    if (pwrite(fd, out, SECTOR, last) != SECTOR || fsync(fd) < 0) {
        printf("disk: %s: writing the last sector: %s\n", path, strerror(errno));
        return 1;
    }
    if (pread(fd, in, SECTOR, last) != SECTOR || memcmp(in, out, SECTOR) != 0) {
        printf("disk: %s: the last sector does not read back\n", path);
        return 1;
    }
    printf("disk: read back: %s", in);
    return close(fd) < 0;
}
