/*
 * Directories without a file system: "/" and "." (and their spellings with
 * more slashes or dots) open as empty directories, so code that lists a
 * directory sees nothing and goes on; any other path is ENOENT, as it would
 * be on an empty disk.  There are no directory file descriptors.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct __minios_dir {
    long position; /* always 0: there is nothing to step over */
};

/* "/", ".", "./", "//.", ...: names of the one (empty) directory there is. */
static int is_root(const char *path)
{
    if (!path || !*path)
        return 0;
    for (const char *p = path; *p; p++) {
        if (*p == '.' && (p[1] == '/' || p[1] == '\0') && (p == path || p[-1] == '/'))
            continue;
        if (*p != '/')
            return 0;
    }
    return 1;
}

DIR *opendir(const char *path)
{
    DIR *d;

    if (!path || !*path || !is_root(path)) {
        errno = ENOENT;
        return NULL;
    }
    d = calloc(1, sizeof(*d));
    if (!d)
        errno = ENOMEM;
    return d;
}

DIR *fdopendir(int fd)
{
    (void)fd;
    errno = EBADF; /* no fd is a directory */
    return NULL;
}

struct dirent *readdir(DIR *d)
{
    (void)d;
    return NULL; /* the end, without an error: errno untouched */
}

int readdir_r(DIR *restrict d, struct dirent *restrict entry, struct dirent **restrict result)
{
    (void)d;
    (void)entry;
    *result = NULL;
    return 0;
}

void rewinddir(DIR *d)
{
    d->position = 0;
}

long telldir(DIR *d)
{
    return d->position;
}

void seekdir(DIR *d, long position)
{
    (void)position;
    d->position = 0;
}

int closedir(DIR *d)
{
    free(d);
    return 0;
}

int fdclosedir(DIR *d)
{
    free(d);
    errno = ENOTSUP; /* there was no fd to hand back */
    return -1;
}

int dirfd(DIR *d)
{
    (void)d;
    errno = ENOTSUP;
    return -1;
}

int alphasort(const struct dirent **a, const struct dirent **b)
{
    return strcoll((*a)->d_name, (*b)->d_name);
}

int scandir(const char *path, struct dirent ***list, int (*keep)(const struct dirent *),
            int (*order)(const struct dirent **, const struct dirent **))
{
    (void)keep;
    (void)order;
    if (!is_root(path)) {
        errno = ENOENT;
        return -1;
    }
    *list = NULL; /* nothing to free, nothing listed */
    return 0;
}
