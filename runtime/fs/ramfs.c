/*
 * The RAM file system's tree (ramfs.h): nodes, the names directories give
 * them, and the rules for making, linking, renaming and removing them.
 * A directory's entries are a list in creation order (readdir's order);
 * a lookup walks it, which is fine for the few hundred entries an
 * application ships or makes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ramfs.h"

static struct ramfs_node *new_node(struct ramfs *fs, enum ramfs_type type, unsigned int mode)
{
    struct ramfs_node *node = calloc(1, sizeof(*node));

    if (!node)
        return NULL;
    node->type = type;
    node->ino = fs->next_ino++;
    node->mode = mode & 07777;
    node->mtime_ns = node->ctime_ns = fs->now();
    return node;
}

static void free_node(struct ramfs *fs, struct ramfs_node *node)
{
    fs->bytes -= node->capacity;
    free(node->data);
    free(node);
}

int ramfs_init(struct ramfs *fs, int64_t (*now)(void))
{
    memset(fs, 0, sizeof(*fs));
    fs->now = now;
    fs->next_ino = 1;
    fs->root = new_node(fs, RAMFS_DIR, 0755);
    if (!fs->root)
        return -ENOMEM;
    fs->root->parent = fs->root;
    fs->root->links = 1; /* nothing names it, nothing may free it */
    return 0;
}

struct ramfs_node *ramfs_find(struct ramfs_node *dir, const char *name, size_t len)
{
    for (struct ramfs_dirent *e = dir->entries; e; e = e->next) {
        if (e->len == len && memcmp(e->name, name, len) == 0)
            return e->node;
    }
    return NULL;
}

/* The link to @name in @dir (the pointer that points to its entry), or NULL. */
static struct ramfs_dirent **find_link(struct ramfs_node *dir, const char *name, size_t len)
{
    for (struct ramfs_dirent **l = &dir->entries; *l; l = &(*l)->next) {
        if ((*l)->len == len && memcmp((*l)->name, name, len) == 0)
            return l;
    }
    return NULL;
}

static void touch(struct ramfs *fs, struct ramfs_node *node)
{
    node->mtime_ns = node->ctime_ns = fs->now();
}

/* Adds an entry at the end of @dir's list; -ENOSPC without memory. */
static int add_entry(struct ramfs *fs, struct ramfs_node *dir, const char *name, size_t len,
                     struct ramfs_node *node)
{
    struct ramfs_dirent *e = malloc(sizeof(*e) + len + 1), **tail = &dir->entries;

    if (!e)
        return -ENOSPC;
    e->next = NULL;
    e->node = node;
    e->len = len;
    memcpy(e->name, name, len);
    e->name[len] = '\0';
    while (*tail)
        tail = &(*tail)->next;
    *tail = e;
    dir->count++;
    node->links++;
    if (node->type == RAMFS_DIR)
        node->parent = dir;
    touch(fs, dir);
    return 0;
}

static void maybe_free(struct ramfs *fs, struct ramfs_node *node)
{
    if (node->links == 0 && node->opens == 0)
        free_node(fs, node);
}

/* Takes the entry *@link out of @dir; the node goes if nothing else keeps it. */
static void remove_entry(struct ramfs *fs, struct ramfs_node *dir, struct ramfs_dirent **link)
{
    struct ramfs_dirent *e = *link;
    struct ramfs_node *node = e->node;

    *link = e->next;
    free(e);
    dir->count--;
    node->links--;
    node->ctime_ns = fs->now();
    if (node->type == RAMFS_DIR && node->links == 0)
        node->parent = node; /* its parent may go before it does (an open DIR) */
    touch(fs, dir);
    maybe_free(fs, node);
}

int ramfs_create(struct ramfs *fs, struct ramfs_node *dir, const char *name, size_t len,
                 enum ramfs_type type, unsigned int mode, struct ramfs_node **out)
{
    struct ramfs_node *node;
    int ret;

    if (dir->links == 0)
        return -ENOENT; /* a directory removed while a path walked through it */
    if (ramfs_find(dir, name, len))
        return -EEXIST;
    node = new_node(fs, type, mode);
    if (!node)
        return -ENOSPC;
    ret = add_entry(fs, dir, name, len, node);
    if (ret) {
        free_node(fs, node);
        return ret;
    }
    if (out)
        *out = node;
    return 0;
}

int ramfs_link(struct ramfs *fs, struct ramfs_node *node, struct ramfs_node *dir, const char *name,
               size_t len)
{
    if (node->type == RAMFS_DIR)
        return -EPERM;
    if (dir->links == 0)
        return -ENOENT;
    if (ramfs_find(dir, name, len))
        return -EEXIST;
    return add_entry(fs, dir, name, len, node);
}

int ramfs_unlink(struct ramfs *fs, struct ramfs_node *dir, const char *name, size_t len)
{
    struct ramfs_dirent **link = find_link(dir, name, len);

    if (!link)
        return -ENOENT;
    if ((*link)->node->type == RAMFS_DIR)
        return -EISDIR; /* as Linux; POSIX allows EPERM */
    remove_entry(fs, dir, link);
    return 0;
}

int ramfs_rmdir(struct ramfs *fs, struct ramfs_node *dir, const char *name, size_t len)
{
    struct ramfs_dirent **link = find_link(dir, name, len);

    if (!link)
        return -ENOENT;
    if ((*link)->node->type != RAMFS_DIR)
        return -ENOTDIR;
    if ((*link)->node->count)
        return -ENOTEMPTY;
    remove_entry(fs, dir, link);
    return 0;
}

/* Whether directory @node is @dir or one of its ancestors. */
static bool is_ancestor(struct ramfs_node *node, struct ramfs_node *dir)
{
    for (;;) {
        if (dir == node)
            return true;
        if (dir->parent == dir)
            return false;
        dir = dir->parent;
    }
}

int ramfs_rename(struct ramfs *fs, struct ramfs_node *old_dir, const char *old_name, size_t old_len,
                 struct ramfs_node *new_dir, const char *new_name, size_t new_len)
{
    struct ramfs_dirent **old_link = find_link(old_dir, old_name, old_len), **new_link;
    struct ramfs_node *node, *target;
    int ret;

    if (!old_link)
        return -ENOENT;
    if (new_dir->links == 0)
        return -ENOENT;
    node = (*old_link)->node;
    new_link = find_link(new_dir, new_name, new_len);
    target = new_link ? (*new_link)->node : NULL;
    if (target == node)
        return 0; /* POSIX: two names of one file, nothing is done */
    if (node->type == RAMFS_DIR && is_ancestor(node, new_dir))
        return -EINVAL;
    if (target) {
        if (node->type == RAMFS_DIR && target->type != RAMFS_DIR)
            return -ENOTDIR;
        if (node->type != RAMFS_DIR && target->type == RAMFS_DIR)
            return -EISDIR;
        if (target->type == RAMFS_DIR && target->count)
            return -ENOTEMPTY;
        /* Replace in place: the new name never stops naming something. */
        target->links--;
        target->ctime_ns = fs->now();
        (*new_link)->node = node;
        node->links++;
        if (node->type == RAMFS_DIR)
            node->parent = new_dir;
        touch(fs, new_dir);
        maybe_free(fs, target);
    } else {
        ret = add_entry(fs, new_dir, new_name, new_len, node);
        if (ret)
            return ret;
    }
    /* The list may have changed above (an entry appended): look it up again. */
    remove_entry(fs, old_dir, find_link(old_dir, old_name, old_len));
    return 0;
}

void ramfs_hold(struct ramfs_node *node)
{
    node->opens++;
}

void ramfs_release(struct ramfs *fs, struct ramfs_node *node)
{
    node->opens--;
    maybe_free(fs, node);
}

bool ramfs_dir_entry(struct ramfs_node *dir, size_t index, const char **name,
                     struct ramfs_node **node)
{
    struct ramfs_dirent *e = dir->entries;

    if (index < 2) {
        *name = index ? ".." : ".";
        *node = index ? dir->parent : dir;
        return true;
    }
    for (index -= 2; e && index; index--)
        e = e->next;
    if (!e)
        return false;
    *name = e->name;
    *node = e->node;
    return true;
}
