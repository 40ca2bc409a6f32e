/*
 * The RAM file system's tree: directories and regular files held in the
 * heap, with POSIX's rules for names, links, rename and removal.  Pure
 * logic (no locks, no kernel): the system calls (fs_calls.c) hold one lock
 * around every call, and the host unit test (tests/unit/test_ramfs.c) runs
 * it against glibc's malloc.  Every function returns 0 (or a count) or a
 * negative errno.
 *
 * A node lives while a directory names it or an open file holds it: a
 * file unlinked while open keeps its data until the last close (what
 * tmpfile() counts on).
 */
#ifndef RUNTIME_FS_RAMFS_H
#define RUNTIME_FS_RAMFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The runtime's own: never an application's. */
#pragma GCC visibility push(hidden)

#define RAMFS_NAME_MAX 255              /* bytes in one name */
#define RAMFS_PATH_MAX 4096             /* bytes in a path, with its terminator */
#define RAMFS_FILE_MAX ((off_t)1 << 40) /* a file's size; beyond it EFBIG */

enum ramfs_type { RAMFS_FILE, RAMFS_DIR };

struct ramfs_node;

struct ramfs_dirent {
    struct ramfs_dirent *next; /* in creation order */
    struct ramfs_node *node;
    size_t len;
    char name[]; /* NUL-terminated */
};

struct ramfs_node {
    enum ramfs_type type;
    unsigned long ino;
    unsigned int links; /* directory entries naming it */
    unsigned int opens; /* open files holding it */
    unsigned int mode;  /* permission bits, as created (nothing checks them) */
    int64_t mtime_ns;   /* last change of the contents */
    int64_t ctime_ns;   /* last change of the node */
    /* RAMFS_FILE */
    unsigned char *data;
    size_t size, capacity;
    /* RAMFS_DIR */
    struct ramfs_dirent *entries;
    size_t count;              /* entries, without . and .. */
    struct ramfs_node *parent; /* the root's is itself */
};

struct ramfs {
    struct ramfs_node *root;
    struct ramfs_node *cwd; /* where relative paths start; held (ramfs_hold) */
    unsigned long next_ino;
    size_t bytes;         /* file contents held (capacity), for the figures */
    int64_t (*now)(void); /* the clock for time stamps */
};

/* An empty file system: a root directory.  -ENOMEM. */
int ramfs_init(struct ramfs *fs, int64_t (*now)(void));

/*
 * Resolves @path ("/a/b" from the root, "a/b" from fs->cwd; "." and ".."
 * as usual, ".." of the root is the root).  A trailing slash requires a
 * directory.  -ENOENT, -ENOTDIR, -ENAMETOOLONG.
 */
int ramfs_lookup(struct ramfs *fs, const char *path, struct ramfs_node **out);

/*
 * Resolves all of @path but its last name, which must be a name (not "."
 * or "..": -EINVAL for those, -EEXIST for the root itself).  *@name points
 * into @path; *@len excludes any trailing slashes (*@dir_only says there
 * were some).
 */
int ramfs_lookup_parent(struct ramfs *fs, const char *path, struct ramfs_node **dir,
                        const char **name, size_t *len, bool *dir_only);

/* The node @dir names @name (@len bytes) by; NULL if none. */
struct ramfs_node *ramfs_find(struct ramfs_node *dir, const char *name, size_t len);

/* A new empty file or directory named @name in @dir.  -EEXIST, -ENOSPC. */
int ramfs_create(struct ramfs *fs, struct ramfs_node *dir, const char *name, size_t len,
                 enum ramfs_type type, unsigned int mode, struct ramfs_node **out);

/* Another name for file @node.  -EPERM for a directory, -EEXIST, -ENOSPC. */
int ramfs_link(struct ramfs *fs, struct ramfs_node *node, struct ramfs_node *dir, const char *name,
               size_t len);

/* Removes the name of a file (-EISDIR) or of an empty directory (-ENOTEMPTY). */
int ramfs_unlink(struct ramfs *fs, struct ramfs_node *dir, const char *name, size_t len);
int ramfs_rmdir(struct ramfs *fs, struct ramfs_node *dir, const char *name, size_t len);

/*
 * rename(): moves a name, replacing what the new name named under POSIX's
 * rules (-EISDIR, -ENOTDIR, -ENOTEMPTY; -EINVAL for a directory into its
 * own subtree; nothing happens when both names are one node).
 */
int ramfs_rename(struct ramfs *fs, struct ramfs_node *old_dir, const char *old_name, size_t old_len,
                 struct ramfs_node *new_dir, const char *new_name, size_t new_len);

/* An open file holds the node / lets it go (freed once nothing names or holds it). */
void ramfs_hold(struct ramfs_node *node);
void ramfs_release(struct ramfs *fs, struct ramfs_node *node);

/* A file's contents.  read returns the bytes copied (0 at or past the end). */
ssize_t ramfs_read(struct ramfs_node *node, void *buf, size_t n, off_t offset);
/* Writes, growing the file (a hole reads as zeros).  -EFBIG, -ENOSPC. */
ssize_t ramfs_write(struct ramfs *fs, struct ramfs_node *node, const void *buf, size_t n,
                    off_t offset);
int ramfs_truncate(struct ramfs *fs, struct ramfs_node *node, off_t length);

/* Makes directory @dir the working directory (-ENOTDIR). */
int ramfs_chdir(struct ramfs *fs, struct ramfs_node *dir);

/*
 * The absolute path of the working directory into @buf (@size bytes with
 * the NUL).  -ERANGE if it does not fit, -ENOENT if it was removed.
 */
int ramfs_getcwd(struct ramfs *fs, char *buf, size_t size);

/* The absolute path of directory @dir, as ramfs_getcwd() gives the working directory's. */
int ramfs_dir_path(struct ramfs *fs, const struct ramfs_node *dir, char *buf, size_t size);

/* The @index-th entry of @dir, counting "." and ".." first; false past the end. */
bool ramfs_dir_entry(struct ramfs_node *dir, size_t index, const char **name,
                     struct ramfs_node **node);

#pragma GCC visibility pop

#endif /* RUNTIME_FS_RAMFS_H */
