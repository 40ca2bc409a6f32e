/*
 * The application's initial files: scripts/minios-link --files (make's
 * APP_FILES) packs a directory into the image as a ustar archive between
 * minios_files_start and minios_files_end; here, before main(), each
 * entry becomes a file or directory of the RAM file system (DIR/a/b is
 * /a/b).  An image without files has neither symbol (weak: 0).  An entry
 * the reader refuses, or a file that cannot be made (no memory), ends the
 * run as a crash naming it: the program would otherwise start without
 * files it was built with.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <minios/kernel.h>

#include "initial_files.h"
#include "ustar.h"

extern const unsigned char minios_files_start[] __attribute__((weak));
extern const unsigned char minios_files_end[] __attribute__((weak));

/* Writes the whole of @e as /@e->path; 0 or an errno. */
static int make_file(const char *path, const struct ustar_entry *e)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, e->mode);
    size_t done = 0;
    int n;

    if (fd < 0)
        return errno;
    while (done < e->size) {
        n = write(fd, e->data + done, e->size - done);
        if (n <= 0) {
            int err = n < 0 ? errno : EIO;

            close(fd);
            return err;
        }
        done += (size_t)n;
    }
    close(fd);
    return 0;
}

void __minios_unpack_initial_files(void)
{
    static struct ustar_entry e; /* 300 bytes: not on the main thread's stack */
    char path[USTAR_PATH_MAX + 1];
    size_t len, offset = 0;
    const char *why = NULL;
    int ret, err;

    if (!minios_files_start || !minios_files_end)
        return;
    len = (size_t)(minios_files_end - minios_files_start);
    while ((ret = ustar_next(minios_files_start, len, &offset, &e, &why)) > 0) {
        if (e.path[0] == '\0')
            continue; /* the archive's own "." */
        path[0] = '/';
        strcpy(path + 1, e.path);
        if (e.type == '5')
            err = mkdir(path, e.mode) == 0 || errno == EEXIST ? 0 : errno;
        else
            err = make_file(path, &e);
        if (err)
            panic("initial files: cannot make %s: %s", path, strerror(err));
    }
    if (ret < 0)
        panic("initial files: entry at byte %lu refused: %s", (unsigned long)offset, why);
}
