/*
 * Path resolution for the RAM file system (ramfs.h): names separated by
 * slashes, walked from the root.  The path is application input: its
 * length is bounded (RAMFS_PATH_MAX), each name too (RAMFS_NAME_MAX), and
 * nothing is copied or written.
 */
#include <errno.h>
#include <string.h>

#include "ramfs.h"

/* The next name of @p (skipping slashes): its start, and its length in *@len. */
static const char *next_name(const char *p, size_t *len)
{
    while (*p == '/')
        p++;
    *len = strcspn(p, "/");
    return p;
}

static bool is_dot(const char *name, size_t len)
{
    return len == 1 && name[0] == '.';
}

static bool is_dotdot(const char *name, size_t len)
{
    return len == 2 && name[0] == '.' && name[1] == '.';
}

/* Steps from directory @dir by one name; -ENOTDIR if @dir is not one. */
static int step(struct ramfs_node *dir, const char *name, size_t len, struct ramfs_node **out)
{
    if (dir->type != RAMFS_DIR)
        return -ENOTDIR;
    if (len > RAMFS_NAME_MAX)
        return -ENAMETOOLONG;
    if (is_dot(name, len)) {
        *out = dir;
        return 0;
    }
    if (is_dotdot(name, len)) {
        *out = dir->parent;
        return 0;
    }
    *out = ramfs_find(dir, name, len);
    return *out ? 0 : -ENOENT;
}

static int check_length(const char *path)
{
    if (!path)
        return -EFAULT;
    if (!*path)
        return -ENOENT; /* POSIX: the empty path names nothing */
    if (strnlen(path, RAMFS_PATH_MAX) == RAMFS_PATH_MAX)
        return -ENAMETOOLONG;
    return 0;
}

/* Where @path starts: the root for an absolute path, else the working directory. */
static struct ramfs_node *start(struct ramfs *fs, const char *path)
{
    return path[0] == '/' ? fs->root : fs->cwd;
}

int ramfs_lookup(struct ramfs *fs, const char *path, struct ramfs_node **out)
{
    struct ramfs_node *node;
    const char *p;
    size_t len;
    int ret = check_length(path);

    if (ret)
        return ret;
    node = start(fs, path);
    for (p = next_name(path, &len); len; p = next_name(p + len, &len)) {
        ret = step(node, p, len, &node);
        if (ret)
            return ret;
    }
    if (path[strlen(path) - 1] == '/' && node->type != RAMFS_DIR)
        return -ENOTDIR;
    *out = node;
    return 0;
}

int ramfs_lookup_parent(struct ramfs *fs, const char *path, struct ramfs_node **dir,
                        const char **name, size_t *len, bool *dir_only)
{
    struct ramfs_node *node;
    const char *p, *last = NULL;
    size_t n, last_len = 0;
    int ret = check_length(path);

    if (ret)
        return ret;
    node = start(fs, path);
    for (p = next_name(path, &n); n; p = next_name(p + n, &n)) {
        if (last) {
            ret = step(node, last, last_len, &node);
            if (ret)
                return ret;
        }
        last = p;
        last_len = n;
    }
    if (!last)
        return -EEXIST; /* "/": the root, which has no name to make or remove */
    if (node->type != RAMFS_DIR)
        return -ENOTDIR;
    if (last_len > RAMFS_NAME_MAX)
        return -ENAMETOOLONG;
    if (is_dot(last, last_len) || is_dotdot(last, last_len))
        return -EINVAL;
    *dir = node;
    *name = last;
    *len = last_len;
    *dir_only = last[last_len] == '/';
    return 0;
}

int ramfs_chdir(struct ramfs *fs, struct ramfs_node *dir)
{
    if (dir->type != RAMFS_DIR)
        return -ENOTDIR;
    ramfs_hold(dir);
    ramfs_release(fs, fs->cwd);
    fs->cwd = dir;
    return 0;
}

/* The name @dir's parent gives it (NULL for the root or a removed directory). */
static const struct ramfs_dirent *name_of(const struct ramfs_node *dir)
{
    for (const struct ramfs_dirent *e = dir->parent->entries; e && dir != dir->parent;
         e = e->next) {
        if (e->node == dir)
            return e;
    }
    return NULL;
}

int ramfs_getcwd(struct ramfs *fs, char *buf, size_t size)
{
    return ramfs_dir_path(fs, fs->cwd, buf, size);
}

int ramfs_dir_path(struct ramfs *fs, const struct ramfs_node *dir, char *buf, size_t size)
{
    size_t end = size;

    if (dir->links == 0)
        return -ENOENT; /* removed: it has no path */
    if (size < 2)
        return -ERANGE;
    buf[--end] = '\0';
    /* Right to left, from the directory up to the root. */
    for (; dir != fs->root; dir = dir->parent) {
        const struct ramfs_dirent *e = name_of(dir);

        if (!e)
            return -ENOENT;
        if (e->len + 1 > end)
            return -ERANGE;
        end -= e->len;
        memcpy(buf + end, e->name, e->len);
        buf[--end] = '/';
    }
    if (end == size - 1)
        buf[--end] = '/'; /* the root itself */
    memmove(buf, buf + end, size - end);
    return 0;
}
