/*
 * The system calls on paths, over the RAM file system (ramfs.h): open,
 * creat, stat, access, truncate, unlink, link, rename, mkdir, rmdir,
 * chdir, fchdir, getcwd.  One lock serialises them all (and the open
 * files' reads and writes: fs_file.c); the tree is made on first use.
 * umask() clears mode bits at creation (fs_attrs.c); the *at() calls are
 * fs_at.c's, the other calls on names fs_names.c's.
 * There are no permissions (one user), no symbolic links, and nothing
 * survives the domain.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <minios/sync.h>
#include <minios/time.h>

#include "fs.h"

static struct mutex fs_mutex = {.recursive = true};
static struct ramfs tree;
static bool tree_ready;

static int64_t now_ns(void)
{
    return (int64_t)wallclock_ns();
}

struct ramfs *fs_lock(void)
{
    mutex_lock(&fs_mutex);
    if (!tree_ready) {
        if (ramfs_init(&tree, now_ns) ||
            ramfs_create(&tree, tree.root, "tmp", 3, RAMFS_DIR, 01777, NULL)) {
            mutex_unlock(&fs_mutex);
            return NULL;
        }
        tree_ready = true;
    }
    return &tree;
}

void fs_unlock(void)
{
    mutex_unlock(&fs_mutex);
}

/* The parts of open() that need the lock; returns the fd or -errno. */
static int open_locked(struct ramfs *fs, const char *path, int flags, mode_t mode)
{
    int acc = flags & O_ACCMODE;
    struct ramfs_node *node = NULL, *dir;
    const char *name;
    size_t len;
    bool dir_only;
    int ret;

    if (flags & O_CREAT) {
        ret = ramfs_lookup_parent(fs, path, &dir, &name, &len, &dir_only);
        if (ret == -EEXIST || ret == -EINVAL) /* "/", "x/.": no name to create */
            ret = ramfs_lookup(fs, path, &node) ?: ((flags & O_EXCL) ? -EEXIST : 0);
        else if (ret == 0 && !(node = ramfs_find(dir, name, len))) {
            if (dir_only)
                return -EISDIR; /* O_CREAT makes files, not "x/" */
            ret = ramfs_create(fs, dir, name, len, RAMFS_FILE, mode & ~fs_umask(), &node);
        } else if (ret == 0 && (flags & O_EXCL)) {
            return -EEXIST;
        } else if (ret == 0 && dir_only && node->type != RAMFS_DIR) {
            return -ENOTDIR;
        }
    } else {
        ret = ramfs_lookup(fs, path, &node);
    }
    if (ret)
        return ret;
    if (node->type == RAMFS_DIR && (acc != O_RDONLY || (flags & O_TRUNC)))
        return -EISDIR;
    if (node->type != RAMFS_DIR && (flags & O_DIRECTORY))
        return -ENOTDIR;
    if (node->type == RAMFS_FILE && (flags & O_TRUNC) && acc != O_RDONLY) {
        ret = ramfs_truncate(fs, node, 0);
        if (ret)
            return ret;
    }
    return fs_open_node(node, flags);
}

int open(const char *path, int flags, ...)
{
    mode_t mode = 0;
    struct ramfs *fs;
    int ret;

    if (flags & O_CREAT) {
        va_list ap;

        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    if ((flags & O_ACCMODE) == O_ACCMODE)
        return (int)fd_result(-EINVAL);
    /* /dev/<disk>: a Xen PV disk (dev_block.c); any other name is the tree's. */
    if (strncmp(path, "/dev/", 5) == 0 && path[5] && !strchr(path + 5, '/')) {
        ret = fs_open_disk(path + 5, flags);
        if (ret != -ENOENT)
            return (int)fd_result(ret);
    }
    fs = fs_lock();
    if (!fs)
        return (int)fd_result(-ENOMEM);
    ret = open_locked(fs, path, flags, mode);
    fs_unlock();
    return (int)fd_result(ret);
}

int creat(const char *path, mode_t mode)
{
    return open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

int stat(const char *path, struct stat *st)
{
    struct ramfs *fs = fs_lock();
    struct ramfs_node *node;
    int ret;

    if (!fs)
        return (int)fd_result(-ENOMEM);
    ret = ramfs_lookup(fs, path, &node);
    if (!ret)
        fs_fill_stat(node, st);
    fs_unlock();
    return (int)fd_result(ret);
}

/* One user, no permission bits enforced: whatever exists may be used. */
int access(const char *path, int how)
{
    struct stat st;

    if (how & ~(R_OK | W_OK | X_OK))
        return (int)fd_result(-EINVAL);
    return stat(path, &st);
}

/* The calls that change one name: resolve its directory, then @op. */
enum name_op { OP_UNLINK, OP_RMDIR, OP_MKDIR };

static int on_name(const char *path, enum name_op op, mode_t mode)
{
    struct ramfs *fs = fs_lock();
    struct ramfs_node *dir;
    const char *name;
    size_t len;
    bool dir_only;
    int ret;

    if (!fs)
        return (int)fd_result(-ENOMEM);
    ret = ramfs_lookup_parent(fs, path, &dir, &name, &len, &dir_only);
    if (ret == -EEXIST && op != OP_MKDIR)
        ret = op == OP_RMDIR ? -EBUSY : -EISDIR; /* the root */
    if (!ret && op == OP_UNLINK && dir_only)
        ret = ramfs_find(dir, name, len) ? -ENOTDIR : -ENOENT;
    if (!ret) {
        switch (op) {
        case OP_UNLINK:
            ret = ramfs_unlink(fs, dir, name, len);
            break;
        case OP_RMDIR:
            ret = ramfs_rmdir(fs, dir, name, len);
            break;
        case OP_MKDIR:
            ret = ramfs_create(fs, dir, name, len, RAMFS_DIR, mode & ~fs_umask(), NULL);
            break;
        }
    }
    fs_unlock();
    return (int)fd_result(ret);
}

int unlink(const char *path)
{
    return on_name(path, OP_UNLINK, 0);
}

int rmdir(const char *path)
{
    return on_name(path, OP_RMDIR, 0);
}

int mkdir(const char *path, mode_t mode)
{
    return on_name(path, OP_MKDIR, mode);
}

/* remove() is newlib's: unlink, which refuses directories (EISDIR). */

int link(const char *old_path, const char *new_path)
{
    struct ramfs *fs = fs_lock();
    struct ramfs_node *node, *dir;
    const char *name;
    size_t len;
    bool dir_only;
    int ret;

    if (!fs)
        return (int)fd_result(-ENOMEM);
    ret = ramfs_lookup(fs, old_path, &node);
    if (!ret)
        ret = ramfs_lookup_parent(fs, new_path, &dir, &name, &len, &dir_only);
    if (!ret)
        ret = dir_only ? -ENOENT : ramfs_link(fs, node, dir, name, len);
    fs_unlock();
    return (int)fd_result(ret);
}

int rename(const char *old_path, const char *new_path)
{
    struct ramfs *fs = fs_lock();
    struct ramfs_node *old_dir, *new_dir, *node;
    const char *old_name, *new_name;
    size_t old_len, new_len;
    bool old_slash, new_slash;
    int ret;

    if (!fs)
        return (int)fd_result(-ENOMEM);
    ret = ramfs_lookup_parent(fs, old_path, &old_dir, &old_name, &old_len, &old_slash);
    if (!ret)
        ret = ramfs_lookup_parent(fs, new_path, &new_dir, &new_name, &new_len, &new_slash);
    if (ret == -EEXIST)
        ret = -EBUSY; /* the root, on either side */
    if (!ret) {
        node = ramfs_find(old_dir, old_name, old_len);
        if (!node)
            ret = -ENOENT;
        else if ((old_slash || new_slash) && node->type != RAMFS_DIR)
            ret = -ENOTDIR;
        else
            ret = ramfs_rename(fs, old_dir, old_name, old_len, new_dir, new_name, new_len);
    }
    fs_unlock();
    return (int)fd_result(ret);
}

int chdir(const char *path)
{
    struct ramfs *fs = fs_lock();
    struct ramfs_node *node;
    int ret;

    if (!fs)
        return (int)fd_result(-ENOMEM);
    ret = ramfs_lookup(fs, path, &node);
    if (!ret)
        ret = ramfs_chdir(fs, node);
    fs_unlock();
    return (int)fd_result(ret);
}

int fchdir(int fd)
{
    int err, ret;
    struct file *f = fs_dir_file(fd, &err);
    struct ramfs *fs;

    if (!f)
        return (int)fd_result(-err);
    fs = fs_lock();
    ret = fs ? ramfs_chdir(fs, f->priv) : -ENOMEM;
    if (fs)
        fs_unlock();
    file_put(f);
    return (int)fd_result(ret);
}

/* As glibc: a NULL @buf is allocated (of @size, or as long as needed if 0). */
char *getcwd(char *buf, size_t size)
{
    struct ramfs *fs;
    char *out = buf;
    int ret;

    if (buf && size == 0)
        return (void)fd_result(-EINVAL), NULL;
    if (!buf) {
        size = size ? size : RAMFS_PATH_MAX;
        out = malloc(size);
        if (!out)
            return (void)fd_result(-ENOMEM), NULL;
    }
    fs = fs_lock();
    ret = fs ? ramfs_getcwd(fs, out, size) : -ENOMEM;
    if (fs)
        fs_unlock();
    if (ret) {
        if (!buf)
            free(out);
        fd_result(ret);
        return NULL;
    }
    return out;
}
