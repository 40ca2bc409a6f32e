/*
 * <dirent.h> on the RAM file system: a DIR is a directory fd (opendir
 * opens one, fdopendir adopts one) and an index into the directory's
 * entries, "." and ".." first, then the names in creation order.  Entries
 * made or removed while a DIR is open may or may not be seen (POSIX's
 * rule): the index counts whatever the list holds at each readdir.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fs.h"

struct __minios_dir {
    int fd;
    long position; /* entries read; telldir/seekdir's cookie */
    struct dirent entry;
};

static DIR *dir_for(int fd)
{
    DIR *d = calloc(1, sizeof(*d));

    if (!d) {
        errno = ENOMEM;
        return NULL;
    }
    d->fd = fd;
    return d;
}

DIR *opendir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    DIR *d;

    if (fd < 0)
        return NULL;
    d = dir_for(fd);
    if (!d)
        close(fd);
    return d;
}

DIR *fdopendir(int fd)
{
    int err;
    struct file *f = fs_dir_file(fd, &err);

    if (!f) {
        errno = err;
        return NULL;
    }
    file_put(f);
    return dir_for(fd);
}

/* The entry at @d's position into @entry; false at the end (or an error in *@err). */
static bool next_entry(DIR *d, struct dirent *entry, int *err)
{
    struct file *f = fs_dir_file(d->fd, err);
    struct ramfs_node *node;
    const char *name;
    bool found;

    if (!f)
        return false;
    if (!fs_lock()) {
        file_put(f);
        *err = ENOMEM;
        return false;
    }
    found = d->position >= 0 && ramfs_dir_entry(f->priv, (size_t)d->position, &name, &node);
    if (found) {
        entry->d_ino = node->ino;
        entry->d_type = node->type == RAMFS_DIR ? DT_DIR : DT_REG;
        strcpy(entry->d_name, name); /* at most RAMFS_NAME_MAX bytes: it fits */
        d->position++;
    }
    fs_unlock();
    file_put(f);
    return found;
}

struct dirent *readdir(DIR *d)
{
    int err = 0;

    if (next_entry(d, &d->entry, &err))
        return &d->entry;
    if (err)
        errno = err;
    return NULL; /* the end, without an error: errno untouched */
}

int readdir_r(DIR *restrict d, struct dirent *restrict entry, struct dirent **restrict result)
{
    int err = 0;

    *result = next_entry(d, entry, &err) ? entry : NULL;
    return err;
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
    d->position = position;
}

int closedir(DIR *d)
{
    int ret = close(d->fd);

    free(d);
    return ret;
}

/* FreeBSD's: the DIR goes, its fd stays open and is handed back. */
int fdclosedir(DIR *d)
{
    int fd = d->fd;

    free(d);
    return fd;
}

int dirfd(DIR *d)
{
    return d->fd;
}

int alphasort(const struct dirent **a, const struct dirent **b)
{
    return strcoll((*a)->d_name, (*b)->d_name);
}

int scandir(const char *path, struct dirent ***list, int (*keep)(const struct dirent *),
            int (*order)(const struct dirent **, const struct dirent **))
{
    DIR *d = opendir(path);
    struct dirent **all = NULL, **bigger, *e;
    size_t n = 0, cap = 0;

    if (!d)
        return -1;
    while ((e = readdir(d))) {
        if (keep && !keep(e))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            bigger = realloc(all, cap * sizeof(*all));
            if (!bigger)
                goto nomem;
            all = bigger;
        }
        all[n] = malloc(sizeof(*e));
        if (!all[n])
            goto nomem;
        memcpy(all[n++], e, sizeof(*e));
    }
    closedir(d);
    if (order && n > 1)
        qsort(all, n, sizeof(*all), (int (*)(const void *, const void *))order);
    *list = all;
    return (int)n;
nomem:
    while (n)
        free(all[--n]);
    free(all);
    closedir(d);
    errno = ENOMEM;
    return -1;
}

/*
 * POSIX 2024's posix_getdents(): newlib's <dirent.h> declares it but
 * defines neither struct posix_dent nor reclen_t, so no program can read
 * what it would return.  readdir() is the way to list a directory.
 */
ssize_t posix_getdents(int fd, void *buf, size_t size, int flags)
{
    (void)fd;
    (void)buf;
    (void)size;
    (void)flags;
    errno = ENOSYS;
    return -1;
}
