/*
 * The RAM file system as the system calls see it: one tree (ramfs.h)
 * behind one sleeping lock, and the open-file kinds it gives the fd layer
 * (../libc/fd.h): regular files and directories.  Shared by the files of
 * runtime/fs/ only.
 */
#ifndef RUNTIME_FS_FS_H
#define RUNTIME_FS_FS_H

#include <sys/stat.h>

#include "../libc/fd.h"
#include "ramfs.h"

#pragma GCC visibility push(hidden)

/*
 * Takes the file system's lock (recursive: an op may release a node while
 * the caller holds it) and returns the tree, made on first use (a root
 * and /tmp, where tmpnam() and tmpfile() put their files).  NULL (lock not
 * taken) if there was no memory for it.
 */
struct ramfs *fs_lock(void);
void fs_unlock(void);

/* st for @node (the lock held). */
void fs_fill_stat(const struct ramfs_node *node, struct stat *st);

/* Opens @node as an fd with @flags (the lock held, so @node cannot go meanwhile). */
int fs_open_node(struct ramfs_node *node, int flags);

/* The directory an fd names (a reference the caller puts back), or NULL: ENOTDIR/EBADF in *@err. */
struct file *fs_dir_file(int fd, int *err);

/*
 * The open file an fd names if it is the tree's (a file or a directory,
 * priv its node; a reference the caller puts back), or NULL: EBADF, or
 * EINVAL for another kind (the console, a disk, a socket), in *@err.
 */
struct file *fs_node_file(int fd, int *err);

/* The file mode creation mask (umask(), fs_attrs.c): open() and mkdir() clear its bits. */
mode_t fs_umask(void);

/* utimensat(AT_FDCWD, ...) without flags (fs_attrs.c): 0, or -1 and errno. */
int fs_utimens(const char *path, const struct timespec times[2]);

/*
 * Runs @op(@arg) with @dirfd's directory as the start of relative paths
 * (fs_at.c): AT_FDCWD, or an fd naming a directory of the tree; an
 * absolute @path ignores @dirfd.  @op's result, or -1 with errno
 * EBADF/ENOTDIR.
 */
int fs_at(int dirfd, const char *path, int (*op)(void *arg), void *arg);

/*
 * Opens disk @name ("xvda": /dev/xvda) as an fd (dev_block.c): the fd,
 * -ENOENT if there is no such disk, or another -errno.
 */
int fs_open_disk(const char *name, int flags);

#pragma GCC visibility pop

#endif /* RUNTIME_FS_FS_H */
